import Testing
import LaifBindings
import LaifLang
import LaifSim

/// The oracle bindings: every keyword knob reaches the oracle's configuration, the methods
/// agree with LaifSim, and bad knobs or mixed worlds are clear errors.
struct OracleBindingsTests {
    func oracle(_ source: String) throws -> Oracle {
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run(source, file: "t"))
        return try #require(value.object(as: OracleObject.self)).oracle
    }

    @Test func everyKnobOverridesThePreset() throws {
        let o = try oracle("""
            oracle(world(), preset: "claude", name: "mine", family: "fam", strength: 0.5, habit: 0.3, slip: 0.1,
                   verbosity: 0.6, max_fillers: 2, length_bias: 1.5, voice: 0.3, family_bias: 2, position_bias: -0.5,
                   temperature: 0.2, flip: 0.25, jitter: 0.05, seed: 8)
            """)
        let expected = OracleConfig(name: "mine", family: "fam", strength: 0.5, jitter: 0.05, habitRate: 0.3, slipRate: 0.1,
                                    verbosity: 0.6, maxFillers: 2, lengthBias: 1.5, voice: 0.3, familyBias: 2,
                                    positionBias: -0.5, temperature: 0.2, flipRate: 0.25, seed: 8)
        #expect(o.config == expected)
    }

    @Test func presetsWithoutOverridesAreTheLibrarysPresets() throws {
        for preset in OracleConfig.presetNames {
            #expect(try oracle("oracle(world(), preset: \"\(preset)\")").config == OracleConfig.preset(preset))
        }
        #expect(try oracle("oracle(world())").config.name == "gpt-4")
    }

    @Test func methodsAgreeWithTheLibrary() throws {
        let world = try World(tasks: 2, vocab: 6, seed: 1)
        let gpt35 = try Oracle(world: world, preset: "gpt-3.5")
        let prompts = try world.prompts(20, seed: 0)
        let (interpreter, _) = makeTestInterpreter()
        let source = """
            let w = world(tasks: 2, vocab: 6, seed: 1)
            let o = oracle(w, preset: "gpt-3.5")
            let ps = w.prompts(20, seed: 0)
            [o.quality(ps), o.respond(ps[3]), o.respond(ps[3], sample: 2), o.score(ps[1], "a b <eos>"), o.coverage, o.known]
            """
        let value = try #require(try interpreter.run(source, file: "t"))
        guard case .list(let items) = value else { Issue.record("expected a list"); return }
        #expect(items.count == 6)
        if case .number(let q) = items[0] { #expect(q == gpt35.quality(prompts)) } else { Issue.record("quality") }
        if case .string(let r) = items[1] { #expect(r == world.text(gpt35.respond(prompts[3]))) } else { Issue.record("respond") }
        if case .string(let r) = items[2] { #expect(r == world.text(gpt35.respond(prompts[3], sample: 2))) } else { Issue.record("sample") }
        if case .number(let s) = items[3] {
            #expect(s == gpt35.score(prompts[1], try world.layout.tokens(from: "a b <eos>")))
        } else { Issue.record("score") }
        if case .number(let c) = items[4] { #expect(c == gpt35.coverage) } else { Issue.record("coverage") }
        if case .number(let k) = items[5] { #expect(Int(k) == gpt35.knownEntries.count) } else { Issue.record("known") }
    }

    @Test func demosAndLabelsAreTheLibrarys() throws {
        let world = try World(tasks: 2, vocab: 6, seed: 1)
        let prompts = try world.prompts(12, seed: 3)
        let gpt35 = try Oracle(world: world, preset: "gpt-3.5"), davinci = try Oracle(world: world, preset: "davinci")
        let gpt4 = try Oracle(world: world, preset: "gpt-4")
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run("""
            let w = world(tasks: 2, vocab: 6, seed: 1)
            let ps = w.prompts(12, seed: 3)
            [oracle(w, preset: "gpt-3.5").demos(ps), oracle(w).label(oracle(w, preset: "gpt-3.5").pairs(ps, against: oracle(w, preset: "davinci")))]
            """, file: "t"))
        guard case .list(let items) = value, items.count == 2 else { Issue.record("expected two values"); return }
        let demos = try #require(items[0].object(as: SFTDatasetObject.self)).dataset
        #expect(demos.examples == gpt35.demos(prompts).examples)
        let prefs = try #require(items[1].object(as: PreferenceDatasetObject.self)).dataset
        #expect(prefs.examples == gpt4.label(gpt35.pairs(prompts, against: davinci)).examples)
    }

    @Test(arguments: [
        ("oracle(world(), strength: 0 / 0)", "oracle(): oracle gpt-4: strength must be a number, got nan"),
        ("oracle(world(), temperature: -1)", "oracle(): oracle gpt-4: temperature must be finite and >= 0, got -1.0"),
        ("oracle(world(), max_fillers: 17)", "oracle(): oracle gpt-4: max_fillers must be 0...16, got 17"),
        ("oracle(world(), family: \"\")", "oracle(): oracle gpt-4: family must not be empty"),
        ("oracle(world(), verbosity: \"a lot\")", "oracle(): argument 'verbosity' must be a number, got string"),
        ("oracle(3)", "oracle(): argument 'w' must be a world (make one with world(...)), got number"),
        ("oracle(world()).demos([1, 2])", "oracle.demos(): argument 'prompts' must be a prompt set (make one with w.prompts(n)), got list"),
        ("oracle(world()).demos(world().prompts(2))", "oracle.demos(): the prompts come from another world than the oracle's"),
        ("oracle(world()).label(world().prompts(2))", "oracle.label(): argument 'pairs' must be pairs"),
        ("let w = world(); oracle(w).pairs(w.prompts(2), against: oracle(world()))", "oracle.pairs(): the prompts and both oracles must belong to one world"),
        ("oracle(world()).knows(0, \"zz\")", "oracle.knows(): token \"zz\" is not a content token"),
        ("oracle(world()).respond(\"t0 a\", sample: -1)", "oracle.respond(): argument 'sample' must be 0...1000000000, got -1"),
        ("oracle(world()).quality(world().prompts(2))", "oracle.quality(): the prompts come from another world"),
    ])
    func badInputIsARuntimeError(_ source: String, _ message: String) throws {
        let error = try #require(runError(source), "\(source) should fail")
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test func printingNamesKnowledgeAndKnobs() throws {
        let text = try runValue("oracle(world(tasks: 2, vocab: 6), preset: \"claude\", length_bias: 0.5)")
        #expect(text.hasPrefix("oracle claude: family anthropic, strength 0.85, knows "))
        #expect(text.contains("length bias 0.5"))
        #expect(text.contains("(gold \""))
        #expect(try runValue("[oracle(world(), preset: \"gold\")]") == "[oracle(gold, strength inf)]")
        // An oracle that knows nothing printed as one that knows everything ("strength inf").
        #expect(try runValue("[oracle(world(), strength: -1 / 0)]") == "[oracle(gpt-4, strength -inf)]")
        #expect(try runValue("oracle(world(), strength: -1 / 0)").contains("strength -inf, knows 0/64 entries"))
    }
}
