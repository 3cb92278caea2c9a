import Foundation
import LaifBindings
import LaifLang

/// An interpreter with the standard registry (every domain binding) and captured output that
/// never reads the process-wide interrupt flag (tests run in parallel).
func makeTestInterpreter() -> (Interpreter, OutputCapture) {
    let output = OutputCapture()
    let interpreter = makeInterpreter(output: output.write)
    interpreter.shouldInterrupt = { false }
    return (interpreter, output)
}

/// Runs `source` and returns the echo of its final value ("" for none).
func runValue(_ source: String) throws -> String {
    let (interpreter, _) = makeTestInterpreter()
    return try interpreter.run(source, file: "test.laif").map(format) ?? ""
}

/// Runs `source` and returns what it printed.
func runOutput(_ source: String) throws -> String {
    let (interpreter, output) = makeTestInterpreter()
    _ = try interpreter.run(source, file: "test.laif")
    return output.text
}

/// Runs `source` and returns the error it throws (nil when it succeeds).
func runError(_ source: String) -> LaifError? {
    let (interpreter, _) = makeTestInterpreter()
    do {
        _ = try interpreter.run(source, file: "test.laif")
        return nil
    } catch let error as LaifError {
        return error
    } catch {
        return LaifError(kind: .runtime, message: "non-LaifError thrown: \(error)")
    }
}

/// A fresh empty folder for files a test writes; the caller removes it.
func makeTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "laif-bindings-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
