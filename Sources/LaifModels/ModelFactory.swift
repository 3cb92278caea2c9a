import LaifTensor

/// Rebuilds a model from the architecture strings a checkpoint stores (`LanguageModel.architecture`).
/// Weights are freshly initialised from `seed`; load the checkpoint's tensors afterwards.
///
///     let model = try makeLanguageModel(architecture: ["kind": "mlp", "vocab_size": "24", "max_length": "16",
///                                                      "context": "4", "embedding": "16", "hidden": "64"])
public func makeLanguageModel(architecture: [String: String], seed: UInt64 = 0) throws -> LanguageModel {
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
    var rng = RandomGenerator(seed: seed)
    switch architecture["kind"] {
    case "transformer":
        let config = TransformerConfig(vocabSize: try integer("vocab_size"), maxLength: try integer("max_length"),
                                       dModel: try integer("d_model"), layers: try integer("layers"),
                                       heads: try integer("heads"), mlpRatio: try integer("mlp_ratio", default: 4))
        try config.validate()
        try requireAllocatable(config.parameterCount)
        return try TransformerLM(config: config, rng: &rng)
    case "mlp":
        let config = MLPConfig(vocabSize: try integer("vocab_size"), maxLength: try integer("max_length"),
                               context: try integer("context"), embedding: try integer("embedding"),
                               hidden: try integer("hidden"), hiddenLayers: try integer("hidden_layers", default: 2))
        try config.validate()
        try requireAllocatable(config.parameterCount)
        return try MLPLM(config: config, rng: &rng)
    case let kind:
        throw ModelConfigurationError(context: "makeLanguageModel", message: "unknown model kind \(kind.map { "\"\($0)\"" } ?? "(missing \"kind\")"); expected \"transformer\" or \"mlp\"")
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
