import Foundation

/// Sits between an interpreter and the terminal: passes everything on to `echo` and keeps a
/// copy, so the notebook runner can put each cell's output in the report (and script checks
/// and tests can read what a script printed). Safe to write from any thread.
///
///     let capture = OutputCapture(echo: { fputs($0, stdout) })
///     let interpreter = makeInterpreter(output: capture.write)
///     // ... run a cell ...
///     let cellOutput = capture.take()
public final class OutputCapture: @unchecked Sendable {
    private let echo: (String) -> Void
    private let lock = NSLock()
    private var buffer = ""

    /// Makes a capture that forwards to `echo` (silent by default).
    ///
    ///     let quiet = OutputCapture()
    public init(echo: @escaping (String) -> Void = { _ in }) {
        self.echo = echo
    }

    /// Forwards `text` and keeps a copy (the interpreter's output callback).
    ///
    ///     capture.write("hello\n")
    public func write(_ text: String) {
        lock.lock()
        buffer += text
        lock.unlock()
        echo(text)
    }

    /// Everything kept so far, leaving the copy as it is.
    ///
    ///     capture.text   // "hello\n"
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }

    /// Everything written since the last call, which empties the copy.
    ///
    ///     capture.take()   // "hello\n"
    public func take() -> String {
        lock.lock()
        defer { lock.unlock() }
        let text = buffer
        buffer = ""
        return text
    }
}
