import LaifModels
import LaifTensor

/// How a student model is asked to reply: temperature, nucleus, length budget, seed.
///
///     ReplyOptions(temperature: 0.7, topP: 0.9, seed: 1)
public struct ReplyOptions: Equatable, Sendable {
    public var temperature: Double
    public var topP: Double
    /// Most new tokens per reply; nil allows twice the longest prompt plus 4 (room for fillers
    /// and EOS), always bounded by the model's max length.
    public var maxNewTokens: Int?
    public var seed: UInt64

    /// Options; `temperature` 0 is greedy.
    ///
    ///     ReplyOptions(temperature: 1.0)
    public init(temperature: Double = 1.0, topP: Double = 1.0, maxNewTokens: Int? = nil, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        self.maxNewTokens = maxNewTokens
        self.seed = seed
    }
}

/// Samples one reply per prompt from a model (EOS kept when produced). The same model,
/// prompts and options give the same replies.
///
///     let replies = try sampleReplies(model: m, world: w, prompts: ps, options: ReplyOptions(temperature: 0.7))
public func sampleReplies(model: LanguageModel, world: World, prompts: PromptSet, options: ReplyOptions) throws -> [[Int32]] {
    guard model.vocabSize == world.vocabSize else {
        throw SimError("model reads \(model.vocabSize) token ids but the world has \(world.vocabSize); use a model built for this world")
    }
    if let problem = SamplingOptions.problem(temperature: options.temperature, topP: options.topP) {
        throw SimError(problem)
    }
    let budget = options.maxNewTokens ?? (2 * world.config.promptLength.upperBound + 4)
    guard budget >= 1 else { throw SimError("max_new_tokens must be >= 1, got \(budget)") }
    let sampling = SamplingOptions(temperature: Float(options.temperature), topP: Float(options.topP),
                                   greedy: options.temperature == 0, maxNewTokens: budget, eosToken: TokenLayout.eos)
    var h = StableHash(seed: options.seed)
    h.combine("replies")
    var rng = RandomGenerator(seed: h.value)
    return try sample(model: model, prompts: prompts.tokenRows, options: sampling, rng: &rng)
}

/// What a model's samples are paired against.
///
///     try modelPairs(model: m, name: "sft", world: w, prompts: ps, against: .oracle(gpt35))
///     try modelPairs(model: m, name: "sft", world: w, prompts: ps, against: .selfSample)
public enum PairOpponent {
    /// An oracle's reply (the study's default: the weak teacher's).
    case oracle(Oracle)
    /// A second sample of the same model.
    case selfSample
}

/// Unlabelled pairs: the model's sample (first) against the opponent's reply (second) on each
/// prompt; the study's default is the SFT model's sample at temperature 1.0 against the weak
/// teacher's reply. (The study decoded with top-p 0.9; CALIBRATION.md's tested regime used
/// plain temperature-1 sampling, the default here.)
///
///     let pairs = try modelPairs(model: sft, name: "sft35", world: w, prompts: p90, against: .oracle(gpt35))
public func modelPairs(model: LanguageModel, name: String, world: World, prompts: PromptSet, against opponent: PairOpponent,
                       options: ReplyOptions = ReplyOptions()) throws -> PairSet {
    let mine = try sampleReplies(model: model, world: world, prompts: prompts, options: options)
    let theirs: [[Int32]]
    let source: String
    switch opponent {
    case .oracle(let o):
        guard o.world === world else { throw SimError("pairs: the oracle \(o.config.name) belongs to another world") }
        theirs = prompts.map { o.respond($0) }
        source = "\(name) vs \(o.config.name)"
    case .selfSample:
        var second = options
        second.seed = StableHash.finalize(options.seed ^ 0x5E1F)
        theirs = try sampleReplies(model: model, world: world, prompts: prompts, options: second)
        source = "\(name) vs itself"
    }
    let pairs = zip(prompts, zip(mine, theirs)).map { ResponsePair(prompt: $0.0, first: $0.1.0, second: $0.1.1) }
    return PairSet(world: world, pairs: pairs, source: source)
}

/// Mean gold quality of a model's sampled replies, with standard error.
///
///     try modelQuality(model: m, world: w, prompts: test, options: ReplyOptions(temperature: 0.7))
public func modelQuality(model: LanguageModel, world: World, prompts: PromptSet, options: ReplyOptions) throws -> Estimate {
    let replies = try sampleReplies(model: model, world: world, prompts: prompts, options: options)
    return Estimate(samples: zip(prompts, replies).map { world.gold($0, $1) })
}
