import Foundation
import LaifLang
import LaifModels
import LaifTensor

/// Registers the model builtins (`transformer`, `mlp`, `save`, `load`) and model methods
/// (`sample`, `logprob`, `token_logprobs`, `logits`, `clone`). `printOptions` are the tensor
/// print options of the same registry (from `registerTensorBindings`), used by `m.logits`.
///
///     let printOptions = registerTensorBindings(in: registry)
///     registerModelBindings(in: registry, printOptions: printOptions)
public func registerModelBindings(in registry: BuiltinRegistry, printOptions: TensorPrintOptions = TensorPrintOptions()) {
    for builtin in ModelBuiltins.constructors() + ModelBuiltins.files() {
        registry.register(builtin)
    }
    for method in ModelMethods.all(printOptions) {
        registry.registerMethod(typeName: "model", method)
    }
}

/// Free functions that make, save and load models.
enum ModelBuiltins {
    /// Most parameters one model may have (the tensor limit: 1 GiB of Float32 weights).
    static let maxParameters = Tensor.maxElementCount

    static func constructors() -> [Builtin] {
        [
            /// `transformer(vocab, d_model: 48, layers: 2, heads: 4, max_len: 32, mlp_ratio: 4, seed: nil)`:
            /// a freshly initialised causal transformer LM.
            ///
            ///     let m = transformer(vocab: 24, d_model: 32, layers: 1, heads: 2)
            Builtin(name: "transformer",
                    parameters: [.required("vocab"), .optional("d_model", .number(48)), .optional("layers", .number(2)),
                                 .optional("heads", .number(4)), .optional("max_len", .number(32)),
                                 .optional("mlp_ratio", .number(4)), .optional("seed", .nil)],
                    doc: "A new causal transformer language model (pre-LN, GELU MLP), weights drawn from the session seed unless seed is given.",
                    example: "transformer(vocab: 24, d_model: 16, layers: 1, heads: 2, max_len: 16)", topic: "model") { args, context in
                let seed = try TensorBuiltins.seed(args, context)
                let config = TransformerConfig(vocabSize: try args.int("vocab"), maxLength: try args.int("max_len"),
                                               dModel: try args.int("d_model"), layers: try args.int("layers"),
                                               heads: try args.int("heads"), mlpRatio: try args.int("mlp_ratio"))
                try validated { try config.validate() }
                try checkSize(config.parameterCount, args)
                var rng = RandomGenerator(seed: seed)
                let model = try tensorCall { try TransformerLM(config: config, rng: &rng) }
                let step = "transformer(vocab: \(config.vocabSize), d_model: \(config.dModel), layers: \(config.layers), heads: \(config.heads), max_len: \(config.maxLength), mlp_ratio: \(config.mlpRatio), seed: \(seed))"
                return .object(ModelValue(model: model, lineage: [step]))
            },
            /// `mlp(vocab, context: 8, embedding: 32, hidden: 256, layers: 2, max_len: 32, seed: nil)`:
            /// a freshly initialised context-window MLP LM.
            ///
            ///     let m = mlp(vocab: 24, context: 4, embedding: 8, hidden: 32)
            Builtin(name: "mlp",
                    parameters: [.required("vocab"), .optional("context", .number(8)), .optional("embedding", .number(32)),
                                 .optional("hidden", .number(256)), .optional("layers", .number(2)),
                                 .optional("max_len", .number(32)), .optional("seed", .nil)],
                    doc: "A new context-window MLP language model (the last `context` tokens' embeddings through GELU layers).",
                    example: "mlp(vocab: 24, context: 4, embedding: 8, hidden: 32, max_len: 16)", topic: "model") { args, context in
                let seed = try TensorBuiltins.seed(args, context)
                let config = MLPConfig(vocabSize: try args.int("vocab"), maxLength: try args.int("max_len"),
                                       context: try args.int("context"), embedding: try args.int("embedding"),
                                       hidden: try args.int("hidden"), hiddenLayers: try args.int("layers"))
                try validated { try config.validate() }
                try checkSize(config.parameterCount, args)
                var rng = RandomGenerator(seed: seed)
                let model = try tensorCall { try MLPLM(config: config, rng: &rng) }
                let step = "mlp(vocab: \(config.vocabSize), context: \(config.context), embedding: \(config.embedding), hidden: \(config.hidden), layers: \(config.hiddenLayers), max_len: \(config.maxLength), seed: \(seed))"
                return .object(ModelValue(model: model, lineage: [step]))
            },
        ]
    }

    /// Runs a configuration check, naming sizes as the language's keywords do.
    private static func validated(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as ModelConfigurationError {
            throw LaifError.runtime(withKeywordNames(error.message))
        }
    }

    /// Refuses models too large to allocate safely.
    private static func checkSize(_ parameters: Int, _ args: Arguments) throws {
        guard parameters <= maxParameters else {
            throw args.error("these sizes give \(ModelValue.grouped(parameters)) parameters, more than the limit of \(ModelValue.grouped(maxParameters)); choose smaller sizes")
        }
    }

    /// Metadata key holding the lineage in a checkpoint (one step per line).
    static let lineageKey = "lineage"

    static func files() -> [Builtin] {
        [
            /// `save(model, path)`: writes a safetensors checkpoint (atomically), lineage included.
            ///
            ///     save(m, "runs/sft.safetensors")
            Builtin(name: "save", parameters: [.required("model"), .required("path")],
                    doc: "Write the model to a safetensors checkpoint (atomically; readable by Python's safetensors), with its lineage.",
                    example: "save(mlp(vocab: 8, embedding: 4, hidden: 8), \"/tmp/laif-example.safetensors\")",
                    topic: "model") { args, _ in
                let value = try args.object("model", as: ModelValue.self, expected: "a model")
                let path = try args.string("path")
                guard !path.isEmpty else { throw LaifError.io("save(): the path is empty; give a file name such as \"model.safetensors\"") }
                let metadata = [lineageKey: value.lineage.joined(separator: "\n")]
                try tensorCall { try saveCheckpoint(value.model, to: path, metadata: metadata) }
                return .nil
            },
            /// `load(path)`: reads a checkpoint written by `save`; its lineage gains a `load` step.
            ///
            ///     let m = load("runs/sft.safetensors")
            Builtin(name: "load", parameters: [.required("path")],
                    doc: "Read a model from a safetensors checkpoint written by save (architecture, weights and lineage).",
                    example: "load(\"/tmp/laif-example.safetensors\")", topic: "model") { args, _ in
                let path = try args.string("path")
                guard !path.isEmpty else { throw LaifError.io("load(): the path is empty; give a file name such as \"model.safetensors\"") }
                let checkpoint = try tensorCall { try readCheckpoint(from: path) }
                var lineage = checkpoint.metadata[lineageKey].map { $0.split(separator: "\n").map(String.init) } ?? []
                lineage.append("load(\(ValuePrinter.quote(path)))")
                return .object(ModelValue(model: checkpoint.model, lineage: lineage))
            },
        ]
    }
}
