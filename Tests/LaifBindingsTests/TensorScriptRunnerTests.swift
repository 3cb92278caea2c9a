import Foundation
import Testing
import LaifBindings
import LaifLang

/// Runs Scripts/tensor_*.laif and Scripts/model_*.laif with the standard registry and compares
/// with their comments: `# expect: <line>` (each output line in order; a final value's echo
/// counts as output), `# expect error: <file:line:col: message>` (the error's first line) and
/// `# expect exit: <code>` (70 by default when an error is expected). Scripts find a fresh
/// empty folder for their files in the global `scratch`.
struct TensorScriptExpectation {
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
final class TensorTestOutput: @unchecked Sendable {
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
func makeTensorTestInterpreter() -> (Interpreter, TensorTestOutput) {
    let output = TensorTestOutput()
    let interpreter = makeInterpreter(output: { output.append($0) })
    interpreter.shouldInterrupt = { false }
    return (interpreter, output)
}

/// Runs `source` and returns the echo of its final value ("" for none).
func tensorEval(_ source: String) throws -> String {
    let (interpreter, _) = makeTensorTestInterpreter()
    return try interpreter.run(source, file: "test.laif").map(format) ?? ""
}

/// Runs `source` and returns what it printed.
func tensorOutput(_ source: String) throws -> String {
    let (interpreter, output) = makeTensorTestInterpreter()
    _ = try interpreter.run(source, file: "test.laif")
    return output.text
}

/// Runs `source` and returns the error it throws (nil when it succeeds).
func tensorError(_ source: String) -> LaifError? {
    let (interpreter, _) = makeTensorTestInterpreter()
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
func tensorTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "laif-bind1-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let tensorScriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

func tensorScriptNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: tensorScriptsFolder.path)) ?? []
    return names.filter { name in
        name.hasSuffix(".laif") && (name.hasPrefix("tensor_") || name.hasPrefix("model_"))
    }.sorted()
}

@Test func tensorScriptsFolderHasScripts() {
    #expect(tensorScriptNames().count >= 8)
}

@Test(arguments: tensorScriptNames())
func tensorScript(_ name: String) throws {
    let source = try String(contentsOf: tensorScriptsFolder.appendingPathComponent(name), encoding: .utf8)
    let expectation = TensorScriptExpectation(source: source)
    let (interpreter, output) = makeTensorTestInterpreter()
    let scratch = try tensorTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    interpreter.setGlobal("scratch", .string(scratch))
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
    #expect(errorLine == expectation.error, "\(name): error differs")
    #expect(exitCode == expectation.exitCode, "\(name): exit code differs")
}
