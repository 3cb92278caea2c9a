import LaifLang
import LaifModels
import LaifSim
import LaifTrain

/// Registers `evaluate(...)` and the reply methods every policy (a model or a best-of-n
/// policy) has: `quality(prompts)` and `replies(prompts)`.
///
///     let registry = BuiltinRegistry.core()
///     registerEvaluationBindings(in: registry)
public func registerEvaluationBindings(in registry: BuiltinRegistry) {
    registry.register(EvaluationBuiltins.evaluate)
    for typeName in ["model", "policy"] {
        registry.registerMethod(typeName: typeName, EvaluationBuiltins.quality)
        registry.registerMethod(typeName: typeName, EvaluationBuiltins.replies)
    }
}

/// Something that replies to prompts of `world`: a model (plain sampling) or a policy value
/// (best-of-n); nil for any other value.
///
///     let policy = replyPolicy(value, world: w)
func replyPolicy(_ value: Value, world: World) -> ReplyPolicy? {
    if let model = value.object(as: ModelValue.self) { return ModelPolicy(model.model, world: world) }
    if let policy = value.object(as: PolicyObject.self) { return policy.policy }
    return nil
}

/// A short display name for a model or policy: its last lineage step's function ("sft",
/// "dpo"), or "best_of_n".
func shortName(of value: Value) -> String {
    if let model = value.object(as: ModelValue.self), let last = model.lineage.last {
        return String(last.prefix { $0 != "(" })
    }
    if value.object(as: PolicyObject.self) != nil { return "best_of_n" }
    return value.typeName
}

enum EvaluationBuiltins {
    /// Checks that a policy replies in `world` and reads its tokens; `owner` says whose world
    /// that is (the judge's for evaluate, the prompts' for quality and replies, which have no judge).
    static func check(_ policy: ReplyPolicy, named name: String, world: World, owner: String = "the judge's",
                      _ args: Arguments) throws {
        if let model = (policy as? ModelPolicy)?.model ?? (policy as? BestOfNPolicy)?.model, model.vocabSize != world.vocabSize {
            throw args.error("\(name) reads \(model.vocabSize) token ids but the world has \(world.vocabSize); use a model made for this world (base_model(w, ...))")
        }
        if policy.world !== world { throw args.error("\(name) replies in another world than \(owner)") }
    }

    /// The (name, policy) pairs of `models`: a list of models/policies (named by `names:` or by
    /// their last training step) or a record of them (named by its keys).
    static func namedPolicies(_ args: Arguments, world: World) throws -> [(name: String, policy: ReplyPolicy)] {
        let given = try args.value("models")
        // `place` names an entry in errors by where it was given: a non-model's short name is
        // its type, which said nothing ("oracle must be a model ..., got oracle").
        var entries: [(name: String, value: Value, place: String)]
        switch given {
        case .record(let record): entries = record.fields.map { ($0.key, $0.value, "models.\($0.key)") }
        case .list(let items): entries = items.enumerated().map { (shortName(of: $1), $1, "models[\($0)]") }
        case .object: entries = [(shortName(of: given), given, "models")]
        default: throw args.error("models must be a list or a record of models, got \(given.typeName)")
        }
        guard !entries.isEmpty else { throw args.error("models is empty; give at least one model") }
        if !args.isNil("names") {
            let names = try args.list("names")
            guard names.count == entries.count else {
                throw args.error("names has \(names.count) entries for \(entries.count) models")
            }
            for (i, name) in names.enumerated() {
                guard case .string(let text) = name else { throw args.error("names[\(i)] must be a string, got \(name.typeName)") }
                // A blank name made a row with no label, and ev[""] the only way to reach it.
                guard !text.allSatisfy(\.isWhitespace) else {
                    throw args.error("names[\(i)] is empty; give every model a name, e.g. names: [\"sft\", \"dpo\"]")
                }
                entries[i].name = text
            }
        }
        // Repeated names get "#2", "#3" so every row of the table can be told apart.
        var seen: [String: Int] = [:]
        for i in entries.indices {
            let count = (seen[entries[i].name] ?? 0) + 1
            seen[entries[i].name] = count
            if count > 1 { entries[i].name += "#\(count)" }
        }
        return try entries.map { entry in
            guard let policy = replyPolicy(entry.value, world: world) else {
                let hint = entry.value.typeName == "oracle" ? "; an oracle is the judge or the reference (vs:), not a model to rate" : ""
                throw args.error("\(entry.place) must be a model or a policy (best_of_n), got \(entry.value.typeName)\(hint)")
            }
            try check(policy, named: entry.name, world: world, args)
            return (entry.name, policy)
        }
    }

    /// Without `prompts:`, evaluate draws this many (AlpacaEval 1.0 has 805 instructions)...
    static let defaultPromptCount = 805
    /// ...always with this seed, so default evaluations of one world are comparable.
    static let defaultPromptSeed: UInt64 = 805

    /// `evaluate(models, judge:, prompts: nil, vs: nil, temperature: 0.7, top_p: 0.9, names: nil, seed: 0)`;
    /// prompts nil draws 805 fixed prompts of the judge's world (seed 805).
    ///
    ///     let ev = evaluate({s35: s35, laif: laif}, judge: gpt4, prompts: test)
    static let evaluate = Builtin(
        name: "evaluate",
        parameters: [.required("models"), .required("judge"), .optional("prompts", .nil), .optional("vs", .nil),
                     .optional("temperature", .number(0.7)), .optional("top_p", .number(0.9)), .optional("names", .nil),
                     .optional("seed", .number(0))],
        doc: "AlpacaEval-style table: each model's replies judged against the reference vs (default davinci) by judge and by gold; win rates in %; prompts nil draws 805 fixed ones.",
        example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); evaluate([transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2)], judge: oracle(w), prompts: w.prompts(5))",
        topic: "world"
    ) { args, context in
        let judge = try args.oracle("judge").oracle
        let world = judge.world
        let reference: Oracle
        if args.isNil("vs") {
            reference = try args.simulating { try Oracle(world: world, preset: "davinci") }
        } else {
            reference = try args.oracle("vs").oracle
            guard reference.world === world else { throw args.error("the reference vs belongs to another world than the judge") }
        }
        let prompts: PromptSetObject
        if args.isNil("prompts") {
            // AlpacaEval's size, one fixed draw: every default evaluation of a world sees the same prompts.
            prompts = PromptSetObject(try args.simulating { try world.prompts(defaultPromptCount, seed: defaultPromptSeed) }, world: world)
        } else {
            prompts = try args.promptSet("prompts", from: world, owner: "the judge's")
        }
        let policies = try namedPolicies(args, world: world)
        let temperature = try args.number("temperature"), topP = try args.number("top_p")
        let seed = try args.seedValue("seed")
        try context.checkInterrupt()
        let table = try trainCall(args) {
            try evaluatePolicies(policies, judge: judge, reference: reference, prompts: prompts.prompts,
                                 temperature: temperature, topP: topP, seed: seed)
        }
        return .object(EvaluationObject(table))
    }

    /// `m.quality(prompts, temperature: 0.7, top_p: 0.9, seed: 0)`: mean gold quality of the
    /// model's (or policy's) sampled replies.
    ///
    ///     s4.quality(test)   # about 0.8
    static let quality = Builtin(
        name: "quality",
        parameters: [.required("prompts"), .optional("temperature", .number(0.7)), .optional("top_p", .number(0.9)),
                     .optional("seed", .number(0))],
        doc: "Mean gold quality of the replies sampled at temperature / top_p (the study's evaluation decoding by default).",
        example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2).quality(w.prompts(5))",
        topic: "world"
    ) { args, _ in
        let (policy, prompts, options) = try replyRequest(args)
        try args.requireSomePrompts(prompts)
        return .number(try trainCall(args) { try policyQuality(policy, prompts: prompts.prompts, options: options) }.value)
    }

    /// `m.replies(prompts, temperature: 0.7, top_p: 0.9, seed: 0)`: the sampled reply to each
    /// prompt, as text.
    ///
    ///     m.replies(w.prompts(3))   # ["c d <eos>", ...]
    static let replies = Builtin(
        name: "replies",
        parameters: [.required("prompts"), .optional("temperature", .number(0.7)), .optional("top_p", .number(0.9)),
                     .optional("seed", .number(0))],
        doc: "The reply sampled for each prompt, as the world's text (token spelling).",
        example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2).replies(w.prompts(2))",
        topic: "world"
    ) { args, _ in
        let (policy, prompts, options) = try replyRequest(args)
        let texts = try trainCall(args) { try policy.replies(to: prompts.prompts, options: options) }
        return .list(texts.map { .string(prompts.world.text($0)) })
    }

    /// The receiver as a policy checked against the prompts' world, the prompts, and the
    /// decoding options: what `quality` and `replies` share.
    private static func replyRequest(_ args: Arguments) throws -> (ReplyPolicy, PromptSetObject, ReplyOptions) {
        let prompts = try args.promptSet("prompts")
        let receiver = args.receiver ?? .nil
        guard let policy = replyPolicy(receiver, world: prompts.world) else { throw args.error("needs a model or policy receiver") }
        try check(policy, named: "the \(receiver.typeName)", world: prompts.world, owner: "the prompts'; draw the prompts from its world", args)
        let options = ReplyOptions(temperature: try args.number("temperature"), topP: try args.number("top_p"),
                                   seed: try args.seedValue("seed"))
        return (policy, prompts, options)
    }
}
