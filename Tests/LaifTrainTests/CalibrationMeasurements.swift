import Foundation
import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

/// The measurements behind the trainers' documented defaults, at CALIBRATION.md's scale
/// (default world, a standard-recipe base, 3,000 prompts). Minutes of work: run on demand in a
/// release build, e.g.
/// `LAIF_CALIBRATE=dpo LAIF_RECIPE=standard swift test -c release -Xswiftc -enable-testing --filter calibrationScale`.
/// Base models are cached under /tmp/laif-t-cache.
@Suite struct CalibrationMeasurements {
    /// The study-scale measurements behind the documented defaults (release build; minutes).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LAIF_CALIBRATE"] != nil, "set LAIF_CALIBRATE=dpo|rl|opt|rm to run"))
    func calibrationScale() throws {
        let w = try World(WorldConfig())
        let gpt35 = try Oracle(world: w, preset: "gpt-3.5"), gpt4 = try Oracle(world: w, preset: "gpt-4")
        let family = ProcessInfo.processInfo.environment["LAIF_FAMILY"] ?? "mistral"
        let recipe = ProcessInfo.processInfo.environment["LAIF_RECIPE"] ?? "fast"
        let base = try buildBaseModel(world: w, config: try BaseModelConfig(family: family, recipe: recipe), cacheDirectory: "/tmp/laif-t-cache")
        print("CAL base \(base)")
        let (p10, p90) = try w.prompts(3000, seed: 0).split(0.1)
        let test = try w.prompts(500, seed: 99)
        func describe(_ name: String, _ m: LanguageModel) throws {
            let replies = try sampleReplies(model: m, world: w, prompts: test, options: ReplyOptions(temperature: 0.7, topP: 0.9, seed: 5))
            let q = zip(test, replies).map { w.gold($0, $1) }.reduce(0, +) / Double(test.count)
            var fillers = 0.0, rightLength = 0.0
            for (p, r) in zip(test, replies) {
                let reading = ResponseReading(tokens: r, layout: w.layout)
                fillers += Double(reading.fillers)
                rightLength += reading.answer.count == p.length && reading.ended ? 1 : 0
            }
            let critic = mean(try gpt4.scores(prompts: test.prompts, responses: replies))
            print("CAL \(name): gold \(formatMetric(q)) critic \(formatMetric(critic)) fillers/reply \(formatMetric(fillers / Double(test.count))) right-length \(formatMetric(rightLength / Double(test.count)))")
        }
        try describe("base", base.model)
        let t0 = Date()
        let s35 = try sft(base.model, data: gpt35.demos(p10))
        print("CAL sft steps \(s35.stepsDone) in \(Date().timeIntervalSince(t0)) s")
        try describe("sft35", s35.model)
        let prefs = gpt4.label(try modelPairs(model: s35.model, name: "s35", world: w, prompts: p90, against: .oracle(gpt35)))
        print("CAL prefs gold agreement \(prefs.goldAccuracy)")
        let mode = ProcessInfo.processInfo.environment["LAIF_CALIBRATE"] ?? "dpo"
        if mode == "rm" {
            let ceiling = mean(prefs.examples.map { ex in
                let p = gpt4.preferenceProbability(ex.prompt, first: ex.chosen, second: ex.rejected)
                return max(p, 1 - p)
            })
            print("CAL critic's own consistency ceiling \(formatMetric(ceiling))")
            var rm = try rewardModel(s35.model, prefs: prefs)
            print("CAL reward model: \(rm); gold agreement of the labels \(formatMetric(prefs.goldAccuracy)); train acc \(formatMetric(rm.log.recentMean(Metric.accuracy, window: 20)!))")
            for (epochs, lr) in [(3, 1e-3), (6, 1e-3), (3, 2e-4), (1, 5e-4)] {
                let r = try rewardModel(s35.model, prefs: prefs, config: RewardModelConfig(epochs: epochs, learningRate: lr))
                print("CAL reward model epochs \(epochs) lr \(lr): \(r); train acc \(formatMetric(r.log.recentMean(Metric.accuracy, window: 20)!))")
                if r.heldOutAccuracy! > rm.heldOutAccuracy! { rm = r }
            }
            let tuned = try rloo(s35.model, prompts: p90, reward: rm)
            try describe("rloo on reward model", tuned.model)
            let bon = try BestOfNPolicy(model: s35.model, scorer: gpt4, n: 8)
            let q = try policyQuality(bon, prompts: test, options: ReplyOptions(temperature: 0.7, topP: 0.9, seed: 5))
            print("CAL best-of-8 under gpt-4: gold \(q)")
            let ei = try expertIteration(s35.model, prompts: p90.first(900), scorer: gpt4)
            try describe("expert iteration (3 rounds, 900 prompts)", ei.model)
        } else if mode == "opt" {
            for (name, opt, lr) in [("adamw", OptimizerSettings(), 1e-3), ("rmsprop", OptimizerSettings.paper, 1e-3),
                                    ("rmsprop", OptimizerSettings.paper, 3e-4), ("rmsprop", OptimizerSettings.paper, 1e-4)] {
                let r = try sft(base.model, data: gpt35.demos(p10), config: SFTConfig(learningRate: lr, optimizer: opt))
                try describe("sft \(name) lr \(lr) loss \(formatMetric(r.log.last(Metric.loss)!))", r.model)
                let d = try dpo(s35.model, prefs: prefs, config: DPOConfig(learningRate: lr / 2, optimizer: opt))
                try describe("dpo \(name) lr \(lr / 2)", d.model)
            }
        } else if mode == "dpo" {
            for nll in [0.0, 0.05, 0.1, 0.2] {
                let t1 = Date()
                let r = try dpo(s35.model, prefs: prefs, config: DPOConfig(nllWeight: nll))
                print("CAL dpo nll \(nll): \(r.stepsDone) steps in \(formatMetric(Date().timeIntervalSince(t1))) s, acc \(formatMetric(r.log.recentMean(Metric.accuracies, window: 5)!)) margins \(formatMetric(r.log.last(Metric.margins)!))")
                try describe("dpo nll \(nll)", r.model)
            }
            let ipo = try dpo(s35.model, prefs: prefs, config: DPOConfig(beta: 0.5, loss: .ipo))
            try describe("ipo beta 0.5", ipo.model)
        } else {
            for lr in [1e-4, 3e-4, 1e-3] {
                let t1 = Date()
                let r = try rloo(s35.model, prompts: p90, reward: gpt4, config: RLOOConfig(learningRate: lr))
                print("CAL rloo lr \(lr): \(formatMetric(Date().timeIntervalSince(t1))) s, kl \(formatMetric(r.log.last(Metric.kl)!)) scores \(formatMetric(r.log.earlyMean(Metric.scores, window: 10)!)) -> \(formatMetric(r.log.recentMean(Metric.scores, window: 10)!))")
                try describe("rloo lr \(lr)", r.model)
                let t2 = Date()
                let p = try ppo(s35.model, prompts: p90, reward: gpt4, config: PPOConfig(learningRate: lr, valueLearningRate: 3 * lr))
                print("CAL ppo lr \(lr): \(formatMetric(Date().timeIntervalSince(t2))) s, kl \(formatMetric(p.log.last(Metric.kl)!)) scores \(formatMetric(p.log.earlyMean(Metric.scores, window: 10)!)) -> \(formatMetric(p.log.recentMean(Metric.scores, window: 10)!))")
                try describe("ppo lr \(lr)", p.model)
            }
        }
    }
}
