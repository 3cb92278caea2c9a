import Testing
@testable import LaifSim

struct JudgingTests {
    let world: World
    let prompts: PromptSet

    init() throws {
        world = try World(seed: 11)
        prompts = try world.prompts(500, seed: 3)
    }

    @Test func identicalRepliesWinHalfAndGoldRepliesWinMost() throws {
        let davinci = try Oracle(world: world, preset: "davinci")
        let ref = prompts.map { davinci.respond($0) }
        let judge = try Oracle(world: world, preset: "gpt-4")
        let tie = try judge.judge(prompts: prompts, responses: ref, reference: ref)
        #expect(abs(tie.winRate.value - 50) < 1e-9)
        #expect(tie.winRate.standardError < 1e-9)
        let gold = try judge.judge(prompts: prompts, responses: prompts.map(world.goldResponse), reference: ref)
        #expect(gold.winRate.value > 70)
        #expect(gold.winRate.standardError > 0 && gold.winRate.standardError < 3)
        #expect(gold.score > tie.score)
        #expect(gold.score <= 10 && tie.score >= 1)
    }

    @Test func lengthControlRemovesAPureLengthWin() throws {
        var c = try OracleConfig.preset("gpt-4"); c.lengthBias = 1
        let judge = try Oracle(world: world, config: c)
        let ref = prompts.map(world.goldResponse)
        // Same answers, 0-3 fillers added: the only advantage is length.
        let padded = prompts.enumerated().map { i, p -> [Int32] in
            Array(world.goldResponse(p).dropLast()) + Array(repeating: world.layout.fillerToken(0), count: i % 4) + [TokenLayout.eos]
        }
        let j = try judge.judge(prompts: prompts, responses: padded, reference: ref)
        #expect(j.winRate.value > 65)
        #expect(abs(j.lengthControlledWinRate - 50) < 8)
        // Under the gold judge the padding loses.
        #expect(try Oracle.gold(world).judge(prompts: prompts, responses: padded, reference: ref).winRate.value < 50)
    }

    @Test func evaluationRowReportsGoldBesideTheJudge() throws {
        let gpt35 = try Oracle(world: world, preset: "gpt-3.5"), davinci = try Oracle(world: world, preset: "davinci")
        let judge = try Oracle(world: world, preset: "gpt-4")
        let replies = prompts.map { gpt35.respond($0) }
        let row = try evaluateResponses(named: "gpt-3.5", prompts: prompts, responses: replies, judge: judge,
                                        reference: prompts.map { davinci.respond($0) })
        #expect(row.gold.judge == "gold" && row.judged.judge == "gpt-4")
        #expect(abs(row.goldQuality.value - gpt35.quality(prompts)) < 1e-12)
        #expect(row.judged.winRate.value > 50)
        #expect(row.endedRate == 1)
        #expect(row.fillerRate > 0 && row.meanLength > 2)
        let table = EvaluationTable(judge: "gpt-4", reference: "davinci", promptCount: prompts.count, temperature: 0.7, rows: [row])
        #expect(table.description.contains("gpt-3.5"))
        #expect(table.row(named: "gpt-3.5") != nil)
        #expect(throws: SimError.self) {
            try evaluateResponses(named: "x", prompts: prompts, responses: [], judge: judge, reference: [])
        }
    }

    @Test func winRatesIgnoreLabelFlipsAndRunOnRepliesLoseToDavinci() throws {
        let davinci = try Oracle(world: world, preset: "davinci")
        let ref = prompts.map { davinci.respond($0) }
        var clean = try OracleConfig.preset("gpt-4"); clean.flipRate = 0
        var noisy = clean; noisy.flipRate = 0.3
        let gpt35 = try Oracle(world: world, preset: "gpt-3.5")
        let replies = prompts.map { gpt35.respond($0) }
        let a = try Oracle(world: world, config: clean).judge(prompts: prompts, responses: replies, reference: ref)
        let b = try Oracle(world: world, config: noisy).judge(prompts: prompts, responses: replies, reference: ref)
        #expect(abs(a.winRate.value - b.winRate.value) < 1e-9)
        // A hard judge's win rate reaches 100 for the gold replies where the reference is wrong
        // somewhere: no flip ceiling.
        clean.temperature = 0
        let hard = try Oracle(world: world, config: clean)
        let differs = PromptSet(prompts.filter { world.gold($0, davinci.respond($0)) < 1 && hard.score($0, world.goldResponse($0)) > hard.score($0, davinci.respond($0)) })
        #expect(differs.count > 10)
        let perfect = try hard.judge(prompts: differs, responses: differs.map(world.goldResponse), reference: differs.map { davinci.respond($0) })
        #expect(perfect.winRate.value == 100)
        // The right answer followed by a run-on tail and no EOS loses to davinci's terse replies
        // under the gpt-4 judge and the gold judge, though it starts right.
        let runOn = prompts.map { Array(world.goldResponse($0).dropLast()) + Array(repeating: world.layout.contentToken(0), count: 8) }
        for judge in [try Oracle(world: world, preset: "gpt-4"), Oracle.gold(world)] {
            #expect(try judge.judge(prompts: prompts, responses: runOn, reference: ref).winRate.value < 3, "\(judge.config.name)")
        }
    }

    @Test func estimateAndLogisticHelpers() {
        let e = Estimate(samples: [1, 0, 1, 1])
        #expect(abs(e.value - 0.75) < 1e-12 && abs(e.standardError - 0.25) < 1e-12)
        #expect(Estimate(samples: []).value == 0)
        // One prompt gives no standard error; it printed as a measured "± 0.0".
        #expect(Estimate(samples: [0.7]).description == "0.700 ± n/a")
        #expect(Estimate(samples: [0.5, 0.7]).description == "0.60 ± 0.10")
        // Soft targets generated by a known logistic law are recovered at zero.
        let xs = stride(from: -2.0, through: 2.0, by: 0.1).map { $0 }
        let ys = xs.map { sigmoid(0.4 + 1.5 * $0) }
        #expect(abs(logisticInterceptProbability(targets: ys, feature: xs) - sigmoid(0.4)) < 1e-3)
        // Separable data stays finite.
        let p = logisticInterceptProbability(targets: [1, 1, 1], feature: [0, 1, 2])
        #expect(p.isFinite && p > 0.9)
    }
}
