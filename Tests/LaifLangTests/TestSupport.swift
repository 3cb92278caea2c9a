import Foundation
@testable import LaifLang

/// An interpreter with captured output that never reads the process-wide interrupt flag
/// (tests run in parallel).
func makeTestInterpreter(registry: BuiltinRegistry = .core()) -> (Interpreter, OutputCapture) {
    let capture = OutputCapture()
    let interpreter = Interpreter(registry: registry, output: capture.write)
    interpreter.shouldInterrupt = { false }
    return (interpreter, capture)
}

/// Runs `source` in a fresh interpreter and returns the echo form of its value ("" for none).
func eval(_ source: String) throws -> String {
    let (interpreter, _) = makeTestInterpreter()
    guard let value = try interpreter.run(source, file: "test.laif") else { return "" }
    return format(value)
}

/// Runs `source` and returns the error it throws (nil when it succeeds).
func runError(_ source: String, file: String = "test.laif") -> LaifError? {
    let (interpreter, _) = makeTestInterpreter()
    do {
        _ = try interpreter.run(source, file: file)
        return nil
    } catch let error as LaifError {
        return error
    } catch {
        return LaifError(kind: .runtime, message: "non-LaifError thrown: \(error)")
    }
}

/// The first line of an error description: "file:line:col: message".
func firstLine(_ error: LaifError?) -> String {
    guard let error else { return "<no error>" }
    return String(error.description.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
}
