import LaifTensor

/// Sizes of a context-window MLP LM (Bengio et al. 2003 style).
///
///     let config = MLPConfig(vocabSize: 64, maxLength: 32, context: 8, embedding: 32, hidden: 256)
///     config.parameterCount
public struct MLPConfig: Equatable, Sendable {
    /// Number of token ids (one more, `vocabSize`, pads before the sequence start).
    public var vocabSize: Int
    /// Longest sequence the model accepts.
    public var maxLength: Int
    /// How many tokens (the current one and those before it) each prediction sees.
    public var context: Int
    /// Width of each token's embedding.
    public var embedding: Int
    /// Width of the hidden layers.
    public var hidden: Int
    /// Number of hidden GELU layers.
    public var hiddenLayers: Int

    /// A configuration; call `validate()` (the model's initialiser does) before use.
    ///
    ///     let config = MLPConfig(vocabSize: 24, maxLength: 16, context: 4, embedding: 16, hidden: 64)
    public init(vocabSize: Int, maxLength: Int, context: Int, embedding: Int, hidden: Int, hiddenLayers: Int = 2) {
        self.vocabSize = vocabSize
        self.maxLength = maxLength
        self.context = context
        self.embedding = embedding
        self.hidden = hidden
        self.hiddenLayers = hiddenLayers
    }

    /// Throws a `ModelConfigurationError` for sizes that cannot work.
    ///
    ///     try config.validate()
    public func validate() throws {
        let context = "MLPConfig"
        try requireAtLeast(vocabSize, 1, "vocabSize", in: context)
        try requireAtLeast(maxLength, 1, "maxLength", in: context)
        try requireAtLeast(self.context, 1, "context", in: context)
        try requireAtLeast(embedding, 1, "embedding", in: context)
        try requireAtLeast(hidden, 1, "hidden", in: context)
        try requireAtLeast(hiddenLayers, 1, "hiddenLayers", in: context)
        try requireAtMost([("vocabSize", vocabSize), ("maxLength", maxLength), ("context", self.context),
                           ("embedding", embedding), ("hidden", hidden), ("hiddenLayers", hiddenLayers)], in: context)
        let limit = Tensor.maxElementCount
        for (a, b) in [(vocabSize + 1, embedding), (self.context * embedding, hidden), (hidden, hidden), (hidden, vocabSize)] {
            let (p, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow, p <= limit else {
                throw ModelConfigurationError(context: context, message: "a weight of \(a) x \(b) exceeds \(limit) elements; choose smaller sizes")
            }
        }
        guard hiddenLayers <= 1024 else {
            throw ModelConfigurationError(context: context, message: "hiddenLayers must be at most 1024, got \(hiddenLayers)")
        }
    }

    /// The number of scalar parameters:
    /// `(V+1)E + (cE+1)H + (layers-1)(H+1)H + (H+1)V`.
    ///
    ///     MLPConfig(vocabSize: 64, maxLength: 32, context: 8, embedding: 32, hidden: 256).parameterCount   // 150_112
    /// Meaningful for configurations that pass `validate()` (wrapping arithmetic, never traps).
    public var parameterCount: Int {
        (vocabSize &+ 1) &* embedding &+ (context &* embedding &+ 1) &* hidden
            &+ (hiddenLayers &- 1) &* (hidden &+ 1) &* hidden &+ (hidden &+ 1) &* vocabSize
    }
}

/// A context-window MLP LM: the embeddings of the last `context` tokens (padded with a
/// dedicated id before the start) are concatenated and passed through GELU layers to logits.
///
///     let model = try MLPLM(config: config, rng: &rng)
///     let logits = try model.logits(tokens, batch: 2, length: 16)   // [2, 16, vocab]
public final class MLPLM: LanguageModel {
    /// The sizes this model was built with.
    public let config: MLPConfig
    let tokenEmbedding: Embedding
    let layers: [Linear]
    let head: Linear
    /// Every parameter with its stable name.
    public let parameters: [NamedParameter]

    /// A model with normal(0, 0.02) embeddings, Kaiming-like hidden weights and zero biases.
    ///
    ///     let model = try MLPLM(config: config, rng: &rng)
    public init(config: MLPConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        tokenEmbedding = try Embedding(count: config.vocabSize + 1, dimension: config.embedding, rng: &rng)
        var layers: [Linear] = []
        var width = config.context * config.embedding
        for _ in 0..<config.hiddenLayers {
            layers.append(try Linear(inFeatures: width, outFeatures: config.hidden, rng: &rng,
                                     std: 1 / Float(width).squareRoot()))
            width = config.hidden
        }
        self.layers = layers
        head = try Linear(inFeatures: width, outFeatures: config.vocabSize, rng: &rng, std: 0.02)
        var list = tokenEmbedding.namedParameters(prefix: "tok_emb")
        for (i, layer) in layers.enumerated() { list += layer.namedParameters(prefix: "layers.\(i)") }
        list += head.namedParameters(prefix: "head")
        parameters = list
    }

    /// Number of token ids.
    public var vocabSize: Int { config.vocabSize }
    /// Longest sequence the model accepts.
    public var maxLength: Int { config.maxLength }

    /// Position t's logits depend on tokens t-context+1 ... t only (no positions).
    ///
    ///     model.nextTokenContext   // config.context
    public var nextTokenContext: Int? { config.context }

    /// Logits `[batch, length, vocabSize]`; position t sees tokens t-context+1 ... t.
    ///
    ///     let logits = try model.logits(tokens, batch: 1, length: 8)
    public func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor {
        try validateTokens(tokens, batch: batch, length: length, vocabSize: config.vocabSize,
                           maxLength: config.maxLength, model: "MLPLM")
        let c = config.context
        let pad = Int32(config.vocabSize)
        let (windowCount, overflow) = tokens.count.multipliedReportingOverflow(by: c)
        guard !overflow, windowCount <= Tensor.maxElementCount else {
            throw ModelConfigurationError(context: "MLPLM.logits", message: "\(tokens.count) tokens x context \(c) exceed \(Tensor.maxElementCount) window entries; use smaller batches")
        }
        var window = [Int32](repeating: pad, count: batch * length * c)
        for b in 0..<batch {
            for t in 0..<length {
                let base = (b * length + t) * c
                for k in 0..<c {
                    let source = t - (c - 1) + k
                    if source >= 0 { window[base + k] = tokens[b * length + source] }
                }
            }
        }
        var x = try tokenEmbedding(window, shape: [batch, length, c]).reshape([batch, length, c * config.embedding])
        for layer in layers { x = try layer(x).gelu() }
        return try head(x)
    }

    /// `kind: mlp` and every size, as strings.
    ///
    ///     model.architecture["context"]   // "8"
    public var architecture: [String: String] {
        ["kind": "mlp", "vocab_size": "\(config.vocabSize)", "max_length": "\(config.maxLength)",
         "context": "\(config.context)", "embedding": "\(config.embedding)", "hidden": "\(config.hidden)",
         "hidden_layers": "\(config.hiddenLayers)"]
    }

    /// A deep copy with the same weights and no gradients.
    ///
    ///     let reference = model.clone()
    public func clone() -> LanguageModel {
        var rng = RandomGenerator(seed: 0)
        guard let copy = try? MLPLM(config: config, rng: &rng) else { return self }
        copyWeights(from: parameters, to: copy.parameters)
        return copy
    }
}
