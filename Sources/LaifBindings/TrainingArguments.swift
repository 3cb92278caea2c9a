import LaifLang
import LaifSim
import LaifTrain

/// Readers for the arguments trainers share: the optimizer, the held-out gold probe, the model
/// and the scorer.
extension Arguments {
    /// `optimizer:` as a name ("adamw", "rmsprop", "sgd", "paper", "constant") or a record
    /// {kind, warmup, cosine_min, clip, weight_decay, momentum, beta1, beta2} overriding the
    /// defaults (AdamW, 20 warmup steps, cosine to 10 %, clip 1; "paper" is the study's
    /// RMSprop at a constant rate, clip 10), or what `kind` names: {kind: "paper", clip: 5} is
    /// "paper" with clip 5.
    ///
    ///     let settings = try args.optimizerSettings("optimizer")
    func optimizerSettings(_ name: String, default fallback: OptimizerSettings = OptimizerSettings()) throws -> OptimizerSettings {
        let value = try value(name)
        switch value {
        case .nil: return fallback
        case .string(let text): return try namedOptimizer(text, fallback: fallback)
        case .record(let record):
            // kind names the bundle the other fields change, wherever it stands: it used to set
            // the optimizer alone, so {kind: "paper"} kept AdamW's warmup, cosine and clip 1
            // and trained differently from "paper".
            var settings = fallback
            if let kind = record["kind"] {
                guard case .string(let text) = kind else { throw error("optimizer.kind must be a string like \"rmsprop\"") }
                settings = try namedOptimizer(text, fallback: fallback)
            }
            for (key, field) in record.fields {
                func number() throws -> Double {
                    guard case .number(let n) = field, n.isFinite else {
                        throw error("optimizer.\(key) must be a finite number, got \(field.summary)")
                    }
                    return n
                }
                switch key {
                case "kind":
                    break
                case "warmup":
                    let n = try number()
                    // Bounded so every whole number the message allows converts (1e30 is whole, but no Int).
                    // The trainers' own limit (it said 0...1000000000 here and 0...10000000 there).
                    guard let steps = Int(exactly: n), (0...10_000_000).contains(steps) else {
                        throw error("optimizer.warmup must be a whole number of steps in 0...10000000, got \(formatLaifNumber(n))")
                    }
                    settings.warmupSteps = steps
                case "cosine_min":
                    settings.cosineMinFactor = field.isNil ? nil : Float(try number())
                case "clip":
                    settings.clipNorm = field.isNil ? nil : Float(try number())
                case "weight_decay": settings.weightDecay = Float(try number())
                case "momentum": settings.momentum = Float(try number())
                case "beta1": settings.beta1 = Float(try number())
                case "beta2": settings.beta2 = Float(try number())
                default:
                    throw error("optimizer has no setting '\(key)'; use kind, warmup, cosine_min, clip, weight_decay, momentum, beta1, beta2")
                }
            }
            return settings
        default:
            throw error("optimizer must be a name like \"rmsprop\" or a record like {kind: \"sgd\", clip: 10}, got \(value.typeName)")
        }
    }

    private func namedOptimizer(_ text: String, fallback: OptimizerSettings) throws -> OptimizerSettings {
        switch text.lowercased() {
        case "paper": return .paper
        case "constant": return .constant
        default:
            guard let kind = OptimizerKind(rawValue: text.lowercased()) else {
                throw error("optimizer must be one of \"adamw\", \"rmsprop\", \"sgd\", \"paper\", \"constant\", got \"\(text)\"")
            }
            var settings = fallback
            settings.kind = kind
            return settings
        }
    }

    /// `eval:` prompts (nil: none) measured every `eval_every` steps as eval/gold_quality.
    ///
    ///     config.evaluation = try args.goldProbe(world: data.world)
    func goldProbe(world: World) throws -> GoldProbe? {
        guard !isNil("eval") else { return nil }
        let prompts = try promptSet("eval", from: world, owner: "the training data", label: "the eval prompts")
        return GoldProbe(world: world, prompts: prompts.prompts, every: try int("eval_every", within: 0...10_000_000))
    }
}

/// The scorer a value stands for: an oracle as critic or a trained reward model; nil otherwise.
///
///     let scorer = responseScorer(args["reward"] ?? .nil)
func responseScorer(_ value: Value) -> ResponseScorer? {
    if let oracle = value.object(as: OracleObject.self) { return oracle.oracle }
    if let rm = value.object(as: RewardModelObject.self) { return rm.rewardModel }
    return nil
}

extension Arguments {
    /// The model passed as `name` (BIND1's model value).
    ///
    ///     let base = try args.modelValue("model")
    func modelValue(_ name: String) throws -> ModelValue {
        try object(name, as: ModelValue.self, expected: "a model (base_model(...), transformer(...), or a trainer's result)")
    }

    /// The scorer passed as `name`: an oracle (critic) or a reward model.
    ///
    ///     let reward = try args.scorer("reward")
    func scorer(_ name: String) throws -> ResponseScorer {
        let value = try value(name)
        guard let scorer = responseScorer(value) else {
            throw error("argument '\(name)' must be an oracle (critic) or a reward model, got \(value.typeName)")
        }
        return scorer
    }
}

/// The parameters every trainer shares, appended to its own.
let sharedTrainerParameters: [BuiltinParameter] = [
    .optional("optimizer", .nil), .optional("max_steps", .nil), .optional("seed", .number(0)),
    .optional("eval", .nil), .optional("eval_every", .number(50)), .optional("with_log", .bool(false)),
]
