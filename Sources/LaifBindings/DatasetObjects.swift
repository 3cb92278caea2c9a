import LaifLang
import LaifSim

/// Rows of a dataset shown when it prints.
private let shownRows = 3

/// The readable listing of a few rows and a "... (n more)" line.
private func listing(count: Int, rows: (Int) -> String) -> [String] {
    var lines = (0..<min(count, shownRows)).map { "  " + rows($0) }
    if count > shownRows { lines.append("  ... (\(count - shownRows) more)") }
    return lines
}

/// Checks that two datasets being joined share one world.
private func requireSameWorld(_ a: World, _ b: World, _ what: String) throws {
    guard a === b else { throw LaifError.runtime("cannot join \(what) of two different worlds; build both from one world") }
}

/// An SFT dataset (`type(d) == "dataset"`): `len(d)`, `d[i]` (a record {prompt, completion}
/// in token text), `d[a:b]`, `a ++ b`, `for row in d`; properties count, quality (mean gold
/// quality of the completions), source.
///
///     let d = SFTDatasetObject(gpt35.demos(ps))
///     d.describe()   // "dataset: 3 examples (demos by gpt-3.5), gold quality 0.52 ..."
public final class SFTDatasetObject: DomainObject {
    public let dataset: SFTDataset

    /// Wraps an SFT dataset.
    ///
    ///     SFTDatasetObject(o.demos(ps))
    public init(_ dataset: SFTDataset) { self.dataset = dataset }

    public var typeName: String { "dataset" }

    /// A header with the size, source and mean gold quality (3 decimals), then the first 3 examples as
    /// `"prompt" -> "completion"` and a "... (n more)" line.
    ///
    ///     print(d)   // dataset: 10 examples (demos by gpt-3.5), gold quality 0.667 ...
    public func describe() -> String {
        // An empty dataset has no mean quality; "gold quality 0" read as a measured zero.
        let quality = dataset.count == 0 ? "n/a" : formatLaifNumber((dataset.quality * 1000).rounded() / 1000)
        let head = "dataset: \(dataset.count) examples (\(dataset.source)), gold quality \(quality)"
        return ([head] + listing(count: dataset.count) { i in
            let ex = dataset.examples[i]
            return "\"\(ex.prompt.text)\" -> \"\(dataset.world.text(ex.completion))\""
        }).joined(separator: "\n")
    }

    public var summary: String { "dataset(\(dataset.count) examples, \(dataset.source))" }
    public var byteSize: Int { 64 + dataset.examples.reduce(0) { $0 + 64 + ($1.prompt.tokens.count + $1.completion.count) * 8 } }
    public var length: Int? { dataset.count }
    public var propertyNames: [String] { ["count", "quality", "source", "prompts", "world"] }

    /// `d.count`, `d.quality` (mean gold quality of the completions), `d.source` (who wrote them), `d.prompts`
    /// (the examples' prompts as a prompt set, in order) and `d.world`.
    ///
    ///     try d.property("source")   // .string("demos by gpt-3.5")
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(dataset.count))
        case "quality": return .number(dataset.quality)
        case "source": return .string(dataset.source)
        case "prompts": return .object(PromptSetObject(PromptSet(dataset.examples.map(\.prompt)), world: dataset.world))
        case "world": return .object(WorldObject(dataset.world))
        default: return nil
        }
    }

    /// Row `i` as a record of token text.
    func row(_ i: Int) -> Value {
        let ex = dataset.examples[i]
        return .record(Record([("prompt", .string(ex.prompt.text)), ("completion", .string(dataset.world.text(ex.completion)))]))
    }

    /// `for row in d` visits each example as a record {prompt, completion} of token text.
    ///
    ///     for row in d { print(row.completion) }
    public func elements() throws -> [Value]? { dataset.examples.indices.map(row) }

    /// `d[i]` is one example as a record of token text (negative counts from the end); `d[a:b]` a dataset of
    /// those examples with the same source (bounds clamped as in Python); `d[i, j]` is an error.
    ///
    ///     d[0]   // {prompt: "t1 c a", completion: "a b <f1> <f1> <f1> <eos>"}
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "dataset") {
        case .single(let value):
            return row(try resolveIndex(value, count: dataset.count, what: "dataset"))
        case .slice(let start, let end):
            let range = try resolveSlice(start: start, end: end, count: dataset.count, what: "dataset")
            return .object(SFTDatasetObject(SFTDataset(world: dataset.world, examples: Array(dataset.examples[range]),
                                                       source: dataset.source)))
        }
    }

    /// `a ++ b`: b's examples after a's, with source "A + B"; an error when the two come from different worlds,
    /// nil (unsupported) for any other operator or operand.
    ///
    ///     len(d ++ d)   // 20 for 10 examples
    public func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        guard op == .concat, let other = other.object(as: SFTDatasetObject.self) else { return nil }
        try requireSameWorld(dataset.world, other.dataset.world, "datasets")
        return .object(SFTDatasetObject(selfIsLeft ? dataset + other.dataset : other.dataset + dataset))
    }

    /// `==`: the same examples in the same order over equal worlds, like prompt sets; who made them
    /// (`source`) is a label and does not count.
    ///
    ///     d == d[0:len(d)]   // true: the same examples of one world
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? SFTDatasetObject else { return false }
        return other.dataset.examples == dataset.examples && worldsAreEqual(other.dataset.world, dataset.world)
    }
}

/// Unlabelled reply pairs (`type(p) == "pairs"`), ready for a critic's `label`: `len`, `p[i]`
/// (a record {prompt, first, second}), `p[a:b]`, `a ++ b`; properties count, source.
///
///     let pairs = PairSetObject(gpt35.pairs(ps, against: davinci))
public final class PairSetObject: DomainObject {
    public let pairs: PairSet

    /// Wraps a pair set.
    ///
    ///     PairSetObject(try modelPairs(...))
    public init(_ pairs: PairSet) { self.pairs = pairs }

    public var typeName: String { "pairs" }

    /// A header with the count, the source and a reminder to label them, then the first 3 pairs as
    /// `"prompt": "first" | "second"` and a "... (n more)" line.
    ///
    ///     print(pairs)   // pairs: 10 unlabelled (gpt-3.5 vs davinci); label them with critic.label(pairs) ...
    public func describe() -> String {
        let head = "pairs: \(pairs.count) unlabelled (\(pairs.source)); label them with critic.label(pairs)"
        return ([head] + listing(count: pairs.count) { i in
            let p = pairs.pairs[i]
            return "\"\(p.prompt.text)\": \"\(pairs.world.text(p.first))\" | \"\(pairs.world.text(p.second))\""
        }).joined(separator: "\n")
    }

    public var summary: String { "pairs(\(pairs.count), \(pairs.source))" }
    public var byteSize: Int { 64 + pairs.pairs.reduce(0) { $0 + 96 + ($1.prompt.tokens.count + $1.first.count + $1.second.count) * 8 } }
    public var length: Int? { pairs.count }
    public var propertyNames: [String] { ["count", "source", "world"] }

    /// `p.count`, `p.source` (who wrote the two replies) and `p.world`.
    ///
    ///     try pairs.property("source")   // .string("gpt-3.5 vs davinci")
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(pairs.count))
        case "source": return .string(pairs.source)
        case "world": return .object(WorldObject(pairs.world))
        default: return nil
        }
    }

    func row(_ i: Int) -> Value {
        let p = pairs.pairs[i]
        return .record(Record([("prompt", .string(p.prompt.text)), ("first", .string(pairs.world.text(p.first))),
                               ("second", .string(pairs.world.text(p.second)))]))
    }

    /// `for pair in p` visits each pair as a record {prompt, first, second} of token text.
    ///
    ///     for pair in pairs { print(pair.first, "|", pair.second) }
    public func elements() throws -> [Value]? { pairs.pairs.indices.map(row) }

    /// `p[i]` is one pair as a record {prompt, first, second} (negative counts from the end); `p[a:b]` a pair
    /// set of those pairs with the same source (bounds clamped as in Python); `p[i, j]` is an error.
    ///
    ///     pairs[0]   // {prompt: "t1 c a", first: "a b <f1> <f1> <f1> <eos>", second: "a f <f1> <eos>"}
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "pair set") {
        case .single(let value):
            return row(try resolveIndex(value, count: pairs.count, what: "pair set"))
        case .slice(let start, let end):
            let range = try resolveSlice(start: start, end: end, count: pairs.count, what: "pair set")
            return .object(PairSetObject(PairSet(world: pairs.world, pairs: Array(pairs.pairs[range]), source: pairs.source)))
        }
    }

    /// `a ++ b`: b's pairs after a's, with source "A + B"; an error when the two come from different worlds,
    /// nil (unsupported) for any other operator or operand.
    ///
    ///     len(pairs ++ pairs)   // 20 for 10 pairs
    public func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        guard op == .concat, let other = other.object(as: PairSetObject.self) else { return nil }
        try requireSameWorld(pairs.world, other.pairs.world, "pair sets")
        let (a, b) = selfIsLeft ? (pairs, other.pairs) : (other.pairs, pairs)
        return .object(PairSetObject(PairSet(world: a.world, pairs: a.pairs + b.pairs, source: "\(a.source) + \(b.source)")))
    }

    /// `==`: the same pairs in the same order over equal worlds, like prompt sets; who made them
    /// (`source`) is a label and does not count.
    ///
    ///     pairs == pairs[0:len(pairs)]   // true: the same pairs of one world
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? PairSetObject else { return false }
        return other.pairs.pairs == pairs.pairs && worldsAreEqual(other.pairs.world, pairs.world)
    }
}

/// A preference dataset (`type(p) == "preferences"`): `len`, `p[i]` (a record {prompt,
/// chosen, rejected}), `p[a:b]`, `a ++ b`; properties count, gold_accuracy (share of labels
/// the gold judge agrees with), source.
///
///     let prefs = PreferenceDatasetObject(gpt4.label(pairs))
public final class PreferenceDatasetObject: DomainObject {
    public let dataset: PreferenceDataset

    /// Wraps a preference dataset.
    ///
    ///     PreferenceDatasetObject(gpt4.label(pairs))
    public init(_ dataset: PreferenceDataset) { self.dataset = dataset }

    public var typeName: String { "preferences" }

    /// A header with the count, the source and the gold agreement (share of labels the gold judge agrees with,
    /// 3 decimals), then the first 3 labels as `"prompt": chosen "..." over "..."` and a "... (n more)" line.
    ///
    ///     print(prefs)   // preferences: 10 labelled (gpt-4 on gpt-3.5 vs davinci), gold agreement 0.9...
    public func describe() -> String {
        let head = "preferences: \(dataset.count) labelled (\(dataset.source)), gold agreement "
            + (dataset.count == 0 ? "n/a" : formatLaifNumber((dataset.goldAccuracy * 1000).rounded() / 1000))
        return ([head] + listing(count: dataset.count) { i in
            let ex = dataset.examples[i]
            return "\"\(ex.prompt.text)\": chosen \"\(dataset.world.text(ex.chosen))\" over \"\(dataset.world.text(ex.rejected))\""
        }).joined(separator: "\n")
    }

    public var summary: String { "preferences(\(dataset.count), \(dataset.source))" }
    public var byteSize: Int {
        64 + dataset.examples.reduce(0) { $0 + 96 + ($1.prompt.tokens.count + $1.chosen.count + $1.rejected.count) * 8 }
    }
    public var length: Int? { dataset.count }
    public var propertyNames: [String] { ["count", "gold_accuracy", "source", "world"] }

    /// `p.count`, `p.gold_accuracy` (share of labels the gold judge agrees with), `p.source` (the critic and
    /// the pairs it labelled) and `p.world`.
    ///
    ///     try prefs.property("source")   // .string("gpt-4 on gpt-3.5 vs davinci")
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(dataset.count))
        case "gold_accuracy": return .number(dataset.goldAccuracy)
        case "source": return .string(dataset.source)
        case "world": return .object(WorldObject(dataset.world))
        default: return nil
        }
    }

    func row(_ i: Int) -> Value {
        let ex = dataset.examples[i]
        return .record(Record([("prompt", .string(ex.prompt.text)), ("chosen", .string(dataset.world.text(ex.chosen))),
                               ("rejected", .string(dataset.world.text(ex.rejected)))]))
    }

    /// `for row in p` visits each label as a record {prompt, chosen, rejected} of token text.
    ///
    ///     for row in prefs { print(row.chosen, ">", row.rejected) }
    public func elements() throws -> [Value]? { dataset.examples.indices.map(row) }

    /// `p[i]` is one label as a record {prompt, chosen, rejected} (negative counts from the end); `p[a:b]` a
    /// preference set of those labels with the same source (bounds clamped as in Python); `p[i, j]` is an error.
    ///
    ///     prefs[0]   // {prompt: "t1 c a", chosen: "a b <f1> <f1> <f1> <eos>", rejected: "a f <f1> <eos>"}
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "preference set") {
        case .single(let value):
            return row(try resolveIndex(value, count: dataset.count, what: "preference set"))
        case .slice(let start, let end):
            let range = try resolveSlice(start: start, end: end, count: dataset.count, what: "preference set")
            return .object(PreferenceDatasetObject(PreferenceDataset(world: dataset.world, examples: Array(dataset.examples[range]),
                                                                     source: dataset.source)))
        }
    }

    /// `a ++ b`: b's labels after a's, with source "A + B"; an error when the two come from different worlds,
    /// nil (unsupported) for any other operator or operand.
    ///
    ///     len(prefs ++ prefs)   // 20 for 10 labels
    public func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        guard op == .concat, let other = other.object(as: PreferenceDatasetObject.self) else { return nil }
        try requireSameWorld(dataset.world, other.dataset.world, "preference sets")
        return .object(PreferenceDatasetObject(selfIsLeft ? dataset + other.dataset : other.dataset + dataset))
    }

    /// `==`: the same examples in the same order over equal worlds, like prompt sets; who made them
    /// (`source`) is a label and does not count.
    ///
    ///     prefs == prefs[0:len(prefs)]   // true: the same labels of one world
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? PreferenceDatasetObject else { return false }
        return other.dataset.examples == dataset.examples && worldsAreEqual(other.dataset.world, dataset.world)
    }
}
