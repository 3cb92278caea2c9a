import Foundation
import Testing
import LaifBindings
import LaifLang

// Scripts/diagnose_*.laif run with every other script in ScriptRunnerTests.swift.

@Test func diagnoseScriptsExist() {
    #expect(scriptNames().filter { $0.hasPrefix("diagnose_") }.count >= 4)
}

@Test func diagnoseIsRegisteredWithADocAndARunnableExample() throws {
    let builtin = try #require(standardRegistry().lookup("diagnose"))
    #expect(builtin.doc.hasSuffix(".") && !builtin.doc.contains("\n"))
    #expect(!builtin.example.contains("\n"))
    let (interpreter, _) = makeTestInterpreter()
    let result = try interpreter.run(builtin.example, file: "example")
    let value = try #require(result)
    #expect(value.typeName == "diagnosis")
}

@Test func aDiagnosisPrintsItsTableAndVerdict() throws {
    let echo = try runValue("""
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
        let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2)
        diagnose(m, m, teacher: oracle(w, preset: "gpt-3.5"), critic: oracle(w), judge: oracle(w), prompts: w.prompts(10))
        """)
    #expect(echo.hasPrefix("diagnosis: RL vs SFT on 10 prompts (teacher gpt-3.5, critic gpt-4, judge gpt-4 vs davinci"))
    for category in ["elicited", "unreachable", "sharpened", "ceiling", "harm", "total", "gold quality", "win rate", "verdict: "] {
        #expect(echo.contains(category), "missing \(category)")
    }
    // The same model before and after: no change in any category.
    #expect(try runValue("""
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
        let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2)
        let d = diagnose(m, m, teacher: oracle(w, preset: "gpt-3.5"), critic: oracle(w), judge: oracle(w), prompts: w.prompts(10))
        [d.position_gain, d.elicited, d.harm]
        """) == "[0, 0, 0]")
}

@Test func diagnoseRefusesBadArguments() throws {
    let setup = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
        let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2)
        let t = oracle(w, preset: "gpt-3.5")
        let c = oracle(w)

        """
    func message(_ call: String) -> String { runError(setup + call)?.message ?? "" }
    #expect(message("diagnose(m, m, teacher: t, critic: c, judge: c, prompts: w.prompts(4), sft_prompts: w.prompts(4))")
        .contains("sft_prompts: needs base:"))
    #expect(message("diagnose(m, m, teacher: t, critic: c, judge: c, prompts: w.prompts(4), vs: oracle(world(seed: 4)))")
        .contains("the reference vs belongs to another world"))
    #expect(message("diagnose(m, m, teacher: t, critic: c, judge: c, prompts: world(seed: 4).prompts(4))")
        .contains("the prompts come from another world"))
    #expect(message("diagnose(m, 3, teacher: t, critic: c, judge: c, prompts: w.prompts(4))").contains("rl"))
    #expect(message("diagnose(transformer(vocab: 40, d_model: 16, layers: 1, heads: 2), m, teacher: t, critic: c, judge: c, prompts: w.prompts(4))")
        .contains("token ids but the world has"))
    #expect(message("let d = diagnose(m, m, teacher: t, critic: c, judge: c, prompts: w.prompts(4)); d[\"luck\"]")
        .contains("no category \"luck\""))
}
