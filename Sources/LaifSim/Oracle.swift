/// A simulated LLM over a world: teacher (`respond`, `demos`), critic (`score`, `label`) and
/// judge (see `Judging.swift`). Its knowledge is explicit, so every gain can be traced.
///
///     let w = try World()
///     let gpt4 = try Oracle(world: w, preset: "gpt-4")
///     gpt4.knows(Entry(task: 0, token: 3))
///     let reply = gpt4.respond(p)
public final class Oracle: Sendable, CustomStringConvertible {
    public let world: World
    public let config: OracleConfig
    /// Per entry (dense index, see `World.entryIndex`): whether this oracle knows it.
    public let knowledge: [Bool]
    /// Per entry: the token this oracle believes is right (gold where it knows, its family's
    /// habit where it does not). A critic scores replies against these.
    public let beliefs: [Int32]
    /// Per entry: the family's confident wrong answer (never the gold token).
    public let habits: [Int32]
    /// Seed of this oracle's own draws (replies, labels, judging order).
    let identity: UInt64
    /// The filler its family writes in its own voice (nil in a world without fillers). Fixed
    /// per family name, not per world, so with the world's three fillers "openai" and
    /// "anthropic" always sound different; davinci, gpt-3.5 and gpt-4 share one.
    public let signatureFiller: Int32?

    /// Builds an oracle from a configuration, drawing its family's jitter and habits from the
    /// world seed and family name.
    ///
    ///     let o = try Oracle(world: w, config: .preset("gpt-3.5"))
    public convenience init(world: World, config: OracleConfig) throws {
        self.init(world: world, validConfig: try config.validated())
    }

    /// Builds an oracle from a configuration already known to be valid.
    init(world: World, validConfig config: OracleConfig) {
        self.world = world
        self.config = config
        var know: [Bool] = []
        var belief: [Int32] = []
        var habit: [Int32] = []
        let v = world.config.vocab
        for e in world.entries {
            var rng = SimRandom(seed: Oracle.familySeed(world: world, family: config.family, entry: e))
            let z = rng.normal()
            let gold = world.table[e.task][e.token]
            // A wrong token uniformly among the other V-1.
            let wrong = (gold + 1 + rng.nextInt(below: v - 1)) % v
            let knows = world.difficulty(e) + config.jitter * z < config.strength
            know.append(knows)
            habit.append(world.layout.contentToken(wrong))
            belief.append(world.layout.contentToken(knows ? gold : wrong))
        }
        knowledge = know
        beliefs = belief
        habits = habit
        signatureFiller = Oracle.signatureFiller(family: config.family, world: world)
        var h = StableHash(seed: world.config.seed)
        h.combine("oracle")
        h.combine(config.name)
        h.combine(config.family)
        h.combine(config.seed)
        identity = h.value
    }

    /// An oracle from a preset name (see `OracleConfig.preset`).
    ///
    ///     let claude = try Oracle(world: w, preset: "claude")
    public convenience init(world: World, preset: String) throws {
        try self.init(world: world, config: OracleConfig.preset(preset))
    }

    /// The gold oracle: knows everything, no slips, no bias, no flips.
    ///
    ///     let g = Oracle.gold(w)
    public static func gold(_ world: World) -> Oracle {
        Oracle(world: world, validConfig: goldConfig)
    }

    /// The gold oracle's knobs: knows everything (strength ∞), no slips, habits, fillers,
    /// biases or flips; Bradley–Terry temperature 0.5 like the other judges.
    static let goldConfig = OracleConfig(name: "gold", family: "gold", strength: .infinity, jitter: 0,
                                         habitRate: 0, slipRate: 0, verbosity: 0, flipRate: 0)

    /// The family's signature filler in `world`: a stable hash of the family name (openai's is
    /// filler 0 and anthropic's filler 2 of the default world's three).
    static func signatureFiller(family: String, world: World) -> Int32? {
        guard world.config.fillers > 0 else { return nil }
        var h = StableHash(seed: 0)
        h.combine("voice")
        h.combine(family)
        return world.layout.fillerToken(Int(h.value % UInt64(world.config.fillers)))
    }

    static func familySeed(world: World, family: String, entry: Entry) -> UInt64 {
        var h = StableHash(seed: world.config.seed)
        h.combine("family")
        h.combine(family)
        h.combine(entry.task)
        h.combine(entry.token)
        return h.value
    }

    /// Whether this oracle knows an entry.
    ///
    ///     o.knows(Entry(task: 0, token: 0))
    public func knows(_ e: Entry) -> Bool { knowledge[world.entryIndex(e)] }

    /// The token this oracle believes answers an entry.
    ///
    ///     o.belief(Entry(task: 0, token: 0)) == w.goldToken(...)   // when it knows
    public func belief(_ e: Entry) -> Int32 { beliefs[world.entryIndex(e)] }

    /// Every entry this oracle knows.
    ///
    ///     o.knownEntries.count
    public var knownEntries: [Entry] { world.entries.filter(knows) }

    /// Share of the world's entries known.
    ///
    ///     try Oracle(world: w, preset: "gpt-4").coverage   // about 0.85
    public var coverage: Double {
        Double(knowledge.lazy.filter { $0 }.count) / Double(max(knowledge.count, 1))
    }

    /// One reply, a pure function of (oracle, prompt, sample index): per entry the gold token
    /// where it knows (a random wrong token with probability `slipRate`), else the family habit
    /// with probability `habitRate`, else a uniform random content token; then, with
    /// probability `verbosity`, 1...`maxFillers` fillers, each its family's signature filler
    /// with probability `voice`, else a uniform one; then EOS. With `voice` 0 no draw is spent
    /// on the voice, so such an oracle (every base family's latent writer) replies exactly as
    /// before voices existed, and cached pretrained bases stay valid.
    ///
    ///     o.respond(p)              // e.g. [12, 9, 3]
    ///     o.respond(p, sample: 1)   // another draw
    public func respond(_ prompt: Prompt, sample: Int = 0) -> [Int32] {
        var h = StableHash(seed: identity)
        h.combine("reply")
        h.combine(prompt.tokens)
        h.combine(sample)
        var rng = SimRandom(seed: h.value)
        let layout = world.layout
        let v = world.config.vocab
        var out: [Int32] = []
        for e in prompt.entries {
            let i = world.entryIndex(e)
            if knowledge[i] {
                if rng.bernoulli(config.slipRate) {
                    let gold = world.table[e.task][e.token]
                    out.append(layout.contentToken((gold + 1 + rng.nextInt(below: v - 1)) % v))
                } else {
                    out.append(beliefs[i])
                }
            } else if rng.bernoulli(config.habitRate) {
                out.append(habits[i])
            } else {
                out.append(layout.contentToken(rng.nextInt(below: v)))
            }
        }
        if world.config.fillers > 0, config.maxFillers > 0, rng.bernoulli(config.verbosity) {
            let k = 1 + rng.nextInt(below: config.maxFillers)
            for _ in 0..<k {
                if let signature = signatureFiller, config.voice > 0, rng.bernoulli(config.voice) {
                    out.append(signature)
                } else {
                    out.append(layout.fillerToken(rng.nextInt(below: world.config.fillers)))
                }
            }
        }
        out.append(TokenLayout.eos)
        return out
    }

    /// Demonstrations: this oracle's reply to every prompt, as an SFT dataset.
    ///
    ///     let d = gpt35.demos(p10)
    public func demos(_ prompts: PromptSet) -> SFTDataset {
        SFTDataset(world: world,
                   examples: prompts.map { SFTExample(prompt: $0, completion: respond($0)) },
                   source: "demos by \(config.name)")
    }

    /// Pairs of this oracle's reply against another oracle's reply on each prompt (unlabelled).
    ///
    ///     let pairs = gpt35.pairs(ps, against: davinci)
    public func pairs(_ prompts: PromptSet, against other: Oracle) -> PairSet {
        PairSet(world: world,
                pairs: prompts.map { ResponsePair(prompt: $0, first: respond($0), second: other.respond($0)) },
                source: "\(config.name) vs \(other.config.name)")
    }

    /// Mean gold quality of this oracle's replies to `prompts`.
    ///
    ///     gpt4.quality(ps)   // about 0.8
    public func quality(_ prompts: PromptSet) -> Double {
        guard !prompts.isEmpty else { return 0 }
        return prompts.reduce(0) { $0 + world.gold($1, respond($1)) } / Double(prompts.count)
    }

    public var description: String {
        "Oracle \(config) knows \(knowledge.lazy.filter { $0 }.count)/\(knowledge.count) entries"
    }
}
