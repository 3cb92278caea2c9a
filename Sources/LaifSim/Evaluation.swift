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
    guard reference.world === world else {
        throw SimError("evaluate: the judge \(judge.config.name) and the reference \(reference.config.name) belong to different worlds")
    }
    guard !prompts.isEmpty else { throw SimError("evaluate: no prompts; pass a non-empty prompt set") }
    let referenceReplies = prompts.map { reference.respond($0) }
    var rows: [EvaluationRow] = []
    let options = ReplyOptions(temperature: temperature, topP: topP, seed: evaluationSamplingSeed(seed))
    for entry in models {
        let replies = try sampleReplies(model: entry.model, world: world, prompts: prompts, options: options)
        rows.append(try evaluateResponses(named: entry.name, prompts: prompts, responses: replies, judge: judge,
                                          reference: referenceReplies))
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
