import LaifDiagnose
import LaifLang
import LaifSim
import LaifTrain

/// Registers `diagnose(...)`: where an RL model's change over its SFT model came from, entry by
/// entry, and what SFT on the critic's own demonstrations would have given.
///
///     let registry = BuiltinRegistry.core()
///     registerDiagnoseBindings(in: registry)
public func registerDiagnoseBindings(in registry: BuiltinRegistry, progress: TrainingProgressSink? = nil) {
    registry.register(DiagnoseBuiltins.diagnose(progress))
}

enum DiagnoseBuiltins {
    /// `diagnose(sft, rl, teacher:, critic:, judge:, prompts: nil, vs: nil, counterfactual: nil, base: nil,
    /// sft_prompts: nil, epochs: 3, lr: 0.0005, batch: 32, min_steps: 80, support: 0.05, harm: 0.01,
    /// temperature: 0.7, top_p: 0.9, seed: 0)`.
    ///
    ///     let d = diagnose(sft: s35, rl: laif, teacher: gpt35, critic: gpt4, judge: gpt4, prompts: test,
    ///                      base: base, sft_prompts: p10 ++ p90)
    ///     assert d.unreachable < 0.01
    static func diagnose(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "diagnose",
            parameters: [.required("sft"), .required("rl"), .required("teacher"), .required("critic"), .required("judge"),
                         .optional("prompts", .nil), .optional("vs", .nil), .optional("counterfactual", .nil),
                         .optional("base", .nil), .optional("sft_prompts", .nil), .optional("epochs", .number(3)),
                         .optional("lr", .number(SFTConfig().learningRate)), .optional("batch", .number(32)), .optional("min_steps", .number(80)),
                         .optional("support", .number(0.05)), .optional("harm", .number(0.01)),
                         .optional("temperature", .number(0.7)), .optional("top_p", .number(0.9)), .optional("seed", .number(0))],
            doc: "Attributes RL's change over SFT entry by entry (elicited, unreachable, sharpened, ceiling, harm), the judge-only gain by cause (beliefs, voice, length, position), and SFT on the critic (counterfactual: model, or base: with sft_prompts:); returns a diagnosis that prints as a table and verdict.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2); diagnose(m, m, teacher: oracle(w, preset: \"gpt-3.5\"), critic: oracle(w), judge: oracle(w), prompts: w.prompts(20))",
            topic: "training"
        ) { args, context in
            let sft = try args.modelValue("sft"), rl = try args.modelValue("rl")
            let critic = try args.oracle("critic").oracle
            let world = critic.world
            let teacher = try args.oracle("teacher").oracle, judge = try args.oracle("judge").oracle
            for (name, oracle) in [("teacher", teacher), ("judge", judge)] where oracle.world !== world {
                throw args.error("the \(name) belongs to another world than the critic; make every oracle from the same world")
            }
            let reference: Oracle
            if args.isNil("vs") {
                reference = try args.simulating { try Oracle(world: world, preset: "davinci") }
            } else {
                reference = try args.oracle("vs").oracle
                guard reference.world === world else { throw args.error("the reference vs belongs to another world than the critic") }
            }
            let prompts = try evaluationPrompts(args, world: world)
            let (source, counterfactualBase) = try counterfactualSource(args, world: world, critic: critic)
            let settings = DiagnosisSettings(supportThreshold: try args.number("support"), harmThreshold: try args.number("harm"),
                                             temperature: try args.number("temperature"), topP: try args.number("top_p"),
                                             seed: try args.seedValue("seed"))
            try context.checkInterrupt()
            let diagnosis = try trainCall(args) {
                try LaifDiagnose.diagnose(sft: sft.model, rl: rl.model, teacher: teacher, critic: critic, judge: judge,
                                          reference: reference, prompts: prompts, counterfactual: source, settings: settings,
                                          control: trainingControl(context, progress: progress))
            }
            var counterfactualValue: ModelValue?
            if let cf = diagnosis.counterfactual {
                if let given = try? args.modelValue("counterfactual") {
                    counterfactualValue = given
                } else if let base = counterfactualBase {
                    counterfactualValue = base.derived(cf.model, step: "sft(\(cf.source))")
                }
            }
            return .object(DiagnosisObject(diagnosis, counterfactualModel: counterfactualValue))
        }
    }

    /// `prompts:` when given (from the critic's world), else the 805 fixed prompts `evaluate` uses.
    static func evaluationPrompts(_ args: Arguments, world: World) throws -> PromptSet {
        guard !args.isNil("prompts") else {
            return try args.simulating {
                try world.prompts(EvaluationBuiltins.defaultPromptCount, seed: EvaluationBuiltins.defaultPromptSeed)
            }
        }
        return try args.promptSet("prompts", from: world, owner: "the critic's").prompts
    }

    /// The counterfactual from `counterfactual:` (a ready model) or `base:` with `sft_prompts:`
    /// (trained here on the critic's demonstrations), and the base model value when training.
    static func counterfactualSource(_ args: Arguments, world: World, critic: Oracle) throws -> (CounterfactualSource, ModelValue?) {
        let hasModel = !args.isNil("counterfactual"), hasBase = !args.isNil("base"), hasPrompts = !args.isNil("sft_prompts")
        if hasModel {
            guard !hasBase && !hasPrompts else {
                throw args.error("give either counterfactual: (a ready model) or base: with sft_prompts: (to train one), not both")
            }
            let model = try args.modelValue("counterfactual")
            return (.model(model.model), nil)
        }
        guard hasBase || hasPrompts else { return (.none, nil) }
        guard hasBase && hasPrompts else {
            throw args.error(hasBase ? "base: needs sft_prompts: (the prompts to demonstrate on, e.g. p10 ++ p90)"
                                     : "sft_prompts: needs base: (the base model SFT on the critic starts from)")
        }
        let base = try args.modelValue("base")
        let sftPrompts = try args.promptSet("sft_prompts", from: world, owner: "the critic's", label: "sft_prompts")
        let config = SFTConfig(epochs: try args.int("epochs"), minSteps: try args.int("min_steps"), learningRate: try args.number("lr"),
                               batchSize: try args.int("batch"), seed: try args.seedValue("seed"))
        return (.train(base: base.model, prompts: sftPrompts.prompts, config: config), base)
    }
}
