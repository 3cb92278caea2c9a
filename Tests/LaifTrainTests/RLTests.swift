import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

/// Mean score the critic gives the model's sampled replies to the test prompts (3 samples each).
func criticScore(_ model: LanguageModel, _ d: DPOSetup, critic: Oracle) throws -> Double {
    let prompts = PromptSet(d.tiny.test.prompts + d.tiny.test.prompts + d.tiny.test.prompts)
    let replies = try sampleReplies(model: model, world: d.tiny.world, prompts: prompts, options: ReplyOptions(temperature: 1, maxNewTokens: 6, seed: 9))
    return mean(try critic.scores(prompts: prompts.prompts, responses: replies))
}

@Suite struct RLOOTests {
    func config(kl: Double = 0.05, steps: Int = 50, seed: UInt64 = 0) -> RLOOConfig {
        RLOOConfig(k: 4, kl: kl, steps: steps, promptsPerStep: 16, learningRate: 1e-3, maxNewTokens: 6, seed: seed)
    }

    @Test func raisesTheCriticsScore() throws {
        let d = try DPOSetup.shared.get()
        let result = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config())
        let before = try criticScore(d.start, d, critic: d.tiny.strong), after = try criticScore(result.model, d, critic: d.tiny.strong)
        print("rloo: critic \(before) -> \(after), kl \(result.log.last(Metric.kl)!)")
        #expect(after > before + 0.1)
        for name in [Metric.loss, Metric.scores, Metric.kl, Metric.rlhfReward, Metric.entropy, Metric.responseLength, Metric.gradNorm, Metric.learningRate] {
            #expect(result.log.series(name).values.count == 50, "missing \(name)")
        }
    }

    @Test func largerKLCoefficientKeepsThePolicyCloser() throws {
        let d = try DPOSetup.shared.get()
        let free = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(kl: 0, steps: 30))
        let held = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(kl: 2, steps: 30))
        let klFree = try policyStatistics(model: free.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        let klHeld = try policyStatistics(model: held.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        print("rloo kl: coefficient 0 -> \(klFree), coefficient 2 -> \(klHeld)")
        #expect(klHeld < klFree * 0.7)
    }

    @Test func sameSeedSameWeights() throws {
        let d = try DPOSetup.shared.get()
        let a = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 5))
        let b = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 5))
        let c = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 5, seed: 1))
        #expect(weightsFingerprint(a.model) == weightsFingerprint(b.model))
        #expect(weightsFingerprint(a.model) != weightsFingerprint(c.model))
    }

    @Test func interruptionKeepsAConsistentModel() throws {
        let d = try DPOSetup.shared.get()
        var polls = 0
        var progress: [TrainingProgress] = []
        let stopped = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 10),
                               control: TrainingControl(progress: { progress.append($0) }, shouldStop: {
                                   polls += 1
                                   return polls > 2
                               }))
        let cut = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 2))
        #expect(stopped.interrupted && stopped.stepsDone == 2 && stopped.stepsPlanned == 10)
        #expect(weightsFingerprint(stopped.model) == weightsFingerprint(cut.model))
        #expect(progress.map(\.step) == [1, 2] && progress.allSatisfy { $0.totalSteps == 10 && $0.loss != nil })
    }

    @Test func goldProbeRunsAtIntervals() throws {
        let d = try DPOSetup.shared.get()
        var c = config(steps: 4)
        c.evaluation = GoldProbe(world: d.tiny.world, prompts: d.tiny.test.first(8), every: 2)
        let result = try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: c)
        #expect(result.log.series(Metric.goldQuality).steps == [2, 4])
        var p = PPOConfig(steps: 3, promptsPerStep: 4, maxNewTokens: 6)
        p.evaluation = GoldProbe(world: d.tiny.world, prompts: d.tiny.test.first(8), every: 0)
        #expect(try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: p).log.series(Metric.goldQuality).steps == [3])
    }

    @Test func badArgumentsNameTheArgument() throws {
        let d = try DPOSetup.shared.get()
        #expect(throws: TrainingError.self) { try rloo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: RLOOConfig(k: 1)) }
        let other = try World(tasks: 3, vocab: 5, promptLength: 1...2, fillers: 1, seed: 9)
        do {
            _ = try rloo(d.start, prompts: try other.prompts(4), reward: d.tiny.strong, config: config(steps: 1))
            Issue.record("prompts from another world were accepted")
        } catch let e as TrainingError {
            #expect(e.argument == "prompts")
        }
        let wider = try World(tasks: 3, vocab: 7, promptLength: 1...2, fillers: 1, seed: 9)
        let otherCritic = try Oracle(world: wider, preset: "gpt-4")
        do {
            _ = try rloo(d.start, prompts: try wider.prompts(4), reward: otherCritic, config: config(steps: 1))
            Issue.record("a reward for another vocabulary was accepted")
        } catch let e as TrainingError {
            #expect(e.argument == "reward")
            #expect(e.description.contains("token ids"))
        }
    }
}

@Suite struct PPOTests {
    func config(kl: Double = 0.05, steps: Int = 30, seed: UInt64 = 0) -> PPOConfig {
        PPOConfig(kl: kl, steps: steps, promptsPerStep: 16, learningRate: 5e-4, valueLearningRate: 1.5e-3, maxNewTokens: 6, seed: seed)
    }

    @Test func raisesTheCriticsScore() throws {
        let d = try DPOSetup.shared.get()
        let result = try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config())
        let before = try criticScore(d.start, d, critic: d.tiny.strong), after = try criticScore(result.model, d, critic: d.tiny.strong)
        print("ppo: critic \(before) -> \(after), kl \(result.log.last(Metric.kl)!), clipfrac \(result.log.last(Metric.clipFraction)!)")
        #expect(after > before + 0.1)
        #expect(result.log.names.contains(Metric.valueLoss) && result.log.names.contains(Metric.clipFraction))
    }

    @Test func largerKLCoefficientKeepsThePolicyCloser() throws {
        let d = try DPOSetup.shared.get()
        let free = try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(kl: 0, steps: 20))
        let held = try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(kl: 2, steps: 20))
        let klFree = try policyStatistics(model: free.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        let klHeld = try policyStatistics(model: held.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        print("ppo kl: coefficient 0 -> \(klFree), coefficient 2 -> \(klHeld)")
        #expect(klHeld < klFree * 0.7)
    }

    @Test func sameSeedSameWeights() throws {
        let d = try DPOSetup.shared.get()
        let a = try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 3))
        let b = try ppo(d.start, prompts: d.tiny.train, reward: d.tiny.strong, config: config(steps: 3))
        #expect(weightsFingerprint(a.model) == weightsFingerprint(b.model))
        #expect(weightsFingerprint(a.model) != weightsFingerprint(d.start))
    }
}
