import LaifTensor

/// A trainable parameter with a stable, checkpoint-friendly name such as
/// `"blocks.0.attn.qkv.weight"`.
public struct NamedParameter {
    public let name: String
    public let tensor: Tensor

    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}

/// What every tiny causal language model in laif offers: logits for a batch of token rows,
/// its parameters in a stable order, and enough metadata to rebuild it from a checkpoint.
///
/// Token ids are `Int32` in `0..<vocabSize`, laid out row-major as `[batch, length]`.
///
///     let logits = try model.logits(tokens, batch: 2, length: 5)   // shape [2, 5, vocab]
public protocol LanguageModel: AnyObject {
    /// Number of token ids the model reads and predicts.
    var vocabSize: Int { get }
    /// Longest sequence (prompt plus response) the model accepts.
    var maxLength: Int { get }
    /// Logits `[batch, length, vocabSize]` for next-token prediction at every position.
    /// Connected to the autodiff graph unless gradient recording is off.
    func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor
    /// Every trainable tensor, in a stable order, with stable names.
    var parameters: [NamedParameter] { get }
    /// Architecture description stored in checkpoint metadata (`"kind": "transformer"`, sizes...);
    /// `makeLanguageModel(architecture:)` rebuilds an identical model from it.
    var architecture: [String: String] { get }
    /// A deep copy: same architecture, weights copied, no shared storage and no gradients.
    func clone() -> LanguageModel
}

extension LanguageModel {
    /// Total number of scalar parameters.
    ///
    ///     model.parameterCount   // 61_248
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
}
