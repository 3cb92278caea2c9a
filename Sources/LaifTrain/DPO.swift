import LaifModels
import LaifSim
import LaifTensor

/// The preference loss of `dpo`.
///
///     PreferenceLoss(rawValue: "ipo")   // .ipo
public enum PreferenceLoss: String, Sendable, CaseIterable {
    /// DPO: −log σ(β · margin), margin = (policy − reference) log-ratio of chosen minus rejected,
    /// on summed log-probs.
    case sigmoid
    /// IPO: (margin − 1/(2β))², on per-token mean log-probs (as TRL computes it).
    case ipo
}

/// Settings of `dpo`. Defaults are CALIBRATION.md's: β 0.05, sigmoid loss, lr 5e-4, 2 epochs,
/// batch 64, AdamW with 20 warmup steps and cosine decay, plus an NLL term on the chosen reply
/// of weight 0.05 (per-token mean). Why the NLL term: pure DPO at this scale drifts towards
/// long filler replies (CALIBRATION.md: correct-length replies fell to 75 %, fillers rose to 4
/// per reply). laif's own measurement (mistral base, standard recipe, gpt-3.5 SFT on 300
/// prompts, 2,700 gpt-4-labelled pairs, 500 test prompts at temperature 0.7): SFT 0.572 gold;
/// pure DPO 0.475 with only 76 % of replies of the right length; NLL 0.05 → 0.620 (99.4 %
/// right length), 0.1 → 0.621, 0.2 → 0.625; IPO at β 0.5 → 0.615. AdamW beat the study's
/// RMSprop here (best RMSprop DPO: 0.592).
///
///     DPOConfig(beta: 0.1, loss: .ipo, nllWeight: 0)
public struct DPOConfig: @unchecked Sendable {
    /// Strength of the pull towards the reference (> 0); larger moves the model less.
    public var beta: Double
    /// Sigmoid (DPO) or IPO.
    public var loss: PreferenceLoss
    /// Weight of the chosen reply's per-token mean NLL added to the loss (0 disables).
    public var nllWeight: Double
    /// Use per-token mean log-probs instead of sums in the loss; nil follows TRL (IPO averages,
    /// sigmoid sums).
    public var averageLogProbs: Bool?
    /// Passes over the pairs.
    public var epochs: Int
    /// Stop after this many steps even if the plan has more (the schedule still spans the plan).
    public var maxSteps: Int?
    /// Peak learning rate.
    public var learningRate: Double
    /// Pairs per step (each pair is two rows).
    public var batchSize: Int
    /// Update rule, schedule and clipping.
    public var optimizer: OptimizerSettings
    /// Seed of the batch order.
    public var seed: UInt64
    /// Held-out gold quality at intervals, if set.
    public var evaluation: GoldProbe?

    /// Settings; see the type's documentation for the defaults and why.
    ///
    ///     DPOConfig(beta: 0.05, nllWeight: 0.05, epochs: 2)
    public init(beta: Double = 0.05, loss: PreferenceLoss = .sigmoid, nllWeight: Double = 0.05, averageLogProbs: Bool? = nil, epochs: Int = 2,
                maxSteps: Int? = nil, learningRate: Double = 5e-4, batchSize: Int = 64,
                optimizer: OptimizerSettings = OptimizerSettings(), seed: UInt64 = 0, evaluation: GoldProbe? = nil) {
        self.beta = beta
        self.loss = loss
        self.nllWeight = nllWeight
        self.averageLogProbs = averageLogProbs
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.evaluation = evaluation
    }
}

/// Direct preference optimisation (or IPO) against a frozen reference: the input model. The
/// reference's log-probs of every chosen and rejected reply are computed once, before
/// training, and cached. Logs TRL's metrics per step: `loss`, `rewards/chosen`,
/// `rewards/rejected`, `rewards/accuracies`, `rewards/margins`, `logps/chosen`,
/// `logps/rejected`, `nll_loss`, `grad_norm`, `learning_rate`, `epoch`.
///
///     let laif = try dpo(s35.model, prefs: gpt4.label(pairs))
///     laif.log.last("rewards/accuracies")
public func dpo(_ model: LanguageModel, prefs: PreferenceDataset, config: DPOConfig = DPOConfig(),
                control: TrainingControl = TrainingControl()) throws -> TrainingResult {
    let trainer = "dpo"
    try validatePreferences(prefs, model: model, trainer: trainer)
    guard config.beta.isFinite, config.beta > 0 else {
        throw TrainingError(trainer: trainer, argument: "beta", message: "must be > 0, got \(formatNumber(config.beta)); try 0.05 (smaller lets the model move further)")
    }
    try requireFinite(config.beta, 1e-6...1e6, trainer: trainer, argument: "beta", hint: "try 0.05 (smaller lets the model move further)")
    try requireFinite(config.nllWeight, 0...1000, trainer: trainer, argument: "nll")
    try requireCount(config.epochs, atLeast: 1, atMost: 100_000, trainer: trainer, argument: "epochs")
    if let m = config.maxSteps { try requireCount(m, atLeast: 0, trainer: trainer, argument: "max_steps") }
    try requireCount(config.batchSize, atLeast: 1, atMost: 65_536, trainer: trainer, argument: "batch")
    try validateLearningRate(config.learningRate, trainer: trainer)
    try config.optimizer.validate(trainer: trainer)
    try config.evaluation?.validate(trainer: trainer, world: prefs.world)
    try StepMemory.require(model, rows: 2 * min(config.batchSize, prefs.examples.count), length: StepMemory.longestRow(prefs),
                           trainer: trainer, option: "batch", rowsPerUnit: 2)

    let examples = prefs.examples
    let n = examples.count
    var batches = EpochBatches(count: n, batchSize: config.batchSize, rng: RandomGenerator(seed: config.seed ^ 0xD_0001))
    let batchSize = batches.batchSize
    let planned = config.epochs * batches.stepsPerEpoch
    let total = min(planned, config.maxSteps ?? planned)
    let perToken = config.averageLogProbs ?? (config.loss == .ipo)
    let reference = try referenceLogProbs(model, examples: examples, batchSize: max(batchSize, 64), trainer: trainer)

    let policy = model.clone()
    let updater = ParameterUpdater(parameters: policy.parameters.map(\.tensor), settings: config.optimizer,
                                   learningRate: config.learningRate, totalSteps: planned)
    let loop = TrainingLoop(trainer: trainer, model: policy, totalSteps: total, control: control)
    let beta = Float(config.beta)
    while loop.stepsDone < total {
        if loop.stopRequested { return loop.result(interrupted: true) }
        let step = loop.stepsDone
        let rows = batches.rows(forStep: step)
        let b = rows.count
        let chosenLengths = rows.map { Float(examples[$0].chosen.count) }
        let rejectedLengths = rows.map { Float(examples[$0].rejected.count) }
        // Chosen and rejected replies go through the model together, in one batch of 2b rows.
        let batch = try SequenceBatch(prompts: rows.map { examples[$0].prompt.tokens } + rows.map { examples[$0].prompt.tokens },
                                      responses: rows.map { examples[$0].chosen } + rows.map { examples[$0].rejected },
                                      maxLength: policy.maxLength, trainer: trainer, what: "prefs")
        let metrics = try loop.guarded { () throws -> [(String, Double)] in
            let sums = try batch.sequenceLogProbs(policy)
            let chosenSum = try sums.slice(axis: 0, 0..<b)
            let rejectedSum = try sums.slice(axis: 0, b..<(2 * b))
            var chosen = chosenSum, rejected = rejectedSum
            var refChosen = rows.map { reference.chosen[$0] }, refRejected = rows.map { reference.rejected[$0] }
            if perToken {
                chosen = try chosenSum * Tensor(chosenLengths.map { 1 / $0 })
                rejected = try rejectedSum * Tensor(rejectedLengths.map { 1 / $0 })
                refChosen = zip(refChosen, chosenLengths).map { $0 / $1 }
                refRejected = zip(refRejected, rejectedLengths).map { $0 / $1 }
            }
            let referenceMargin = Tensor(zip(refChosen, refRejected).map { $0 - $1 })
            let margin = try (chosen - rejected) - referenceMargin
            var loss: Tensor
            switch config.loss {
            case .sigmoid: loss = try -((margin * beta).logSigmoid().mean())
            case .ipo: loss = try (margin - 1 / (2 * beta)).square().mean()
            }
            let nll = try chosenSum.sum() * (-1 / max(chosenLengths.reduce(0, +), 1))
            if config.nllWeight > 0 { loss = try loss + nll * Float(config.nllWeight) }
            let lossValue = Double(try loss.item())
            let nllValue = Double(try nll.item())
            let policyChosen = chosen.toArray(), policyRejected = rejected.toArray()
            let chosenSums = chosenSum.toArray(), rejectedSums = rejectedSum.toArray()
            let update = try updater.apply(loss: loss, step: step)
            var rewardChosen = 0.0, rewardRejected = 0.0, correct = 0.0, logpChosen = 0.0, logpRejected = 0.0
            for i in 0..<b {
                let rc = Double(beta) * Double(policyChosen[i] - refChosen[i])
                let rr = Double(beta) * Double(policyRejected[i] - refRejected[i])
                rewardChosen += rc
                rewardRejected += rr
                correct += rc > rr ? 1 : 0
                logpChosen += Double(chosenSums[i])
                logpRejected += Double(rejectedSums[i])
            }
            let m = Double(b)
            return [(Metric.loss, lossValue), (Metric.rewardsChosen, rewardChosen / m), (Metric.rewardsRejected, rewardRejected / m),
                    (Metric.accuracies, correct / m), (Metric.margins, (rewardChosen - rewardRejected) / m),
                    (Metric.logpsChosen, logpChosen / m), (Metric.logpsRejected, logpRejected / m), (Metric.nllLoss, nllValue),
                    (Metric.gradNorm, update.gradNorm), (Metric.learningRate, update.learningRate),
                    (Metric.epoch, batches.epoch(afterStep: step))]
        }
        loop.finishStep(metrics)
        try loop.measureIfDue(config.evaluation)
    }
    return loop.result(interrupted: false)
}

/// Checks a preference dataset against a model: non-empty, same vocabulary, replies that are
/// non-empty and fit the model's context.
func validatePreferences(_ prefs: PreferenceDataset, model: LanguageModel, trainer: String) throws {
    guard !prefs.examples.isEmpty else {
        throw TrainingError(trainer: trainer, argument: "prefs", message: "is empty; label some pairs first (critic.label(pairs))")
    }
    try requireVocabulary(model, worldVocabulary: prefs.world.vocabSize, trainer: trainer, argument: "prefs")
    for (i, ex) in prefs.examples.enumerated() {
        for (name, reply) in [("chosen", ex.chosen), ("rejected", ex.rejected)] {
            guard !reply.isEmpty else {
                throw TrainingError(trainer: trainer, argument: "prefs", message: "example \(i) has an empty \(name) reply")
            }
            guard ex.prompt.tokens.count + reply.count <= model.maxLength else {
                throw TrainingError(trainer: trainer, argument: "prefs",
                                    message: "example \(i): prompt + \(name) reply is \(ex.prompt.tokens.count + reply.count) tokens, more than the model's max length \(model.maxLength)")
            }
            if let bad = reply.first(where: { $0 < 0 || Int($0) >= model.vocabSize }) {
                throw TrainingError(trainer: trainer, argument: "prefs", message: "example \(i) has token \(bad) in its \(name) reply, outside the model's vocabulary")
            }
        }
    }
}

/// Summed log-probs of every chosen and rejected reply under the frozen reference, computed
/// once without recording gradients.
private func referenceLogProbs(_ model: LanguageModel, examples: [PreferenceExample], batchSize: Int, trainer: String) throws
    -> (chosen: [Float], rejected: [Float]) {
    var chosen: [Float] = [], rejected: [Float] = []
    try Tensor.withoutGrad {
        var start = 0
        while start < examples.count {
            let slice = examples[start..<min(start + batchSize, examples.count)]
            let prompts = slice.map(\.prompt.tokens)
            let batch = try SequenceBatch(prompts: prompts + prompts, responses: slice.map(\.chosen) + slice.map(\.rejected),
                                          maxLength: model.maxLength, trainer: trainer, what: "prefs")
            let sums = try batch.sequenceLogProbs(model).toArray()
            chosen += sums[0..<slice.count]
            rejected += sums[slice.count...]
            start += batchSize
        }
    }
    return (chosen, rejected)
}
