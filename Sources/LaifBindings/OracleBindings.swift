import LaifLang
import LaifSim

/// Registers `oracle(...)` and the oracle's methods: as teacher `demos`, `respond`, `pairs`,
/// `quality`; as critic `label`, `score`, `prefers`; and `knows`.
///
///     let registry = BuiltinRegistry.core()
///     registerOracleBindings(in: registry)
public func registerOracleBindings(in registry: BuiltinRegistry) {
    registry.register(OracleBuiltins.oracle)
    for method in [OracleBuiltins.demos, OracleBuiltins.label, OracleBuiltins.pairs, OracleBuiltins.respond,
                   OracleBuiltins.score, OracleBuiltins.prefers, OracleBuiltins.knows, OracleBuiltins.quality] {
        registry.registerMethod(typeName: "oracle", method)
    }
}

enum OracleBuiltins {
    static func receiver(_ args: Arguments) throws -> Oracle {
        guard let object = args.receiver?.object(as: OracleObject.self) else { throw args.error("needs an oracle receiver") }
        return object.oracle
    }

    /// The keyword knobs of `oracle(...)` and the config field each overrides.
    static let knobNames = ["name", "family", "strength", "habit", "slip", "verbosity", "max_fillers", "length_bias",
                            "voice", "family_bias", "position_bias", "temperature", "flip", "jitter", "seed"]

    /// `oracle(w, preset: "gpt-4", strength:, family:, habit:, slip:, verbosity:, max_fillers:,
    /// length_bias:, voice:, family_bias:, position_bias:, temperature:, flip:, jitter:, seed:,
    /// name:)`: a preset with any knob overridden. `name` is the oracle's label and also seeds
    /// its own draws (slips, fillers, label coins): a renamed copy knows the same entries and
    /// habits but draws anew, as `seed:` does for one name.
    ///
    ///     let biased = oracle(w, preset: "gpt-4", length_bias: 1.0, name: "gpt-4-verbose")
    ///     let impartial = oracle(w, preset: "gpt-4", family_bias: 0)
    static let oracle = Builtin(
        name: "oracle",
        parameters: [.required("w"), .optional("preset", .string("gpt-4"))] + knobNames.map { .optional($0, .nil) },
        doc: "A simulated LLM (teacher, critic, judge): a preset (davinci, gpt-3.5, gpt-4, claude, gold) with any knob overridden.",
        example: "oracle(world(), preset: \"gpt-3.5\", verbosity: 0.5)",
        topic: "world"
    ) { args, _ in
        let world = try args.world("w").world
        let preset = try args.string("preset")
        var config = try args.simulating { try OracleConfig.preset(preset) }
        if let name = try args.stringIfGiven("name") { config.name = name }
        if let family = try args.stringIfGiven("family") { config.family = family }
        if let strength = try args.numberIfGiven("strength") { config.strength = strength }
        if let habit = try args.numberIfGiven("habit") { config.habitRate = habit }
        if let slip = try args.numberIfGiven("slip") { config.slipRate = slip }
        if let verbosity = try args.numberIfGiven("verbosity") { config.verbosity = verbosity }
        if let maxFillers = try args.intIfGiven("max_fillers") { config.maxFillers = maxFillers }
        if let bias = try args.numberIfGiven("length_bias") { config.lengthBias = bias }
        if let voice = try args.numberIfGiven("voice") { config.voice = voice }
        if let bias = try args.numberIfGiven("family_bias") { config.familyBias = bias }
        if let bias = try args.numberIfGiven("position_bias") { config.positionBias = bias }
        if let temperature = try args.numberIfGiven("temperature") { config.temperature = temperature }
        if let flip = try args.numberIfGiven("flip") { config.flipRate = flip }
        if let jitter = try args.numberIfGiven("jitter") { config.jitter = jitter }
        if !args.isNil("seed") { config.seed = try args.seedValue("seed") }
        return .object(OracleObject(try args.simulating { try Oracle(world: world, config: config) }))
    }

    /// `o.demos(prompts)`: this oracle's reply to every prompt, as an SFT dataset.
    ///
    ///     let d = gpt35.demos(p10)
    static let demos = Builtin(
        name: "demos", parameters: [.required("prompts")],
        doc: "Demonstrations: this oracle's reply to every prompt, as an SFT dataset.",
        example: "let w = world(); oracle(w, preset: \"gpt-3.5\").demos(w.prompts(3))", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompts = try args.promptSet("prompts", from: oracle.world, owner: "the oracle's")
        return .object(SFTDatasetObject(oracle.demos(prompts.prompts)))
    }

    /// `o.label(pairs)`: this oracle as critic labels unlabelled pairs -> preferences.
    ///
    ///     let prefs = gpt4.label(model.pairs(p90, against: gpt35))
    static let label = Builtin(
        name: "label", parameters: [.required("pairs")],
        doc: "Preferences: this oracle, as critic, picks the reply it prefers in each pair.",
        example: "let w = world(); let ps = w.prompts(3); oracle(w).label(oracle(w, preset: \"davinci\").pairs(ps, against: oracle(w, preset: \"gpt-3.5\")))",
        topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let pairs = try args.object("pairs", as: PairSetObject.self, expected: "pairs (from model.pairs(...) or oracle.pairs(...))")
        guard pairs.pairs.world === oracle.world else { throw args.error("the pairs come from another world than the oracle's") }
        return .object(PreferenceDatasetObject(oracle.label(pairs.pairs)))
    }

    /// `o.pairs(prompts, against: other)`: this oracle's reply (first) against another
    /// oracle's (second) on each prompt, unlabelled.
    ///
    ///     let pairs = gpt35.pairs(ps, against: davinci)
    static let pairs = Builtin(
        name: "pairs", parameters: [.required("prompts"), .required("against")],
        doc: "Unlabelled pairs: this oracle's reply against another oracle's on each prompt.",
        example: "let w = world(); oracle(w, preset: \"gpt-3.5\").pairs(w.prompts(3), against: oracle(w, preset: \"davinci\"))",
        topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompts = try args.promptSet("prompts")
        let other = try args.oracle("against").oracle
        guard prompts.world === oracle.world, other.world === oracle.world else {
            throw args.error("the prompts and both oracles must belong to one world")
        }
        return .object(PairSetObject(oracle.pairs(prompts.prompts, against: other)))
    }

    /// `o.respond(prompt, sample: 0)`: one reply as text (sample picks another draw).
    ///
    ///     gpt4.respond("t0 a b")
    static let respond = Builtin(
        name: "respond", parameters: [.required("prompt"), .optional("sample", .number(0))],
        doc: "This oracle's reply to one prompt, as text; sample: k gives the k-th independent draw.",
        example: "oracle(world()).respond(\"t0 a b\")", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompt = try args.prompt("prompt", in: oracle.world)
        let sample = try args.int("sample", within: 0...1_000_000_000)
        return .string(oracle.world.text(oracle.respond(prompt, sample: sample)))
    }

    /// `o.score(prompt, response)`: the critic's score of a reply by its own beliefs: prompt
    /// length × the quality it believes (a reply that does not end with EOS in time fails the
    /// instruction and believes -1), plus its length bias per filler, plus its family bias when
    /// a filler is in its family's voice (minus it when one is in another voice).
    ///
    ///     gpt4.score("t0 a b", "c d <eos>")
    static let score = Builtin(
        name: "score", parameters: [.required("prompt"), .required("response")],
        doc: "The critic's score of a reply: prompt length × the quality it believes (-1 for a run-on reply), plus length bias × fillers, plus family bias if a filler is in its voice (minus it if in another).",
        example: "let w = world(); oracle(w).score(\"t0 a b\", w.gold_reply(\"t0 a b\"))", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompt = try args.prompt("prompt", in: oracle.world)
        return .number(oracle.score(prompt, try args.reply("response", in: oracle.world)))
    }

    /// `o.prefers(prompt, first, second)`: probability that this critic prefers `first` when
    /// it is shown first, as a sampled label would be drawn (Bradley–Terry on the score
    /// difference, position bias, and the label-flip rate; judges' win rates leave flips out).
    ///
    ///     gpt4.prefers("t0 a b", good, bad)   # near 0.95: the 5% flip rate caps it
    static let prefers = Builtin(
        name: "prefers", parameters: [.required("prompt"), .required("first"), .required("second")],
        doc: "Probability that this critic labels first over second (first shown first), its flip rate included.",
        example: "let w = world(); oracle(w).prefers(\"t0 a b\", w.gold_reply(\"t0 a b\"), \"<eos>\")", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompt = try args.prompt("prompt", in: oracle.world)
        return .number(oracle.preferenceProbability(prompt, first: try args.reply("first", in: oracle.world),
                                                    second: try args.reply("second", in: oracle.world)))
    }

    /// `o.knows(task, token)`: whether this oracle knows an entry (task index, content token as
    /// a letter or index).
    ///
    ///     gpt4.knows(0, "a")
    static let knows = Builtin(
        name: "knows", parameters: [.required("task"), .required("token")],
        doc: "Whether this oracle knows the entry (task index, content token as a letter like \"c\" or an index).",
        example: "oracle(world()).knows(0, \"a\")", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        return .bool(oracle.knows(try WorldBuiltins.entry(args, in: oracle.world)))
    }

    /// `o.quality(prompts)`: mean gold quality of this oracle's replies.
    ///
    ///     gpt4.quality(test)   # about 0.8
    static let quality = Builtin(
        name: "quality", parameters: [.required("prompts")],
        doc: "Mean gold quality of this oracle's replies to the prompts.",
        example: "let w = world(); oracle(w).quality(w.prompts(20))", topic: "world"
    ) { args, _ in
        let oracle = try receiver(args)
        let prompts = try args.promptSet("prompts", from: oracle.world, owner: "the oracle's")
        try args.requireSomePrompts(prompts)
        return .number(oracle.quality(prompts.prompts))
    }
}
