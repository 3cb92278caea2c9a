import LaifModels

/// What a trainer returns: a new model (the input model is never changed), its training log,
/// and whether training was cut short by `shouldStop`.
///
///     let result = try sft(base, data: demos)
///     result.model; result.log.last("loss"); result.interrupted
public struct TrainingResult: CustomStringConvertible, @unchecked Sendable {
    /// The trained model (a copy; the input model is unchanged).
    public let model: LanguageModel
    /// Per-step metrics.
    public let log: TrainingLog
    /// True when `shouldStop` ended training before the planned steps.
    public let interrupted: Bool
    /// Optimiser (or rollout) steps completed.
    public let stepsDone: Int
    /// Steps planned.
    public let stepsPlanned: Int

    /// A result from its parts.
    ///
    ///     TrainingResult(model: m, log: log, interrupted: false, stepsDone: 10, stepsPlanned: 10)
    public init(model: LanguageModel, log: TrainingLog, interrupted: Bool, stepsDone: Int, stepsPlanned: Int) {
        self.model = model
        self.log = log
        self.interrupted = interrupted
        self.stepsDone = stepsDone
        self.stepsPlanned = stepsPlanned
    }

    /// The steps done, in words: "1 step", "80 steps".
    ///
    ///     result.stepsDoneText   // "80 steps"
    public var stepsDoneText: String { stepsDone == 1 ? "1 step" : "\(stepsDone) steps" }

    public var description: String {
        let status = interrupted ? "interrupted at step \(stepsDone) of \(stepsPlanned)" : stepsDoneText
        let loss = log.last(Metric.loss).map { ", final loss \(formatMetric($0))" } ?? ""
        return "\(log.trainer) result (\(status)\(loss); model \(model.parameterCount) parameters)"
    }
}
