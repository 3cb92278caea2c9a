import LaifTensor

/// Sizes of a causal transformer LM.
///
///     let config = TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4)
///     try config.validate()
///     config.parameterCount   // 110_400
public struct TransformerConfig: Equatable, Sendable {
    /// Number of token ids.
    public var vocabSize: Int
    /// Longest sequence (positions with a learned embedding).
    public var maxLength: Int
    /// Width of the residual stream.
    public var dModel: Int
    /// Number of transformer blocks.
    public var layers: Int
    /// Attention heads per block (must divide dModel).
    public var heads: Int
    /// Hidden width of each block's MLP as a multiple of `dModel`.
    public var mlpRatio: Int

    /// A configuration; call `validate()` (the model's initialiser does) before use.
    ///
    ///     let config = TransformerConfig(vocabSize: 24, maxLength: 16, dModel: 32, layers: 2, heads: 2)
    public init(vocabSize: Int, maxLength: Int, dModel: Int, layers: Int, heads: Int, mlpRatio: Int = 4) {
        self.vocabSize = vocabSize
        self.maxLength = maxLength
        self.dModel = dModel
        self.layers = layers
        self.heads = heads
        self.mlpRatio = mlpRatio
    }

    /// Throws a `ModelConfigurationError` for sizes that cannot work (non-positive sizes,
    /// `dModel` not divisible by `heads`, or more than 2^28 scalars in one weight).
    ///
    ///     try config.validate()
    public func validate() throws {
        let context = "TransformerConfig"
        try requireAtLeast(vocabSize, 1, "vocabSize", in: context)
        try requireAtLeast(maxLength, 1, "maxLength", in: context)
        try requireAtLeast(dModel, 1, "dModel", in: context)
        try requireAtLeast(layers, 0, "layers", in: context)
        try requireAtLeast(heads, 1, "heads", in: context)
        try requireAtLeast(mlpRatio, 1, "mlpRatio", in: context)
        try requireAtMost([("vocabSize", vocabSize), ("maxLength", maxLength), ("dModel", dModel),
                           ("heads", heads), ("mlpRatio", mlpRatio), ("layers", layers)], in: context)
        guard dModel % heads == 0 else {
            throw ModelConfigurationError(context: context, message: "dModel \(dModel) must be divisible by heads \(heads)")
        }
        let limit = Tensor.maxElementCount
        for (a, b) in [(vocabSize, dModel), (maxLength, dModel), (3 * dModel, dModel), (mlpRatio * dModel, dModel)] {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow, product <= limit else {
                throw ModelConfigurationError(context: context, message: "a weight of \(a) x \(b) exceeds \(limit) elements; choose smaller sizes")
            }
        }
        guard layers <= 1024 else {
            throw ModelConfigurationError(context: context, message: "layers must be at most 1024, got \(layers)")
        }
    }

    /// The number of scalar parameters, with V vocabulary, T max length, D width, L layers and
    /// r the MLP ratio: `V*D + T*D + L*(4D + 3D*D + 3D + D*D + D + 2*r*D*D + r*D + D) + 2D + V*D + V`.
    ///
    ///     TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4).parameterCount
    /// Meaningful for configurations that pass `validate()` (wrapping arithmetic, never traps).
    public var parameterCount: Int {
        let v = vocabSize, t = maxLength, d = dModel, r = mlpRatio
        let block = 4 &* d &+ (3 &* d &* d &+ 3 &* d) &+ (d &* d &+ d) &+ (r &* d &* d &+ r &* d) &+ (r &* d &* d &+ d)
        return v &* d &+ t &* d &+ layers &* block &+ 2 &* d &+ v &* d &+ v
    }
}

/// One pre-LN transformer block: x + attn(LN(x)), then x + MLP(LN(x)).
final class TransformerBlock {
    let ln1: LayerNorm
    let qkv: Linear
    let proj: Linear
    let ln2: LayerNorm
    let fc1: Linear
    let fc2: Linear
    let heads: Int

    init(config: TransformerConfig, rng: inout RandomGenerator) throws {
        let d = config.dModel
        // GPT-2: residual projections scaled down by sqrt(2 * layers).
        let residualStd = 0.02 / Float(2 * Swift.max(config.layers, 1)).squareRoot()
        ln1 = try LayerNorm(size: d)
        qkv = try Linear(inFeatures: d, outFeatures: 3 * d, rng: &rng)
        proj = try Linear(inFeatures: d, outFeatures: d, rng: &rng, std: residualStd)
        ln2 = try LayerNorm(size: d)
        fc1 = try Linear(inFeatures: d, outFeatures: config.mlpRatio * d, rng: &rng)
        fc2 = try Linear(inFeatures: config.mlpRatio * d, outFeatures: d, rng: &rng, std: residualStd)
        heads = config.heads
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let attention = try Tensor.causalSelfAttention(qkv: qkv(ln1(x)), heads: heads)
        let h = try proj(attention, residual: x)
        return try fc2(fc1(ln2(h)).gelu(), residual: h)
    }

    func namedParameters(prefix: String) -> [NamedParameter] {
        ln1.namedParameters(prefix: "\(prefix).ln1") + qkv.namedParameters(prefix: "\(prefix).attn.qkv")
            + proj.namedParameters(prefix: "\(prefix).attn.proj") + ln2.namedParameters(prefix: "\(prefix).ln2")
            + fc1.namedParameters(prefix: "\(prefix).mlp.fc1") + fc2.namedParameters(prefix: "\(prefix).mlp.fc2")
    }
}

/// A GPT-style causal transformer LM: token + learned positional embeddings, pre-LN blocks of
/// multi-head causal self-attention and a GELU MLP, a final layer norm and an untied LM head.
///
///     var rng = RandomGenerator(seed: 0)
///     let model = try TransformerLM(config: TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4), rng: &rng)
///     let logits = try model.logits(tokens, batch: 2, length: 32)   // [2, 32, 64]
public final class TransformerLM: LanguageModel {
    /// The sizes this model was built with.
    public let config: TransformerConfig
    let tokenEmbedding: Embedding
    let positionEmbedding: Embedding
    let blocks: [TransformerBlock]
    let finalNorm: LayerNorm
    let head: Linear
    /// Every parameter with its stable name (computed once).
    public let parameters: [NamedParameter]
    private let positions: [Int32]

    /// A model with GPT-2-style initialisation drawn from `rng` (normal(0, 0.02) weights,
    /// residual projections scaled by 1/sqrt(2 layers), zero biases, unit layer-norm scales).
    ///
    ///     let model = try TransformerLM(config: config, rng: &rng)
    public init(config: TransformerConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        tokenEmbedding = try Embedding(count: config.vocabSize, dimension: config.dModel, rng: &rng)
        positionEmbedding = try Embedding(count: config.maxLength, dimension: config.dModel, rng: &rng)
        var blocks: [TransformerBlock] = []
        for _ in 0..<config.layers { blocks.append(try TransformerBlock(config: config, rng: &rng)) }
        self.blocks = blocks
        finalNorm = try LayerNorm(size: config.dModel)
        head = try Linear(inFeatures: config.dModel, outFeatures: config.vocabSize, rng: &rng)
        var list = tokenEmbedding.namedParameters(prefix: "tok_emb") + positionEmbedding.namedParameters(prefix: "pos_emb")
        for (i, block) in blocks.enumerated() { list += block.namedParameters(prefix: "blocks.\(i)") }
        list += finalNorm.namedParameters(prefix: "ln_f") + head.namedParameters(prefix: "head")
        parameters = list
        positions = (0..<config.maxLength).map { Int32($0) }
    }

    /// Number of token ids.
    public var vocabSize: Int { config.vocabSize }
    /// Longest sequence the model accepts.
    public var maxLength: Int { config.maxLength }

    /// Logits `[batch, length, vocabSize]`; position t sees tokens 0...t only.
    ///
    ///     let logits = try model.logits(tokens, batch: 1, length: tokens.count)
    public func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor {
        try validateTokens(tokens, batch: batch, length: length, vocabSize: config.vocabSize,
                           maxLength: config.maxLength, model: "TransformerLM")
        let positionRows = try positionEmbedding(Array(positions[0..<length]))
        var x = try tokenEmbedding(tokens, shape: [batch, length]) + positionRows
        for block in blocks { x = try block(x) }
        return try head(finalNorm(x))
    }

    /// `kind: transformer` and every size, as strings.
    ///
    ///     model.architecture["d_model"]   // "64"
    public var architecture: [String: String] {
        ["kind": "transformer", "vocab_size": "\(config.vocabSize)", "max_length": "\(config.maxLength)",
         "d_model": "\(config.dModel)", "layers": "\(config.layers)", "heads": "\(config.heads)",
         "mlp_ratio": "\(config.mlpRatio)"]
    }

    /// A deep copy with the same weights and no gradients.
    ///
    ///     let reference = model.clone()
    public func clone() -> LanguageModel {
        var rng = RandomGenerator(seed: 0)
        // The configuration was validated when this model was built, so rebuilding cannot fail.
        guard let copy = try? TransformerLM(config: config, rng: &rng) else { return self }
        copyWeights(from: parameters, to: copy.parameters)
        return copy
    }
}

/// Copies tensor values between two parameter lists of the same architecture.
func copyWeights(from source: [NamedParameter], to destination: [NamedParameter]) {
    for (s, d) in zip(source, destination) { try? d.tensor.assign(from: s.tensor) }
}
