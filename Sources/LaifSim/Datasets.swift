/// One demonstration: a prompt and the reply to imitate (TRL's `prompt` / `completion`).
///
///     SFTExample(prompt: p, completion: w.goldResponse(p))
public struct SFTExample: Hashable, Sendable {
    public let prompt: Prompt
    public let completion: [Int32]

    /// A demonstration.
    ///
    ///     SFTExample(prompt: p, completion: reply)
    public init(prompt: Prompt, completion: [Int32]) {
        self.prompt = prompt
        self.completion = completion
    }
}

/// An SFT dataset over one world.
///
///     let d = gpt35.demos(ps)
///     try d.writeJSONL(to: "demos.jsonl")
public struct SFTDataset: Sendable, CustomStringConvertible {
    public let world: World
    public let examples: [SFTExample]
    /// Where the data came from ("demos by gpt-3.5", a file path).
    public let source: String

    /// A dataset from examples.
    ///
    ///     SFTDataset(world: w, examples: xs, source: "hand-made")
    public init(world: World, examples: [SFTExample], source: String) {
        self.world = world
        self.examples = examples
        self.source = source
    }

    /// Number of examples.
    ///
    ///     d.count
    public var count: Int { examples.count }

    /// Mean gold quality of the completions.
    ///
    ///     gpt4.demos(ps).quality   // higher than gpt35.demos(ps).quality
    public var quality: Double {
        guard !examples.isEmpty else { return 0 }
        return examples.reduce(0) { $0 + world.gold($1.prompt, $1.completion) } / Double(examples.count)
    }

    /// Concatenation (same world).
    ///
    ///     let all = a + b
    public static func + (lhs: SFTDataset, rhs: SFTDataset) -> SFTDataset {
        SFTDataset(world: lhs.world, examples: lhs.examples + rhs.examples, source: "\(lhs.source) + \(rhs.source)")
    }

    public var description: String {
        var lines = ["SFTDataset(\(examples.count) examples, \(source), gold quality \(formatFixed(quality, 3)))"]
        for ex in examples.prefix(3) {
            lines.append("  \"\(ex.prompt.text)\" -> \"\(world.text(ex.completion))\"")
        }
        if examples.count > 3 { lines.append("  ...") }
        return lines.joined(separator: "\n")
    }
}

/// Two replies to one prompt, not yet labelled.
///
///     ResponsePair(prompt: p, first: studentReply, second: teacherReply)
public struct ResponsePair: Hashable, Sendable {
    public let prompt: Prompt
    public let first: [Int32]
    public let second: [Int32]

    /// An unlabelled pair.
    ///
    ///     ResponsePair(prompt: p, first: a, second: b)
    public init(prompt: Prompt, first: [Int32], second: [Int32]) {
        self.prompt = prompt
        self.first = first
        self.second = second
    }
}

/// Unlabelled pairs, ready for a critic's `label`.
///
///     let prefs = gpt4.label(pairs)
public struct PairSet: Sendable, CustomStringConvertible {
    public let world: World
    public let pairs: [ResponsePair]
    /// Where the replies came from ("sft-model vs gpt-3.5").
    public let source: String

    /// A pair set from pairs.
    ///
    ///     PairSet(world: w, pairs: ps, source: "mine")
    public init(world: World, pairs: [ResponsePair], source: String) {
        self.world = world
        self.pairs = pairs
        self.source = source
    }

    /// Number of pairs.
    ///
    ///     pairs.count
    public var count: Int { pairs.count }

    public var description: String {
        var lines = ["PairSet(\(pairs.count) pairs, \(source))"]
        for p in pairs.prefix(3) {
            lines.append("  \"\(p.prompt.text)\": \"\(world.text(p.first))\" | \"\(world.text(p.second))\"")
        }
        if pairs.count > 3 { lines.append("  ...") }
        return lines.joined(separator: "\n")
    }
}

/// One preference (TRL's `prompt` / `chosen` / `rejected`).
///
///     PreferenceExample(prompt: p, chosen: good, rejected: bad)
public struct PreferenceExample: Hashable, Sendable {
    public let prompt: Prompt
    public let chosen: [Int32]
    public let rejected: [Int32]

    /// A labelled pair.
    ///
    ///     PreferenceExample(prompt: p, chosen: a, rejected: b)
    public init(prompt: Prompt, chosen: [Int32], rejected: [Int32]) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }
}

/// A preference dataset over one world.
///
///     let prefs = gpt4.label(pairs)
///     prefs.goldAccuracy   // share of labels the gold judge agrees with
public struct PreferenceDataset: Sendable, CustomStringConvertible {
    public let world: World
    public let examples: [PreferenceExample]
    /// Who labelled what ("gpt-4 on sft vs gpt-3.5", a file path).
    public let source: String

    /// A dataset from examples.
    ///
    ///     PreferenceDataset(world: w, examples: xs, source: "hand-made")
    public init(world: World, examples: [PreferenceExample], source: String) {
        self.world = world
        self.examples = examples
        self.source = source
    }

    /// Number of examples.
    ///
    ///     prefs.count
    public var count: Int { examples.count }

    /// Share of examples whose chosen reply has strictly higher gold quality than the rejected
    /// one, counting gold ties as half.
    ///
    ///     prefs.goldAccuracy   // e.g. 0.81
    public var goldAccuracy: Double {
        guard !examples.isEmpty else { return 0 }
        var total = 0.0
        for ex in examples {
            let c = world.gold(ex.prompt, ex.chosen), r = world.gold(ex.prompt, ex.rejected)
            total += c > r ? 1 : (c == r ? 0.5 : 0)
        }
        return total / Double(examples.count)
    }

    /// Share of examples on which another labelling of the same pairs chose the same reply
    /// (matched by position; both must label the same pairs in the same order).
    ///
    ///     gpt4.label(pairs).agreement(with: claude.label(pairs))   // about 0.7
    public func agreement(with other: PreferenceDataset) throws -> Double {
        guard other.examples.count == examples.count else {
            throw SimError("agreement: the two preference sets differ in size (\(examples.count) vs \(other.examples.count)); label the same pairs")
        }
        guard !examples.isEmpty else { return 0 }
        var same = 0
        for (a, b) in zip(examples, other.examples) {
            guard a.prompt == b.prompt, Set([a.chosen, a.rejected]) == Set([b.chosen, b.rejected]) else {
                throw SimError("agreement: example for \"\(a.prompt.text)\" is not the same pair in both sets; label the same pairs")
            }
            if a.chosen == b.chosen { same += 1 }
        }
        return Double(same) / Double(examples.count)
    }

    /// Concatenation (same world).
    ///
    ///     let all = a + b
    public static func + (lhs: PreferenceDataset, rhs: PreferenceDataset) -> PreferenceDataset {
        PreferenceDataset(world: lhs.world, examples: lhs.examples + rhs.examples, source: "\(lhs.source) + \(rhs.source)")
    }

    public var description: String {
        var lines = ["PreferenceDataset(\(examples.count) examples, \(source), gold agreement \(formatFixed(goldAccuracy, 3)))"]
        for ex in examples.prefix(3) {
            lines.append("  \"\(ex.prompt.text)\": chosen \"\(world.text(ex.chosen))\" over \"\(world.text(ex.rejected))\"")
        }
        if examples.count > 3 { lines.append("  ...") }
        return lines.joined(separator: "\n")
    }
}

/// A number with a fixed count of decimals, without Foundation's locale-dependent formatting.
func formatFixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    guard abs(x) < 1e12 else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    let negative = x < 0 && scaled != 0
    let whole = Int(scaled / scale)
    let frac = Int(scaled - Double(whole) * scale)
    var s = "\(negative ? "-" : "")\(whole)"
    if decimals > 0 {
        let f = String(frac)
        s += "." + String(repeating: "0", count: decimals - f.count) + f
    }
    return s
}
