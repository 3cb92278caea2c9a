import LaifModels
import LaifSim
import LaifTensor

/// Settings of `rloo`. Defaults: k 4 samples per prompt, KL coefficient 0.05 (TRL's), 100 steps
/// of 16 prompts (64 replies), lr 3e-4 with AdamW at a constant rate after 10 warmup steps,
/// sampling at temperature 1. Why lr 3e-4: from the gpt-3.5 SFT model of the DPO measurement
/// (gold 0.572) with the gpt-4 critic, 100 steps reached gold 0.650 (KL 0.5) at 1e-4, 0.675
/// (KL 1.6) at 3e-4 and 0.654 (KL 4.0) at 1e-3.
///
///     RLOOConfig(k: 4, kl: 0.05, steps: 100)
public struct RLOOConfig: @unchecked Sendable {
    /// Replies sampled per prompt (>= 2: each reply's baseline is the mean of the others).
    public var k: Int
    /// KL penalty coefficient: reward − kl × (log π − log π_ref) of each reply.
    public var kl: Double
    /// Rollout-and-update steps.
    public var steps: Int
    /// Prompts per step (the batch holds promptsPerStep × k replies).
    public var promptsPerStep: Int
    /// Learning rate.
    public var learningRate: Double
    /// Sampling temperature of the rollouts.
    public var temperature: Double
    /// Longest reply; nil allows twice the world's longest prompt plus 4.
    public var maxNewTokens: Int?
    /// Update rule, schedule and clipping.
    public var optimizer: OptimizerSettings
    /// Seed of the prompt order and the samples.
    public var seed: UInt64
    /// Held-out gold quality at intervals, if set.
    public var evaluation: GoldProbe?

    /// Settings; see the type's documentation for the defaults.
    ///
    ///     RLOOConfig(kl: 0.1, steps: 200)
    public init(k: Int = 4, kl: Double = 0.05, steps: Int = 100, promptsPerStep: Int = 16, learningRate: Double = 3e-4,
                temperature: Double = 1, maxNewTokens: Int? = nil,
                optimizer: OptimizerSettings = OptimizerSettings(warmupSteps: 10, cosineMinFactor: nil),
                seed: UInt64 = 0, evaluation: GoldProbe? = nil) {
        self.k = k
        self.kl = kl
        self.steps = steps
        self.promptsPerStep = promptsPerStep
        self.learningRate = learningRate
        self.temperature = temperature
        self.maxNewTokens = maxNewTokens
        self.optimizer = optimizer
        self.seed = seed
        self.evaluation = evaluation
    }
}

/// REINFORCE leave-one-out (Ahmadian et al. 2024), online: each step samples k replies per
/// prompt from the current policy, scores them with `reward` (an oracle critic or a reward
/// model), subtracts kl × (log π − log π_ref) with the input model as the frozen reference,
/// and takes one policy-gradient step with each reply's advantage = its reward minus the mean
/// of the other k − 1. Logs `loss`, `objective/scores`, `objective/kl`,
/// `objective/rlhf_reward`, `entropy`, `response_length`, `grad_norm`, `learning_rate`.
///
///     let tuned = try rloo(s35.model, prompts: p90, reward: gpt4, config: RLOOConfig(steps: 200))
public func rloo(_ model: LanguageModel, prompts: PromptSet, reward: ResponseScorer, config: RLOOConfig = RLOOConfig(),
                 control: TrainingControl = TrainingControl()) throws -> TrainingResult {
    let trainer = "rloo"
    try validatePrompts(prompts, world: reward.world, model: model, trainer: trainer)
    try requireCount(config.k, atLeast: 2, atMost: 1024, trainer: trainer, argument: "k")
    try requireFinite(config.kl, 0...1e6, trainer: trainer, argument: "kl")
    try requireCount(config.steps, atLeast: 0, trainer: trainer, argument: "steps")
    try requireCount(config.promptsPerStep, atLeast: 1, atMost: 65_536, trainer: trainer, argument: "prompts_per_step")
    guard config.promptsPerStep * config.k <= 65_536 else {
        throw TrainingError(trainer: trainer, argument: "prompts_per_step",
                            message: "× k is \(config.promptsPerStep * config.k) replies per step; keep it at most 65536")
    }
    try validateLearningRate(config.learningRate, trainer: trainer)
    try config.optimizer.validate(trainer: trainer)
    // Sampled rows may run to the model's max length.
    try StepMemory.require(model, rows: config.promptsPerStep * config.k, length: model.maxLength, trainer: trainer,
                           option: "prompts_per_step", rowsPerUnit: config.k)
    let rollout = RolloutSettings(temperature: config.temperature, maxNewTokens: config.maxNewTokens)
    try rollout.validate(trainer: trainer)
    try config.evaluation?.validate(trainer: trainer, world: reward.world)

    let reference = model.clone()
    let policy = model.clone()
    let updater = ParameterUpdater(parameters: policy.parameters.map(\.tensor), settings: config.optimizer,
                                   learningRate: config.learningRate, totalSteps: config.steps)
    let loop = TrainingLoop(trainer: trainer, model: policy, totalSteps: config.steps, control: control)
    var cycler = PromptCycler(prompts, seed: config.seed ^ 0x1_2001)
    var rng = RandomGenerator(seed: config.seed ^ 0x1_2002)
    let options = rollout.samplingOptions(world: reward.world)
    let k = config.k
    while loop.stepsDone < config.steps {
        if loop.stopRequested { return loop.result(interrupted: true) }
        let step = loop.stepsDone
        let chosenPrompts = cycler.next(config.promptsPerStep).flatMap { Array(repeating: $0, count: k) }
        let batch = try Rollout(policy: policy, reference: reference, reward: reward, prompts: chosenPrompts,
                                options: options, rng: &rng, trainer: trainer)
        let logRatio = zip(batch.sequenceSums(batch.policyLogProbs), batch.sequenceSums(batch.referenceLogProbs)).map { $0 - $1 }
        let shaped = zip(batch.scores, logRatio).map { $0 - config.kl * $1 }
        var advantages = [Float](repeating: 0, count: shaped.count)
        for group in 0..<(shaped.count / k) {
            let members = (group * k)..<((group + 1) * k)
            let total = members.reduce(0.0) { $0 + shaped[$1] }
            for i in members { advantages[i] = Float(shaped[i] - (total - shaped[i]) / Double(k - 1)) }
        }
        let n = Float(shaped.count)
        let metrics = try loop.guarded { () throws -> [(String, Double)] in
            let logps = try batch.batch.sequenceLogProbs(policy)
            let loss = try (logps * Tensor(advantages)).sum() * (-1 / n)
            let lossValue = Double(try loss.item())
            let update = try updater.apply(loss: loss, step: step)
            return [(Metric.loss, lossValue), (Metric.scores, mean(batch.scores)), (Metric.kl, mean(logRatio)),
                    (Metric.rlhfReward, mean(shaped)), (Metric.entropy, mean(batch.entropy)),
                    (Metric.responseLength, batch.meanLength), (Metric.gradNorm, update.gradNorm),
                    (Metric.learningRate, update.learningRate)]
        }
        loop.finishStep(metrics)
        try loop.measureIfDue(config.evaluation)
    }
    return loop.result(interrupted: false)
}
