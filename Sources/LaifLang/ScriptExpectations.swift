import LaifSupport

/// Golden scripts: a laif script states what it should print and how it should end in
/// comments, and `check` runs it and lists every difference. Test suites of every layer use
/// it over their `Scripts/*.laif` folders.
///
/// Directives (anywhere on a line, after the code):
/// `# expect: <line>` one line of output, in order (the echo of a final value counts);
/// `# expect error: <file:line:col: message>` the first line of the error that ends the run;
/// `# expect exit: <code>` the exit code (default 0, or 70 when an error is expected).
///
///     let problems = ScriptExpectations.check(source: text, file: "lists.laif") { output in
///         Interpreter(output: output)
///     }
///     // [] when the script behaves as its comments say
public struct ScriptExpectations: Equatable {
    public var outputLines: [String] = []
    public var error: String?
    public var exitCode: Int32 = 0

    /// Reads the directives of `source`.
    ///
    ///     ScriptExpectations(source: "print(1)  # expect: 1").outputLines   // ["1"]
    public init(source: String) {
        var explicitExit: Int32?
        for rawLine in source.splitLines() {
            guard let hash = rawLine.range(of: "# expect") else { continue }
            let directive = rawLine[hash.lowerBound...].trimmingTrailingWhitespace()
            if let rest = directive.removingPrefix("# expect error: ") { error = rest }
            else if let rest = directive.removingPrefix("# expect exit: ") { explicitExit = Int32(rest) ?? -1 }
            else if let rest = directive.removingPrefix("# expect: ") { outputLines.append(rest) }
            else if directive == "# expect:" { outputLines.append("") }
        }
        exitCode = explicitExit ?? (error == nil ? 0 : 70)
    }

    /// What actually happened when a script ran.
    ///
    ///     Outcome(outputLines: ["2"], error: nil, exitCode: 0)
    public struct Outcome: Equatable {
        public var outputLines: [String]
        public var error: String?
        public var exitCode: Int32

        /// An outcome written by hand, to compare with what `run` returned.
        ///
        ///     let expected = ScriptExpectations.Outcome(outputLines: ["2"], error: nil, exitCode: 0)
        public init(outputLines: [String], error: String?, exitCode: Int32) {
            self.outputLines = outputLines
            self.error = error
            self.exitCode = exitCode
        }
    }

    /// Runs `source` in an interpreter made by `makeInterpreter` (given the output sink to
    /// use) and returns the outcome: output lines, the error's first line, the exit code.
    ///
    ///     let outcome = ScriptExpectations.run(source: "1 + 1", file: "t.laif") { Interpreter(output: $0) }
    ///     outcome.outputLines   // ["2"]
    public static func run(source: String, file: String,
                           makeInterpreter: (@escaping (String) -> Void) -> Interpreter) -> Outcome {
        let sink = OutputCapture()
        let interpreter = makeInterpreter(sink.write)
        var outcome = Outcome(outputLines: [], error: nil, exitCode: 0)
        do {
            if let value = try interpreter.run(source, file: file) { sink.write(format(value) + "\n") }
        } catch let error as LaifError {
            outcome.exitCode = error.exitCode
            outcome.error = error.description.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        } catch {
            outcome.exitCode = 70
            outcome.error = "\(error)"
        }
        var lines = sink.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        outcome.outputLines = lines
        return outcome
    }

    /// Runs the script and lists how it differs from its directives (empty when it matches).
    ///
    ///     ScriptExpectations.check(source: "print(2)  # expect: 2", file: "t") { Interpreter(output: $0) }   // []
    public static func check(source: String, file: String,
                             makeInterpreter: (@escaping (String) -> Void) -> Interpreter) -> [String] {
        let expected = ScriptExpectations(source: source)
        let outcome = run(source: source, file: file, makeInterpreter: makeInterpreter)
        var problems: [String] = []
        if outcome.outputLines != expected.outputLines {
            let count = max(outcome.outputLines.count, expected.outputLines.count)
            for i in 0..<count {
                let want = i < expected.outputLines.count ? expected.outputLines[i] : "<nothing>"
                let got = i < outcome.outputLines.count ? outcome.outputLines[i] : "<nothing>"
                if want != got {
                    problems.append("\(file): output line \(i + 1): expected \(ValuePrinter.quote(want)), got \(ValuePrinter.quote(got))")
                    break
                }
            }
        }
        if outcome.error != expected.error {
            problems.append("\(file): expected error \(expected.error ?? "<none>"), got \(outcome.error ?? "<none>")")
        }
        if outcome.exitCode != expected.exitCode {
            problems.append("\(file): expected exit \(expected.exitCode), got \(outcome.exitCode)")
        }
        return problems
    }
}

private extension Substring {
    func removingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\t" || last == "\r" {
            end = index(before: end)
        }
        return self[..<end]
    }
}
