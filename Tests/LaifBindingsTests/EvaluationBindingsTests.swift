import Testing
import LaifBindings
import LaifLang
import LaifModels
import LaifSim

/// `evaluate(...)`, `model.quality` and `model.replies`: the same numbers as LaifSim's
/// protocol, rows readable from scripts, and clear errors for mixed worlds or bad models.
struct EvaluationBindingsTests {
    let setup = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2], seed: 1)
        let a = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2, seed: 1)
        let b = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2, seed: 2)
        let test = w.prompts(12, seed: 5)

        """

    @Test func tableMatchesLaifSimsProtocol() throws {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run(setup + "let ev = evaluate({first: a, second: b}, judge: oracle(w), prompts: test, vs: oracle(w, preset: \"gpt-3.5\"))", file: "t")
        let table = try #require(interpreter.global("ev")?.object(as: EvaluationObject.self)).table
        let a = try #require(interpreter.global("a")?.object(as: ModelValue.self)).model
        let b = try #require(interpreter.global("b")?.object(as: ModelValue.self)).model
        let world = try World(tasks: 2, vocab: 6, promptLength: 1...2, seed: 1)
        let direct = try evaluate(models: [("first", a), ("second", b)], judge: try Oracle(world: world, preset: "gpt-4"),
                                  reference: try Oracle(world: world, preset: "gpt-3.5"), prompts: try world.prompts(12, seed: 5))
        #expect(table.description == direct.description)
        #expect(table.rows.map(\.judged.winRate.value) == direct.rows.map(\.judged.winRate.value))
    }

    @Test func rowsReadAsRecords() throws {
        let out = try runValue(setup + """
            let ev = evaluate([a, b], judge: oracle(w), prompts: test, names: ["a", "b"])
            [len(ev), ev.names, ev[1] == ev["b"], ev.rows[0].name, type(ev[0].win_rate), ev.temperature, ev.reference]
            """)
        #expect(out == "[2, [\"a\", \"b\"], true, \"a\", \"number\", 0.7, \"davinci\"]")
        let names = try runValue(setup + "evaluate([a, a, b], judge: oracle(w), prompts: test.first(2)).names")
        #expect(names == "[\"transformer\", \"transformer#2\", \"transformer#3\"]")
        // Without prompts: AlpacaEval's 805, one fixed draw of the judge's world.
        #expect(try runValue(setup + "let e = evaluate({a: a}, judge: oracle(w)); [e.prompts, e[0] == evaluate({a: a}, judge: oracle(w))[0]]") == "[805, true]")
    }

    /// From one prompt no spread can be measured: the record's standard errors are nil (they
    /// read 0, so a script's `gain > 2 * se` held for any gain), the table prints `± n/a`.
    @Test func standardErrorsFromOnePromptAreNil() throws {
        let one = try runValue(setup + """
            let ev = evaluate([a], judge: oracle(w), prompts: test.first(1), names: ["a"])
            [ev[0].win_rate_se, ev[0].gold_win_rate_se, ev[0].gold_quality_se]
            """)
        #expect(one == "[nil, nil, nil]")
        let table = try runOutput(setup + "print(evaluate([a], judge: oracle(w), prompts: test.first(1), names: [\"a\"]))")
        #expect(table.contains("; 1 prompt, temperature") && table.contains("± n/a"), "\(table)")
        let two = try runValue(setup + "type(evaluate([a], judge: oracle(w), prompts: test.first(2), names: [\"a\"])[0].gold_quality_se)")
        #expect(two == "\"number\"")
        let error = runError(setup + "let ev = evaluate([a], judge: oracle(w), prompts: test.first(1)); ev[0].win_rate > 2 * ev[0].win_rate_se")
        #expect(error != nil, "a missing spread must not compare as 0")
        let index = runError(setup + "evaluate([a], judge: oracle(w), prompts: test.first(1))[5]")
        #expect(index?.message.contains("index 5 is out of range for an evaluation of 1") == true, "\(String(describing: index))")
    }

    /// A blank name made a table row without a label (and `ev[""]` the only way to reach it).
    @Test func blankNamesAreRefused() throws {
        let blank = runError(setup + "evaluate([a, b], judge: oracle(w), prompts: test.first(2), names: [\"a\", \" \"])")
        #expect(blank?.message.contains("names[1] is empty; give every model a name") == true, "\(String(describing: blank))")
    }

    @Test func qualityIsTheMeanGoldOfTheReplies() throws {
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run(setup + "[a.quality(test, temperature: 1, top_p: 1, seed: 3), a.replies(test, temperature: 1, top_p: 1, seed: 3)]", file: "t"))
        guard case .list(let items) = value, case .number(let quality) = items[0], case .list(let replies) = items[1] else {
            Issue.record("expected [number, list]"); return
        }
        let world = try World(tasks: 2, vocab: 6, promptLength: 1...2, seed: 1)
        let prompts = try world.prompts(12, seed: 5)
        let golds = try zip(prompts, replies).map { prompt, reply -> Double in
            guard case .string(let text) = reply else { throw LaifError.runtime("reply is not text") }
            return world.gold(prompt, try world.layout.tokens(from: text))
        }
        #expect(abs(quality - golds.reduce(0, +) / Double(golds.count)) < 1e-12)
    }

    @Test func printingIsAnAlignedTable() throws {
        let text = try runValue(setup + "evaluate({sft: a, longer_name: b}, judge: oracle(w), prompts: test)")
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasPrefix("evaluation vs davinci, judge gpt-4"))
        #expect(lines[1].hasPrefix("model  ") && lines[1].contains("win rate"))
        #expect(lines[3].hasPrefix("longer_name  "))
        #expect(lines[2].count == lines[3].count)
        #expect(try runValue(setup + "[evaluate({m: a}, judge: oracle(w), prompts: test)]") == "[evaluation(m; judge gpt-4 vs davinci)]")
    }

    @Test(arguments: [
        ("evaluate([], judge: oracle(w), prompts: test)", "evaluate(): models is empty; give at least one model"),
        ("evaluate([a], judge: oracle(world()), prompts: test)", "evaluate(): the prompts come from another world than the judge's"),
        ("evaluate([a], judge: oracle(w), prompts: test, vs: oracle(world()))", "evaluate(): the reference vs belongs to another world than the judge"),
        ("evaluate([a, 3], judge: oracle(w), prompts: test)", "evaluate(): models[1] must be a model or a policy (best_of_n), got number"),
        ("evaluate({sft: a, gold: oracle(w)}, judge: oracle(w), prompts: test)",
         "evaluate(): models.gold must be a model or a policy (best_of_n), got oracle; an oracle is the judge or the reference"),
        ("evaluate({sft: a, gold: oracle(w)}, judge: oracle(w), prompts: test, names: [\"x\", \"y\"])",
         "evaluate(): models.gold must be a model"),
        ("evaluate(oracle(w), judge: oracle(w), prompts: test)", "evaluate(): models must be a model"),
        ("evaluate([a], judge: oracle(w), prompts: test, names: [\"x\", \"y\"])", "evaluate(): names has 2 entries for 1 models"),
        ("evaluate([transformer(vocab: 40, d_model: 16, layers: 1, heads: 2)], judge: oracle(w), prompts: test)", "evaluate(): transformer reads 40 token ids but the world has 15"),
        ("evaluate([a], judge: oracle(w), prompts: test.first(0))", "evaluate(): prompts is empty"),
        ("evaluate([a], judge: oracle(w), prompts: test, temperature: -1)", "evaluate(): temperature must be a finite number >= 0 (0 means greedy), got -1.0"),
        ("a.quality(world().prompts(3))", "model.quality(): the model reads 15 token ids but the world has 27"),
        ("a.replies(test, top_p: 0)", "model.replies(): top_p must be in (0, 1] (1 keeps every token), got 0.0"),
        // quality and replies have no judge; the message used to blame "the judge's" world.
        ("best_of_n(a, oracle(w), n: 2).replies(world(tasks: 2, vocab: 6, prompt_len: [1, 2], seed: 9).prompts(2))",
         "policy.replies(): the policy replies in another world than the prompts'; draw the prompts from its world"),
        // Finite as Doubles but inf / 0 as the sampler's Floats: the sampler used to answer in its
        // Swift names with a value never typed ("sample: temperature ... got inf", "topP ... got 0.0").
        ("evaluate([a], judge: oracle(w), prompts: test, temperature: 1e300)", "evaluate(): temperature 1e+300 is too large for sampling's 32-bit floats"),
        ("a.quality(test, top_p: 1e-300)", "model.quality(): top_p 1e-300 is too small for sampling's 32-bit floats"),
        ("a.pairs(test, against: \"self\", temperature: 1e300)", "model.pairs(): temperature 1e+300 is too large"),
    ])
    func badInputIsARuntimeError(_ source: String, _ message: String) throws {
        let error = try #require(runError(setup + source), "\(source) should fail")
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}
