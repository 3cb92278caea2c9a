import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

/// A weak-teacher SFT model and clean preferences (gold reply over the weak teacher's reply
/// wherever they differ), shared by the DPO tests.
struct DPOSetup {
    let tiny: TinySetup
    let start: LanguageModel
    let prefs: PreferenceDataset

    init(trainPrompts: Int = 512) throws {
        let t = try TinySetup(trainPrompts: trainPrompts, testPrompts: 128)
        tiny = t
        start = try sft(t.student(), data: t.weak.demos(t.train), config: t.sftConfig(epochs: 8)).model
        let examples = t.train.compactMap { p -> PreferenceExample? in
            let gold = t.world.goldResponse(p), weak = t.weak.respond(p)
            return gold == weak ? nil : PreferenceExample(prompt: p, chosen: gold, rejected: weak)
        }
        prefs = PreferenceDataset(world: t.world, examples: examples, source: "gold over weak")
    }

    /// One shared instance (built once, on first use) so the suites do not each redo the SFT.
    static let shared: Result<DPOSetup, Error> = Result { try DPOSetup() }

    func config(beta: Double = 0.1, loss: PreferenceLoss = .sigmoid, epochs: Int = 8) -> DPOConfig {
        DPOConfig(beta: beta, loss: loss, nllWeight: 0.05, epochs: epochs, learningRate: 1e-3, batchSize: 32, optimizer: .constant)
    }
}

@Suite struct DPOTests {
    @Test func cleanPreferencesRaiseAccuracyMarginsAndQuality() throws {
        let d = try DPOSetup.shared.get()
        let result = try dpo(d.start, prefs: d.prefs, config: d.config())
        let log = result.log
        let early = log.earlyMean(Metric.accuracies, window: 2)!, late = log.recentMean(Metric.accuracies, window: 3)!
        let before = try d.tiny.greedyQuality(d.start), after = try d.tiny.greedyQuality(result.model)
        print("dpo: \(d.prefs.count) prefs, acc \(early) -> \(late), margins \(log.first(Metric.margins)!) -> \(log.last(Metric.margins)!), quality \(before) -> \(after)")
        #expect(late > 0.9)
        #expect(late > early + 0.2)
        #expect(log.recentMean(Metric.margins, window: 3)! > log.earlyMean(Metric.margins, window: 2)! + 0.5)
        #expect(after > before + 0.05)
        #expect(log.names.contains(Metric.rewardsChosen) && log.names.contains(Metric.logpsRejected))
    }

    @Test func ipoAlsoLearnsThePreferencesWithoutWreckingTheModel() throws {
        let d = try DPOSetup.shared.get()
        let result = try dpo(d.start, prefs: d.prefs, config: d.config(beta: 0.5, loss: .ipo))
        let before = try d.tiny.greedyQuality(d.start), after = try d.tiny.greedyQuality(result.model)
        let log = result.log
        print("ipo: acc \(log.recentMean(Metric.accuracies, window: 3)!), margins \(log.first(Metric.margins)!) -> \(log.last(Metric.margins)!), quality \(before) -> \(after)")
        #expect(log.recentMean(Metric.accuracies, window: 3)! > 0.9)
        #expect(log.recentMean(Metric.margins, window: 3)! > log.earlyMean(Metric.margins, window: 2)! + 0.1)
        // At this scale IPO learns the labels but does not lift greedy gold quality within the
        // test's budget (measured: see the README); it must not wreck the model either.
        #expect(after > before - 0.1)
    }

    @Test func largerBetaMovesTheModelLess() throws {
        let d = try DPOSetup.shared.get()
        // Without the NLL term, so only beta decides how far the policy may move.
        var looseConfig = d.config(beta: 0.05, epochs: 3), tightConfig = d.config(beta: 2, epochs: 3)
        looseConfig.nllWeight = 0
        tightConfig.nllWeight = 0
        let loose = try dpo(d.start, prefs: d.prefs, config: looseConfig)
        let tight = try dpo(d.start, prefs: d.prefs, config: tightConfig)
        let klLoose = try policyStatistics(model: loose.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        let klTight = try policyStatistics(model: tight.model, reference: d.start, world: d.tiny.world, prompts: d.tiny.test).kl
        print("dpo kl: beta 0.05 -> \(klLoose), beta 2 -> \(klTight)")
        #expect(klTight < klLoose * 0.7)
    }

    @Test func referenceIsTheUnchangedInputModel() throws {
        let d = try DPOSetup.shared.get()
        let before = weightsFingerprint(d.start)
        let result = try dpo(d.start, prefs: d.prefs, config: d.config(epochs: 1))
        #expect(weightsFingerprint(d.start) == before)
        #expect(weightsFingerprint(result.model) != before)
        // At step 1 the policy equals the reference, so the implicit rewards start at zero.
        #expect(abs(result.log.first(Metric.rewardsChosen)!) < 1e-4)
        // ... and the first loss is log 2 plus the weighted NLL term.
        let first = result.log.records[0]
        #expect(abs(first[Metric.loss]! - (log(2) + 0.05 * first[Metric.nllLoss]!)) < 1e-3)
    }
}

extension DPOTests {
    @Test func sameSeedSameWeights() throws {
        let d = try DPOSetup.shared.get()
        var c = d.config(epochs: 1)
        c.maxSteps = 4
        let a = try dpo(d.start, prefs: d.prefs, config: c), b = try dpo(d.start, prefs: d.prefs, config: c)
        #expect(weightsFingerprint(a.model) == weightsFingerprint(b.model))
    }

    @Test func badArgumentsNameTheArgument() throws {
        let d = try DPOSetup.shared.get()
        func argument(_ config: DPOConfig, prefs: PreferenceDataset? = nil, model: LanguageModel? = nil) -> String? {
            do { _ = try dpo(model ?? d.start, prefs: prefs ?? d.prefs, config: config) } catch let e as TrainingError { return e.argument } catch { return "other: \(error)" }
            return nil
        }
        #expect(argument(DPOConfig(beta: 0)) == "beta")
        #expect(argument(DPOConfig(beta: -1)) == "beta")
        #expect(argument(DPOConfig(beta: 1e-12)) == "beta")
        #expect(argument(DPOConfig(beta: .infinity)) == "beta")
        #expect(argument(DPOConfig(nllWeight: -0.1)) == "nll")
        #expect(argument(DPOConfig(), prefs: PreferenceDataset(world: d.tiny.world, examples: [], source: "none")) == "prefs")
        var rng = RandomGenerator(seed: 1)
        let wide = try TransformerLM(config: TransformerConfig(vocabSize: 40, maxLength: 12, dModel: 8, layers: 1, heads: 1), rng: &rng)
        #expect(argument(DPOConfig(), model: wide) == "prefs")
        let empty = PreferenceDataset(world: d.tiny.world, examples: [PreferenceExample(prompt: d.tiny.train[0], chosen: [], rejected: [3])], source: "x")
        #expect(argument(DPOConfig(), prefs: empty) == "prefs")
    }

    @Test func interruptionKeepsAConsistentModel() throws {
        let d = try DPOSetup.shared.get()
        var polls = 0
        let stopped = try dpo(d.start, prefs: d.prefs, config: d.config(epochs: 1), control: TrainingControl(shouldStop: {
            polls += 1
            return polls > 3
        }))
        var c = d.config(epochs: 1)
        c.maxSteps = 3
        let cut = try dpo(d.start, prefs: d.prefs, config: c)
        #expect(stopped.interrupted && stopped.stepsDone == 3)
        #expect(weightsFingerprint(stopped.model) == weightsFingerprint(cut.model))
    }
}
