/// One instruction of a world: a task and its content tokens, with the token row a model
/// reads (`[BOS, task, x1...xm, SEP]`). Made by a `World`, which checks it belongs.
///
///     let p = try w.prompt(text: "t2 a b c")
///     p.tokens      // [1, 6, 8, 9, 10, 2]
///     p.entries     // [(t2, a), (t2, b), (t2, c)]
public struct Prompt: Hashable, Sendable, CustomStringConvertible {
    /// The task index.
    public let task: Int
    /// The content indices `x1...xm`.
    public let inputs: [Int]
    /// The model-facing token row `[BOS, task, x1...xm, SEP]`.
    public let tokens: [Int32]
    /// The readable spelling without BOS/SEP, e.g. `"t2 a b c"`.
    public let text: String

    init(task: Int, inputs: [Int], layout: TokenLayout) {
        self.task = task
        self.inputs = inputs
        tokens = [TokenLayout.bos, layout.taskToken(task)] + inputs.map(layout.contentToken) + [TokenLayout.sep]
        text = layout.text(Array(tokens.dropFirst().dropLast()))
    }

    /// Number of content tokens (the gold reply's length before EOS).
    ///
    ///     p.length   // 3 for "t2 a b c"
    public var length: Int { inputs.count }

    /// The entries this prompt asks about, in order.
    ///
    ///     p.entries.first   // (t2, a)
    public var entries: [Entry] { inputs.map { Entry(task: task, token: $0) } }

    public var description: String { text }
}

/// An ordered list of prompts, the unit that `demos`, `pairs`, `evaluate` and the trainers take.
///
///     let (sft, prefs) = try w.prompts(3000, seed: 0).split(0.1)
///     let all = sft + prefs
public struct PromptSet: Sendable, CustomStringConvertible, RandomAccessCollection {
    public let prompts: [Prompt]

    /// A prompt set from prompts (all of one world).
    ///
    ///     PromptSet([p1, p2])
    public init(_ prompts: [Prompt]) {
        self.prompts = prompts
    }

    public var startIndex: Int { prompts.startIndex }
    public var endIndex: Int { prompts.endIndex }
    /// The prompt at `position` (0-based); with `startIndex` and `endIndex` it lets a prompt set
    /// index, loop and slice like an array.
    ///
    ///     ps[0].text   // "t2 a b c" ...
    public subscript(position: Int) -> Prompt { prompts[position] }

    /// Splits into the first `fraction` and the rest (the study took the first 10% for SFT);
    /// `shuffle: true` draws the first part at random with `seed`.
    ///
    ///     let (a, b) = try ps.split(0.1)                              // first 10%, rest
    ///     let (c, d) = try ps.split(0.5, shuffle: true, seed: 3)
    public func split(_ fraction: Double, shuffle: Bool = false, seed: UInt64 = 0) throws -> (PromptSet, PromptSet) {
        guard fraction.isFinite, fraction >= 0, fraction <= 1 else {
            throw SimError("split: fraction must be in [0, 1], got \(fraction)")
        }
        let cut = Int((fraction * Double(prompts.count)).rounded())
        var order = Array(prompts.indices)
        if shuffle {
            var rng = SimRandom(seed: StableHash.finalize(seed ^ 0x5EED_5B1F))
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            let head = order[..<cut].sorted()
            let tail = order[cut...].sorted()
            return (PromptSet(head.map { prompts[$0] }), PromptSet(tail.map { prompts[$0] }))
        }
        return (PromptSet(Array(prompts[..<cut])), PromptSet(Array(prompts[cut...])))
    }

    /// The first `n` prompts (all if fewer) as a prompt set.
    ///
    ///     ps.first(10)
    public func first(_ n: Int) -> PromptSet { PromptSet(Array(prompts.prefix(Swift.max(0, n)))) }

    /// Concatenation, keeping order.
    ///
    ///     let all = a + b
    public static func + (lhs: PromptSet, rhs: PromptSet) -> PromptSet {
        PromptSet(lhs.prompts + rhs.prompts)
    }

    /// Model-facing token rows of every prompt.
    ///
    ///     ps.tokenRows.count == ps.count
    public var tokenRows: [[Int32]] { prompts.map(\.tokens) }

    public var description: String {
        let shown = prompts.prefix(3).map { "\"\($0.text)\"" }.joined(separator: ", ")
        return "PromptSet(\(prompts.count) prompts\(prompts.isEmpty ? "" : ": \(shown)\(prompts.count > 3 ? ", ..." : "")"))"
    }
}

extension World {
    /// Upper bound on how many prompts one call may draw (a guard against typos like 1e9).
    public static let maxPrompts = 1_000_000

    /// Draws `n` prompts: task uniform, length uniform in `promptLength`, content tokens
    /// uniform (repeats allowed). The same world, `n` and `seed` give the same prompts.
    ///
    ///     let ps = try w.prompts(3000, seed: 0)
    public func prompts(_ n: Int, seed: UInt64 = 0) throws -> PromptSet {
        try requireRange(n, 0...World.maxPrompts, "prompts: n")
        var h = StableHash(seed: config.seed)
        h.combine("prompts")
        h.combine(seed)
        var rng = SimRandom(seed: h.value)
        let lengths = config.promptLength
        var out: [Prompt] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let task = rng.nextInt(below: config.tasks)
            let m = lengths.lowerBound + rng.nextInt(below: lengths.count)
            let inputs = (0..<m).map { _ in rng.nextInt(below: config.vocab) }
            out.append(Prompt(task: task, inputs: inputs, layout: layout))
        }
        return PromptSet(out)
    }

    /// A prompt from explicit parts; errors name the bad part.
    ///
    ///     try w.prompt(task: 2, inputs: [0, 1, 2])
    public func prompt(task: Int, inputs: [Int]) throws -> Prompt {
        guard task >= 0, task < config.tasks else {
            throw SimError("prompt: task must be 0...\(config.tasks - 1), got \(task)")
        }
        guard !inputs.isEmpty, inputs.count <= 24 else {
            throw SimError("prompt: needs 1...24 content tokens, got \(inputs.count)")
        }
        for x in inputs where x < 0 || x >= config.vocab {
            throw SimError("prompt: content token must be 0...\(config.vocab - 1), got \(x)")
        }
        return Prompt(task: task, inputs: inputs, layout: layout)
    }

    /// Parses a prompt from its text (`"t2 a b c"`, optionally wrapped in `<bos>`...`<sep>`).
    ///
    ///     try w.prompt(text: "t0 a b")
    public func prompt(text: String) throws -> Prompt {
        try prompt(tokens: layout.tokens(from: text))
    }

    /// Parses a prompt from token ids (`[task, x...]` or `[BOS, task, x..., SEP]`).
    ///
    ///     try w.prompt(tokens: p.tokens) == p
    public func prompt(tokens: [Int32]) throws -> Prompt {
        var body = tokens[...]
        if body.first == TokenLayout.bos { body = body.dropFirst() }
        if body.last == TokenLayout.sep { body = body.dropLast() }
        guard let first = body.first, let task = layout.taskIndex(first) else {
            throw SimError("prompt \"\(layout.text(tokens))\" must start with a task token (t0...t\(config.tasks - 1))")
        }
        var inputs: [Int] = []
        for t in body.dropFirst() {
            guard let c = layout.contentIndex(t) else {
                throw SimError("prompt \"\(layout.text(tokens))\": \"\(layout.word(t))\" is not a content token")
            }
            inputs.append(c)
        }
        return try prompt(task: task, inputs: inputs)
    }
}
