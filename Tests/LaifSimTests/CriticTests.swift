import Testing
@testable import LaifSim

struct CriticTests {
    let world: World
    let prompts: PromptSet

    init() throws {
        world = try World(seed: 5)
        prompts = try world.prompts(600, seed: 2)
    }

    @Test func aCriticNeverPrefersTheTruthWhereItDoesNotKnow() throws {
        let critic = try Oracle(world: world, preset: "gpt-3.5")
        var checked = 0
        for e in world.entries where !critic.knows(e) {
            let p = try world.prompt(task: e.task, inputs: [e.token])
            let gold = world.goldResponse(p)
            for c in 0..<world.config.vocab where world.layout.contentToken(c) != world.goldToken(e) {
                let wrong: [Int32] = [world.layout.contentToken(c), TokenLayout.eos]
                #expect(critic.score(p, gold) <= critic.score(p, wrong))
                #expect(critic.preferenceProbability(p, first: gold, second: wrong) <= 0.5)
                #expect(critic.preferenceProbability(p, first: wrong, second: gold) >= 0.5)
            }
            checked += 1
        }
        #expect(checked > 0)
        // Where it knows, it prefers the truth.
        let known = try #require(world.entries.first(where: critic.knows))
        let p = try world.prompt(task: known.task, inputs: [known.token])
        #expect(critic.preferenceProbability(p, first: world.goldResponse(p), second: [critic.habits[world.entryIndex(known)], TokenLayout.eos]) > 0.5)
    }

    @Test func labelsAreStableAcrossRunsAndOrderings() throws {
        let teacher = try Oracle(world: world, preset: "gpt-3.5"), other = try Oracle(world: world, preset: "davinci")
        let critic = try Oracle(world: world, preset: "gpt-4")
        let pairs = teacher.pairs(prompts, against: other)
        let labels = critic.label(pairs)
        #expect(critic.label(pairs).examples == labels.examples)
        let reversed = PairSet(world: world, pairs: pairs.pairs.reversed(), source: "reversed")
        #expect(critic.label(reversed).examples.reversed() == labels.examples)
        // Swapping the two replies of each pair does not change which one is chosen.
        let swapped = PairSet(world: world, pairs: pairs.pairs.map { ResponsePair(prompt: $0.prompt, first: $0.second, second: $0.first) }, source: "swapped")
        #expect(critic.label(swapped).examples.map(\.chosen) == labels.examples.map(\.chosen))
        // Another critic seed draws other labels somewhere.
        var c = critic.config; c.seed = 1
        #expect(try Oracle(world: world, config: c).label(pairs).examples != labels.examples)
    }

    @Test func lengthBiasPicksLongerWinners() throws {
        var terse = try OracleConfig.preset("gpt-4"); terse.verbosity = 0
        var wordy = terse; wordy.name = "wordy"; wordy.verbosity = 1
        let pairs = try Oracle(world: world, config: wordy).pairs(prompts, against: Oracle(world: world, config: terse))
        func chosenFillers(_ bias: Double) throws -> Double {
            var c = try OracleConfig.preset("gpt-4"); c.lengthBias = bias
            let prefs = try Oracle(world: world, config: c).label(pairs)
            return prefs.examples.reduce(0.0) { $0 + Double(ResponseReading(tokens: $1.chosen, layout: world.layout).fillers) } / Double(prefs.count)
        }
        #expect(try chosenFillers(1.0) > chosenFillers(0) + 0.5)
    }

    @Test func flipRateLowersAgreementWithGold() throws {
        let pairs = try Oracle(world: world, preset: "gpt-3.5").pairs(prompts, against: Oracle(world: world, preset: "davinci"))
        let gold = Oracle.gold(world)
        var goldConfig = gold.config; goldConfig.temperature = 0
        let goldLabels = try Oracle(world: world, config: goldConfig).label(pairs)
        var agreements: [Double] = []
        for flip in [0.0, 0.2, 0.4] {
            var c = goldConfig; c.name = "noisy"; c.flipRate = flip
            agreements.append(try Oracle(world: world, config: c).label(pairs).agreement(with: goldLabels))
        }
        #expect(agreements[0] > agreements[1] + 0.1 && agreements[1] > agreements[2] + 0.1)
        #expect(abs(agreements[2] - 0.6) < 0.15)   // about 1 - flip, less where gold ties
    }

    @Test func positionBiasAndTemperatureShapeThePreference() throws {
        let p = prompts[0]
        let reply = world.goldResponse(p)
        var c = try OracleConfig.preset("gpt-4"); c.flipRate = 0
        #expect(abs(try Oracle(world: world, config: c).preferenceProbability(p, first: reply, second: reply) - 0.5) < 1e-12)
        c.positionBias = 1
        #expect(try Oracle(world: world, config: c).preferenceProbability(p, first: reply, second: reply) > 0.7)
        c.positionBias = 0
        let sharp = try Oracle(world: world, config: { var x = c; x.temperature = 0.1; return x }())
        let soft = try Oracle(world: world, config: { var x = c; x.temperature = 2; return x }())
        #expect(sharp.preferenceProbability(scoreDifference: 1) > soft.preferenceProbability(scoreDifference: 1))
        let hard = try Oracle(world: world, config: { var x = c; x.temperature = 0; return x }())
        #expect(hard.preferenceProbability(scoreDifference: 0.3) == 1)
        #expect(hard.preferenceProbability(scoreDifference: 0) == 0.5)
    }

    @Test func flipsNoiseLabelsButNotTheJudgedPreference() throws {
        var c = try OracleConfig.preset("gpt-4"); c.temperature = 0; c.flipRate = 0.2
        let noisy = try Oracle(world: world, config: c)
        #expect(noisy.judgedPreference(scoreDifference: 1) == 1 && noisy.judgedPreference(scoreDifference: -1) == 0)
        #expect(abs(noisy.preferenceProbability(scoreDifference: 1) - 0.8) < 1e-12)
        #expect(abs(noisy.preferenceProbability(scoreDifference: -1) - 0.2) < 1e-12)
        c.temperature = 0.5
        let soft = try Oracle(world: world, config: c)
        #expect(abs(soft.judgedPreference(scoreDifference: 1) - sigmoid(2)) < 1e-12)
        let p = prompts[0]
        let good = world.goldResponse(p), bad: [Int32] = [TokenLayout.eos]
        #expect(abs(soft.judgedPreference(p, first: good, second: bad)
            - soft.judgedPreference(scoreDifference: soft.score(p, good) - soft.score(p, bad))) < 1e-12)
    }

    @Test func aRunOnReplyFailsTheInstructionForEveryCritic() throws {
        let p = try world.prompt(task: 0, inputs: [0, 1, 2])
        let gold = world.goldResponse(p)
        let answer = Array(gold.dropLast())
        let wrongToken = world.layout.contentToken(0) == answer[0] ? world.layout.contentToken(1) : world.layout.contentToken(0)
        let wrongButStops = Array(repeating: wrongToken, count: answer.count) + [TokenLayout.eos]
        // The right answer, then more tokens and no EOS (a base model's habit).
        let runOn = answer + Array(repeating: answer[0], count: 6)
        let slackEdge = answer + Array(repeating: answer[0], count: Oracle.instructionSlack) + [TokenLayout.eos]
        let pastSlack = answer + Array(repeating: answer[0], count: Oracle.instructionSlack + 1) + [TokenLayout.eos]
        let read = { ResponseReading(tokens: $0, layout: world.layout) }
        #expect(Oracle.followsInstruction(p, read(gold)) && Oracle.followsInstruction(p, read(slackEdge)))
        #expect(!Oracle.followsInstruction(p, read(runOn)) && !Oracle.followsInstruction(p, read(pastSlack)))
        // Fillers are priced on their own and do not count against the slack.
        let padded = answer + Array(repeating: world.layout.fillerToken(0), count: Oracle.instructionSlack + 3) + [TokenLayout.eos]
        #expect(Oracle.followsInstruction(p, read(padded)))
        for oracle in [Oracle.gold(world), try Oracle(world: world, preset: "gpt-4"), try Oracle(world: world, preset: "claude")] {
            #expect(oracle.score(p, runOn) < oracle.score(p, wrongButStops), "\(oracle.config.name)")
            #expect(abs(oracle.score(p, runOn) - 3 * Oracle.instructionFailureQuality) < 1e-12)
            #expect(oracle.score(p, pastSlack) < oracle.score(p, wrongButStops))
            #expect(oracle.score(p, slackEdge) > oracle.score(p, wrongButStops) || !oracle.knows(Entry(task: 0, token: 0)))
        }
        // The gold oracle's score is m × gold quality where the reply follows the instruction;
        // gold quality itself keeps no instruction term.
        let g = Oracle.gold(world)
        for reply in [gold, wrongButStops, slackEdge, padded] {
            #expect(abs(g.score(p, reply) - 3 * world.gold(p, reply)) < 1e-12)
        }
        #expect(abs(world.gold(p, runOn) - 3.0 / 9.0) < 1e-12)
    }

    @Test func criticsOfDifferentFamiliesAgreeLessThanAFamilyWithItself() throws {
        let pairs = try Oracle(world: world, preset: "gpt-3.5").pairs(prompts, against: Oracle(world: world, preset: "davinci"))
        let gpt4 = try Oracle(world: world, preset: "gpt-4")
        var twin = gpt4.config; twin.seed = 7
        let claude = try Oracle(world: world, preset: "claude")
        let sameFamily = try gpt4.label(pairs).agreement(with: Oracle(world: world, config: twin).label(pairs))
        let crossFamily = try gpt4.label(pairs).agreement(with: claude.label(pairs))
        #expect(crossFamily < sameFamily)
        #expect(throws: SimError.self) { try gpt4.label(pairs).agreement(with: claude.label(PairSet(world: world, pairs: [], source: ""))) }
    }
}
