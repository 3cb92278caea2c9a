import Testing
@testable import LaifSim

struct OracleTests {
    let world: World
    let prompts: PromptSet

    init() throws {
        world = try World(seed: 2)
        prompts = try world.prompts(400, seed: 1)
    }

    @Test func presetsHaveTheirDocumentedKnowledge() throws {
        let names = ["davinci", "gpt-3.5", "gpt-4", "claude"]
        let oracles = try names.map { try Oracle(world: world, preset: $0) }
        let coverage = oracles.map(\.coverage)
        #expect(coverage[0] < coverage[1] && coverage[1] < coverage[2])
        #expect(Oracle.gold(world).coverage == 1)
        #expect(throws: SimError.self) { try Oracle(world: world, preset: "gpt-5") }
    }

    @Test func strongerOracleWritesBetterDemos() throws {
        var last = -1.0
        for s in [0.2, 0.5, 0.8, 1.2] {
            var c = try OracleConfig.preset("gpt-3.5")
            c.strength = s
            let q = try Oracle(world: world, config: c).demos(prompts).quality
            #expect(q > last)
            last = q
        }
        #expect(try Oracle(world: world, preset: "gpt-4").quality(prompts) > (try Oracle(world: world, preset: "gpt-3.5").quality(prompts)))
    }

    @Test func knowledgeNestsWithinAFamilyAndDiffersAcrossFamilies() throws {
        let weak = try Oracle(world: world, preset: "gpt-3.5")
        let strong = try Oracle(world: world, preset: "gpt-4")
        for e in world.entries where weak.knows(e) { #expect(strong.knows(e)) }
        var a = try OracleConfig.preset("gpt-4"), b = a
        b.family = "anthropic"
        a.strength = 0.5; b.strength = 0.5
        let oa = try Oracle(world: world, config: a), ob = try Oracle(world: world, config: b)
        #expect(oa.knowledge != ob.knowledge)
        #expect(oa.habits != ob.habits)
        // Where an oracle knows, it believes gold; where not, its habit (never gold).
        for e in world.entries {
            if oa.knows(e) { #expect(oa.belief(e) == world.goldToken(e)) }
            else { #expect(oa.belief(e) != world.goldToken(e)) }
            #expect(oa.habits[world.entryIndex(e)] != world.goldToken(e))
        }
    }

    @Test func jitterDecidesHowFarKnowledgeStraysFromDifficulty() throws {
        var c = try OracleConfig.preset("gpt-3.5")
        c.jitter = 0
        let exact = try Oracle(world: world, config: c)
        for e in world.entries { #expect(exact.knows(e) == (world.difficulty(e) < c.strength)) }
        c.jitter = 0.3
        let loose = try Oracle(world: world, config: c)
        #expect(world.entries.contains { loose.knows($0) != (world.difficulty($0) < c.strength) })
    }

    @Test func repliesAreSeededPerPrompt() throws {
        let o = try Oracle(world: world, preset: "gpt-3.5")
        let forward = prompts.map { o.respond($0) }
        let backward = prompts.reversed().map { o.respond($0) }.reversed()
        #expect(forward == Array(backward))
        #expect(prompts.map { o.respond($0, sample: 1) } != forward)
        for (p, r) in zip(prompts, forward) {
            #expect(r.last == TokenLayout.eos)
            #expect(ResponseReading(tokens: r, layout: world.layout).answer.count == p.length)
        }
    }

    @Test func slipHabitAndVerbosityKnobsShowTheirEffect() throws {
        var base = try OracleConfig.preset("gpt-3.5")
        base.verbosity = 0
        base.slipRate = 0
        var slippy = base; slippy.slipRate = 0.5
        #expect(try Oracle(world: world, config: slippy).quality(prompts) < (try Oracle(world: world, config: base).quality(prompts)))
        // Habit rate 1: every unknown entry gets the habit token.
        var habitual = base; habitual.habitRate = 1
        let h = try Oracle(world: world, config: habitual)
        for p in prompts.prefix(50) {
            let r = h.respond(p)
            for (i, e) in p.entries.enumerated() where !h.knows(e) { #expect(r[i] == h.habits[world.entryIndex(e)]) }
        }
        var verbose = base; verbose.verbosity = 1
        let fillers = { (o: Oracle) in self.prompts.reduce(0) { $0 + ResponseReading(tokens: o.respond($1), layout: self.world.layout).fillers } }
        #expect(fillers(try Oracle(world: world, config: base)) == 0)
        let v = fillers(try Oracle(world: world, config: verbose))
        #expect(v >= prompts.count && v <= 3 * prompts.count)
    }

    @Test func infiniteStrengthsPrintWithTheirSign() {
        // strength -inf (knows nothing) used to print like the gold oracle's "strength ∞".
        #expect(OracleConfig(name: "x", family: "f", strength: .infinity).description.contains("strength ∞,"))
        #expect(OracleConfig(name: "x", family: "f", strength: -.infinity).description.contains("strength -∞,"))
    }

    @Test func badOracleKnobsAreClearErrors() throws {
        for mutate in [{ (c: inout OracleConfig) in c.slipRate = -0.1 }, { $0.flipRate = 2 }, { $0.temperature = -1 },
                       { $0.strength = .nan }, { $0.verbosity = .infinity }, { $0.maxFillers = 99 }, { $0.family = "" }] {
            var c = try OracleConfig.preset("gpt-4")
            mutate(&c)
            #expect(throws: SimError.self) { try Oracle(world: world, config: c) }
        }
    }
}
