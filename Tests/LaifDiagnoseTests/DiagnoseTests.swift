import Foundation
import Testing
import LaifDiagnose
import LaifModels
import LaifSim
import LaifTrain

/// A tiny world and its oracles, shared by the constructed cases.
struct Fixture {
    let world: World
    let teacher: Oracle
    let critic: Oracle
    let davinci: Oracle
    let prompts: PromptSet

    init(seed: UInt64 = 1) throws {
        world = try World(tasks: 3, vocab: 6, promptLength: 1...3, seed: seed)
        teacher = try Oracle(world: world, preset: "gpt-3.5")
        critic = try Oracle(world: world, preset: "gpt-4")
        davinci = try Oracle(world: world, preset: "davinci")
        prompts = try world.prompts(120, seed: 3)
    }

    /// Entries the critic knows and the teacher does not.
    var criticOnly: [Entry] { world.entries.filter { critic.knows($0) && !teacher.knows($0) } }
}

/// The categories' gains add up to the total and the shares to 1.
func expectConsistent(_ d: Diagnosis) {
    #expect(abs(d.rows.reduce(0) { $0 + $1.gain } - d.positionGain) < 1e-12)
    #expect(abs(d.rows.reduce(0) { $0 + $1.share } - 1) < 1e-9)
    #expect(d.rows.map(\.entries).reduce(0, +) == d.entries.count)
}

@Test func criticEqualToTeacherLeavesNothingToElicit() throws {
    let f = try Fixture()
    let sft = ScriptedModel(world: f.world, gold: 0.5)
    let rl = ScriptedModel(world: f.world, gold: 0.8)
    let d = try diagnose(sft: sft, rl: rl, teacher: f.critic, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts)
    expectConsistent(d)
    #expect(d.row(.elicited).entries == 0 && d.row(.unreachable).entries == 0)
    #expect(d.row(.elicited).gain == 0 && d.row(.unreachable).gain == 0)
    // Every position's gold probability rose from 0.5 to 0.8.
    #expect(abs(d.positionGain - 0.3) < 1e-4)
    #expect(abs(d.row(.sharpened).gain + d.row(.ceiling).gain - 0.3) < 1e-4)
    #expect(d.row(.sharpened).entries > 0)
    // The critic's wrong beliefs lost probability, so nothing is harm.
    #expect(d.row(.harm).entries == 0)
    #expect(d.verdict.contains("nothing for RL to elicit"))
}

@Test func entriesOutsideSupportAreUnreachableAndGainNothing() throws {
    let f = try Fixture()
    let hidden = Set(f.criticOnly)
    try #require(hidden.count >= 2, "the fixture world needs entries only the critic knows")
    // The SFT student never says gold on the critic-only entries (all mass on the teacher's
    // habit), except one it half-knows; RL sharpens only what it can sample.
    let halfKnown = f.criticOnly[0]
    let layout = f.world.layout
    func sftAnswer(_ e: Entry) -> [Double] {
        if e == halfKnown { return spread(f.world, e, gold: 0.3) }
        if hidden.contains(e) { return peaked(f.world, at: layout.contentIndex(f.teacher.belief(e))!, 1) }
        return spread(f.world, e, gold: 0.6)
    }
    func rlAnswer(_ e: Entry) -> [Double] {
        if e == halfKnown { return spread(f.world, e, gold: 0.9) }
        if hidden.contains(e) { return sftAnswer(e) }
        return spread(f.world, e, gold: 0.7)
    }
    let sft = ScriptedModel(world: f.world, answer: sftAnswer), rl = ScriptedModel(world: f.world, answer: rlAnswer)
    let d = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts)
    expectConsistent(d)
    let occurring = Set(d.entries.map(\.entry))
    #expect(d.row(.unreachable).entries == hidden.subtracting([halfKnown]).intersection(occurring).count)
    #expect(d.row(.unreachable).entries >= 1)
    #expect(d.row(.unreachable).sftGold < 1e-9 && abs(d.row(.unreachable).gain) < 1e-9)
    #expect(d.row(.elicited).entries == (occurring.contains(halfKnown) ? 1 : 0))
    if occurring.contains(halfKnown) {
        let share = d.row(.elicited).share
        #expect(abs(d.row(.elicited).gain - share * 0.6) < 1e-4)
    }
    #expect(d.entries.filter { $0.category == .unreachable }.allSatisfy { hidden.contains($0.entry) })
    #expect(d.verdict.contains("outside the SFT model's support"))
}

@Test func theSupportThresholdIsAParameter() throws {
    let f = try Fixture()
    let sft = ScriptedModel(world: f.world, gold: 0.1), rl = ScriptedModel(world: f.world, gold: 0.2)
    let low = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                           prompts: f.prompts, settings: DiagnosisSettings(supportThreshold: 0.05))
    let high = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                            prompts: f.prompts, settings: DiagnosisSettings(supportThreshold: 0.2))
    #expect(low.row(.unreachable).entries == 0 && low.row(.elicited).entries > 0)
    #expect(high.row(.elicited).entries == 0 && high.row(.unreachable).entries == low.row(.elicited).entries)
    #expect(abs(low.positionGain - high.positionGain) < 1e-12)
}

@Test func movingTowardTheCriticsWrongBeliefIsHarm() throws {
    let f = try Fixture()
    let layout = f.world.layout
    let unknown = Set(f.world.entries.filter { !f.critic.knows($0) })
    try #require(!unknown.isEmpty)
    let sft = ScriptedModel(world: f.world, gold: 0.5)
    let rl = ScriptedModel(world: f.world) { e in
        unknown.contains(e) ? peaked(f.world, at: layout.contentIndex(f.critic.belief(e))!, 0.9) : spread(f.world, e, gold: 0.5)
    }
    let d = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts)
    expectConsistent(d)
    let occurringUnknown = d.entries.filter { unknown.contains($0.entry) }
    try #require(!occurringUnknown.isEmpty)
    #expect(d.row(.harm).entries == occurringUnknown.count && d.row(.ceiling).entries == 0)
    #expect(d.row(.harm).gain < 0 && abs(d.positionGain - d.row(.harm).gain) < 1e-9)
    #expect(d.verdict.contains("wrong belief"))
}

@Test func aLengthBiasedJudgeShowsAJudgeOnlyGainThatGoldDoesNot() throws {
    let f = try Fixture()
    let judge = try Oracle(world: f.world, config: OracleConfig(name: "verbose-judge", family: "openai", strength: 0.85,
                                                                lengthBias: 1.0, flipRate: 0))
    // Same answers (always gold), but RL adds two fillers to every reply.
    let sft = ScriptedModel(world: f.world, gold: 1), rl = ScriptedModel(world: f.world, gold: 1, fillers: 2)
    let d = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: judge, reference: f.davinci,
                         prompts: f.prompts)
    expectConsistent(d)
    #expect(abs(d.positionGain) < 1e-9)
    #expect(abs(d.goldGain + 2 * World.fillerCost) < 1e-9)   // each filler costs gold quality
    #expect(d.judgedGain > 5)
    #expect(d.goldJudgeGain <= 0)
    #expect(d.judgeOnlyGain > 5 && abs(d.judgeOnlyGain - (d.judgedGain - d.goldJudgeGain)) < 1e-12)
    #expect(d.verdict.contains("judge-only"))
    // The breakdown puts it on the length bias; this judge has no voice or position bias.
    let parts = d.judgeOnlyParts
    #expect(abs(parts.total - d.judgeOnlyGain) < 1e-9)
    #expect(parts.length > 5 && parts.voice == 0 && parts.position == 0)
    #expect(d.verdict.contains("from its length bias"))
    #expect(d.table.contains("judge-only     beliefs "))
    // The gold change (-0.04) is all reply form: the verdict says so instead of naming an entry.
    #expect(d.verdict.contains("came from the form of the replies"))
}

@Test func aJudgeThatPrefersItsFamilysVoiceShowsItInTheBreakdown() throws {
    let f = try Fixture()
    // RL adds one filler in the openai voice (filler 0) to replies that were right already.
    let sft = ScriptedModel(world: f.world, gold: 1), rl = ScriptedModel(world: f.world, gold: 1, fillers: 1)
    func parts(family: String) throws -> (Diagnosis, JudgeOnlyBreakdown) {
        let judge = try Oracle(world: f.world, config: OracleConfig(name: "self-preferring", family: family, strength: .infinity,
                                                                    familyBias: 1, flipRate: 0))
        // The scripted replies' filler 0 is the openai voice, not the anthropic one.
        #expect((judge.signatureFiller == f.world.layout.fillerToken(0)) == (family == "openai"))
        let d = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: judge, reference: f.davinci,
                             prompts: f.prompts)
        return (d, d.judgeOnlyParts)
    }
    let (same, own) = try parts(family: "openai")
    #expect(abs(own.total - same.judgeOnlyGain) < 1e-9)
    // It knows every entry, so its beliefs are gold's: all of the judge-only gain is the voice.
    #expect(abs(own.beliefs) < 1e-9 && own.length == 0 && own.position == 0)
    #expect(own.voice > 10)
    #expect(same.verdict.contains("from its preference for its family's voice"))
    // A judge of another family reads the same change as a loss.
    let (_, other) = try parts(family: "anthropic")
    #expect(other.voice < -10)
}

@Test func withoutACounterfactualTheDiagnosisSaysSo() throws {
    let f = try Fixture()
    let m = ScriptedModel(world: f.world, gold: 0.5)
    let d = try diagnose(sft: m, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts)
    #expect(d.counterfactual == nil && d.counterfactualNote != nil)
    #expect(d.description.contains("counterfactual none"))
    #expect(d.description.contains("No counterfactual was computed"))
    // The same model before and after: no change anywhere.
    #expect(d.positionGain == 0 && d.rows.allSatisfy { $0.gain == 0 })
}

@Test func aGivenCounterfactualIsEvaluatedLikeTheOthers() throws {
    let f = try Fixture()
    let sft = ScriptedModel(world: f.world, gold: 0.4), perfect = ScriptedModel(world: f.world, gold: 1)
    let d = try diagnose(sft: sft, rl: sft, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts, counterfactual: .model(perfect))
    let cf = try #require(d.counterfactual)
    #expect(abs(cf.goldQuality.value - 1) < 1e-9)
    #expect(cf.goldQuality.value > d.rlQuality.value)
    #expect(d.verdict.contains("better than RL"))
}

@Test func aTrainedCounterfactualLearnsTheCriticsEntries() throws {
    let f = try Fixture()
    let base = try makeLanguageModel(architecture: ["kind": "transformer", "vocab_size": "\(f.world.vocabSize)", "d_model": "16",
                                                    "layers": "1", "heads": "2", "max_length": "16"], seed: 1)
    let sft = ScriptedModel(world: f.world, gold: 0.3)
    let config = SFTConfig(epochs: 1, minSteps: 80, learningRate: 0.01, batchSize: 16, optimizer: .constant)
    let d = try diagnose(sft: sft, rl: sft, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                         prompts: f.prompts.first(40),
                         counterfactual: .train(base: base, prompts: try f.world.prompts(64, seed: 11), config: config))
    let cf = try #require(d.counterfactual)
    #expect(cf.source.contains("sft on gpt-4 demos of 64 prompts; 80 steps"))
    let before = try modelQuality(model: base, world: f.world, prompts: f.prompts.first(40),
                                  options: ReplyOptions(temperature: 0.7, topP: 0.9))
    #expect(cf.goldQuality.value > before.value + 0.15, "before \(before.value), after \(cf.goldQuality.value)")
}

@Test func badInputIsRefusedWithAClearError() throws {
    let f = try Fixture()
    let other = try Fixture(seed: 2)
    let bigger = try World(tasks: 5, vocab: 9, promptLength: 1...3, seed: 1)
    let m = ScriptedModel(world: f.world, gold: 0.5)
    func message(_ body: () throws -> Diagnosis) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }
    #expect(message { try diagnose(sft: m, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                                   prompts: PromptSet([])) }.contains("no prompts"))
    #expect(message { try diagnose(sft: m, rl: m, teacher: other.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                                   prompts: f.prompts) }.contains("the teacher gpt-3.5 belongs to another world"))
    #expect(message { try diagnose(sft: m, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                                   prompts: try bigger.prompts(50, seed: 1)) }.contains("does not belong to this world"))
    #expect(message { try diagnose(sft: m, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                                   prompts: f.prompts, settings: DiagnosisSettings(supportThreshold: 1.5)) }
        .contains("support threshold must be in [0, 1]"))
    let wrongVocab = ScriptedModel(world: bigger, gold: 0.5)
    #expect(message { try diagnose(sft: wrongVocab, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic,
                                   reference: f.davinci, prompts: f.prompts) }.contains("the SFT model reads"))
    #expect(message { try diagnose(sft: m, rl: m, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci,
                                   prompts: f.prompts, counterfactual: .model(wrongVocab)) }.contains("the counterfactual model reads"))
}

@Test func theSameInputsGiveTheSameDiagnosis() throws {
    let f = try Fixture()
    let sft = ScriptedModel(world: f.world, gold: 0.4), rl = ScriptedModel(world: f.world, gold: 0.6, fillers: 1)
    let a = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci, prompts: f.prompts)
    let b = try diagnose(sft: sft, rl: rl, teacher: f.teacher, critic: f.critic, judge: f.critic, reference: f.davinci, prompts: f.prompts)
    #expect(a.description == b.description)
    // Title, header, the categories, total, gold quality, win rate, judge-only parts, counterfactual.
    #expect(a.table.split(separator: "\n").count == 2 + GainCategory.allCases.count + 5)
    #expect(a.judgeOnlyParts == b.judgeOnlyParts)
}

@Test func classifyFollowsTheDocumentedRules() {
    func c(_ t: Bool, _ k: Bool, _ p: Double, _ rise: Double) -> GainCategory {
        GainCategory.classify(teacherKnows: t, criticKnows: k, sftGold: p, beliefRise: rise, supportThreshold: 0.05, harmThreshold: 0.01)
    }
    #expect(c(false, true, 0.05, 0) == .elicited)
    #expect(c(false, true, 0.049, 0) == .unreachable)
    #expect(c(true, true, 0.0, 0) == .sharpened)
    #expect(c(true, false, 0.9, 0.02) == .harm)
    #expect(c(false, false, 0.9, 0.01) == .ceiling)
}
