import LaifModels
import LaifSim
import LaifTensor

/// Something that replies to prompts: a plain model, or a model with a decoding rule such as
/// best-of-n. Anything that evaluates replies (gold quality, judged win rate) takes it.
///
///     let policies: [ReplyPolicy] = [ModelPolicy(sft, world: w), try BestOfNPolicy(model: sft, scorer: gpt4, n: 8)]
public protocol ReplyPolicy: AnyObject {
    /// The world it replies in.
    var world: World { get }
    /// One reply per prompt, sampled with `options` (same options, same replies).
    func replies(to prompts: PromptSet, options: ReplyOptions) throws -> [[Int32]]
}

/// A language model replying by plain sampling.
///
///     let p = ModelPolicy(model, world: w)
public final class ModelPolicy: ReplyPolicy {
    /// The wrapped model.
    public let model: LanguageModel
    /// The world it replies in.
    public let world: World

    /// Wraps a model of `world`.
    ///
    ///     ModelPolicy(sft.model, world: w)
    public init(_ model: LanguageModel, world: World) {
        self.model = model
        self.world = world
    }

    /// The model's sampled replies (LaifSim's `sampleReplies`).
    ///
    ///     try policy.replies(to: test, options: ReplyOptions(temperature: 0.7))
    public func replies(to prompts: PromptSet, options: ReplyOptions) throws -> [[Int32]] {
        try sampleReplies(model: model, world: world, prompts: prompts, options: options)
    }
}

/// Best-of-n decoding: sample n replies per prompt and keep the one the scorer rates highest
/// (the first on ties). An inference-time alternative to RL with the same reward.
///
///     let bon = try BestOfNPolicy(model: s35.model, scorer: gpt4, n: 8)
///     try bon.replies(to: test, options: ReplyOptions(temperature: 1))
public final class BestOfNPolicy: ReplyPolicy, CustomStringConvertible {
    /// The model whose samples are ranked.
    public let model: LanguageModel
    /// What ranks them.
    public let scorer: ResponseScorer
    /// Samples per prompt.
    public let n: Int

    /// The scorer's world.
    public var world: World { scorer.world }

    /// Best-of-`n` for `model` under `scorer`; throws for n < 1 or a model of another vocabulary.
    ///
    ///     try BestOfNPolicy(model: m, scorer: rm, n: 4)
    public init(model: LanguageModel, scorer: ResponseScorer, n: Int) throws {
        try requireCount(n, atLeast: 1, atMost: 4096, trainer: "best_of_n", argument: "n")
        try requireVocabulary(model, worldVocabulary: scorer.world.vocabSize, trainer: "best_of_n", argument: "scorer")
        self.model = model
        self.scorer = scorer
        self.n = n
    }

    /// The highest-scored of n samples per prompt. Candidate i of every prompt comes from
    /// `options` with its seed mixed with i, so n = 1 samples exactly like the plain model.
    ///
    ///     try bon.replies(to: ps, options: ReplyOptions(temperature: 0.7, topP: 0.9))
    public func replies(to prompts: PromptSet, options: ReplyOptions) throws -> [[Int32]] {
        try candidates(prompts, options: options).map(\.best)
    }

    /// Every prompt's best reply with its score and the mean score of all candidates.
    func candidates(_ prompts: PromptSet, options: ReplyOptions) throws -> [(best: [Int32], bestScore: Double, meanScore: Double)] {
        var best = [(best: [Int32], bestScore: Double, meanScore: Double)](repeating: ([], -.infinity, 0), count: prompts.count)
        for i in 0..<n {
            var o = options
            if i > 0 { o.seed = options.seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }
            let replies = try sampleReplies(model: model, world: world, prompts: prompts, options: o)
            let scores = try scorer.scores(prompts: prompts.prompts, responses: replies)
            for (p, (reply, score)) in zip(replies, scores).enumerated() {
                best[p].meanScore += score / Double(n)
                if score > best[p].bestScore { best[p].best = reply; best[p].bestScore = score }
            }
        }
        return best
    }

    public var description: String { "best-of-\(n) under \(scorer.scorerName) (model of \(model.parameterCount) parameters)" }
}

/// Mean gold quality (with standard error) of a policy's replies.
///
///     try policyQuality(bon, prompts: test, options: ReplyOptions(temperature: 0.7, topP: 0.9))
public func policyQuality(_ policy: ReplyPolicy, prompts: PromptSet, options: ReplyOptions) throws -> Estimate {
    let replies = try policy.replies(to: prompts, options: options)
    return Estimate(samples: zip(prompts, replies).map { policy.world.gold($0, $1) })
}

/// LaifSim's evaluation protocol for any policies (best-of-n included): every policy replies
/// at `temperature` / `topP` with the evaluation's one sampling seed, exactly as
/// `evaluate(models:...)` samples models (so a `ModelPolicy` gets the same row there and here),
/// and is judged against the reference oracle's replies by `judge` and by the gold judge.
///
///     let table = try evaluatePolicies([("sft", ModelPolicy(s, world: w)), ("bo8", bon)], judge: gpt4, reference: davinci, prompts: test)
public func evaluatePolicies(_ policies: [(name: String, policy: ReplyPolicy)], judge: Oracle, reference: Oracle,
                             prompts: PromptSet, temperature: Double = 0.7, topP: Double = 0.9,
                             seed: UInt64 = 0) throws -> EvaluationTable {
    guard reference.world === judge.world else {
        throw TrainingError(trainer: "evaluate", argument: "reference", message: "belongs to another world than the judge")
    }
    guard !prompts.isEmpty else { throw TrainingError(trainer: "evaluate", argument: "prompts", message: "is empty") }
    for entry in policies where entry.policy.world !== judge.world {
        throw TrainingError(trainer: "evaluate", argument: entry.name, message: "replies in another world than the judge's")
    }
    let repliers = policies.map { entry in
        (name: entry.name, replies: { (prompts: PromptSet, options: ReplyOptions) in
            try entry.policy.replies(to: prompts, options: options)
        })
    }
    return try evaluate(repliers: repliers, judge: judge, reference: reference, prompts: prompts,
                        temperature: temperature, topP: topP, seed: seed)
}
