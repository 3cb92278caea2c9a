import LaifTensor

/// A trainable parameter with a stable, checkpoint-friendly name such as
/// `"blocks.0.attn.qkv.weight"`.
public struct NamedParameter {
    public let name: String
    public let tensor: Tensor

    /// Pairs a tensor with the name a checkpoint stores it under.
    ///
    ///     NamedParameter(name: "blocks.0.attn.qkv.weight", tensor: weight)
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
    /// log p(next token) at every position, `[batch, length]`: `targets` holds the next token of
    /// each position (row-major, like `tokens`), or -1 where nothing is scored (prompt,
    /// padding), which gives 0 and no gradient. Connected to the autodiff graph unless gradient
    /// recording is off. The same numbers as `Tensor.tokenLogProbs(logits: logits(...), targets:)`
    /// up to float rounding; a model may get them with less work (the transformer runs rows'
    /// shared prefixes once and skips unscored positions where it can).
    ///
    ///     let lp = try model.targetLogProbs([5, 6, 7], targets: [-1, 7, 2], batch: 1, length: 3)   // [1, 3]
    func targetLogProbs(_ tokens: [Int32], targets: [Int32], batch: Int, length: Int) throws -> Tensor
    /// Logits at the given positions only, `[positions.count, vocabSize]`: row i holds the
    /// logits at `positions[i]`, counted row-major over `[batch, length]`. The same numbers as
    /// those rows of `logits(...)`; a model may skip work for positions nobody reads.
    ///
    ///     let next = try model.logits(tokens, batch: 2, length: 4, at: [3, 6])   // [2, vocab]
    func logits(_ tokens: [Int32], batch: Int, length: Int, at positions: [Int]) throws -> Tensor
    /// How many trailing tokens decide the next-token logits (a context-window model's
    /// window), or nil when every earlier token may (a transformer). Sampling feeds a model
    /// only that many, so a windowed model generates in time linear in the length.
    ///
    ///     mlp.nextTokenContext   // 8
    var nextTokenContext: Int? { get }
    /// Every trainable tensor, in a stable order, with stable names.
    var parameters: [NamedParameter] { get }
    /// Architecture description stored in checkpoint metadata (`"kind": "transformer"`, sizes...);
    /// `makeLanguageModel(architecture:)` rebuilds an identical model from it.
    var architecture: [String: String] { get }
    /// A deep copy: same architecture, weights copied, no shared storage and no gradients.
    func clone() -> LanguageModel
}

extension LanguageModel {
    /// Every earlier token may matter, unless the model says otherwise.
    ///
    ///     transformer.nextTokenContext   // nil
    public var nextTokenContext: Int? { nil }

    /// Total number of scalar parameters.
    ///
    ///     model.parameterCount   // 61_248
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }

    /// The plain way: every position's logits, then the targets' log-probs.
    ///
    ///     let lp = try model.targetLogProbs([5, 6, 7], targets: [-1, 7, 2], batch: 1, length: 3)
    public func targetLogProbs(_ tokens: [Int32], targets: [Int32], batch: Int, length: Int) throws -> Tensor {
        try targetLogProbsFromAllLogits(tokens, targets: targets, batch: batch, length: length)
    }

    /// The plain way: every position's logits, then the rows asked for.
    ///
    ///     let next = try model.logits(tokens, batch: 2, length: 4, at: [3, 6])
    public func logits(_ tokens: [Int32], batch: Int, length: Int, at positions: [Int]) throws -> Tensor {
        try validatePositions(positions, batch: batch, length: length, model: "\(type(of: self))")
        return try logitsFromAllLogits(tokens, batch: batch, length: length, at: positions)
    }

    /// `targetLogProbs` through the full `logits`: the protocol default, and a model's fallback
    /// where its cheaper path would save nothing.
    func targetLogProbsFromAllLogits(_ tokens: [Int32], targets: [Int32], batch: Int, length: Int) throws -> Tensor {
        try Tensor.tokenLogProbs(logits: logits(tokens, batch: batch, length: length), targets: targets)
    }

    /// `logits(at:)` through the full `logits`, for positions already checked: the protocol
    /// default, and a model's fallback where its cheaper path would save nothing.
    func logitsFromAllLogits(_ tokens: [Int32], batch: Int, length: Int, at positions: [Int]) throws -> Tensor {
        let full = try logits(tokens, batch: batch, length: length)
        guard full.count == batch * length * vocabSize else {
            throw TensorError(op: "logits(at:)", message:
                "the model returned logits of shape \(full.shape), expected [\(batch), \(length), \(vocabSize)]")
        }
        return try Tensor.embedding(full.reshape([batch * length, vocabSize]), ids: positions.map { Int32($0) })
    }
}
