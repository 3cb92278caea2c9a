import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

@Suite struct BestOfNTests {
    @Test func bestOfNBeatsPlainSamplingUnderItsScorer() throws {
        let d = try DPOSetup.shared.get()
        let options = ReplyOptions(temperature: 1, maxNewTokens: 6, seed: 3)
        let plain = try policyQuality(ModelPolicy(d.start, world: d.tiny.world), prompts: d.tiny.test, options: options)
        let bo8 = try BestOfNPolicy(model: d.start, scorer: d.tiny.strong, n: 8)
        let best = try policyQuality(bo8, prompts: d.tiny.test, options: options)
        let one = try BestOfNPolicy(model: d.start, scorer: d.tiny.strong, n: 1)
        print("best-of-n: plain \(plain), best of 8 \(best)")
        #expect(best.value > plain.value + 0.05)
        #expect(try one.replies(to: d.tiny.test, options: options) == ModelPolicy(d.start, world: d.tiny.world).replies(to: d.tiny.test, options: options))
        #expect(throws: TrainingError.self) { try BestOfNPolicy(model: d.start, scorer: d.tiny.strong, n: 0) }
    }

    @Test func evaluatePoliciesMatchesLaifSimForAPlainModel() throws {
        let d = try DPOSetup.shared.get()
        let judge = d.tiny.strong
        let reference = d.tiny.weak
        let ours = try evaluatePolicies([("sft", ModelPolicy(d.start, world: d.tiny.world)),
                                         ("bo4", try BestOfNPolicy(model: d.start, scorer: judge, n: 4))],
                                        judge: judge, reference: reference, prompts: d.tiny.test)
        let theirs = try evaluate(models: [("sft", d.start)], judge: judge, reference: reference, prompts: d.tiny.test)
        #expect(ours.rows[0].goldQuality == theirs.rows[0].goldQuality)
        #expect(ours.rows[1].goldQuality.value >= ours.rows[0].goldQuality.value)
    }

    @Test func expertIterationClimbsTheScorer() throws {
        let d = try DPOSetup.shared.get()
        let config = ExpertIterationConfig(rounds: 2, n: 4, sft: SFTConfig(epochs: 2, minSteps: 0, learningRate: 1e-3, optimizer: .constant))
        let result = try expertIteration(d.start, prompts: d.tiny.train, scorer: d.tiny.strong, config: config)
        let before = try criticScore(d.start, d, critic: d.tiny.strong), after = try criticScore(result.model, d, critic: d.tiny.strong)
        print("expert iteration: critic \(before) -> \(after)")
        #expect(after > before + 0.05)
        #expect(result.log.series(Metric.bestScore).values.count == 2)
        #expect(result.log.series(Metric.loss).steps == Array(1...result.stepsDone))
        let again = try expertIteration(d.start, prompts: d.tiny.train, scorer: d.tiny.strong, config: config)
        #expect(weightsFingerprint(again.model) == weightsFingerprint(result.model))
    }
}
