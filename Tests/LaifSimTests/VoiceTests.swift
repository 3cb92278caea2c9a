import Testing
@testable import LaifSim

/// A family's voice (its signature filler) and a judge's preference for it.
struct VoiceTests {
    let world: World
    let prompts: PromptSet

    init() throws {
        world = try World(seed: 5)
        prompts = try world.prompts(400, seed: 2)
    }

    func fillers(of replies: [[Int32]]) -> [Int32: Int] {
        var counts: [Int32: Int] = [:]
        for reply in replies {
            for t in reply where world.layout.isFiller(t) { counts[t, default: 0] += 1 }
        }
        return counts
    }

    @Test func oneFamilyOneVoiceAndAnotherFamilyAnother() throws {
        let openai = try ["davinci", "gpt-3.5", "gpt-4"].map { try Oracle(world: world, preset: $0).signatureFiller }
        let claude = try Oracle(world: world, preset: "claude").signatureFiller
        #expect(Set(openai).count == 1)
        #expect(openai[0] != nil && claude != nil && openai[0] != claude)
        // The voice belongs to the family name, not to the world.
        #expect(try Oracle(world: World(seed: 9), preset: "claude").signatureFiller == claude)
        #expect(try Oracle(world: World(fillers: 0), preset: "gpt-4").signatureFiller == nil)
    }

    @Test func voiceIsTheShareOfFillersInTheFamilySignature() throws {
        var config = try OracleConfig.preset("gpt-4")
        config.verbosity = 1
        func share(_ voice: Double) throws -> Double {
            config.voice = voice
            let oracle = try Oracle(world: world, config: config)
            let counts = fillers(of: prompts.map { oracle.respond($0) })
            let total = counts.values.reduce(0, +)
            return Double(counts[oracle.signatureFiller!, default: 0]) / Double(total)
        }
        #expect(try share(1) == 1)
        #expect(abs(try share(0) - 1.0 / 3) < 0.05)
        // 0.8 in the voice, the other 0.2 uniform over three fillers.
        #expect(abs(try share(0.8) - (0.8 + 0.2 / 3)) < 0.05)
    }

    @Test func voiceDoesNotTouchTheAnswerOrAVoicelessWriter() throws {
        var voiced = try OracleConfig.preset("gpt-3.5")
        var plain = voiced
        plain.voice = 0
        let a = try Oracle(world: world, config: voiced), b = try Oracle(world: world, config: plain)
        for p in prompts.prompts.prefix(100) {
            let ra = ResponseReading(tokens: a.respond(p), layout: world.layout)
            let rb = ResponseReading(tokens: b.respond(p), layout: world.layout)
            #expect(ra.answer == rb.answer && ra.fillers == rb.fillers)
        }
        // With voice 0 no draw is spent on it: these replies are what the build before voices
        // wrote (checked with that build), so latent writers and cached bases are unchanged.
        var wordy = plain
        wordy.verbosity = 1
        let writer = try Oracle(world: world, config: wordy)
        let replies = try world.prompts(3, seed: 2).map { world.text(writer.respond($0)) }
        #expect(replies == ["a o <f1> <f0> <f1> <eos>", "o p <f0> <f2> <f2> <eos>", "j f p p <f0> <f0> <f0> <eos>"])
        voiced.verbosity = 1
        #expect(try world.prompts(3, seed: 2).map { world.text(try Oracle(world: world, config: voiced).respond($0)) } != replies)
    }

    @Test func familyBiasScoresOwnVoiceAboveAnotherVoice() throws {
        let p = prompts[0]
        let gold = world.goldResponse(p)
        let answer = Array(gold.dropLast())
        let gpt4 = try Oracle(world: world, config: {
            var c = try OracleConfig.preset("gpt-4"); c.strength = .infinity; return c
        }())
        let own = gpt4.signatureFiller!
        let foreign = try #require((0..<world.config.fillers).map { world.layout.fillerToken($0) }.first { $0 != own })
        let m = Double(p.length), b = gpt4.config.familyBias
        #expect(b == OracleConfig.presetFamilyBias && b > 0)
        let plain = gpt4.score(p, gold)
        #expect(abs(gpt4.score(p, answer + [own, TokenLayout.eos]) - (plain - World.fillerCost * m + b)) < 1e-12)
        #expect(abs(gpt4.score(p, answer + [foreign, TokenLayout.eos]) - (plain - World.fillerCost * m - b)) < 1e-12)
        // Both voices in one reply cancel; more of its own voice adds only the filler cost.
        #expect(abs(gpt4.score(p, answer + [own, foreign, TokenLayout.eos]) - (plain - 2 * World.fillerCost * m)) < 1e-12)
        #expect(abs(gpt4.score(p, answer + [own, own, TokenLayout.eos]) - (plain - 2 * World.fillerCost * m + b)) < 1e-12)
        // Without self-preference the voices are alike.
        var impartial = gpt4.config
        impartial.familyBias = 0
        let judge = try Oracle(world: world, config: impartial)
        #expect(judge.score(p, answer + [own, TokenLayout.eos]) == judge.score(p, answer + [foreign, TokenLayout.eos]))
    }

    @Test func aJudgePrefersRepliesInItsFamilysVoice() throws {
        // The same answers, with and without fillers in the openai voice (one name, so one
        // stream of draws: the answers match), read by judges who know every entry.
        var wordy = try OracleConfig.preset("gpt-4")
        wordy.verbosity = 1
        wordy.voice = 1
        var terse = wordy
        terse.verbosity = 0
        let writer = try Oracle(world: world, config: wordy), reference = try Oracle(world: world, config: terse)
        func preference(family: String, bias: Double) throws -> Double {
            var c = try OracleConfig.preset("gpt-4")
            c.strength = .infinity
            c.family = family
            c.familyBias = bias
            let judge = try Oracle(world: world, config: c)
            return prompts.prompts.reduce(0.0) {
                $0 + judge.judgedPreference($1, first: writer.respond($1), second: reference.respond($1))
            } / Double(prompts.count)
        }
        let impartial = try preference(family: "openai", bias: 0)
        #expect(impartial < 0.5)   // fillers cost gold quality
        #expect(try preference(family: "openai", bias: 0.75) > impartial + 0.2)
        #expect(try preference(family: "anthropic", bias: 0.75) < impartial - 0.2)
    }
}
