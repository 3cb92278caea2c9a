/// One progress report from a running trainer, for a progress bar (libraries never print;
/// the executable draws the bar on stderr when it is a terminal).
///
///     control.progress = { p in bar.update(p.step, of: p.totalSteps, eta: p.etaSeconds) }
public struct TrainingProgress: Sendable {
    /// The trainer (`"sft"`, `"dpo"`, `"rloo"`, ...).
    public let trainer: String
    /// Steps done so far (1-based after the first step).
    public let step: Int
    /// Steps planned.
    public let totalSteps: Int
    /// The loss of the latest step, when it has one.
    public let loss: Double?
    /// Seconds since the trainer started.
    public let elapsedSeconds: Double
    /// Steps per second so far.
    public var stepsPerSecond: Double { elapsedSeconds > 0 ? Double(step) / elapsedSeconds : 0 }
    /// Estimated seconds left at the rate so far (nil before the first step).
    public var etaSeconds: Double? {
        guard step > 0, elapsedSeconds > 0 else { return nil }
        return Double(max(totalSteps - step, 0)) / stepsPerSecond
    }
    /// Done share in [0, 1].
    public var fraction: Double { totalSteps > 0 ? min(1, Double(step) / Double(totalSteps)) : 1 }

    /// A report (trainers make these; a progress bar's tests may too).
    ///
    ///     TrainingProgress(trainer: "sft", step: 10, totalSteps: 40, loss: 0.5, elapsedSeconds: 2).etaSeconds   // 6
    public init(trainer: String, step: Int, totalSteps: Int, loss: Double?, elapsedSeconds: Double) {
        self.trainer = trainer
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.elapsedSeconds = elapsedSeconds
    }
}

/// The callbacks a trainer polls: `progress` after every step, `shouldStop` between steps
/// (Ctrl-C). When `shouldStop` returns true the trainer returns the model after the last
/// complete step, with `interrupted` set; it never returns a half-updated model.
///
///     let control = TrainingControl(progress: { print($0.step) }, shouldStop: { laif_interrupt_pending() })
public struct TrainingControl {
    /// Called after each step with the step count, loss and timing.
    public var progress: ((TrainingProgress) -> Void)?
    /// Polled before each step; true stops training at that step boundary.
    public var shouldStop: (() -> Bool)?

    /// Callbacks (both optional).
    ///
    ///     TrainingControl(shouldStop: { stopRequested })
    public init(progress: ((TrainingProgress) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) {
        self.progress = progress
        self.shouldStop = shouldStop
    }
}
