import LaifTensor

/// Rebuilds a model from the architecture strings a checkpoint stores (`LanguageModel.architecture`).
/// Weights are freshly initialised from `seed`; load the checkpoint's tensors afterwards.
///
///     let model = try makeLanguageModel(architecture: ["kind": "mlp", "vocab_size": "24", "max_length": "16",
///                                                      "context": "4", "embedding": "16", "hidden": "64"])
public func makeLanguageModel(architecture: [String: String], seed: UInt64 = 0) throws -> LanguageModel {
    try LanguageModelBlueprint(architecture: architecture).build(seed: seed)
}

/// An architecture parsed and checked but not yet built, so callers can weigh its size
/// (`parameterCount`) before allocating and initialising every weight.
///
///     let blueprint = try LanguageModelBlueprint(architecture: file.architecture)
///     blueprint.parameterCount   // 110_400
///     let model = try blueprint.build(seed: 0)
struct LanguageModelBlueprint {
    private enum Config {
        case transformer(TransformerConfig)
        case mlp(MLPConfig)
    }

    private let config: Config

    /// Parses the architecture strings (`LanguageModel.architecture`), validates them and
    /// refuses sizes over `makeLanguageModelParameterLimit`.
    init(architecture: [String: String]) throws {
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            guard let text = architecture[key] else {
                if let value = value { return value }
                throw ModelConfigurationError(context: "makeLanguageModel", message: "architecture is missing \"\(key)\" (have: \(architecture.keys.sorted().joined(separator: ", ")))")
            }
            guard let number = Int(text) else {
                throw ModelConfigurationError(context: "makeLanguageModel", message: "architecture \"\(key)\" must be an integer, got \"\(text)\"")
            }
            return number
        }
        switch architecture["kind"] {
        case "transformer":
            let config = TransformerConfig(vocabSize: try integer("vocab_size"), maxLength: try integer("max_length"),
                                           dModel: try integer("d_model"), layers: try integer("layers"),
                                           heads: try integer("heads"), mlpRatio: try integer("mlp_ratio", default: 4))
            try config.validate()
            try requireAllocatable(config.parameterCount)
            self.config = .transformer(config)
        case "mlp":
            let config = MLPConfig(vocabSize: try integer("vocab_size"), maxLength: try integer("max_length"),
                                   context: try integer("context"), embedding: try integer("embedding"),
                                   hidden: try integer("hidden"), hiddenLayers: try integer("hidden_layers", default: 2))
            try config.validate()
            try requireAllocatable(config.parameterCount)
            self.config = .mlp(config)
        case let kind:
            throw ModelConfigurationError(context: "makeLanguageModel", message: "unknown model kind \(kind.map { "\"\($0)\"" } ?? "(missing \"kind\")"); expected \"transformer\" or \"mlp\"")
        }
    }

    /// The scalar parameters the built model will hold.
    var parameterCount: Int {
        switch config {
        case .transformer(let config): return config.parameterCount
        case .mlp(let config): return config.parameterCount
        }
    }

    /// The model, its weights freshly initialised from `seed`.
    func build(seed: UInt64) throws -> LanguageModel {
        var rng = RandomGenerator(seed: seed)
        switch config {
        case .transformer(let config): return try TransformerLM(config: config, rng: &rng)
        case .mlp(let config): return try MLPLM(config: config, rng: &rng)
        }
    }
}

/// The most scalar parameters `makeLanguageModel` builds: every weight may be within
/// `Tensor.maxElementCount` while many layers of them still ask for terabytes, and the
/// architecture strings may come from any file.
///
///     makeLanguageModelParameterLimit   // 268_435_456
let makeLanguageModelParameterLimit = Tensor.maxElementCount

private func requireAllocatable(_ parameterCount: Int) throws {
    guard parameterCount <= makeLanguageModelParameterLimit else {
        throw ModelConfigurationError(context: "makeLanguageModel", message:
            "the architecture gives \(parameterCount) parameters, more than the limit of \(makeLanguageModelParameterLimit)")
    }
}
