import LaifLang
import LaifSim
import LaifTrain

/// Registers the trainers: `sft`, `dpo`, `reward_model`, `rloo`, `ppo`, `best_of_n`,
/// `expert_iteration`, and the log methods. Each trainer returns a new model (its input is
/// unchanged) whose lineage records the step; `with_log: true` returns `[model, log]`
/// instead. Ctrl-C stops a trainer at a step boundary and returns the model so far.
/// `progress` receives step reports (see `installTrainingProgress`).
///
///     let registry = BuiltinRegistry.core()
///     registerTrainingBindings(in: registry)
public func registerTrainingBindings(in registry: BuiltinRegistry, progress: TrainingProgressSink? = nil) {
    for trainer in [TrainingBuiltins.sft(progress), TrainingBuiltins.dpo(progress), TrainingBuiltins.rewardModel(progress),
                    TrainingBuiltins.rloo(progress), TrainingBuiltins.ppo(progress), TrainingBuiltins.expertIteration(progress),
                    TrainingBuiltins.bestOfN] {
        registry.register(trainer)
    }
    registry.registerMethod(typeName: "reward_model", TrainingBuiltins.rewardScore)
    registerLogMethods(in: registry)
}

enum TrainingBuiltins {
    /// Prompts for online trainers: `prompts:` when given, else 1,000 drawn from the reward's
    /// world with the next session seed.
    static func onlinePrompts(_ args: Arguments, world: World, _ context: CallContext) throws -> PromptSet {
        guard !args.isNil("prompts") else { return try args.simulating { try world.prompts(1_000, seed: context.nextSeed()) } }
        return try args.promptSet("prompts", from: world, owner: "the reward's").prompts
    }

    /// `sft(model, data, epochs: 3, lr: 0.0005, batch: 32, min_steps: 80, optimizer:, max_steps:, seed:, eval:, eval_every:, with_log:)`.
    ///
    ///     let s35 = sft(base, gpt35.demos(p10), epochs: 3)
    static func sft(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "sft",
            parameters: [.required("model"), .required("data"), .optional("epochs", .number(3)), .optional("lr", .number(SFTConfig().learningRate)),
                         .optional("batch", .number(32)), .optional("min_steps", .number(80))] + sharedTrainerParameters,
            doc: "Supervised fine-tuning on demonstrations (response-token NLL); returns a new model. At least min_steps steps.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); sft(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w).demos(w.prompts(8)), min_steps: 2, batch: 4)",
            topic: "training"
        ) { args, context in
            try checkWithLog(args)
            let input = try args.modelValue("model")
            let data = try args.object("data", as: SFTDatasetObject.self, expected: "a dataset (oracle.demos(prompts) or load_jsonl)").dataset
            var config = SFTConfig(epochs: try args.int("epochs"), minSteps: try args.int("min_steps"),
                                   maxSteps: try args.intIfGiven("max_steps"), learningRate: try args.number("lr"),
                                   batchSize: try args.int("batch"), seed: try args.seedValue("seed"))
            config.optimizer = try args.optimizerSettings("optimizer")
            config.evaluation = try args.goldProbe(world: data.world)
            let result = try trainCall(args) {
                try LaifTrain.sft(input.model, data: data, config: config, control: trainingControl(context, progress: progress))
            }
            let step = "sft(\(data.count) examples of \(data.source), epochs: \(config.epochs), lr: \(stepNumber(config.learningRate)), "
                + "batch: \(config.batchSize); \(result.stepsDoneText))"
            return try finishTraining(result, from: input, step: step, args, context)
        }
    }

    /// `dpo(model, prefs, beta: 0.05, loss: "sigmoid", nll: 0.05, epochs: 2, lr: 0.0005, batch: 64, ...)`.
    ///
    ///     let laif = dpo(s35, gpt4.label(s35.pairs(p90, against: gpt35)), beta: 0.05)
    static func dpo(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "dpo",
            parameters: [.required("model"), .required("prefs"), .optional("beta", .number(0.05)), .optional("loss", .string("sigmoid")),
                         .optional("nll", .number(0.05)), .optional("epochs", .number(2)), .optional("lr", .number(5e-4)),
                         .optional("batch", .number(64)), .optional("average_logps", .nil)] + sharedTrainerParameters,
            doc: "Direct preference optimisation (loss \"sigmoid\" or \"ipo\") against the input model as frozen reference; nll adds an NLL term on the chosen reply.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); let p = oracle(w, preset: \"davinci\").pairs(w.prompts(6), against: oracle(w, preset: \"gpt-3.5\")); dpo(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w).label(p), epochs: 1, batch: 3)",
            topic: "training"
        ) { args, context in
            try checkWithLog(args)
            let input = try args.modelValue("model")
            let prefs = try args.object("prefs", as: PreferenceDatasetObject.self, expected: "preferences (critic.label(pairs) or load_jsonl)").dataset
            let lossName = try args.string("loss")
            guard let loss = PreferenceLoss(rawValue: lossName) else {
                throw args.error("loss must be \"sigmoid\" or \"ipo\", got \"\(lossName)\"")
            }
            var config = DPOConfig(beta: try args.number("beta"), loss: loss, nllWeight: try args.number("nll"),
                                   averageLogProbs: args.isNil("average_logps") ? nil : try args.bool("average_logps"),
                                   epochs: try args.int("epochs"), maxSteps: try args.intIfGiven("max_steps"),
                                   learningRate: try args.number("lr"), batchSize: try args.int("batch"), seed: try args.seedValue("seed"))
            config.optimizer = try args.optimizerSettings("optimizer")
            config.evaluation = try args.goldProbe(world: prefs.world)
            let result = try trainCall(args) {
                try LaifTrain.dpo(input.model, prefs: prefs, config: config, control: trainingControl(context, progress: progress))
            }
            let step = "dpo(\(prefs.count) preferences of \(prefs.source), beta: \(stepNumber(config.beta)), loss: \(loss.rawValue), "
                + "nll: \(stepNumber(config.nllWeight)), epochs: \(config.epochs), lr: \(stepNumber(config.learningRate)); \(result.stepsDoneText))"
            return try finishTraining(result, from: input, step: step, args, context)
        }
    }

    /// `reward_model(model, prefs, epochs: 3, lr: 0.0005, batch: 32, held_out: 0.1, ...)`: a
    /// Bradley–Terry reward model; its held-out accuracy is `rm.accuracy`.
    ///
    ///     let rm = reward_model(s35, prefs)
    static func rewardModel(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "reward_model",
            parameters: [.required("model"), .required("prefs"), .optional("epochs", .number(3)), .optional("lr", .number(5e-4)),
                         .optional("batch", .number(32)), .optional("held_out", .number(0.1)),
                         .optional("optimizer", .nil), .optional("max_steps", .nil), .optional("seed", .number(0))],
            doc: "A Bradley–Terry reward model trained from preferences on a copy of the model; usable as reward: or scorer; rm.accuracy is held-out accuracy.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); let p = oracle(w, preset: \"davinci\").pairs(w.prompts(10), against: oracle(w, preset: \"gpt-3.5\")); reward_model(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w).label(p), epochs: 1, batch: 4)",
            topic: "training"
        ) { args, context in
            let input = try args.modelValue("model")
            let prefs = try args.object("prefs", as: PreferenceDatasetObject.self, expected: "preferences").dataset
            let config = RewardModelConfig(epochs: try args.int("epochs"), maxSteps: try args.intIfGiven("max_steps"),
                                           learningRate: try args.number("lr"), batchSize: try args.int("batch"),
                                           heldOutFraction: try args.number("held_out"),
                                           optimizer: try args.optimizerSettings("optimizer"), seed: try args.seedValue("seed"))
            let rm = try trainCall(args) {
                try LaifTrain.rewardModel(input.model, prefs: prefs, config: config, control: trainingControl(context, progress: progress))
            }
            if rm.interrupted { context.write("reward_model: interrupted; returning the reward model so far\n") }
            return .object(RewardModelObject(rm))
        }
    }

    /// `rloo(model, prompts: nil, reward:, kl: 0.05, k: 4, steps: 100, prompts_per_step: 16, lr: 0.0001, temperature: 1, ...)`.
    ///
    ///     let tuned = rloo(s35, prompts: p90, reward: gpt4, kl: 0.05, steps: 200)
    static func rloo(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "rloo",
            parameters: [.required("model"), .optional("prompts", .nil), .required("reward"), .optional("kl", .number(0.05)),
                         .optional("k", .number(4)), .optional("steps", .number(100)), .optional("prompts_per_step", .number(16)),
                         .optional("lr", .number(1e-4)), .optional("temperature", .number(1)), .optional("max_new", .nil)]
                + sharedTrainerParameters.filter { $0.name != "max_steps" },
            doc: "Online RL (REINFORCE leave-one-out) against an oracle critic or reward model, with a KL penalty to the input model.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); rloo(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), prompts: w.prompts(8), reward: oracle(w), steps: 2, prompts_per_step: 2)",
            topic: "training"
        ) { args, context in
            try checkWithLog(args)
            let input = try args.modelValue("model")
            let reward = try args.scorer("reward")
            let prompts = try onlinePrompts(args, world: reward.world, context)
            var config = RLOOConfig(k: try args.int("k"), kl: try args.number("kl"), steps: try args.int("steps"),
                                    promptsPerStep: try args.int("prompts_per_step"), learningRate: try args.number("lr"),
                                    temperature: try args.number("temperature"), maxNewTokens: try args.intIfGiven("max_new"),
                                    seed: try args.seedValue("seed"))
            if !args.isNil("optimizer") { config.optimizer = try args.optimizerSettings("optimizer", default: config.optimizer) }
            config.evaluation = try args.goldProbe(world: reward.world)
            let result = try trainCall(args) {
                try LaifTrain.rloo(input.model, prompts: prompts, reward: reward, config: config,
                                   control: trainingControl(context, progress: progress))
            }
            let step = "rloo(reward: \(reward.scorerName), kl: \(stepNumber(config.kl)), k: \(config.k), lr: \(stepNumber(config.learningRate)); "
                + "\(result.stepsDoneText))"
            return try finishTraining(result, from: input, step: step, args, context)
        }
    }

    /// `ppo(model, prompts: nil, reward:, kl: 0.05, steps: 100, prompts_per_step: 32, ppo_epochs: 4, mini_batches: 2, clip: 0.2, ...)`.
    ///
    ///     let tuned = ppo(s35, prompts: p90, reward: rm, steps: 100)
    static func ppo(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "ppo",
            parameters: [.required("model"), .optional("prompts", .nil), .required("reward"), .optional("kl", .number(0.05)),
                         .optional("steps", .number(100)), .optional("prompts_per_step", .number(32)),
                         .optional("ppo_epochs", .number(4)), .optional("mini_batches", .number(2)), .optional("clip", .number(0.2)),
                         .optional("lr", .number(1e-4)), .optional("value_lr", .number(3e-4)), .optional("temperature", .number(1)),
                         .optional("max_new", .nil)]
                + sharedTrainerParameters.filter { $0.name != "max_steps" },
            doc: "Online RL with PPO (clipped ratio, value head, GAE) against an oracle critic or reward model, with a KL penalty to the input model.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); ppo(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), prompts: w.prompts(8), reward: oracle(w), steps: 1, prompts_per_step: 4, ppo_epochs: 1)",
            topic: "training"
        ) { args, context in
            try checkWithLog(args)
            let input = try args.modelValue("model")
            let reward = try args.scorer("reward")
            let prompts = try onlinePrompts(args, world: reward.world, context)
            var config = PPOConfig(kl: try args.number("kl"), steps: try args.int("steps"),
                                   promptsPerStep: try args.int("prompts_per_step"), ppoEpochs: try args.int("ppo_epochs"),
                                   miniBatches: try args.int("mini_batches"), clipRange: try args.number("clip"),
                                   learningRate: try args.number("lr"), valueLearningRate: try args.number("value_lr"),
                                   temperature: try args.number("temperature"), maxNewTokens: try args.intIfGiven("max_new"),
                                   seed: try args.seedValue("seed"))
            if !args.isNil("optimizer") { config.optimizer = try args.optimizerSettings("optimizer", default: config.optimizer) }
            config.evaluation = try args.goldProbe(world: reward.world)
            let result = try trainCall(args) {
                try LaifTrain.ppo(input.model, prompts: prompts, reward: reward, config: config,
                                  control: trainingControl(context, progress: progress))
            }
            let step = "ppo(reward: \(reward.scorerName), kl: \(stepNumber(config.kl)), lr: \(stepNumber(config.learningRate)); "
                + "\(result.stepsDoneText))"
            return try finishTraining(result, from: input, step: step, args, context)
        }
    }

    /// `expert_iteration(model, scorer, prompts: nil, rounds: 3, n: 8, temperature: 1, lr: 0.0005, min_steps: 20, ...)`.
    ///
    ///     let ei = expert_iteration(s35, gpt4, prompts: p90, rounds: 3, n: 8)
    static func expertIteration(_ progress: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "expert_iteration",
            parameters: [.required("model"), .required("scorer"), .optional("prompts", .nil), .optional("rounds", .number(3)),
                         .optional("n", .number(8)), .optional("temperature", .number(1)), .optional("epochs", .number(1)),
                         .optional("lr", .number(5e-4)), .optional("batch", .number(32)), .optional("min_steps", .number(20))]
                + sharedTrainerParameters.filter { $0.name != "max_steps" },
            doc: "Expert iteration: each round samples n replies per prompt, keeps the scorer's best, and fine-tunes on them.",
            example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); expert_iteration(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w), prompts: w.prompts(4), rounds: 1, n: 2, min_steps: 1)",
            topic: "training"
        ) { args, context in
            try checkWithLog(args)
            let input = try args.modelValue("model")
            let scorer = try args.scorer("scorer")
            let prompts = try onlinePrompts(args, world: scorer.world, context)
            var sftConfig = SFTConfig(epochs: try args.int("epochs"), minSteps: try args.int("min_steps"),
                                      learningRate: try args.number("lr"), batchSize: try args.int("batch"))
            sftConfig.optimizer = try args.optimizerSettings("optimizer")
            let config = ExpertIterationConfig(rounds: try args.int("rounds"), n: try args.int("n"),
                                               temperature: try args.number("temperature"), sft: sftConfig,
                                               seed: try args.seedValue("seed"), evaluation: try args.goldProbe(world: scorer.world))
            let result = try trainCall(args) {
                try LaifTrain.expertIteration(input.model, prompts: prompts, scorer: scorer, config: config,
                                              control: trainingControl(context, progress: progress))
            }
            let step = "expert_iteration(scorer: \(scorer.scorerName), rounds: \(config.rounds), n: \(config.n); \(result.stepsDoneText))"
            return try finishTraining(result, from: input, step: step, args, context)
        }
    }

    /// `rm.score(prompt, response)`: the reward model's scalar score of one reply.
    ///
    ///     rm.score("t0 a b", "c d <eos>")
    static let rewardScore = Builtin(
        name: "score", parameters: [.required("prompt"), .required("response")],
        doc: "The reward model's score of one reply to a prompt (text or token ids); higher is preferred.",
        example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); let p = oracle(w, preset: \"davinci\").pairs(w.prompts(8), against: oracle(w, preset: \"gpt-3.5\")); reward_model(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w).label(p), epochs: 1, batch: 4).score(\"t0 a b\", \"c d <eos>\")",
        topic: "training"
    ) { args, _ in
        guard let rm = args.receiver?.object(as: RewardModelObject.self)?.rewardModel else { throw args.error("needs a reward model receiver") }
        let prompt = try args.prompt("prompt", in: rm.world)
        let reply = try args.reply("response", in: rm.world)
        let scores = try trainCall(args) { try rm.scores(prompts: [prompt], responses: [reply]) }
        guard let score = scores.first else { throw args.error("the reward model returned no score") }
        return .number(score)
    }

    /// `best_of_n(model, scorer, n: 8)`: a policy that samples n replies and keeps the scorer's
    /// best; evaluate it like a model.
    ///
    ///     let bo8 = best_of_n(s35, gpt4, 8)
    static let bestOfN = Builtin(
        name: "best_of_n",
        parameters: [.required("model"), .required("scorer"), .optional("n", .number(8))],
        doc: "A policy sampling n replies and keeping the one the scorer (oracle or reward model) rates highest; evaluate it like a model.",
        example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); best_of_n(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w), 4)",
        topic: "training"
    ) { args, _ in
        let input = try args.modelValue("model")
        let scorer = try args.scorer("scorer")
        let n = try args.int("n")
        return .object(PolicyObject(try trainCall(args) { try BestOfNPolicy(model: input.model, scorer: scorer, n: n) }))
    }
}
