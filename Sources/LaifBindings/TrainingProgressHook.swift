import LaifLang
import LaifTrain

/// One progress report from a long-running builtin (pretraining a base, a trainer), for the
/// executable's progress bar. The bindings never draw anything themselves.
///
///     installTrainingProgress(in: registry) { report in bar.update(report.step, of: report.total) }
public struct TrainingProgressReport: Sendable {
    /// What is running: "pretrain mistral", "sft", "dpo", ...
    public let task: String
    /// Steps done (1-based after the first step) and planned.
    public let step: Int
    public let total: Int
    /// Loss of the latest step, when there is one.
    public let loss: Double?
    /// Seconds since the task started.
    public let elapsedSeconds: Double

    /// A report.
    ///
    ///     TrainingProgressReport(task: "sft", step: 3, total: 80, loss: 1.2, elapsedSeconds: 0.4)
    public init(task: String, step: Int, total: Int, loss: Double?, elapsedSeconds: Double) {
        self.task = task
        self.step = step
        self.total = total
        self.loss = loss
        self.elapsedSeconds = elapsedSeconds
    }

    /// Estimated seconds left at the rate so far (nil before the first step).
    ///
    ///     report.etaSeconds   // 12.5
    public var etaSeconds: Double? {
        guard step > 0, elapsedSeconds > 0 else { return nil }
        return Double(max(total - step, 0)) * elapsedSeconds / Double(step)
    }
}

/// Where reports go; nil drops them (tests, pipes).
public typealias TrainingProgressSink = (TrainingProgressReport) -> Void

/// Re-registers the long-running builtins (`base_model`, every trainer, and `diagnose`, whose
/// counterfactual trains) so that they send
/// progress reports to `sink`. The REPL and `laif run` call it on a terminal; the standard
/// registry has no sink.
///
///     let registry = standardRegistry()
///     installTrainingProgress(in: registry) { report in drawBar(report) }
public func installTrainingProgress(in registry: BuiltinRegistry, _ sink: @escaping TrainingProgressSink) {
    registerBaseModelBindings(in: registry, progress: sink)
    registerTrainingBindings(in: registry, progress: sink)
    registerDiagnoseBindings(in: registry, progress: sink)
}

/// The callbacks a LaifTrain trainer polls: progress reports to `sink`, and a stop request when
/// the interpreter is asked to interrupt (Ctrl-C) so the trainer returns the model so far.
///
///     let control = trainingControl(context, progress: sink)
func trainingControl(_ context: CallContext, progress sink: TrainingProgressSink?) -> TrainingControl {
    let interpreter = context.interpreter
    return TrainingControl(
        progress: sink.map { sink in
            { (p: TrainingProgress) in
                sink(TrainingProgressReport(task: p.trainer, step: p.step, total: p.totalSteps, loss: p.loss,
                                            elapsedSeconds: p.elapsedSeconds))
            }
        },
        shouldStop: { interpreter.shouldInterrupt() })
}
