import Foundation
import Testing
@testable import LaifLang

/// Runs every Scripts/*.laif through the interpreter and compares with its `# expect`
/// comments (see `ScriptExpectations`).
let scriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

func scriptNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: scriptsFolder.path)) ?? []
    return names.filter { $0.hasSuffix(".laif") }.sorted()
}

@Test func scriptsFolderIsNotEmpty() {
    #expect(scriptNames().count >= 20)
}

@Test(arguments: scriptNames())
func script(_ name: String) throws {
    let source = try String(contentsOf: scriptsFolder.appendingPathComponent(name), encoding: .utf8)
    let problems = ScriptExpectations.check(source: source, file: name) { output in
        let interpreter = Interpreter(output: output)
        interpreter.shouldInterrupt = { false }
        return interpreter
    }
    #expect(problems == [])
}

@Test func expectationDirectivesParse() {
    let source = "print(1)  # expect: 1\n# expect:\nx  # expect error: f:1:1: boom \n"
    let expectations = ScriptExpectations(source: source)
    #expect(expectations.outputLines == ["1", ""])
    #expect(expectations.error == "f:1:1: boom")
    #expect(expectations.exitCode == 70)
    #expect(ScriptExpectations(source: "# expect exit: 1").exitCode == 1)
}

@Test func checkReportsEveryKindOfDifference() {
    let make: (@escaping (String) -> Void) -> Interpreter = { output in
        let interpreter = Interpreter(output: output)
        interpreter.shouldInterrupt = { false }
        return interpreter
    }
    #expect(ScriptExpectations.check(source: "print(2)  # expect: 3", file: "t", makeInterpreter: make)
            == ["t: output line 1: expected \"3\", got \"2\""])
    #expect(ScriptExpectations.check(source: "nope", file: "t", makeInterpreter: make)
            == ["t: expected error <none>, got t:1:1: undefined name 'nope'", "t: expected exit 0, got 70"])
    #expect(ScriptExpectations.check(source: "1  # expect: 1", file: "t", makeInterpreter: make) == [])
}
