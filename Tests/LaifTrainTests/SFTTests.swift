import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

@Suite struct SFTTests {
    @Test func strongDemosLiftQualityToNearTheTeacher() throws {
        let s = try TinySetup()
        let base = try s.student()
        let before = try s.greedyQuality(base)
        let result = try sft(base, data: s.strong.demos(s.train), config: s.sftConfig())
        let after = try s.greedyQuality(result.model)
        let teacher = s.strong.quality(s.test)
        print("sft strong: base \(before) -> \(after), teacher \(teacher), loss \(result.log.first("loss")!) -> \(result.log.last("loss")!)")
        #expect(before < 0.3)
        #expect(after > teacher - 0.1)
        #expect(result.log.last(Metric.loss)! < result.log.first(Metric.loss)! / 3)
        #expect(weightsFingerprint(base) != weightsFingerprint(result.model))
    }
}

extension SFTTests {
    @Test func weakDemosStayNearTheWeakTeacher() throws {
        let s = try TinySetup()
        let result = try sft(s.student(), data: s.weak.demos(s.train), config: s.sftConfig())
        let after = try s.greedyQuality(result.model), weak = s.weak.quality(s.test), strong = s.strong.quality(s.test)
        print("sft weak: \(after), weak teacher \(weak), strong teacher \(strong)")
        #expect(abs(after - weak) < 0.2)
        #expect(after < strong - 0.3)
    }

    @Test func sameSeedSameWeightsAndOtherSeedDiffers() throws {
        let s = try TinySetup()
        let base = try s.student(), data = s.strong.demos(s.train)
        let a = try sft(base, data: data, config: s.sftConfig(epochs: 2))
        let b = try sft(base, data: data, config: s.sftConfig(epochs: 2))
        let c = try sft(base, data: data, config: s.sftConfig(epochs: 2, seed: 1))
        #expect(weightsFingerprint(a.model) == weightsFingerprint(b.model))
        #expect(a.log.series(Metric.loss).values == b.log.series(Metric.loss).values)
        #expect(weightsFingerprint(a.model) != weightsFingerprint(c.model))
    }

    @Test func minStepsAndMaxStepsShapeThePlan() throws {
        let s = try TinySetup()
        let data = s.strong.demos(s.train)   // 192 demos, batch 32: 6 steps per epoch
        var config = s.sftConfig(epochs: 1)
        config.minSteps = 20
        let longer = try sft(s.student(), data: data, config: config)
        #expect(longer.stepsDone == 24)
        #expect(longer.log.last(Metric.epoch) == 4)
        config.maxSteps = 5
        let shorter = try sft(s.student(), data: data, config: config)
        #expect(shorter.stepsDone == 5 && !shorter.interrupted)
    }

    @Test func interruptionReturnsTheModelAfterTheLastWholeStep() throws {
        let s = try TinySetup()
        let base = try s.student(), data = s.strong.demos(s.train)
        var polls = 0
        var reports: [Int] = []
        let control = TrainingControl(progress: { reports.append($0.step) }, shouldStop: {
            polls += 1
            return polls > 7
        })
        // A cosine schedule, so the plan's length matters: an interrupted run must equal the
        // same plan cut at the same step.
        var config = s.sftConfig(epochs: 4)
        config.optimizer = OptimizerSettings(warmupSteps: 3, cosineMinFactor: 0.1)
        let stopped = try sft(base, data: data, config: config, control: control)
        config.maxSteps = 7
        let cut = try sft(base, data: data, config: config)
        #expect(stopped.interrupted && stopped.stepsDone == 7 && stopped.stepsPlanned == 24)
        #expect(stopped.log.count == 7)
        #expect(reports == Array(1...7))
        #expect(weightsFingerprint(stopped.model) == weightsFingerprint(cut.model))
    }

    @Test func divergenceStopsWithTheStepAndKeepsTheLastGoodModel() throws {
        let s = try TinySetup()
        let config = SFTConfig(epochs: 3, minSteps: 0, learningRate: 1e30, batchSize: 32,
                               optimizer: OptimizerSettings(kind: .sgd, weightDecay: 0, warmupSteps: 0, cosineMinFactor: nil, clipNorm: nil))
        do {
            _ = try sft(s.student(), data: s.strong.demos(s.train), config: config)
            Issue.record("training at lr 1e30 did not diverge")
        } catch let e as TrainingDiverged {
            print("diverged: \(e)")
            #expect(e.step >= 1)
            #expect(e.description.contains("step \(e.step)") && e.description.contains("lower the learning rate"))
            #expect(e.lastGood.log.count == e.step - 1)
            for p in e.lastGood.model.parameters {
                let finite = p.tensor.toArray().allSatisfy { $0.isFinite }
                #expect(finite, "\(p.name) is not finite")
            }
        }
    }

    @Test func badArgumentsAreErrorsNamingTheArgument() throws {
        let s = try TinySetup()
        let model = try s.student(), data = s.strong.demos(s.train)
        func argument(_ body: () throws -> Void) -> String? {
            do { try body() } catch let e as TrainingError { return e.argument } catch { return "other: \(error)" }
            return nil
        }
        #expect(argument { _ = try sft(model, data: SFTDataset(world: s.world, examples: [], source: "none")) } == "data")
        #expect(argument { _ = try sft(model, data: data, config: SFTConfig(epochs: 0)) } == "epochs")
        #expect(argument { _ = try sft(model, data: data, config: SFTConfig(learningRate: -1)) } == "lr")
        #expect(argument { _ = try sft(model, data: data, config: SFTConfig(learningRate: .nan)) } == "lr")
        #expect(argument { _ = try sft(model, data: data, config: SFTConfig(batchSize: 0)) } == "batch")
        var badClip = SFTConfig()
        badClip.optimizer.clipNorm = -1
        #expect(argument { _ = try sft(model, data: data, config: badClip) } == "optimizer clip")
        let other = try World(tasks: 3, vocab: 9, seed: 1)
        #expect(argument { _ = try sft(model, data: try Oracle(world: other, preset: "gpt-4").demos(try other.prompts(3))) } == "data")
        var probe = s.sftConfig(epochs: 1)
        probe.evaluation = GoldProbe(world: other, prompts: try other.prompts(3))
        #expect(argument { _ = try sft(model, data: data, config: probe) } == "evaluation")
        let tooLong = SFTDataset(world: s.world, examples: [SFTExample(prompt: s.train[0], completion: Array(repeating: 3, count: 20))], source: "long")
        #expect(argument { _ = try sft(model, data: tooLong) } == "data")
    }

    @Test func goldProbeLogsQualityAtIntervals() throws {
        let s = try TinySetup()
        var config = s.sftConfig(epochs: 4)   // 24 steps
        config.evaluation = GoldProbe(world: s.world, prompts: s.test.first(16), every: 10)
        let result = try sft(s.student(), data: s.strong.demos(s.train), config: config)
        #expect(result.log.series(Metric.goldQuality).steps == [10, 20, 24])
    }
}

extension SFTTests {
    /// No global mutable state: the same run on several threads at once gives the same weights.
    @Test func concurrentRunsAgreeBitForBit() throws {
        let s = try TinySetup()
        let base = try s.student(), data = s.weak.demos(s.train)
        let fingerprints = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 3)
        defer { fingerprints.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            fingerprints[i] = (try? sft(base, data: data, config: s.sftConfig(epochs: 2))).map { weightsFingerprint($0.model) } ?? UInt64(i)
        }
        #expect(fingerprints[0] == fingerprints[1] && fingerprints[1] == fingerprints[2])
    }
}

extension SFTTests {
    /// The same lift from a pretrained (tiny-recipe) base model of LaifSim.
    @Test func strongDemosLiftAPretrainedBase() throws {
        let s = try TinySetup()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("laif-train-base-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let config = BaseModelConfig(family: try BaseFamily.named("mistral"), size: StudentSize(dModel: 24, layers: 1, heads: 2),
                                     recipe: .tiny)
        let base = try buildBaseModel(world: s.world, config: config, cacheDirectory: cache).model
        let before = try s.greedyQuality(base)
        let after = try s.greedyQuality(sft(base, data: s.strong.demos(s.train), config: s.sftConfig()).model)
        print("sft from pretrained base: \(before) -> \(after), teacher \(s.strong.quality(s.test))")
        #expect(after > before + 0.3)
        #expect(after > s.strong.quality(s.test) - 0.1)
    }
}
