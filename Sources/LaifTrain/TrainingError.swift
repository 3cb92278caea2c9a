import LaifModels
import LaifSupport

/// A bad argument to a trainer: an empty dataset, a non-positive beta, preferences from
/// another world, a model whose vocabulary does not fit the data. The message names the
/// trainer, the argument and the fix.
///
///     do { _ = try dpo(model, prefs: prefs, config: DPOConfig(beta: 0)) }
///     catch let e as TrainingError { print(e) }   // "dpo: beta must be > 0, got 0.0 ..."
public struct TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The trainer that refused its input (`sft`, `dpo`, `reward_model`, ...).
    public let trainer: String
    /// The argument at fault (`beta`, `prefs`, ...), or empty when no single one is.
    public let argument: String
    /// What is wrong and how to fix it.
    public let message: String

    /// Makes an error naming `trainer` and `argument`.
    ///
    ///     TrainingError(trainer: "sft", argument: "epochs", message: "must be >= 1, got 0")
    public init(trainer: String, argument: String, message: String) {
        self.trainer = trainer
        self.argument = argument
        self.message = plainNaN(message)
    }

    /// `"trainer: argument message"`.
    public var description: String {
        argument.isEmpty ? "\(trainer): \(message)" : "\(trainer): \(argument) \(message)"
    }
}

/// Training produced a NaN or infinity (in the loss, the gradients or the updated weights)
/// and stopped. `lastGood` holds the model as it was before the failing step, with the log
/// so far, so nothing is lost.
///
///     do { _ = try sft(model, data: demos, config: SFTConfig(learningRate: 1e9)) }
///     catch let e as TrainingDiverged { let rescued = e.lastGood.model }
public struct TrainingDiverged: Error, CustomStringConvertible, @unchecked Sendable {
    /// The trainer that diverged.
    public let trainer: String
    /// The 1-based step whose loss, gradients or update were not finite.
    public let step: Int
    /// What went non-finite: `"loss"`, `"gradients"` or `"weights"`.
    public let quantity: String
    /// The model before the failing step and the log up to it (marked interrupted).
    public let lastGood: TrainingResult

    /// The error with its fix.
    public var description: String {
        "\(trainer): the \(quantity) became NaN or infinite at step \(step); training stopped and the model "
            + "from step \(step - 1) is kept. Likely fix: lower the learning rate (now \(formatNumber(lastGood.log.last(Metric.learningRate) ?? .nan))) "
            + "or clip gradients harder (a smaller optimizer clip, e.g. optimizer: {clip: 0.5})."
    }
}

/// Throws a `TrainingError` unless `value` lies in `range` and is finite.
func requireFinite(_ value: Double, _ range: ClosedRange<Double>, trainer: String, argument: String, hint: String = "") throws {
    guard value.isFinite, range.contains(value) else {
        throw TrainingError(trainer: trainer, argument: argument,
                            message: "must be in \(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound)), got \(formatNumber(value))\(hint.isEmpty ? "" : "; \(hint)")")
    }
}

/// Throws a `TrainingError` unless `value >= minimum` (and at most `maximum`).
func requireCount(_ value: Int, atLeast minimum: Int, atMost maximum: Int = 10_000_000, trainer: String, argument: String) throws {
    guard value >= minimum, value <= maximum else {
        throw TrainingError(trainer: trainer, argument: argument,
                            message: "must be in \(minimum)...\(maximum), got \(value)")
    }
}

/// Checks that a model reads the world's token ids.
func requireVocabulary(_ model: LanguageModel, worldVocabulary: Int, trainer: String, argument: String) throws {
    guard model.vocabSize == worldVocabulary else {
        throw TrainingError(trainer: trainer, argument: argument,
                            message: "comes from a world of \(worldVocabulary) token ids but the model reads \(model.vocabSize); use a model built for this world")
    }
}

/// A short, locale-independent spelling of a number for messages (`0.0005`, `1e+30`).
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(Float(x))"
}
