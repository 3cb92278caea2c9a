import LaifLang
import LaifSim

/// Whether two worlds are one for `==`: the same object, or built with the same settings (a world
/// is a pure function of them). Operations that combine data still ask for the very same world.
///
///     worldsAreEqual(try World(seed: 1), try World(seed: 1))   // true
func worldsAreEqual(_ a: World, _ b: World) -> Bool { a === b || a.config == b.config }

/// A rule world as a laif value (`type(w) == "world"`): prints its knobs and a few example
/// prompts with their gold replies; properties tasks, vocab, fillers, prompt_len, seed,
/// vocab_size, entries.
///
///     let w = WorldObject(try World(tasks: 2, vocab: 6))
///     w.describe()   // "world: 2 tasks × 6 content tokens, ..."
public final class WorldObject: DomainObject {
    public let world: World

    /// Wraps a world.
    ///
    ///     WorldObject(try World())
    public init(_ world: World) { self.world = world }

    public var typeName: String { "world" }

    /// The world's knobs, its token-id and entry counts, and three seed-0 example prompts with their gold replies.
    ///
    ///     print(w)   // world: 2 tasks × 6 content tokens, 2 fillers, prompts of 1–3, seed 1 ...
    public func describe() -> String {
        var lines = ["world: \(world.config)",
                     "  \(world.vocabSize) token ids, \(world.entryCount) entries (task, token)"]
        if let examples = try? world.prompts(3, seed: 0) {
            lines.append("  e.g. (prompt -> gold reply):")
            for prompt in examples {
                lines.append("    \"\(prompt.text)\" -> \"\(world.text(world.goldResponse(prompt)))\"")
            }
        }
        return lines.joined(separator: "\n")
    }

    public var summary: String {
        let c = world.config
        return "world(\(c.tasks) tasks × \(c.vocab) tokens, seed \(c.seed))"
    }

    public var byteSize: Int { 64 + world.entryCount * 16 }

    public var propertyNames: [String] { ["tasks", "vocab", "fillers", "prompt_len", "seed", "vocab_size", "entries"] }

    /// The knobs `tasks`, `vocab` (content tokens), `fillers`, `prompt_len` ([min, max]), `seed`, and the derived
    /// `vocab_size` (every token id a model needs) and `entries` (tasks × vocab).
    ///
    ///     try w.property("prompt_len")   // .list([.number(1), .number(3)])
    public func property(_ name: String) throws -> Value? {
        let c = world.config
        switch name {
        case "tasks": return .number(Double(c.tasks))
        case "vocab": return .number(Double(c.vocab))
        case "fillers": return .number(Double(c.fillers))
        case "prompt_len": return .list([.number(Double(c.promptLength.lowerBound)), .number(Double(c.promptLength.upperBound))])
        case "seed": return .number(Double(c.seed))
        case "vocab_size": return .number(Double(world.vocabSize))
        case "entries": return .number(Double(world.entryCount))
        default: return nil
        }
    }

    /// The same world or one of equal configuration: the hidden table and difficulties follow from the knobs
    /// and seed, so such worlds are interchangeable.
    ///
    ///     world(tasks: 2, seed: 1) == world(tasks: 2, seed: 1)   // true
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? WorldObject else { return false }
        return worldsAreEqual(other.world, world)
    }
}

/// One prompt of a world (`type(p) == "prompt"`), e.g. an item of a prompt set. Prints as its
/// text; properties text, tokens (model-facing ids with BOS and SEP), task, length, gold (the
/// gold reply's text).
///
///     let p = PromptObject(try w.prompt(text: "t0 a b"), world: w)
///     p.describe()   // "prompt \"t0 a b\""
public final class PromptObject: DomainObject {
    public let prompt: Prompt
    public let world: World

    /// Wraps a prompt of `world`.
    ///
    ///     PromptObject(ps[0], world: w)
    public init(_ prompt: Prompt, world: World) {
        self.prompt = prompt
        self.world = world
    }

    public var typeName: String { "prompt" }
    /// `prompt` and its quoted text (task and content tokens, without BOS/SEP); also its one-line summary.
    ///
    ///     print(ps[0])   // prompt "t1 c a"
    public func describe() -> String { "prompt \"\(prompt.text)\"" }
    public var summary: String { describe() }
    public var byteSize: Int { 48 + prompt.tokens.count * 12 }
    public var propertyNames: [String] { ["text", "tokens", "task", "length", "gold"] }

    /// `p.text`, `p.tokens` (model-facing ids with BOS and SEP), `p.task`, `p.length` (content tokens, the gold
    /// reply's length before EOS) and `p.gold` (the gold reply's text).
    ///
    ///     try p.property("gold")   // .string("a b <eos>") for "t1 c a" in world(tasks: 2, vocab: 6, seed: 1)
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "text": return .string(prompt.text)
        case "tokens": return tokenList(prompt.tokens)
        case "task": return .number(Double(prompt.task))
        case "length": return .number(Double(prompt.length))
        case "gold": return .string(world.text(world.goldResponse(prompt)))
        default: return nil
        }
    }

    /// The same prompt (task and content tokens) of the same world or one of equal configuration.
    ///
    ///     ps[-1] == ps[9]   // true for 10 prompts
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? PromptObject else { return false }
        return other.prompt == prompt && worldsAreEqual(other.world, world)
    }
}

/// An ordered set of prompts (`type(ps) == "prompts"`): `len`, `ps[i]` (a prompt), `ps[a:b]`
/// (a prompt set), `for p in ps`, `a ++ b`; prints its size and the first few prompts.
///
///     let ps = PromptSetObject(try w.prompts(10), world: w)
///     ps.length   // 10
public final class PromptSetObject: DomainObject {
    public let prompts: PromptSet
    public let world: World

    /// Wraps a prompt set of `world`.
    ///
    ///     PromptSetObject(try w.prompts(5), world: w)
    public init(_ prompts: PromptSet, world: World) {
        self.prompts = prompts
        self.world = world
    }

    public var typeName: String { "prompts" }

    /// "prompts: n of" the world's summary, then the first 5 prompts' texts and a "... (n more)" line.
    ///
    ///     print(ps)   // prompts: 10 of world(2 tasks × 6 tokens, seed 1) ...
    public func describe() -> String {
        var lines = ["prompts: \(prompts.count) of \(WorldObject(world).summary)"]
        for prompt in prompts.prefix(5) {
            lines.append("  \"\(prompt.text)\"")
        }
        if prompts.count > 5 { lines.append("  ... (\(prompts.count - 5) more)") }
        return lines.joined(separator: "\n")
    }

    public var summary: String {
        let shown = prompts.prefix(2).map { "\"\($0.text)\"" }.joined(separator: ", ")
        return "prompts(\(prompts.count)\(prompts.isEmpty ? "" : ": " + shown + (prompts.count > 2 ? ", ..." : "")))"
    }

    public var byteSize: Int { 32 + prompts.reduce(0) { $0 + 48 + $1.tokens.count * 12 } }
    public var length: Int? { prompts.count }
    public var propertyNames: [String] { ["count", "texts", "world"] }

    /// `ps.count`, `ps.texts` (each prompt's text, in order) and `ps.world`.
    ///
    ///     try ps.property("texts")   // .list([.string("t1 c a"), .string("t0 a c b"), ...])
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "count": return .number(Double(prompts.count))
        case "texts": return .list(prompts.map { .string($0.text) })
        case "world": return .object(WorldObject(world))
        default: return nil
        }
    }

    /// `for p in ps` visits each prompt as a prompt value, in order.
    ///
    ///     for q in ps { total = total + q.length }
    public func elements() throws -> [Value]? {
        prompts.map { .object(PromptObject($0, world: world)) }
    }

    /// `ps[i]` is one prompt (negative counts from the end); `ps[a:b]` a prompt set of that range (bounds
    /// clamped as in Python); `ps[i, j]` is an error.
    ///
    ///     len(ps[8:])   // 2 for 10 prompts
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "prompt set") {
        case .single(let value):
            return .object(PromptObject(prompts[try resolveIndex(value, count: prompts.count, what: "prompt set")], world: world))
        case .slice(let start, let end):
            let range = try resolveSlice(start: start, end: end, count: prompts.count, what: "prompt set")
            return .object(PromptSetObject(PromptSet(Array(prompts.prompts[range])), world: world))
        }
    }

    /// `a ++ b`: b's prompts after a's (see `concatenated(with:)`; an error across worlds); nil (unsupported)
    /// for any other operator or operand.
    ///
    ///     a ++ b == ps   // true for let (a, b) = ps.split(0.3)
    public func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        guard op == .concat, let other = other.object(as: PromptSetObject.self) else { return nil }
        return .object(try selfIsLeft ? concatenated(with: other) : other.concatenated(with: self))
    }

    /// This set followed by `other` (both of one world).
    ///
    ///     let all = try a.concatenated(with: b)
    public func concatenated(with other: PromptSetObject) throws -> PromptSetObject {
        guard other.world === world else {
            throw LaifError.runtime("cannot join prompt sets of two different worlds; draw both from one world")
        }
        return PromptSetObject(prompts + other.prompts, world: world)
    }

    /// The same prompts in the same order, of the same world or one of equal configuration.
    ///
    ///     w.prompts(5, seed: 2) == w.prompts(5, seed: 2)   // true
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? PromptSetObject else { return false }
        return other.prompts.prompts == prompts.prompts && worldsAreEqual(other.world, world)
    }
}
