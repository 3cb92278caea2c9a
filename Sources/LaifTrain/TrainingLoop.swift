import Foundation
import LaifModels
import LaifTensor

/// What went non-finite inside one update.
struct NonFiniteUpdate: Error {
    let quantity: String
}

/// One optimizer over one set of parameters, with its schedule, clipping and the guard that
/// keeps a NaN or infinity from ever reaching the weights: the loss and the gradient norm are
/// checked before the step, and the weights after it (restored from a copy if the step
/// overflowed them).
final class ParameterUpdater {
    let parameters: [Tensor]
    let optimizer: Optimizer
    let baseLearningRate: Float
    let schedule: LearningRateSchedule
    let clipNorm: Float?

    init(parameters: [Tensor], settings: OptimizerSettings, learningRate: Double, totalSteps: Int) {
        self.parameters = parameters
        baseLearningRate = Float(learningRate)
        optimizer = settings.makeOptimizer(parameters: parameters, learningRate: Float(learningRate))
        schedule = settings.schedule(totalSteps: totalSteps)
        clipNorm = settings.clipNorm
    }

    /// Backpropagates `loss`, clips, checks and applies one update at 0-based `step`.
    /// Returns the pre-clip gradient norm and the learning rate used.
    func apply(loss: Tensor, step: Int) throws -> (gradNorm: Double, learningRate: Double) {
        optimizer.zeroGrad()
        _ = try MicroBatching.backpropagate(loss)
        return try clipAndStep(step: step)
    }

    /// One update at 0-based `step` from a batch split into micro-batches (see `MicroBatching`):
    /// `loss` gives each range's share of the batch's loss. Returns the summed loss, the
    /// pre-clip gradient norm and the learning rate used.
    func apply(step: Int, microBatches: [Range<Int>], loss: (Range<Int>) throws -> Tensor) throws
        -> (loss: Float, gradNorm: Double, learningRate: Double) {
        optimizer.zeroGrad()
        let total = try MicroBatching.accumulateGradients(over: microBatches, loss: loss)
        let (norm, rate) = try clipAndStep(step: step)
        return (total, norm, rate)
    }

    /// Clips the accumulated gradients, checks them, steps and checks the weights.
    private func clipAndStep(step: Int) throws -> (gradNorm: Double, learningRate: Double) {
        let norm = clipGradNorm(parameters, maxNorm: clipNorm ?? .greatestFiniteMagnitude)
        guard norm.isFinite else {
            optimizer.zeroGrad()
            throw NonFiniteUpdate(quantity: "gradients")
        }
        let rate = baseLearningRate * schedule.value(at: step)
        optimizer.learningRate = rate
        let backup = parameters.map { $0.toArray() }
        try optimizer.step()
        optimizer.zeroGrad()
        for p in parameters where !p.toArray().allSatisfy(\.isFinite) {
            for (tensor, values) in zip(parameters, backup) { try tensor.assign(values) }
            throw NonFiniteUpdate(quantity: "weights")
        }
        return (Double(norm), Double(rate))
    }
}

/// Step bookkeeping shared by every trainer: the stop poll, progress reports, the log, and
/// turning a non-finite update into `TrainingDiverged` with the last good model.
final class TrainingLoop {
    let trainer: String
    let model: LanguageModel
    let control: TrainingControl
    let totalSteps: Int
    private(set) var log: TrainingLog
    private(set) var stepsDone = 0
    private let started = DispatchTime.now().uptimeNanoseconds

    init(trainer: String, model: LanguageModel, totalSteps: Int, control: TrainingControl) {
        self.trainer = trainer
        self.model = model
        self.totalSteps = totalSteps
        self.control = control
        log = TrainingLog(trainer: trainer)
    }

    /// Polls `shouldStop` at a step boundary.
    var stopRequested: Bool { control.shouldStop?() ?? false }

    /// Runs `body` (one step's update), converting a non-finite update into `TrainingDiverged`.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let bad as NonFiniteUpdate {
            throw TrainingDiverged(trainer: trainer, step: stepsDone + 1, quantity: bad.quantity,
                                   lastGood: result(interrupted: true))
        }
    }

    /// Records a finished step's metrics and reports progress.
    func finishStep(_ metrics: [(String, Double)]) {
        stepsDone += 1
        log.append(step: stepsDone, metrics)
        if let progress = control.progress {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let loss = metrics.first { $0.0 == Metric.loss }?.1
            progress(TrainingProgress(trainer: trainer, step: stepsDone, totalSteps: totalSteps, loss: loss,
                                      elapsedSeconds: elapsed))
        }
    }

    /// Adds metrics to the latest record (evaluation probes measured after the step).
    func addToLastStep(_ metrics: [(String, Double)]) {
        log.extendLast(metrics)
    }

    /// Measures `probe` on the model being trained and adds it to the latest record when the
    /// probe is due after this step (no probe: nothing).
    func measureIfDue(_ probe: GoldProbe?) throws {
        guard let probe, probe.isDue(step: stepsDone, total: totalSteps) else { return }
        addToLastStep([(Metric.goldQuality, try probe.measure(model))])
    }

    /// The result so far.
    func result(interrupted: Bool) -> TrainingResult {
        TrainingResult(model: model, log: log, interrupted: interrupted, stepsDone: stepsDone, stepsPlanned: totalSteps)
    }
}
