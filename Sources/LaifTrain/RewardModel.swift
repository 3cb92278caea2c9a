import LaifModels
import LaifSim
import LaifTensor

/// Settings of `rewardModel`. Defaults: 3 epochs, lr 5e-4, batch 32, AdamW with warmup and
/// cosine decay, 10 % of the pairs held out for accuracy.
///
///     RewardModelConfig(epochs: 2, heldOutFraction: 0.2)
public struct RewardModelConfig: Sendable {
    /// Passes over the training pairs.
    public var epochs: Int
    /// Stop after this many steps even if the plan has more.
    public var maxSteps: Int?
    /// Peak learning rate.
    public var learningRate: Double
    /// Pairs per step.
    public var batchSize: Int
    /// Share of the pairs kept out of training to measure accuracy (chosen at random by `seed`).
    public var heldOutFraction: Double
    /// Update rule, schedule and clipping.
    public var optimizer: OptimizerSettings
    /// Seed of the held-out split, the head's initialisation and the batch order.
    public var seed: UInt64

    /// Settings; see the type's documentation for the defaults.
    ///
    ///     RewardModelConfig(learningRate: 1e-3)
    public init(epochs: Int = 3, maxSteps: Int? = nil, learningRate: Double = 5e-4, batchSize: Int = 32,
                heldOutFraction: Double = 0.1, optimizer: OptimizerSettings = OptimizerSettings(), seed: UInt64 = 0) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.heldOutFraction = heldOutFraction
        self.optimizer = optimizer
        self.seed = seed
    }
}

/// A Bradley–Terry reward model on the student architecture: a copy of the starting model
/// whose next-token logits at a reply's last token (it has read the prompt and the whole
/// reply there) feed a linear head giving one scalar. (A head summing per-position scores
/// over the reply was tried: no more accurate, and RL against it grew fillers faster.)
/// Trained so that P(chosen ≻ rejected) = σ(r(chosen) − r(rejected)). Usable as an RL reward
/// or a best-of-n scorer.
///
///     let rm = try rewardModel(s35, prefs: gpt4.label(pairs))
///     rm.heldOutAccuracy           // e.g. 0.8
///     try rm.scores(prompts: [p], responses: [reply])
public final class RewardModel: ResponseScorer, CustomStringConvertible {
    /// The world of the preferences it learned from.
    public let world: World
    /// The fine-tuned copy of the starting model.
    public let backbone: LanguageModel
    /// `[1, vocab]` weight and `[1]` bias reading the last token's logits.
    let headWeight: Tensor
    let headBias: Tensor
    /// Per-step training metrics (`loss`, `accuracy`, `rewards/margins`, ..., `eval/accuracy`).
    public internal(set) var log: TrainingLog
    /// Accuracy on the held-out pairs after training (nil when none were held out).
    public internal(set) var heldOutAccuracy: Double?
    /// Number of held-out pairs.
    public internal(set) var heldOutCount: Int = 0
    /// True when `shouldStop` ended training early.
    public internal(set) var interrupted = false

    /// `"reward model"`.
    public var scorerName: String { "reward model" }

    init(world: World, backbone: LanguageModel, seed: UInt64) throws {
        self.world = world
        self.backbone = backbone
        var rng = RandomGenerator(seed: seed ^ 0x4E_AD00)
        headWeight = try Tensor.randn([1, backbone.vocabSize], rng: &rng, std: 0.02)
        headWeight.requiresGrad = true
        headBias = try Tensor.zeros([1])
        headBias.requiresGrad = true
        log = TrainingLog(trainer: "reward_model")
    }

    /// Every trainable tensor (backbone and head).
    var trainableParameters: [Tensor] { backbone.parameters.map(\.tensor) + [headWeight, headBias] }

    /// Rewards `[batch]` of prompt + reply rows, differentiable.
    func rewards(prompts: [[Int32]], responses: [[Int32]], trainer: String) throws -> Tensor {
        let batch = try SequenceBatch(prompts: prompts, responses: responses, maxLength: backbone.maxLength,
                                      trainer: trainer, what: "responses", extraPosition: true)
        let logits = try batch.logits(backbone)
        let flat = try logits.reshape([batch.batch * batch.length, backbone.vocabSize])
        let last = (0..<batch.batch).map { Int32($0 * batch.length + batch.promptLengths[$0] + batch.responseLengths[$0] - 1) }
        let features = try Tensor.embedding(flat, ids: last)
        return try Tensor.linear(features, weight: headWeight, bias: headBias).reshape([batch.batch])
    }

    /// The reward of each reply (no gradients recorded).
    ///
    ///     try rm.scores(prompts: ps.prompts, responses: replies)
    public func scores(prompts: [Prompt], responses: [[Int32]]) throws -> [Double] {
        guard prompts.count == responses.count else {
            throw TrainingError(trainer: "reward_model", argument: "responses", message: "has \(responses.count) replies for \(prompts.count) prompts; give one each")
        }
        var out: [Double] = []
        try Tensor.withoutGrad {
            var start = 0
            while start < prompts.count {
                let end = min(start + 128, prompts.count)
                let r = try rewards(prompts: prompts[start..<end].map(\.tokens), responses: Array(responses[start..<end]), trainer: "reward_model")
                out += r.toArray().map(Double.init)
                start = end
            }
        }
        // NaN is no score: every comparison with it is false (an accuracy read 0) and a reward
        // of NaN poisons whatever trains on it. Weights diverge this way when a last update,
        // checked by no later loss, overflows the rewards.
        guard !out.contains(where: \.isNaN) else {
            throw TrainingError(trainer: "reward_model", argument: "", message:
                "the reward model scores NaN: its weights have diverged; train it again with a lower lr (e.g. 0.0005)")
        }
        return out
    }

    /// Share of pairs whose chosen reply gets the higher reward (ties count half). NaN rewards
    /// are an error (`scores` refuses them): every comparison with NaN is false, which used to
    /// read as accuracy 0.
    ///
    ///     try rm.accuracy(on: testPrefs)
    public func accuracy(on prefs: PreferenceDataset) throws -> Double {
        try accuracy(on: prefs.examples)
    }

    func accuracy(on examples: [PreferenceExample]) throws -> Double {
        guard !examples.isEmpty else { return 0 }
        let prompts = examples.map(\.prompt)
        let chosen = try scores(prompts: prompts, responses: examples.map(\.chosen))
        let rejected = try scores(prompts: prompts, responses: examples.map(\.rejected))
        let right = zip(chosen, rejected).reduce(0.0) { $0 + ($1.0 > $1.1 ? 1 : ($1.0 == $1.1 ? 0.5 : 0)) }
        return right / Double(examples.count)
    }

    public var description: String {
        let accuracy = heldOutAccuracy.map { "held-out accuracy \(formatMetric($0)) on \(heldOutCount) pairs" } ?? "no held-out pairs"
        return "RewardModel(\(backbone.parameterCount + backbone.vocabSize + 1) parameters, \(log.count) steps, \(accuracy)\(interrupted ? ", interrupted" : ""))"
    }
}

/// Trains a Bradley–Terry reward model from preferences, starting from a copy of `model`
/// (the input model is unchanged). Holds out `heldOutFraction` of the pairs and reports the
/// accuracy on them. Logs `loss`, `accuracy`, `rewards/chosen`, `rewards/rejected`,
/// `rewards/margins`, `grad_norm`, `learning_rate`, `epoch`, and `eval/accuracy` at the end.
///
///     let rm = try rewardModel(s35, prefs: prefs)
///     rm.heldOutAccuracy
public func rewardModel(_ model: LanguageModel, prefs: PreferenceDataset, config: RewardModelConfig = RewardModelConfig(),
                        control: TrainingControl = TrainingControl()) throws -> RewardModel {
    let trainer = "reward_model"
    try validatePreferences(prefs, model: model, trainer: trainer)
    try requireCount(config.epochs, atLeast: 1, atMost: 100_000, trainer: trainer, argument: "epochs")
    if let m = config.maxSteps { try requireCount(m, atLeast: 0, trainer: trainer, argument: "max_steps") }
    try requireCount(config.batchSize, atLeast: 1, atMost: 65_536, trainer: trainer, argument: "batch")
    try requireFinite(config.heldOutFraction, 0...0.9, trainer: trainer, argument: "held_out")
    try validateLearningRate(config.learningRate, trainer: trainer)
    try config.optimizer.validate(trainer: trainer)
    for (row, example) in prefs.examples.enumerated() where model.maxLength < example.prompt.tokens.count + max(example.chosen.count, example.rejected.count) {
        throw TrainingError(trainer: trainer, argument: "prefs", message: "example \(row) does not fit the model's max length \(model.maxLength)")
    }
    try StepMemory.require(model, rows: 2 * min(config.batchSize, prefs.examples.count), length: StepMemory.longestRow(prefs),
                           trainer: trainer, option: "batch", rowsPerUnit: 2)

    var rng = RandomGenerator(seed: config.seed ^ 0x4E_0001)
    let shuffled = shuffledIndices(prefs.examples.count, rng: &rng)
    var heldOut = Int((config.heldOutFraction * Double(prefs.examples.count)).rounded())
    if config.heldOutFraction > 0, prefs.examples.count >= 2 { heldOut = max(heldOut, 1) }
    heldOut = min(heldOut, prefs.examples.count - 1)
    let trainExamples = shuffled.dropLast(heldOut).map { prefs.examples[$0] }
    let heldOutExamples = shuffled.suffix(heldOut).map { prefs.examples[$0] }

    let rm = try RewardModel(world: prefs.world, backbone: model.clone(), seed: config.seed)
    let n = trainExamples.count
    var batches = EpochBatches(count: n, batchSize: config.batchSize, rng: rng)
    let planned = config.epochs * batches.stepsPerEpoch
    let total = min(planned, config.maxSteps ?? planned)
    let updater = ParameterUpdater(parameters: rm.trainableParameters, settings: config.optimizer,
                                   learningRate: config.learningRate, totalSteps: planned)
    let loop = TrainingLoop(trainer: trainer, model: rm.backbone, totalSteps: total, control: control)
    var stopped = false
    while loop.stepsDone < total {
        if loop.stopRequested { stopped = true; break }
        let step = loop.stepsDone
        let rows = batches.rows(forStep: step).map { trainExamples[$0] }
        let b = rows.count
        let metrics = try loop.guarded { () throws -> [(String, Double)] in
            let prompts = rows.map(\.prompt.tokens)
            let r = try rm.rewards(prompts: prompts + prompts, responses: rows.map(\.chosen) + rows.map(\.rejected), trainer: trainer)
            let chosen = try r.slice(axis: 0, 0..<b), rejected = try r.slice(axis: 0, b..<(2 * b))
            let loss = try -((chosen - rejected).logSigmoid().mean())
            let lossValue = Double(try loss.item())
            let c = chosen.toArray(), j = rejected.toArray()
            let update = try updater.apply(loss: loss, step: step)
            let right = zip(c, j).filter { $0 > $1 }.count
            let meanChosen = c.reduce(0) { $0 + Double($1) } / Double(b), meanRejected = j.reduce(0) { $0 + Double($1) } / Double(b)
            return [(Metric.loss, lossValue), (Metric.accuracy, Double(right) / Double(b)),
                    (Metric.rewardsChosen, meanChosen), (Metric.rewardsRejected, meanRejected),
                    (Metric.margins, meanChosen - meanRejected), (Metric.gradNorm, update.gradNorm),
                    (Metric.learningRate, update.learningRate), (Metric.epoch, batches.epoch(afterStep: step))]
        }
        loop.finishStep(metrics)
    }
    if !heldOutExamples.isEmpty {
        let accuracy = try rm.accuracy(on: heldOutExamples)
        rm.heldOutAccuracy = accuracy
        if loop.stepsDone > 0 { loop.addToLastStep([(Metric.heldOutAccuracy, accuracy)]) }
    }
    rm.heldOutCount = heldOutExamples.count
    rm.log = loop.log
    rm.interrupted = stopped
    return rm
}
