import LaifModels
import LaifSim

/// Settings of `expertIteration`. Defaults: 3 rounds, best of 8 samples at temperature 1, each
/// round one SFT pass (at least 20 steps) at lr 5e-4 on the picked replies.
///
///     ExpertIterationConfig(rounds: 3, n: 8)
public struct ExpertIterationConfig: @unchecked Sendable {
    /// Sample-pick-fine-tune rounds.
    public var rounds: Int
    /// Samples per prompt each round.
    public var n: Int
    /// Sampling temperature of the candidates.
    public var temperature: Double
    /// The SFT run of every round (its seed is mixed with the round number).
    public var sft: SFTConfig
    /// Seed of the samples.
    public var seed: UInt64
    /// Held-out gold quality after every round, if set.
    public var evaluation: GoldProbe?

    /// Settings; see the type's documentation for the defaults.
    ///
    ///     ExpertIterationConfig(rounds: 2, n: 4)
    public init(rounds: Int = 3, n: Int = 8, temperature: Double = 1,
                sft: SFTConfig = SFTConfig(epochs: 1, minSteps: 20, learningRate: 5e-4),
                seed: UInt64 = 0, evaluation: GoldProbe? = nil) {
        self.rounds = rounds
        self.n = n
        self.temperature = temperature
        self.sft = sft
        self.seed = seed
        self.evaluation = evaluation
    }
}

/// Expert iteration (rejection-sampling fine-tuning): each round samples n replies per prompt
/// from the current model, keeps the one `scorer` rates highest, and fine-tunes on those.
/// The log holds every round's SFT steps (numbered on), with `objective/best_score` and
/// `objective/scores` (mean over all candidates) on each round's first step.
///
///     let ei = try expertIteration(s35.model, prompts: p90, scorer: gpt4)
public func expertIteration(_ model: LanguageModel, prompts: PromptSet, scorer: ResponseScorer,
                            config: ExpertIterationConfig = ExpertIterationConfig(),
                            control: TrainingControl = TrainingControl()) throws -> TrainingResult {
    let trainer = "expert_iteration"
    try validatePrompts(prompts, world: scorer.world, model: model, trainer: trainer)
    try requireCount(config.rounds, atLeast: 1, atMost: 10_000, trainer: trainer, argument: "rounds")
    try requireCount(config.n, atLeast: 1, atMost: 4096, trainer: trainer, argument: "n")
    try requireFinite(config.temperature, 0...100, trainer: trainer, argument: "temperature")
    try config.evaluation?.validate(trainer: trainer, world: scorer.world)
    // Each round fine-tunes on the kept replies, which may run to the model's max length; the
    // rounds' sft checks again with the replies it got, but only after sampling them.
    try StepMemory.requireMicroBatched(model, rows: min(config.sft.batchSize, prompts.prompts.count), length: model.maxLength,
                                       trainer: trainer, option: "batch")
    var current = model
    var log = TrainingLog(trainer: trainer)
    var steps = 0
    for round in 0..<config.rounds {
        if control.shouldStop?() ?? false {
            return TrainingResult(model: current === model ? model.clone() : current, log: log, interrupted: true,
                                  stepsDone: steps, stepsPlanned: steps)
        }
        let picker = try BestOfNPolicy(model: current, scorer: scorer, n: config.n)
        let picked = try picker.candidates(prompts, options: ReplyOptions(temperature: config.temperature, seed: config.seed &+ UInt64(round)))
        let data = SFTDataset(world: scorer.world, examples: zip(prompts, picked).map { SFTExample(prompt: $0, completion: $1.best) },
                              source: "best of \(config.n) under \(scorer.scorerName), round \(round + 1)")
        var roundConfig = config.sft
        roundConfig.seed = config.sft.seed &+ UInt64(round)
        roundConfig.evaluation = nil
        let result: TrainingResult
        do {
            result = try sft(current, data: data, config: roundConfig, control: control)
        } catch let diverged as TrainingDiverged {
            var merged = log
            merged.append(contentsOf: diverged.lastGood.log, stepOffset: steps)
            throw TrainingDiverged(trainer: trainer, step: steps + diverged.step, quantity: diverged.quantity,
                                   lastGood: TrainingResult(model: diverged.lastGood.model, log: merged, interrupted: true,
                                                            stepsDone: steps + diverged.lastGood.stepsDone, stepsPlanned: steps))
        }
        var roundLog = TrainingLog(trainer: trainer)
        for (i, r) in result.log.records.enumerated() {
            var values = r.values
            if i == 0 {
                values += [(Metric.bestScore, mean(picked.map(\.bestScore))), (Metric.scores, mean(picked.map(\.meanScore))),
                           ("round", Double(round + 1))]
            }
            roundLog.append(step: r.step, values)
        }
        if let probe = config.evaluation { roundLog.extendLast([(Metric.goldQuality, try probe.measure(result.model))]) }
        log.append(contentsOf: roundLog, stepOffset: steps)
        steps += result.stepsDone
        current = result.model
        if result.interrupted {
            return TrainingResult(model: current, log: log, interrupted: true, stepsDone: steps, stepsPlanned: steps)
        }
    }
    return TrainingResult(model: current, log: log, interrupted: false, stepsDone: steps, stepsPlanned: steps)
}
