import LaifLang
import LaifSim

/// Registers `model.pairs(prompts, against:, ...)`: the study's preference pairs, the model's
/// own sample against an oracle's reply (or a second sample of itself), unlabelled.
///
///     let registry = BuiltinRegistry.core()
///     registerModelPairBindings(in: registry)
public func registerModelPairBindings(in registry: BuiltinRegistry) {
    registry.registerMethod(typeName: "model", modelPairsMethod)
}

/// `m.pairs(prompts, against: oracle | "self", temperature: 1.0, top_p: 1.0, seed: 0)`.
///
///     let pairs = s35.pairs(p90, against: gpt35)
let modelPairsMethod = Builtin(
    name: "pairs",
    parameters: [.required("prompts"), .required("against"), .optional("temperature", .number(1.0)),
                 .optional("top_p", .number(1.0)), .optional("seed", .number(0))],
    doc: "Unlabelled pairs: the model's sample (first) against an oracle's reply or, with against: \"self\", a second sample of its own.",
    example: "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2).pairs(w.prompts(3), against: oracle(w, preset: \"gpt-3.5\"))",
    topic: "world"
) { args, _ in
    guard let model = args.receiver?.object(as: ModelValue.self) else { throw args.error("needs a model receiver") }
    let prompts = try args.promptSet("prompts")
    let opponent: PairOpponent
    let against = try args.value("against")
    switch against {
    case .string("self"): opponent = .selfSample
    case .object(let object as OracleObject): opponent = .oracle(object.oracle)
    default:
        throw args.error("against must be an oracle or \"self\", got \(against.summary)")
    }
    let options = ReplyOptions(temperature: try args.number("temperature"), topP: try args.number("top_p"),
                               seed: try args.seedValue("seed"))
    let name = shortName(of: args.receiver ?? .nil)
    let pairs = try trainCall(args) {
        try LaifSim.modelPairs(model: model.model, name: name, world: prompts.world, prompts: prompts.prompts,
                               against: opponent, options: options)
    }
    return .object(PairSetObject(pairs))
}
