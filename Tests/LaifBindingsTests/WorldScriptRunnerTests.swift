import Foundation
import Testing
import LaifBindings
import LaifLang

/// Runs Scripts/{world,oracle,bandit,train}_*.laif with the standard registry and compares
/// with their comments: `# expect: <line>` (each output line in order; a final value's echo
/// counts as output), `# expect error: <file:line:col: message>` (the error's first line) and
/// `# expect exit: <code>` (70 by default when an error is expected; an exit code alone
/// leaves the message unchecked, for messages holding temporary paths).
struct SimScriptExpectation {
    var lines: [String] = []
    var error: String?
    var exitCode: Int32 = 0

    init(source: String) {
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard let hash = line.range(of: "# expect") else { continue }
            let directive = String(line[hash.lowerBound...])
            if directive.hasPrefix("# expect error: ") { error = String(directive.dropFirst("# expect error: ".count)) }
            else if directive.hasPrefix("# expect exit: ") { exitCode = Int32(directive.dropFirst("# expect exit: ".count)) ?? -1 }
            else if directive.hasPrefix("# expect: ") { lines.append(String(directive.dropFirst("# expect: ".count))) }
            else if directive == "# expect:" { lines.append("") }
        }
        if error != nil && exitCode == 0 { exitCode = 70 }
    }
}

/// Collects an interpreter's output.
final class SimOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []

    func append(_ text: String) {
        lock.lock()
        chunks.append(text)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return chunks.joined()
    }
}

/// An interpreter with the standard registry and captured output that never reads the
/// process-wide interrupt flag (tests run in parallel).
func makeSimInterpreter() -> (Interpreter, SimOutput) {
    let output = SimOutput()
    let interpreter = makeInterpreter(output: { output.append($0) })
    interpreter.shouldInterrupt = { false }
    return (interpreter, output)
}

/// Runs `source` and returns the echo of its final value ("" for none).
func simEval(_ source: String) throws -> String {
    let (interpreter, _) = makeSimInterpreter()
    return try interpreter.run(source, file: "test.laif").map(format) ?? ""
}

/// Runs `source` and returns the error it throws (nil when it succeeds).
func simError(_ source: String) -> LaifError? {
    let (interpreter, _) = makeSimInterpreter()
    do {
        _ = try interpreter.run(source, file: "test.laif")
        return nil
    } catch let error as LaifError {
        return error
    } catch {
        return LaifError(kind: .runtime, message: "non-LaifError thrown: \(error)")
    }
}

/// A fresh empty folder for files a test writes.
func simTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "laif-bind2-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let simScriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

func simScriptNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: simScriptsFolder.path)) ?? []
    return names.filter { name in
        name.hasSuffix(".laif") && ["world_", "oracle_", "bandit_", "train_"].contains { name.hasPrefix($0) }
    }.sorted()
}

@Test func simScriptsFolderHasScripts() {
    #expect(simScriptNames().count >= 6)
}

@Test(arguments: simScriptNames())
func simScript(_ name: String) throws {
    let source = try String(contentsOf: simScriptsFolder.appendingPathComponent(name), encoding: .utf8)
    let expectation = SimScriptExpectation(source: source)
    let (interpreter, output) = makeSimInterpreter()
    // Scripts that pretrain a base pass `cache: test_cache` (a folder of their own).
    interpreter.setGlobal("test_cache", .string(NSTemporaryDirectory() + "laif-bind2-script-cache"))
    // Scripts that write files put them in `test_dir`, a fresh folder.
    let folder = try simTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    interpreter.setGlobal("test_dir", .string(folder))
    var exitCode: Int32 = 0
    var errorLine: String?
    do {
        if let value = try interpreter.run(source, file: name) {
            output.append(format(value) + "\n")
        }
    } catch let error as LaifError {
        exitCode = error.exitCode
        errorLine = String(error.description.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
    var lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    #expect(lines == expectation.lines, "\(name): output differs")
    // A script may expect only an exit code when the message holds a temporary path.
    if expectation.error != nil || expectation.exitCode == 0 {
        #expect(errorLine == expectation.error, "\(name): error differs")
    }
    #expect(exitCode == expectation.exitCode, "\(name): exit code differs")
}
