import Foundation

/// A learning-rate multiplier by step (0-based): multiply the base rate by `value(at:)`.
///
///     let schedule = LearningRateSchedule.cosine(warmup: 10, total: 100, minFactor: 0.1)
///     opt.learningRate = baseRate * schedule.value(at: step)
public enum LearningRateSchedule: Sendable, Equatable {
    /// Always 1.
    case constant
    /// Rises linearly from 1/steps at step 0 to 1 at step `steps - 1`, then stays at 1.
    case linearWarmup(steps: Int)
    /// Linear warmup over `warmup` steps, then a cosine from 1 down to `minFactor` at step
    /// `total`, and `minFactor` after that.
    case cosine(warmup: Int, total: Int, minFactor: Float)

    /// The multiplier at `step`.
    ///
    ///     LearningRateSchedule.linearWarmup(steps: 4).value(at: 1)   // 0.5
    public func value(at step: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case .linearWarmup(let steps):
            return LearningRateSchedule.warmupFactor(step, steps)
        case .cosine(let warmup, let total, let minFactor):
            if step < warmup { return LearningRateSchedule.warmupFactor(step, warmup) }
            // Double arithmetic: no overflow for any Int arguments.
            let span = Swift.max(Double(total) - Double(warmup), 1)
            let progress = Swift.min(Swift.max((Double(step) - Double(warmup)) / span, 0), 1)
            let cosine = 0.5 * (1 + Foundation.cos(Double.pi * progress))
            return minFactor + (1 - minFactor) * Float(cosine)
        }
    }

    private static func warmupFactor(_ step: Int, _ steps: Int) -> Float {
        guard steps > 0, step < steps else { return 1 }
        return Float(Swift.max(step, 0) + 1) / Float(steps)
    }
}
