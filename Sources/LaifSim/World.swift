/// The knobs of a rule world. Defaults are CALIBRATION.md's tested regime: 4 tasks over 16
/// content tokens, 3 fillers, prompts of 2–5 content tokens.
///
///     let config = WorldConfig(tasks: 4, vocab: 16, promptLength: 2...5, fillers: 3, seed: 0)
public struct WorldConfig: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of tasks (each its own hidden table), 1...64.
    public var tasks: Int
    /// Number of content tokens, 2...676.
    public var vocab: Int
    /// How many content tokens a prompt holds (inclusive range within 1...24).
    public var promptLength: ClosedRange<Int>
    /// Number of filler ("verbosity") tokens, 0...16.
    public var fillers: Int
    /// Seed of the hidden tables and difficulties.
    public var seed: UInt64

    /// A world configuration; call `validated()` or build a `World` to check it.
    ///
    ///     WorldConfig(tasks: 2, vocab: 8)
    public init(tasks: Int = 4, vocab: Int = 16, promptLength: ClosedRange<Int> = 2...5,
                fillers: Int = 3, seed: UInt64 = 0) {
        self.tasks = tasks
        self.vocab = vocab
        self.promptLength = promptLength
        self.fillers = fillers
        self.seed = seed
    }

    /// A prompt-length range from its two ends, or an error if they are out of order (building
    /// `lo...hi` directly would trap).
    ///
    ///     try WorldConfig.promptRange(2, 5)   // 2...5
    public static func promptRange(_ shortest: Int, _ longest: Int) throws -> ClosedRange<Int> {
        guard shortest <= longest else {
            throw SimError("world: prompt_len range \(shortest)...\(longest) is empty; give the shortest length first")
        }
        return shortest...longest
    }

    /// The configuration itself, or an error naming the bad knob and its allowed range.
    ///
    ///     try WorldConfig(tasks: 0).validated()   // throws "world: tasks must be 1...64, got 0"
    public func validated() throws -> WorldConfig {
        try requireRange(tasks, 1...64, "world: tasks")
        try requireRange(vocab, 2...676, "world: vocab")
        try requireRange(fillers, 0...16, "world: fillers")
        try requireRange(promptLength.lowerBound, 1...24, "world: shortest prompt_len")
        try requireRange(promptLength.upperBound, 1...24, "world: longest prompt_len")
        return self
    }

    public var description: String {
        "\(tasks) tasks × \(vocab) content tokens, \(fillers) fillers, prompts of "
            + "\(promptLength.lowerBound)–\(promptLength.upperBound), seed \(seed)"
    }
}

/// One cell of a world's hidden table: a task and a content token (both 0-based indices).
///
///     let e = Entry(task: 1, token: 5)
public struct Entry: Hashable, Sendable, CustomStringConvertible {
    public let task: Int
    public let token: Int

    /// An entry by task and content index.
    ///
    ///     Entry(task: 0, token: 3)
    public init(task: Int, token: Int) {
        self.task = task
        self.token = token
    }

    public var description: String { "(t\(task), \(TokenLayout.letters(token)))" }
}

/// The rule world: `T` tasks over `V` content tokens. A hidden table maps each entry
/// (task, token) to its gold output token; every entry has a difficulty in [0, 1] that decides
/// which oracles know it. A prompt is `[BOS, task, x1...xm, SEP]`; the gold reply is
/// `[R[t][x1] ... R[t][xm], EOS]`.
///
///     let w = try World(WorldConfig(tasks: 4, vocab: 16, seed: 1))
///     let ps = try w.prompts(100, seed: 0)
///     w.gold(ps[0], w.goldResponse(ps[0]))   // 1.0
public final class World: Sendable, CustomStringConvertible {
    /// Gold quality lost per filler token in a reply.
    public static let fillerCost = 0.02

    public let config: WorldConfig
    public let layout: TokenLayout
    /// `table[task][token]`: the gold output (content index) of each entry.
    public let table: [[Int]]
    /// `difficulties[task][token]`: uniform in [0, 1].
    public let difficulties: [[Double]]

    /// Builds the world's hidden table (a random permutation of the content tokens per task)
    /// and its difficulties from the seed.
    ///
    ///     let w = try World(WorldConfig())
    public init(_ config: WorldConfig) throws {
        self.config = try config.validated()
        layout = TokenLayout(tasks: config.tasks, content: config.vocab, fillers: config.fillers)
        var tables: [[Int]] = []
        var diffs: [[Double]] = []
        for t in 0..<config.tasks {
            var h = StableHash(seed: config.seed)
            h.combine("world-table")
            h.combine(t)
            var rng = SimRandom(seed: h.value)
            var perm = Array(0..<config.vocab)
            // Fisher–Yates with our own stream (Swift's shuffle algorithm is not promised stable).
            for i in stride(from: perm.count - 1, to: 0, by: -1) {
                perm.swapAt(i, rng.nextInt(below: i + 1))
            }
            tables.append(perm)
            diffs.append((0..<config.vocab).map { _ in rng.nextDouble() })
        }
        table = tables
        difficulties = diffs
    }

    /// Convenience: a world from its knobs.
    ///
    ///     let w = try World(tasks: 4, vocab: 16, seed: 3)
    public convenience init(tasks: Int = 4, vocab: Int = 16, promptLength: ClosedRange<Int> = 2...5,
                            fillers: Int = 3, seed: UInt64 = 0) throws {
        try self.init(WorldConfig(tasks: tasks, vocab: vocab, promptLength: promptLength,
                                  fillers: fillers, seed: seed))
    }

    /// Number of token ids a model over this world needs.
    ///
    ///     w.vocabSize   // 27 by default
    public var vocabSize: Int { layout.vocabSize }

    /// Number of entries (`tasks × vocab`).
    ///
    ///     w.entryCount   // 64 by default
    public var entryCount: Int { config.tasks * config.vocab }

    /// Every entry, task-major (`entries[entryIndex(e)] == e`).
    ///
    ///     w.entries.count == w.entryCount
    public var entries: [Entry] {
        (0..<config.tasks).flatMap { t in (0..<config.vocab).map { Entry(task: t, token: $0) } }
    }

    /// The dense index of an entry (`task * vocab + token`).
    ///
    ///     w.entryIndex(Entry(task: 1, token: 0))   // 16 with vocab 16
    public func entryIndex(_ e: Entry) -> Int { e.task * config.vocab + e.token }

    /// The difficulty of an entry.
    ///
    ///     w.difficulty(Entry(task: 0, token: 0))   // in [0, 1]
    public func difficulty(_ e: Entry) -> Double { difficulties[e.task][e.token] }

    /// The gold output token id of an entry.
    ///
    ///     w.goldToken(Entry(task: 0, token: 0))
    public func goldToken(_ e: Entry) -> Int32 { layout.contentToken(table[e.task][e.token]) }

    /// The gold reply to a prompt: the mapped tokens, then EOS.
    ///
    ///     w.text(w.goldResponse(p))   // "d e f <eos>"
    public func goldResponse(_ prompt: Prompt) -> [Int32] {
        prompt.entries.map(goldToken) + [TokenLayout.eos]
    }

    /// Spells tokens as text (see `TokenLayout`).
    ///
    ///     w.text(p.tokens)   // "<bos> t2 a b c <sep>"
    public func text(_ tokens: [Int32]) -> String { layout.text(tokens) }

    public var description: String {
        "World(\(config), vocab size \(vocabSize), \(entryCount) entries)"
    }
}
