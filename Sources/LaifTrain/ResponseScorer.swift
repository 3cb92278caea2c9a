import LaifModels
import LaifSim


/// Anything that scores replies to prompts of one world: an oracle acting as critic (its
/// `score`, by its own beliefs) or a trained `RewardModel`. RL trainers maximise it;
/// best-of-n picks by it.
///
///     let reward: ResponseScorer = gpt4                   // a critic
///     let learned: ResponseScorer = try rewardModel(s35, prefs: prefs)
///     try reward.scores(prompts: [p], responses: [reply])
public protocol ResponseScorer: AnyObject {
    /// A display name for logs ("gpt-4", "reward model").
    var scorerName: String { get }
    /// The world whose prompts and replies it scores.
    var world: World { get }
    /// One score per (prompt, reply); higher is better.
    func scores(prompts: [Prompt], responses: [[Int32]]) throws -> [Double]
}

extension Oracle: ResponseScorer {
    /// The oracle's preset or configured name.
    public var scorerName: String { config.name }

    /// The critic's scores (see `Oracle.score`): m × the quality it believes each reply has,
    /// plus its length bias per filler.
    ///
    ///     try gpt4.scores(prompts: [p], responses: [w.goldResponse(p)])
    public func scores(prompts: [Prompt], responses: [[Int32]]) throws -> [Double] {
        zip(prompts, responses).map { score($0, $1) }
    }
}

/// Checks that every prompt belongs to `world` (parses back to itself), that the model reads
/// the world's tokens, and that its max length holds each prompt with the prompt's gold reply:
/// a shorter model is cut off before it could answer right, and RL on such replies trains on
/// scores no reply could raise (it used to run without a word).
func validatePrompts(_ prompts: PromptSet, world: World, model: LanguageModel, trainer: String) throws {
    guard !prompts.isEmpty else {
        throw TrainingError(trainer: trainer, argument: "prompts", message: "is empty; give at least one prompt")
    }
    try requireVocabulary(model, worldVocabulary: world.vocabSize, trainer: trainer, argument: "reward")
    for (i, p) in prompts.enumerated() {
        guard (try? world.prompt(tokens: p.tokens)) == p else {
            throw TrainingError(trainer: trainer, argument: "prompts",
                                message: "include prompt \(i) (\"\(p.text)\"), which does not belong to the reward's world; draw prompts from the same world")
        }
    }
    let needs = prompts.prompts.map { $0.tokens.count + world.goldResponse($0).count }
    if let i = needs.indices.first(where: { needs[$0] > model.maxLength }) {
        let p = prompts.prompts[i]
        throw TrainingError(trainer: trainer, argument: "prompts",
                            message: "include prompt \(i) (\"\(p.text)\"), which takes \(p.tokens.count) tokens and its gold reply \(needs[i] - p.tokens.count), "
                                + "more than the model's max length \(model.maxLength): its replies would be cut before they could be right; "
                                + "train a model with max_len of at least \(needs.max() ?? 0), or give shorter prompts")
    }
}
