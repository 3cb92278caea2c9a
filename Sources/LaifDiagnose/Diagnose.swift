import LaifModels
import LaifSim
import LaifTrain

/// Where the counterfactual model (SFT on the critic's own demonstrations) comes from.
///
///     .train(base: base, prompts: p10 + p90, config: SFTConfig(epochs: 3))
///     .model(s4)
///     .none
public enum CounterfactualSource {
    /// No counterfactual; the diagnosis says so instead of inventing numbers.
    case none
    /// A model already trained on the critic's demonstrations.
    case model(LanguageModel)
    /// Train one here: `sft(base, critic.demos(prompts), config)`.
    case train(base: LanguageModel, prompts: PromptSet, config: SFTConfig)
}

/// The knobs of a diagnosis.
///
///     DiagnosisSettings(supportThreshold: 0.05, harmThreshold: 0.01)
public struct DiagnosisSettings: Sendable {
    /// An entry is in the SFT model's support when its mean gold probability is at least this
    /// (0.05: a reply sampled at temperature 1 then shows the gold token about once in 20 tries,
    /// often enough for an RL step with a few samples per prompt to find and reward it).
    public var supportThreshold: Double
    /// An entry the critic does not know counts as harm when RL raised the probability of the
    /// critic's wrong belief by more than this.
    public var harmThreshold: Double
    /// Evaluation decoding (the study's: temperature 0.7, top-p 0.9) and seed.
    public var temperature: Double
    public var topP: Double
    public var seed: UInt64

    /// Settings; see the properties for the defaults and why.
    ///
    ///     DiagnosisSettings(supportThreshold: 0.1)
    public init(supportThreshold: Double = 0.05, harmThreshold: Double = 0.01, temperature: Double = 0.7, topP: Double = 0.9,
                seed: UInt64 = 0) {
        self.supportThreshold = supportThreshold
        self.harmThreshold = harmThreshold
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
    }
}

/// Attributes the change from an SFT model to the RL model trained from it, entry by entry,
/// from the models' own teacher-forced probabilities (`probeEntries` on `prompts`): each entry
/// falls in a `GainCategory` by what the teacher and critic know and by the SFT model's
/// support, and contributes (its share of answer positions) × (change in gold probability).
/// Both models (and the counterfactual) are also evaluated like `evaluate` does: gold quality,
/// and win rates against `reference` under `judge` and under the gold judge; the judge-only
/// gain is the judged gain minus the gold judge's, split by cause in `judgeOnlyParts`.
/// Throws `SimError` on bad input.
///
///     let d = try diagnose(sft: s35, rl: laif, teacher: gpt35, critic: gpt4, judge: gpt4,
///                          reference: davinci, prompts: test,
///                          counterfactual: .train(base: base, prompts: p10 + p90, config: SFTConfig()))
///     print(d)
public func diagnose(sft: LanguageModel, rl: LanguageModel, teacher: Oracle, critic: Oracle, judge: Oracle, reference: Oracle,
                     prompts: PromptSet, counterfactual: CounterfactualSource = .none,
                     settings: DiagnosisSettings = DiagnosisSettings(),
                     control: TrainingControl = TrainingControl()) throws -> Diagnosis {
    let world = critic.world
    for (role, oracle) in [("teacher", teacher), ("judge", judge), ("reference", reference)] where oracle.world !== world {
        throw SimError("diagnose: the \(role) \(oracle.config.name) belongs to another world than the critic \(critic.config.name); make every oracle from the same world")
    }
    try validate(prompts: prompts, world: world)
    var students: [(String, LanguageModel)] = [("SFT model", sft), ("RL model", rl)]
    switch counterfactual {
    case .none: break
    case .model(let model): students.append(("counterfactual model", model))
    case .train(let base, _, _): students.append(("counterfactual base", base))
    }
    for (role, model) in students where model.vocabSize != world.vocabSize {
        throw SimError("diagnose: the \(role) reads \(model.vocabSize) token ids but the world has \(world.vocabSize); use a model built for this world")
    }
    for (name, threshold) in [("support", settings.supportThreshold), ("harm", settings.harmThreshold)] {
        guard threshold.isFinite, threshold >= 0, threshold <= 1 else {
            throw SimError("diagnose: the \(name) threshold must be in [0, 1], got \(threshold)")
        }
    }

    let sftProbes = try probeEntries(model: sft, world: world, prompts: prompts)
    let rlProbes = try probeEntries(model: rl, world: world, prompts: prompts)
    let attributions = attribute(sft: sftProbes, rl: rlProbes, teacher: teacher, critic: critic, settings: settings)
    let positions = Double(attributions.reduce(0) { $0 + $1.occurrences })
    let rows = GainCategory.allCases.map { category -> CategoryGain in
        let members = attributions.filter { $0.category == category }
        let count = Double(members.reduce(0) { $0 + $1.occurrences })
        let before = members.reduce(0) { $0 + Double($1.occurrences) * $1.sftGold }
        let after = members.reduce(0) { $0 + Double($1.occurrences) * $1.rlGold }
        return CategoryGain(category: category, entries: members.count, share: count / positions,
                            sftGold: count > 0 ? before / count : 0, rlGold: count > 0 ? after / count : 0,
                            gain: (after - before) / positions)
    }

    var models: [(name: String, model: LanguageModel)] = [("sft", sft), ("rl", rl)]
    var counterfactualModel: LanguageModel?
    var counterfactualSource = ""
    var note: String?
    switch counterfactual {
    case .none:
        note = "give a base model and SFT prompts, or a ready counterfactual model, to compare with SFT on the critic"
    case .model(let model):
        counterfactualModel = model
        counterfactualSource = "given model"
    case .train(let base, let sftPrompts, let config):
        try validate(prompts: sftPrompts, world: world, argument: "sft_prompts")
        let demos = critic.demos(sftPrompts)
        let result = try LaifTrain.sft(base, data: demos, config: config, control: control)
        counterfactualModel = result.model
        counterfactualSource = "sft on \(critic.config.name) demos of \(sftPrompts.count) prompts; \(result.stepsDoneText)"
            + (result.interrupted ? " (interrupted)" : "")
    }
    if let model = counterfactualModel { models.append(("counterfactual", model)) }
    // Each model's replies are sampled once, by the evaluation; the judge-only breakdown then
    // reads the very replies the evaluation judged.
    let sampled = SampledReplies()
    let repliers = models.map { entry in
        (name: entry.name, replies: { (asked: PromptSet, options: ReplyOptions) throws -> [[Int32]] in
            let replies = try sampleReplies(model: entry.model, world: world, prompts: asked, options: options)
            sampled.byName[entry.name] = replies
            return replies
        })
    }
    let evaluation = try evaluate(repliers: repliers, judge: judge, reference: reference, prompts: prompts,
                                  temperature: settings.temperature, topP: settings.topP, seed: settings.seed)
    let sftRow = evaluation.rows[0], rlRow = evaluation.rows[1]
    guard let sftReplies = sampled.byName["sft"], let rlReplies = sampled.byName["rl"] else {
        throw SimError("diagnose: the evaluation returned without sampling the SFT and RL models' replies")
    }
    let judgeOnlyParts = try judgeOnlyBreakdown(judge: judge, prompts: prompts, sftReplies: sftReplies, rlReplies: rlReplies,
                                                reference: prompts.map { reference.respond($0) })
    let counterfactualResult = counterfactualModel.map { model in
        CounterfactualResult(source: counterfactualSource, model: model, goldQuality: evaluation.rows[2].goldQuality,
                             judgedWinRate: evaluation.rows[2].judged.winRate, goldWinRate: evaluation.rows[2].gold.winRate)
    }
    return Diagnosis(teacher: teacher.config.name, critic: critic.config.name, judge: judge.config.name,
                     reference: reference.config.name, promptCount: prompts.count,
                     supportThreshold: settings.supportThreshold, rows: rows, entries: attributions,
                     positionGain: rows.reduce(0) { $0 + $1.gain },
                     sftQuality: sftRow.goldQuality, rlQuality: rlRow.goldQuality,
                     sftJudgedWinRate: sftRow.judged.winRate, rlJudgedWinRate: rlRow.judged.winRate,
                     sftGoldWinRate: sftRow.gold.winRate, rlGoldWinRate: rlRow.gold.winRate,
                     judgeOnlyParts: judgeOnlyParts, counterfactual: counterfactualResult, counterfactualNote: note)
}

/// The replies the evaluation sampled, kept by model name (its replier closures fill it).
private final class SampledReplies {
    var byName: [String: [[Int32]]] = [:]
}

/// Per occurring entry: its category and the two models' probabilities of gold and of the
/// critic's belief.
///
///     let rows = attribute(sft: sftProbes, rl: rlProbes, teacher: gpt35, critic: gpt4, settings: DiagnosisSettings())
public func attribute(sft: [EntryProbe], rl: [EntryProbe], teacher: Oracle, critic: Oracle,
                      settings: DiagnosisSettings) -> [EntryAttribution] {
    let layout = critic.world.layout
    return zip(sft, rl).compactMap { before, after in
        guard before.occurrences > 0 else { return nil }
        let e = before.entry
        let belief = critic.belief(e)
        let sftBelief = before.probability(of: belief, layout: layout)
        let rlBelief = after.probability(of: belief, layout: layout)
        let category = GainCategory.classify(teacherKnows: teacher.knows(e), criticKnows: critic.knows(e),
                                             sftGold: before.goldProbability, beliefRise: rlBelief - sftBelief,
                                             supportThreshold: settings.supportThreshold, harmThreshold: settings.harmThreshold)
        return EntryAttribution(entry: e, category: category, occurrences: before.occurrences,
                                sftGold: before.goldProbability, rlGold: after.goldProbability,
                                sftCriticBelief: sftBelief, rlCriticBelief: rlBelief)
    }
}

/// Prompts must be non-empty and ask only about entries of `world` (a prompt set drawn from a
/// larger world would index past its entries); `argument` names the prompt set in errors.
func validate(prompts: PromptSet, world: World, argument: String = "prompts") throws {
    guard !prompts.isEmpty else {
        throw SimError(argument == "prompts" ? "diagnose: no prompts; pass a non-empty prompt set (e.g. w.prompts(200, seed: 9))"
                                             : "diagnose: \(argument) is empty; pass a non-empty prompt set (e.g. w.prompts(200, seed: 9))")
    }
    for prompt in prompts {
        guard prompt.task < world.config.tasks, prompt.inputs.allSatisfy({ $0 >= 0 && $0 < world.config.vocab }) else {
            let place = argument == "prompts" ? "" : " in \(argument)"
            throw SimError("diagnose: the prompt \"\(prompt.text)\"\(place) does not belong to this world; draw prompts from the oracles' world")
        }
    }
}
