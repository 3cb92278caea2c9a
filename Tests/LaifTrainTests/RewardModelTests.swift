import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

@Suite struct RewardModelTests {
    /// Pairs over the training prompts: the gold reply against the weak teacher's where they differ.
    func cleanPrefs(_ d: DPOSetup) -> PreferenceDataset { d.prefs }

    /// The same pairs with chosen and rejected swapped by a fair coin: labels carry no signal.
    func noisyPrefs(_ d: DPOSetup) -> PreferenceDataset {
        var rng = RandomGenerator(seed: 77)
        let examples = d.prefs.examples.map { ex in
            rng.nextFloat() < 0.5 ? ex : PreferenceExample(prompt: ex.prompt, chosen: ex.rejected, rejected: ex.chosen)
        }
        return PreferenceDataset(world: d.prefs.world, examples: examples, source: "coin flips")
    }

    func config() -> RewardModelConfig {
        RewardModelConfig(epochs: 4, learningRate: 1e-3, batchSize: 32, heldOutFraction: 0.3, optimizer: .constant)
    }

    @Test func cleanLabelsGiveHighHeldOutAccuracy() throws {
        let d = try DPOSetup.shared.get()
        let rm = try rewardModel(d.start, prefs: cleanPrefs(d), config: config())
        print("reward model clean: \(rm)")
        #expect(rm.heldOutAccuracy! > 0.8)
        #expect(rm.heldOutCount == Int((0.3 * Double(d.prefs.count)).rounded()))
        #expect(rm.log.last(Metric.heldOutAccuracy) == rm.heldOutAccuracy)
        // Usable as a reward: the gold reply outscores the weak teacher's on held-out prompts.
        let p = d.tiny.test.prompts.first { d.tiny.weak.respond($0) != d.tiny.world.goldResponse($0) }!
        let s = try rm.scores(prompts: [p, p], responses: [d.tiny.world.goldResponse(p), d.tiny.weak.respond(p)])
        #expect(s[0] > s[1])
    }

    @Test func noiseGivesChance() throws {
        let d = try DPOSetup.shared.get()
        let rm = try rewardModel(d.start, prefs: noisyPrefs(d), config: config())
        print("reward model noise: \(rm)")
        #expect(abs(rm.heldOutAccuracy! - 0.5) < 0.15)
    }

    @Test func leavesTheInputModelUnchangedAndIsRepeatable() throws {
        let d = try DPOSetup.shared.get()
        let before = weightsFingerprint(d.start)
        var c = config()
        c.maxSteps = 3
        let a = try rewardModel(d.start, prefs: d.prefs, config: c), b = try rewardModel(d.start, prefs: d.prefs, config: c)
        #expect(weightsFingerprint(d.start) == before)
        #expect(weightsFingerprint(a.backbone) == weightsFingerprint(b.backbone))
        #expect(a.headWeight.toArray() == b.headWeight.toArray())
        #expect(a.log.count == 3)
    }

    @Test func rewardModelDrivesRL() throws {
        let d = try DPOSetup.shared.get()
        let rm = try rewardModel(d.start, prefs: cleanPrefs(d), config: config())
        let tuned = try rloo(d.start, prompts: d.tiny.train, reward: rm,
                             config: RLOOConfig(k: 4, kl: 0.05, steps: 25, promptsPerStep: 16, learningRate: 1e-3, maxNewTokens: 6))
        let replies = { (m: LanguageModel) in
            try sampleReplies(model: m, world: d.tiny.world, prompts: d.tiny.test, options: ReplyOptions(temperature: 1, maxNewTokens: 6, seed: 4))
        }
        let before = mean(try rm.scores(prompts: d.tiny.test.prompts, responses: replies(d.start)))
        let after = mean(try rm.scores(prompts: d.tiny.test.prompts, responses: replies(tuned.model)))
        print("rloo on reward model: reward \(before) -> \(after)")
        #expect(after > before)
    }
}
