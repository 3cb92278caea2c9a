import LaifLang
import LaifSim

/// The result of the study's bandit as a laif value (`type(b) == "bandit"`): prints the
/// expected true reward of each policy; properties student, teacher, sft, rl (numbers), reward
/// (the learned reward per action), distributions (a record of four lists over actions, ready
/// for `plot`), and the knobs it ran with.
///
///     let b = BanditObject(try runBandit(BanditConfig()))
///     try b.property("rl")   // .number(51.9...)
public final class BanditObject: DomainObject {
    public let result: BanditResult

    /// Wraps a bandit result.
    ///
    ///     BanditObject(try runBandit(BanditConfig()))
    public init(_ result: BanditResult) { self.result = result }

    public var typeName: String { "bandit" }

    /// The knobs the bandit ran with and each policy's expected true reward, rounded to one decimal, plus
    /// a reminder of the fields (`plot(b.distributions)`).
    ///
    ///     print(bandit())   // bandit: 100 actions, ... expected true reward: student 40, teacher 78.5, ... rl 51.8...
    public func describe() -> String {
        let c = result.config
        func cell(_ x: Double) -> String { formatLaifNumber((x * 10).rounded() / 10) }
        return """
            bandit: \(c.actions) actions, teacher mean \(formatLaifNumber(c.teacherMean)), student mean \(formatLaifNumber(c.studentMean)), \
            \(c.pairs) \(c.pairSource.rawValue) pairs, label noise \(formatLaifNumber(c.labelNoise)), beta \(formatLaifNumber(c.beta)), seed \(c.seed)
              expected true reward: student \(cell(result.student)), teacher \(cell(result.teacher)), \
            sft \(cell(result.sft)), rl \(cell(result.rl))
              (fields: student, teacher, sft, rl, reward, distributions; plot(b.distributions))
            """
    }

    public var summary: String {
        "bandit(rl \(formatLaifNumber((result.rl * 10).rounded() / 10)), sft \(formatLaifNumber((result.sft * 10).rounded() / 10)))"
    }

    public var byteSize: Int { 128 + result.reward.count * 40 }

    public var propertyNames: [String] {
        ["student", "teacher", "sft", "rl", "reward", "distributions", "beta", "pairs", "pair_source", "label_noise", "seed"]
    }

    /// `b.student`, `b.teacher`, `b.sft`, `b.rl` (expected true reward, unrounded), `b.reward` (the learned reward
    /// per action), `b.distributions` (a record student/teacher/sft/rl of probabilities over actions, for `plot`)
    /// and the knobs it ran with: `beta`, `pairs`, `pair_source`, `label_noise`, `seed`.
    ///
    ///     try b.property("pair_source")   // .string("student")
    public func property(_ name: String) throws -> Value? {
        func numbers(_ xs: [Double]) -> Value { .list(xs.map(Value.number)) }
        let c = result.config
        switch name {
        case "student": return .number(result.student)
        case "teacher": return .number(result.teacher)
        case "sft": return .number(result.sft)
        case "rl": return .number(result.rl)
        case "reward": return numbers(result.reward)
        case "distributions":
            return .record(Record([("student", numbers(result.studentDistribution)), ("teacher", numbers(result.teacherDistribution)),
                                   ("sft", numbers(result.sftDistribution)), ("rl", numbers(result.rlDistribution))]))
        case "beta": return .number(c.beta)
        case "pairs": return .number(Double(c.pairs))
        case "pair_source": return .string(c.pairSource.rawValue)
        case "label_noise": return .number(c.labelNoise)
        case "seed": return .number(Double(c.seed))
        default: return nil
        }
    }
}
