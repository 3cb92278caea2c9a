import LaifSupport
import LaifTensor

/// A model configuration or model input that cannot work (sizes, token ids, architecture keys).
///
///     do { _ = try TransformerConfig(vocabSize: 0, maxLength: 8, dModel: 16, layers: 1, heads: 2).validate() }
///     catch { print(error) }   // TransformerConfig: vocabSize must be at least 1, got 0
public struct ModelConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The configuration or call at fault, such as `"TransformerConfig"`.
    public let context: String
    /// What is wrong and what would be accepted.
    public let message: String

    /// An error in `context`.
    ///
    ///     throw ModelConfigurationError(context: "MLPConfig", message: "hidden must be at least 1")
    public init(context: String, message: String) {
        self.context = context
        self.message = plainNaN(message)
    }

    /// `"context: message"`.
    public var description: String { "\(context): \(message)" }
}

/// Throws unless `value` is at least `minimum`.
func requireAtLeast(_ value: Int, _ minimum: Int, _ name: String, in context: String) throws {
    guard value >= minimum else {
        throw ModelConfigurationError(context: context, message: "\(name) must be at least \(minimum), got \(value)")
    }
}

/// Throws unless every named size is at most `Tensor.maxElementCount` (so size arithmetic
/// cannot overflow).
func requireAtMost(_ sizes: [(String, Int)], in context: String) throws {
    for (name, value) in sizes where value > Tensor.maxElementCount {
        throw ModelConfigurationError(context: context, message: "\(name) must be at most \(Tensor.maxElementCount), got \(value)")
    }
}

/// Checks a `[batch, length]` token grid against a model's vocabulary and length.
func validateTokens(_ tokens: [Int32], batch: Int, length: Int, vocabSize: Int, maxLength: Int, model: String) throws {
    guard batch >= 1, length >= 1 else {
        throw ModelConfigurationError(context: "\(model).logits", message: "batch and length must be at least 1, got batch \(batch), length \(length)")
    }
    guard length <= maxLength else {
        throw ModelConfigurationError(context: "\(model).logits", message: "length \(length) exceeds the model's maxLength \(maxLength)")
    }
    let (expected, overflow) = batch.multipliedReportingOverflow(by: length)
    guard !overflow, tokens.count == expected else {
        throw ModelConfigurationError(context: "\(model).logits", message: "\(tokens.count) tokens given for batch \(batch) x length \(length)")
    }
    for (i, t) in tokens.enumerated() where t < 0 || Int(t) >= vocabSize {
        throw ModelConfigurationError(context: "\(model).logits", message: "token \(t) at index \(i) is outside 0..<\(vocabSize)")
    }
}

/// Checks positions counted row-major over a `[batch, length]` grid (row * length + t).
func validatePositions(_ positions: [Int], batch: Int, length: Int, model: String) throws {
    for (i, position) in positions.enumerated() where position < 0 || position >= batch * length {
        throw ModelConfigurationError(context: "\(model).logits(at:)", message:
            "position \(position) (entry \(i)) is outside 0..<\(batch * length) (batch \(batch) x length \(length))")
    }
}
