import Foundation
import Testing
import LaifBindings
import LaifLang

/// Runs every Scripts/*.laif with the standard registry and checks it against its `# expect`
/// comments (see LaifLang's `ScriptExpectations`). Scripts that write files put them in the
/// global `test_dir`, a fresh folder per script; scripts that pretrain a base pass
/// `cache: test_cache`, a folder shared by the runs so each base is trained once.
let scriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

func scriptNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: scriptsFolder.path)) ?? []
    return names.filter { $0.hasSuffix(".laif") }.sorted()
}

@Test func scriptsFolderHoldsEveryDomainsScripts() {
    let names = scriptNames()
    #expect(names.count >= 42)
    for domain in ["tensor_", "model_", "world_", "oracle_", "bandit_", "train_"] {
        #expect(names.contains { $0.hasPrefix(domain) }, "no \(domain)*.laif script")
    }
}

@Test(arguments: scriptNames())
func script(_ name: String) throws {
    let source = try String(contentsOf: scriptsFolder.appendingPathComponent(name), encoding: .utf8)
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let problems = ScriptExpectations.check(source: source, file: name) { output in
        let interpreter = makeInterpreter(output: output)
        interpreter.shouldInterrupt = { false }
        interpreter.setGlobal("test_dir", .string(folder))
        interpreter.setGlobal("test_cache", .string(NSTemporaryDirectory() + "laif-bindings-script-cache"))
        return interpreter
    }
    #expect(problems == [])
}
