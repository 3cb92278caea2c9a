import LaifLang
import LaifSim

/// Registers `bandit(...)`, the study's toy that shows why RL's gain is capped by the
/// student's own support (PAPER.md, "The mechanistic explanation").
///
///     let registry = BuiltinRegistry.core()
///     registerBanditBindings(in: registry)
public func registerBanditBindings(in registry: BuiltinRegistry) {
    registry.register(banditBuiltin)
}

/// `bandit(beta: 0.1, teacher_mean: 80, student_mean: 40, pairs: 250000, label_noise: 0,
/// seed: 0, ...)`: runs the bandit by its real procedure (sampled pairs, SGD-trained tabular
/// reward, closed-form KL-tilted RL policy, SGD-trained tabular SFT).
///
///     bandit(beta: 0.01).rl
let banditBuiltin = Builtin(
    name: "bandit",
    parameters: [.optional("beta", .number(0.1)), .optional("teacher_mean", .number(80)), .optional("student_mean", .number(40)),
                 .optional("pairs", .number(250_000)), .optional("label_noise", .number(0)), .optional("seed", .number(0)),
                 .optional("pair_source", .string("student")), .optional("actions", .number(100)),
                 .optional("variance", .number(150)), .optional("reward_steps", .number(7_500)),
                 .optional("reward_lr", .number(0.01)), .optional("sft_samples", .number(250_000)),
                 .optional("sft_steps", .number(15_000)), .optional("sft_lr", .number(0.01))],
    doc: "The study's bandit: expected true reward of student, teacher, SFT and KL-tilted RL; pair_source \"student\" or \"student-vs-teacher\".",
    example: "bandit(pairs: 2000, reward_steps: 200, sft_samples: 2000, sft_steps: 200).rl",
    topic: "world"
) { args, _ in
    var config = BanditConfig()
    config.beta = try args.number("beta")
    config.teacherMean = try args.number("teacher_mean")
    config.studentMean = try args.number("student_mean")
    config.pairs = try args.int("pairs")
    config.labelNoise = try args.number("label_noise")
    config.seed = try args.seedValue("seed")
    let source = try args.string("pair_source")
    guard let pairSource = BanditConfig.PairSource(rawValue: source) else {
        throw args.error("pair_source must be "
            + BanditConfig.PairSource.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ") + ", got \"\(source)\"")
    }
    config.pairSource = pairSource
    config.actions = try args.int("actions")
    config.variance = try args.number("variance")
    config.rewardSteps = try args.int("reward_steps")
    config.rewardLearningRate = try args.number("reward_lr")
    config.sftSamples = try args.int("sft_samples")
    config.sftSteps = try args.int("sft_steps")
    config.sftLearningRate = try args.number("sft_lr")
    return .object(BanditObject(try args.simulating { try runBandit(config) }))
}
