import LaifModels
import LaifSim
import LaifTensor

/// Settings of `ppo`. Defaults follow TRL's PPO where they apply: KL coefficient 0.05, clip
/// range 0.2 for the ratio and the value, γ 1, λ 0.95, 4 PPO epochs over 2 minibatches per
/// rollout, whitened advantages; 100 rollout steps of 32 prompts; lr 1e-4 (policy) and 3e-4
/// (value head model), AdamW at a constant rate after 10 warmup steps. Why lr 1e-4: in the
/// RLOO measurement's setting PPO reached gold 0.673 (KL 2.6) at 1e-4, but 0.645 with 15 %
/// wrong-length replies at 3e-4 and collapsed (0.39) at 1e-3: its several updates per rollout
/// make it move further per step than RLOO.
///
///     PPOConfig(kl: 0.05, steps: 100)
public struct PPOConfig: @unchecked Sendable {
    /// Per-token KL penalty coefficient (reward − kl × (log π − log π_ref) at every token).
    public var kl: Double
    /// Rollout steps.
    public var steps: Int
    /// Prompts (one reply each) per rollout.
    public var promptsPerStep: Int
    /// Passes over each rollout.
    public var ppoEpochs: Int
    /// Minibatches per pass.
    public var miniBatches: Int
    /// Ratio clip ε: the ratio is kept within [1 − ε, 1 + ε].
    public var clipRange: Double
    /// Value clip: new values stay within this of the rollout's.
    public var valueClipRange: Double
    /// Discount of GAE.
    public var gamma: Double
    /// GAE's λ (bias-variance trade-off of the advantages).
    public var lambda: Double
    /// Policy learning rate.
    public var learningRate: Double
    /// Value-model learning rate.
    public var valueLearningRate: Double
    /// Sampling temperature of the rollouts.
    public var temperature: Double
    /// Longest reply; nil allows twice the world's longest prompt plus 4.
    public var maxNewTokens: Int?
    /// Update rule, schedule and clipping (policy and value model alike).
    public var optimizer: OptimizerSettings
    /// Seed of the prompt order, the samples, the value head and the minibatches.
    public var seed: UInt64
    /// Held-out gold quality at intervals, if set.
    public var evaluation: GoldProbe?

    /// Settings; see the type's documentation for the defaults.
    ///
    ///     PPOConfig(kl: 0.2, steps: 50, promptsPerStep: 16)
    public init(kl: Double = 0.05, steps: Int = 100, promptsPerStep: Int = 32, ppoEpochs: Int = 4, miniBatches: Int = 2,
                clipRange: Double = 0.2, valueClipRange: Double = 0.2, gamma: Double = 1, lambda: Double = 0.95,
                learningRate: Double = 1e-4, valueLearningRate: Double = 3e-4, temperature: Double = 1,
                maxNewTokens: Int? = nil, optimizer: OptimizerSettings = OptimizerSettings(warmupSteps: 10, cosineMinFactor: nil),
                seed: UInt64 = 0, evaluation: GoldProbe? = nil) {
        self.kl = kl
        self.steps = steps
        self.promptsPerStep = promptsPerStep
        self.ppoEpochs = ppoEpochs
        self.miniBatches = miniBatches
        self.clipRange = clipRange
        self.valueClipRange = valueClipRange
        self.gamma = gamma
        self.lambda = lambda
        self.learningRate = learningRate
        self.valueLearningRate = valueLearningRate
        self.temperature = temperature
        self.maxNewTokens = maxNewTokens
        self.optimizer = optimizer
        self.seed = seed
        self.evaluation = evaluation
    }
}

/// Proximal policy optimisation with a value head (Schulman et al. 2017, as in RLHF): each
/// step samples one reply per prompt, gives every token the reward −kl × (log π − log π_ref)
/// plus the reward's score on the last token, estimates advantages with GAE(γ, λ) from a
/// value model (a copy of the starting model with a scalar head), whitens them, then runs
/// `ppoEpochs` passes of `miniBatches` clipped-ratio policy updates and clipped value
/// updates. The input model is the frozen reference and is unchanged. Logs `loss`,
/// `loss/policy`, `loss/value`, `policy/clipfrac`, `objective/scores`, `objective/kl`,
/// `objective/rlhf_reward`, `entropy`, `response_length`, `grad_norm`, `learning_rate`.
///
///     let tuned = try ppo(s35.model, prompts: p90, reward: gpt4, config: PPOConfig(steps: 100))
public func ppo(_ model: LanguageModel, prompts: PromptSet, reward: ResponseScorer, config: PPOConfig = PPOConfig(),
                control: TrainingControl = TrainingControl()) throws -> TrainingResult {
    let trainer = "ppo"
    try validatePrompts(prompts, world: reward.world, model: model, trainer: trainer)
    try requireFinite(config.kl, 0...1e6, trainer: trainer, argument: "kl")
    try requireCount(config.steps, atLeast: 0, trainer: trainer, argument: "steps")
    try requireCount(config.promptsPerStep, atLeast: 1, atMost: 65_536, trainer: trainer, argument: "prompts_per_step")
    try requireCount(config.ppoEpochs, atLeast: 1, atMost: 1000, trainer: trainer, argument: "ppo_epochs")
    try requireCount(config.miniBatches, atLeast: 1, atMost: config.promptsPerStep, trainer: trainer, argument: "mini_batches")
    try requireFinite(config.clipRange, 1e-6...10, trainer: trainer, argument: "clip")
    try requireFinite(config.valueClipRange, 1e-6...1e6, trainer: trainer, argument: "value_clip_range")
    try requireFinite(config.gamma, 0...1, trainer: trainer, argument: "gamma")
    try requireFinite(config.lambda, 0...1, trainer: trainer, argument: "lambda")
    try validateLearningRate(config.learningRate, trainer: trainer)
    try validateLearningRate(config.valueLearningRate, trainer: trainer, argument: "value_lr")
    try config.optimizer.validate(trainer: trainer)
    let rollout = RolloutSettings(temperature: config.temperature, maxNewTokens: config.maxNewTokens)
    try rollout.validate(trainer: trainer)
    try config.evaluation?.validate(trainer: trainer, world: reward.world)
    try StepMemory.require(model, rows: config.promptsPerStep, length: model.maxLength, trainer: trainer, option: "prompts_per_step")

    let reference = model.clone()
    let policy = model.clone()
    let critic = try ValueModel(startingFrom: model, seed: config.seed)
    let updates = config.steps * config.ppoEpochs * config.miniBatches
    let policyUpdater = ParameterUpdater(parameters: policy.parameters.map(\.tensor), settings: config.optimizer,
                                         learningRate: config.learningRate, totalSteps: updates)
    let valueUpdater = ParameterUpdater(parameters: critic.parameters, settings: config.optimizer,
                                        learningRate: config.valueLearningRate, totalSteps: updates)
    let loop = TrainingLoop(trainer: trainer, model: policy, totalSteps: config.steps, control: control)
    var cycler = PromptCycler(prompts, seed: config.seed ^ 0x9_9001)
    var rng = RandomGenerator(seed: config.seed ^ 0x9_9002)
    let options = rollout.samplingOptions(world: reward.world)
    var updateIndex = 0
    while loop.stepsDone < config.steps {
        if loop.stopRequested { return loop.result(interrupted: true) }
        let data = try Rollout(policy: policy, reference: reference, reward: reward, prompts: cycler.next(config.promptsPerStep),
                               options: options, rng: &rng, trainer: trainer)
        let oldValues = try Tensor.withoutGrad { try critic.values(data.batch).toArray() }
        let targets = advantageEstimates(data, values: oldValues, kl: config.kl, gamma: config.gamma, lambda: config.lambda)
        let logRatio = zip(data.sequenceSums(data.policyLogProbs), data.sequenceSums(data.referenceLogProbs)).map { $0 - $1 }
        var policyLosses: [Double] = [], valueLosses: [Double] = [], clipFractions: [Double] = [], norms: [Double] = []
        var rate = 0.0
        for _ in 0..<config.ppoEpochs {
            let order = shuffledIndices(data.batch.batch, rng: &rng)
            for part in 0..<config.miniBatches {
                let rows = stride(from: part, to: order.count, by: config.miniBatches).map { order[$0] }
                let step = updateIndex
                let outcome = try loop.guarded { () throws -> (Double, Double, Double, Double, Double) in
                    try ppoMinibatchUpdate(rows: rows, data: data, oldValues: oldValues, targets: targets, policy: policy,
                                           critic: critic, policyUpdater: policyUpdater, valueUpdater: valueUpdater,
                                           config: config, step: step, trainer: trainer)
                }
                updateIndex += 1
                policyLosses.append(outcome.0)
                valueLosses.append(outcome.1)
                clipFractions.append(outcome.2)
                norms.append(outcome.3)
                rate = outcome.4
            }
        }
        let shaped = zip(data.scores, logRatio).map { $0 - config.kl * $1 }
        loop.finishStep([(Metric.loss, mean(policyLosses) + 0.5 * mean(valueLosses)), (Metric.policyLoss, mean(policyLosses)),
                         (Metric.valueLoss, mean(valueLosses)), (Metric.clipFraction, mean(clipFractions)),
                         (Metric.scores, mean(data.scores)), (Metric.kl, mean(logRatio)), (Metric.rlhfReward, mean(shaped)),
                         (Metric.entropy, mean(data.entropy)), (Metric.responseLength, data.meanLength),
                         (Metric.gradNorm, mean(norms)), (Metric.learningRate, rate)])
        try loop.measureIfDue(config.evaluation)
    }
    return loop.result(interrupted: false)
}

/// Per-token advantages (whitened over the rollout's reply tokens) and returns, laid out
/// like the rollout's batch (`[batch * length]`, 0 off the replies).
private func advantageEstimates(_ data: Rollout, values: [Float], kl: Double, gamma: Double, lambda: Double)
    -> (advantages: [Float], returns: [Float]) {
    let b = data.batch
    var advantages = [Float](repeating: 0, count: b.batch * b.length)
    var returns = advantages
    var all: [Double] = []
    for row in 0..<b.batch {
        let n = b.responseLengths[row]
        var next = 0.0, running = 0.0
        for j in stride(from: n - 1, through: 0, by: -1) {
            let at = b.position(row: row, token: j)
            var r = -kl * Double(data.policyLogProbs[at] - data.referenceLogProbs[at])
            if j == n - 1 { r += data.scores[row] }
            let v = Double(values[at])
            let delta = r + gamma * next - v
            running = delta + gamma * lambda * running
            advantages[at] = Float(running)
            returns[at] = Float(running + v)
            next = v
            all.append(running)
        }
    }
    let m = mean(all)
    let sd = (all.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(all.count, 1))).squareRoot()
    for row in 0..<b.batch {
        for j in 0..<b.responseLengths[row] {
            let at = b.position(row: row, token: j)
            advantages[at] = Float((Double(advantages[at]) - m) / (sd + 1e-8))
        }
    }
    return (advantages, returns)
}

/// One clipped policy update and one clipped value update on the rollout rows `rows`.
/// Returns (policy loss, value loss, clip fraction, policy grad norm, learning rate).
private func ppoMinibatchUpdate(rows: [Int], data: Rollout, oldValues: [Float], targets: (advantages: [Float], returns: [Float]),
                               policy: LanguageModel, critic: ValueModel, policyUpdater: ParameterUpdater,
                               valueUpdater: ParameterUpdater, config: PPOConfig, step: Int, trainer: String) throws
    -> (Double, Double, Double, Double, Double) {
    let full = data.batch
    let batch = try SequenceBatch(prompts: rows.map { data.prompts[$0].tokens }, responses: rows.map { data.responses[$0] },
                                  maxLength: policy.maxLength, trainer: trainer, what: "prompts")
    // Carry the rollout's per-token numbers over to this minibatch's layout.
    let size = batch.batch * batch.length
    var mask = [Float](repeating: 0, count: size), oldLogProbs = mask, advantages = mask, returns = mask, valuesBefore = mask
    var tokens = 0
    for (slot, row) in rows.enumerated() {
        for j in 0..<full.responseLengths[row] {
            let from = full.position(row: row, token: j), to = batch.position(row: slot, token: j)
            mask[to] = 1
            oldLogProbs[to] = data.policyLogProbs[from]
            advantages[to] = targets.advantages[from]
            returns[to] = targets.returns[from]
            valuesBefore[to] = oldValues[from]
            tokens += 1
        }
    }
    let shape = [batch.batch, batch.length]
    let maskTensor = try Tensor(shape: shape, data: mask)
    let scale = 1 / Float(max(tokens, 1))
    let eps = Float(config.clipRange)

    let newLogProbs = try batch.tokenLogProbs(batch.logits(policy))
    let ratio = try (newLogProbs - Tensor(shape: shape, data: oldLogProbs)).exp()
    let advantageTensor = try Tensor(shape: shape, data: advantages)
    let unclipped = try -(ratio * advantageTensor)
    let clipped = try -(ratio.clamp(1 - eps, 1 + eps) * advantageTensor)
    let u = unclipped.toArray(), c = clipped.toArray(), r = ratio.toArray()
    let takeUnclipped = try Tensor(shape: shape, data: zip(u, c).map { $0 >= $1 ? 1 : 0 })
    let policyLoss = try (Tensor.where(takeUnclipped, unclipped, clipped) * maskTensor).sum() * scale
    var clippedCount = 0
    for i in 0..<size where mask[i] == 1 && abs(r[i] - 1) > eps { clippedCount += 1 }
    let policyLossValue = Double(try policyLoss.item())
    let policyUpdate = try policyUpdater.apply(loss: policyLoss, step: step)

    let values = try critic.values(batch)
    let before = try Tensor(shape: shape, data: valuesBefore)
    let returnTensor = try Tensor(shape: shape, data: returns)
    let valueClip = Float(config.valueClipRange)
    let clippedValues = try before + (values - before).clamp(-valueClip, valueClip)
    let plainError = try (values - returnTensor).square()
    let clippedError = try (clippedValues - returnTensor).square()
    let takePlain = try Tensor(shape: shape, data: zip(plainError.toArray(), clippedError.toArray()).map { $0 >= $1 ? 1 : 0 })
    let valueLoss = try (Tensor.where(takePlain, plainError, clippedError) * maskTensor).sum() * (0.5 * scale)
    let valueLossValue = Double(try valueLoss.item())
    _ = try valueUpdater.apply(loss: valueLoss, step: step)
    return (policyLossValue, valueLossValue, Double(clippedCount) / Double(max(tokens, 1)), policyUpdate.gradNorm,
            policyUpdate.learningRate)
}
