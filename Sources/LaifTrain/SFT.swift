import LaifModels
import LaifSim
import LaifTensor

/// Settings of supervised fine-tuning. Defaults are CALIBRATION.md's (AdamW (0.9, 0.98),
/// batch 32, 20 warmup steps then cosine to 10 %, 3 epochs but at least 80 steps: fewer leave
/// the student near its base, and 3 epochs of 300 prompts is only about 30 steps) except the
/// learning rate: 5e-4, not 1e-3. Measured at study scale (six families): at 1e-3, 80 steps of
/// a weak teacher's demos overwrite most of what the base knew beyond the teacher (mistral,
/// seed 0: p(right) on those entries 0.61 -> 0.07), leaving RL little to elicit (+4.6 to +7.4
/// win-rate points at seed 0); at 5e-4 the format is learnt as well (every reply ends with EOS)
/// and more of the base's knowledge survives (RL gains +4.0 to +19.8 over seeds 0-4, mean over
/// the families +7.5 to +16.7 per seed; scripts/paper/ has the numbers).
///
///     SFTConfig(epochs: 3, learningRate: 5e-4, batchSize: 32)
public struct SFTConfig: @unchecked Sendable {
    /// Passes over the data (raised when `minSteps` needs more).
    public var epochs: Int
    /// The fewest optimizer steps; whole extra epochs are added to reach it. 0 disables.
    public var minSteps: Int
    /// Stop after this many steps even if the plan has more (the schedule still spans the plan).
    public var maxSteps: Int?
    /// Peak learning rate.
    public var learningRate: Double
    /// Demonstrations per step.
    public var batchSize: Int
    /// Update rule, schedule and clipping.
    public var optimizer: OptimizerSettings
    /// Seed of the batch order.
    public var seed: UInt64
    /// Held-out gold quality at intervals, if set.
    public var evaluation: GoldProbe?

    /// Settings; see the type's documentation for the defaults and why.
    ///
    ///     SFTConfig(epochs: 1, minSteps: 0)
    public init(epochs: Int = 3, minSteps: Int = 80, maxSteps: Int? = nil, learningRate: Double = 5e-4, batchSize: Int = 32,
                optimizer: OptimizerSettings = OptimizerSettings(), seed: UInt64 = 0, evaluation: GoldProbe? = nil) {
        self.epochs = epochs
        self.minSteps = minSteps
        self.maxSteps = maxSteps
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.evaluation = evaluation
    }
}

/// Supervised fine-tuning: minimises the mean negative log-likelihood of the completion tokens
/// (EOS included) given the prompt; prompt tokens are conditioned on but not scored. Returns
/// a new model and its log (`loss`, `grad_norm`, `learning_rate`, `epoch`, and
/// `eval/gold_quality` when a probe is set); the input model is unchanged. A batch of more
/// than about 256 positions runs forward and backward in micro-batches whose gradients add up
/// before the step (`MicroBatching`): the same update up to float rounding, and faster.
///
///     let s35 = try sft(base, data: gpt35.demos(p10))
///     s35.log.last("loss")
public func sft(_ model: LanguageModel, data: SFTDataset, config: SFTConfig = SFTConfig(),
                control: TrainingControl = TrainingControl()) throws -> TrainingResult {
    let trainer = "sft"
    guard !data.examples.isEmpty else {
        throw TrainingError(trainer: trainer, argument: "data", message: "is empty; give at least one demonstration")
    }
    try requireVocabulary(model, worldVocabulary: data.world.vocabSize, trainer: trainer, argument: "data")
    try requireCount(config.epochs, atLeast: 1, atMost: 100_000, trainer: trainer, argument: "epochs")
    try requireCount(config.minSteps, atLeast: 0, atMost: 10_000_000, trainer: trainer, argument: "min_steps")
    if let m = config.maxSteps { try requireCount(m, atLeast: 0, trainer: trainer, argument: "max_steps") }
    try requireCount(config.batchSize, atLeast: 1, atMost: 65_536, trainer: trainer, argument: "batch")
    try validateLearningRate(config.learningRate, trainer: trainer)
    try config.optimizer.validate(trainer: trainer)
    try config.evaluation?.validate(trainer: trainer, world: data.world)
    for (i, ex) in data.examples.enumerated() {
        guard !ex.completion.isEmpty else {
            throw TrainingError(trainer: trainer, argument: "data", message: "example \(i) has an empty completion; every demonstration needs at least an EOS")
        }
        guard ex.prompt.tokens.count + ex.completion.count <= model.maxLength else {
            throw TrainingError(trainer: trainer, argument: "data",
                                message: "example \(i) has \(ex.prompt.tokens.count + ex.completion.count) tokens, more than the model's max length \(model.maxLength)")
        }
        if let bad = ex.completion.first(where: { $0 < 0 || Int($0) >= model.vocabSize }) {
            throw TrainingError(trainer: trainer, argument: "data", message: "example \(i) has token \(bad), outside the model's vocabulary 0..<\(model.vocabSize)")
        }
    }
    let longest = data.examples.map { $0.prompt.tokens.count + $0.completion.count }.max() ?? 0
    try StepMemory.requireMicroBatched(model, rows: min(config.batchSize, data.examples.count), length: longest,
                                       trainer: trainer, option: "batch")

    var batches = EpochBatches(count: data.examples.count, batchSize: config.batchSize,
                               rng: RandomGenerator(seed: config.seed ^ 0x5F7_0001))
    let stepsPerEpoch = batches.stepsPerEpoch
    let epochs = max(config.epochs, (config.minSteps + stepsPerEpoch - 1) / stepsPerEpoch)
    let planned = epochs * stepsPerEpoch
    let total = min(planned, config.maxSteps ?? planned)

    let student = model.clone()
    let updater = ParameterUpdater(parameters: student.parameters.map(\.tensor), settings: config.optimizer,
                                   learningRate: config.learningRate, totalSteps: planned)
    let loop = TrainingLoop(trainer: trainer, model: student, totalSteps: total, control: control)
    while loop.stepsDone < total {
        if loop.stopRequested { return loop.result(interrupted: true) }
        let step = loop.stepsDone
        let examples = batches.rows(forStep: step).map { data.examples[$0] }
        let batch = try SequenceBatch(prompts: examples.map(\.prompt.tokens), responses: examples.map(\.completion),
                                      maxLength: student.maxLength, trainer: trainer, what: "data")
        // The mean over the whole batch's scored tokens, in micro-batches (see MicroBatching).
        let scored = batch.targets.reduce(0) { $1 >= 0 ? $0 + 1 : $0 }
        let update = try loop.guarded {
            try updater.apply(step: step, microBatches: MicroBatching.ranges(sequences: batch.batch, length: batch.length)) { rows in
                let part = batch.rows(rows)
                return try Tensor.crossEntropy(logits: student.logits(part.tokens, batch: rows.count, length: batch.length),
                                               targets: part.targets, ignoreIndex: -1, divisor: max(scored, 1))
            }
        }
        loop.finishStep([(Metric.loss, Double(update.loss)), (Metric.gradNorm, update.gradNorm),
                         (Metric.learningRate, update.learningRate),
                         (Metric.epoch, batches.epoch(afterStep: step))])
        try loop.measureIfDue(config.evaluation)
    }
    return loop.result(interrupted: false)
}
