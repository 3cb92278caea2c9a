import LaifModels

/// The evaluation protocol (AlpacaEval / MT-Bench style): every model replies to the prompts
/// (temperature 0.7, top-p 0.9, like the study), the reference oracle replies too, and the
/// judge and the gold judge compare each model's replies with the reference's. Returns one row
/// per model: win rate ± SE (ties half, order randomised per example), length-controlled win
/// rate, absolute 1–10 score, the gold judge's win rate, gold quality ± SE, mean length and
/// fillers per reply.
///
///     let table = try evaluate(models: [("sft35", s35), ("laif", laif)], judge: gpt4,
///                              reference: davinci, prompts: test)
///     print(table)
public func evaluate(models: [(name: String, model: LanguageModel)], judge: Oracle, reference: Oracle, prompts: PromptSet,
                     temperature: Double = 0.7, topP: Double = 0.9, seed: UInt64 = 0) throws -> EvaluationTable {
    let world = judge.world
    let repliers = models.map { entry in
        (name: entry.name, replies: { (prompts: PromptSet, options: ReplyOptions) in
            try sampleReplies(model: entry.model, world: world, prompts: prompts, options: options)
        })
    }
    return try evaluate(repliers: repliers, judge: judge, reference: reference, prompts: prompts,
                        temperature: temperature, topP: topP, seed: seed)
}

/// The same protocol for anything that replies to prompts given sampling options (a model, a
/// best-of-n policy): each replier is called once with the prompts and the evaluation's
/// options, which carry one sampling seed for all of them.
///
///     let table = try evaluate(repliers: [("sft", { ps, o in try sampleReplies(model: s, world: w, prompts: ps, options: o) })],
///                              judge: gpt4, reference: davinci, prompts: test)
public func evaluate(repliers: [(name: String, replies: (PromptSet, ReplyOptions) throws -> [[Int32]])], judge: Oracle,
                     reference: Oracle, prompts: PromptSet, temperature: Double = 0.7, topP: Double = 0.9,
                     seed: UInt64 = 0) throws -> EvaluationTable {
    guard reference.world === judge.world else {
        throw SimError("evaluate: the judge \(judge.config.name) and the reference \(reference.config.name) belong to different worlds")
    }
    guard !prompts.isEmpty else { throw SimError("evaluate: no prompts; pass a non-empty prompt set") }
    let referenceReplies = prompts.map { reference.respond($0) }
    let options = ReplyOptions(temperature: temperature, topP: topP, seed: evaluationSamplingSeed(seed))
    let rows = try repliers.map { entry in
        try evaluateResponses(named: entry.name, prompts: prompts, responses: try entry.replies(prompts, options),
                              judge: judge, reference: referenceReplies)
    }
    return EvaluationTable(judge: judge.config.name, reference: reference.config.name, promptCount: prompts.count,
                           temperature: temperature, rows: rows)
}

/// The sampling seed every model of one evaluation replies with. One seed for all models, not
/// one per model: a model reads the same under any name and beside any other models, and two
/// similar models draw their replies from common random numbers, so the difference between
/// their rows (an RL gain) carries less sampling noise than either row alone.
///
///     ReplyOptions(temperature: 0.7, topP: 0.9, seed: evaluationSamplingSeed(0))
public func evaluationSamplingSeed(_ seed: UInt64) -> UInt64 {
    var h = StableHash(seed: seed)
    h.combine("evaluate")
    return h.value
}
