import Testing
import LaifBindings
import LaifLang
import LaifSim

/// The world and prompt-set bindings: knobs reach LaifSim, values print readably, and every
/// bad input is a runtime error that names the call (never a trap).
struct WorldBindingsTests {
    @Test func worldKnobsReachTheLibrary() throws {
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run("world(tasks: 3, vocab: 9, prompt_len: 4, fillers: 0, seed: 12)", file: "t"))
        let world = try #require(value.object(as: WorldObject.self)).world
        #expect(world.config == WorldConfig(tasks: 3, vocab: 9, promptLength: 4...4, fillers: 0, seed: 12))
        // Same knobs, same hidden table.
        #expect(world.table == (try World(WorldConfig(tasks: 3, vocab: 9, promptLength: 4...4, fillers: 0, seed: 12))).table)
    }

    @Test func promptsMatchTheLibraryDraw() throws {
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run("world(seed: 4).prompts(25, seed: 9)", file: "t"))
        let set = try #require(value.object(as: PromptSetObject.self))
        #expect(set.prompts.prompts == (try World(seed: 4).prompts(25, seed: 9)).prompts)
    }

    @Test func printingShowsExamplesWithTokenText() throws {
        let text = try runValue("world(tasks: 2, vocab: 6)")
        #expect(text.hasPrefix("world: 2 tasks × 6 content tokens"))
        #expect(text.contains("e.g. (prompt -> gold reply):"))
        #expect(text.contains("<eos>\""))
        #expect(try runValue("[world(tasks: 2, vocab: 6, seed: 3)]") == "[world(2 tasks × 6 tokens, seed 3)]")
        #expect(try runValue("world().prompts(0, seed: 0)") == "prompts: 0 of world(4 tasks × 16 tokens, seed 0)")
    }

    @Test(arguments: [
        ("world(tasks: 65)", "world(): tasks must be 1...64, got 65"),
        ("world(vocab: 1)", "world(): vocab must be 2...676, got 1"),
        ("world(fillers: -1)", "world(): fillers must be 0...16, got -1"),
        ("world(prompt_len: [0, 3])", "world(): shortest prompt_len must be 1...24, got 0"),
        ("world(prompt_len: [1, 2, 3])", "world(): prompt_len must be a whole number or [shortest, longest]"),
        ("world(prompt_len: \"long\")", "world(): prompt_len must be a whole number or [shortest, longest]"),
        ("world(prompt_len: [1.5, 3])", "world(): prompt_len must be a whole number or [shortest, longest]"),
        ("world(tasks: 2.5)", "world(): argument 'tasks' must be a whole number, got 2.5"),
        ("world(seed: -1)", "world(): argument 'seed' must be a whole number from 0 to 9007199254740992 (2^53), got -1"),
        ("world(seed: 1e300)", "world(): argument 'seed' must be a whole number from 0 to 9007199254740992 (2^53)"),
        ("world(seed: 0 / 0)", "world(): argument 'seed' must be"),
        ("world().prompts(-1)", "world.prompts(): argument 'n' must be 0...1000000, got -1"),
        ("world().prompts(1e12)", "world.prompts(): argument 'n' must be 0...1000000"),
        ("world().prompts(2).split(1.5)", "prompts.split(): fraction must be in [0, 1], got 1.5"),
        ("world().prompts(2).split(0 / 0)", "prompts.split(): fraction must be in [0, 1]"),
        ("world().prompts(2)[0.5]", "a prompt set index must be a whole number, got 0.5"),
        ("world().prompts(2)[0, 1]", "a prompt set takes one index, got 2"),
        ("world().prompts(2)[\"a\"]", "a prompt set index must be a whole number"),
        ("world().prompts(2)[-3]", "index -3 is out of range for a prompt set of 2"),
        ("world().prompts(2)[1e30]", "index 1e+30 is out of range for a prompt set of 2"),
        ("world().prompts(2) ++ world().prompts(2)", "cannot join prompt sets of two different worlds"),
        ("world().prompts(2) ++ [1]", "cannot apply '++' to prompts and list"),
        ("world().text([1, -1])", "world.text(): tokens[1] must be a token id 0...26, got -1"),
        ("world().text([0.5])", "world.text(): tokens[0] must be a token id 0...26, got 0.5"),
        ("world().text([1e30])", "world.text(): tokens[0] must be a token id"),
        ("world().prompt(\"a b\")", "world.prompt(): prompt \"a b\" must start with a task token (t0...t3)"),
        ("world().prompt(\"t9 a\")", "world.prompt(): unknown token \"t9\""),
        ("world().prompt(\"t0\")", "world.prompt(): needs 1...24 content tokens, got 0"),
        ("world().prompt(3)", "world.prompt(): argument 'text' must be a prompt, its text like \"t0 a b\" or a list of token ids, got number"),
        ("world().gold(\"t0 a\", 3)", "world.gold(): argument 'response' must be a reply as text"),
        ("world(tasks: 2).gold(world(tasks: 3).prompts(1, seed: 0)[0], \"a\")", "world.gold(): argument 'prompt' is a prompt of another world"),
        ("world().difficulty(4, 0)", "world.difficulty(): task must be 0...3, got 4"),
        ("world().difficulty(0, \"zz\")", "world.difficulty(): token \"zz\" is not a content token of this world (a...p)"),
        ("world().difficulty(0, 16)", "world.difficulty(): token must be 0...15 or a letter, got 16"),
        ("world().nope", "world has no member 'nope'"),
    ])
    func badInputIsARuntimeError(_ source: String, _ message: String) throws {
        let error = try #require(runError(source), "\(source) should fail")
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix(message), "\(error.message)")
        #expect(error.location != nil)
    }

    @Test func slicesClampLikePython() throws {
        #expect(try runValue("len(world().prompts(5, seed: 0)[3:100])") == "2")
        #expect(try runValue("len(world().prompts(5, seed: 0)[-100:2])") == "2")
        #expect(try runValue("len(world().prompts(5, seed: 0)[4:1])") == "0")
    }

    @Test func promptValuesCompareByContent() throws {
        #expect(try runValue("let w = world(); w.prompt(\"t1 a b\") == w.prompt([1, 5, 8, 9, 2])") == "true")
        #expect(try runValue("let w = world(); w.prompt(\"t1 a b\") == w.prompt(\"t1 a c\")") == "false")
        #expect(try runValue("world(seed: 2) == world(seed: 2)") == "true")
    }
}
