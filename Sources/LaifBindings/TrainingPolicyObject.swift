import LaifLang
import LaifSim
import LaifTrain

/// A decoding policy built on a model (`type(p) == "policy"`), e.g. best-of-n under a scorer.
/// Usable wherever a model is evaluated: `evaluate([...])`, `p.quality(prompts)`,
/// `p.replies(prompts)`. Properties n, scorer.
///
///     let bon = PolicyObject(try BestOfNPolicy(model: m, scorer: gpt4, n: 8))
public final class PolicyObject: DomainObject {
    public let policy: BestOfNPolicy

    /// Wraps a best-of-n policy.
    ///
    ///     PolicyObject(try BestOfNPolicy(model: m, scorer: rm, n: 4))
    public init(_ policy: BestOfNPolicy) { self.policy = policy }

    public var typeName: String { "policy" }
    /// "policy: " and the best-of-n description: n, the scorer's name and the model's size.
    ///
    ///     print(best_of_n(s, gpt4, 4))   // policy: best-of-4 under gpt-4 (model of ... parameters)
    public func describe() -> String { "policy: \(policy)" }
    public var summary: String { "policy(best-of-\(policy.n), \(policy.scorer.scorerName))" }
    public var byteSize: Int { 64 }
    public var propertyNames: [String] { ["n", "scorer"] }

    /// `p.n` (samples per prompt) and `p.scorer` (the scorer's name: an oracle's name or "reward model").
    ///
    ///     try p.property("scorer")   // .string("gpt-4")
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "n": return .number(Double(policy.n))
        case "scorer": return .string(policy.scorer.scorerName)
        default: return nil
        }
    }
}
