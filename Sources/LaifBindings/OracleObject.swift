import LaifLang
import LaifSim

/// A simulated LLM as a laif value (`type(o) == "oracle"`): teacher, critic and judge in one.
/// Prints its knobs and how much of the world it knows; properties name, family, strength,
/// coverage, known, verbosity, length_bias, voice, family_bias, position_bias, temperature, flip,
/// slip, habit, jitter, max_fillers, seed, world.
///
///     let o = OracleObject(try Oracle(world: w, preset: "gpt-4"))
///     try o.property("coverage")   // .number(0.8...)
public final class OracleObject: DomainObject {
    public let oracle: Oracle

    /// Wraps an oracle.
    ///
    ///     OracleObject(Oracle.gold(w))
    public init(_ oracle: Oracle) { self.oracle = oracle }

    public var typeName: String { "oracle" }

    /// Its identity and how much it knows (entries known, coverage in %), its teacher knobs (with its voice
    /// filler), its critic/judge knobs, and, when the world can draw a prompt, its reply to one beside the gold reply.
    ///
    ///     print(gpt35)   // oracle gpt-3.5: family openai, strength 0.55, knows 7/12 entries (58%) ...
    public func describe() -> String {
        let c = oracle.config
        let voiceName = oracle.signatureFiller.map { " " + oracle.world.text([$0]) } ?? ""
        let known = oracle.knowledge.lazy.filter { $0 }.count
        var lines = ["oracle \(c.name): family \(c.family), strength \(formatLaifNumber(c.strength)), "
                        + "knows \(known)/\(oracle.knowledge.count) entries (\(Int((100 * oracle.coverage).rounded()))%)",
                     "  teacher: slip \(formatLaifNumber(c.slipRate)), habit \(formatLaifNumber(c.habitRate)), "
                        + "verbosity \(formatLaifNumber(c.verbosity)) (up to \(c.maxFillers) fillers, "
                        + "\(formatLaifNumber(100 * c.voice))% in its voice\(voiceName))",
                     "  critic/judge: temperature \(formatLaifNumber(c.temperature)), flip \(formatLaifNumber(c.flipRate)), "
                        + "length bias \(formatLaifNumber(c.lengthBias)), family bias \(formatLaifNumber(c.familyBias)), "
                        + "position bias \(formatLaifNumber(c.positionBias))"]
        if let example = try? oracle.world.prompts(1, seed: 0).first {
            lines.append("  e.g. \"\(example.text)\" -> \"\(oracle.world.text(oracle.respond(example)))\" "
                + "(gold \"\(oracle.world.text(oracle.world.goldResponse(example)))\")")
        }
        return lines.joined(separator: "\n")
    }

    public var summary: String {
        "oracle(\(oracle.config.name), strength \(formatLaifNumber(oracle.config.strength)))"
    }

    public var byteSize: Int { 128 + oracle.knowledge.count * 10 }

    public var propertyNames: [String] {
        ["name", "family", "strength", "coverage", "known", "verbosity", "length_bias", "voice", "family_bias",
         "position_bias", "temperature", "flip", "slip", "habit", "jitter", "max_fillers", "seed", "world"]
    }

    /// The knobs under their script names (`slip`, `habit`, `flip` are the rates; `strength` is infinite for
    /// gold), plus `coverage` (share of entries known), `known` (their count) and `world` (a world value).
    ///
    ///     try OracleObject(Oracle.gold(w)).property("strength")   // .number(.infinity)
    public func property(_ name: String) throws -> Value? {
        let c = oracle.config
        switch name {
        case "name": return .string(c.name)
        case "family": return .string(c.family)
        case "strength": return .number(c.strength)
        case "coverage": return .number(oracle.coverage)
        case "known": return .number(Double(oracle.knowledge.lazy.filter { $0 }.count))
        case "verbosity": return .number(c.verbosity)
        case "length_bias": return .number(c.lengthBias)
        case "voice": return .number(c.voice)
        case "family_bias": return .number(c.familyBias)
        case "position_bias": return .number(c.positionBias)
        case "temperature": return .number(c.temperature)
        case "flip": return .number(c.flipRate)
        case "slip": return .number(c.slipRate)
        case "habit": return .number(c.habitRate)
        case "jitter": return .number(c.jitter)
        case "max_fillers": return .number(Double(c.maxFillers))
        case "seed": return .number(Double(c.seed))
        case "world": return .object(WorldObject(oracle.world))
        default: return nil
        }
    }

    /// The same oracle, or equal knobs (name and seed included) over a world of equal configuration: two
    /// oracles built alike know, answer and judge alike.
    ///
    ///     oracle(w) == oracle(w, preset: "gpt-4")   // true
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? OracleObject else { return false }
        return other.oracle === oracle || (other.oracle.config == oracle.config && worldsAreEqual(other.oracle.world, oracle.world))
    }
}
