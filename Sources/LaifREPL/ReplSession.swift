import CSupport
import Foundation
import LaifLang
import LaifSupport

/// The REPL's logic without the terminal: it gathers lines until the parser says the input
/// is complete, runs entries, echoes values, keeps `_` and the accepted inputs, and answers
/// meta-commands. Everything it says goes through `output` and `errorOutput`.
///
///     let session = ReplSession(interpreter: interpreter, output: { print($0, terminator: "") },
///                               errorOutput: { print($0, terminator: "") })
///     session.feed("1 + 2")   // prints "3"
public final class ReplSession {
    /// What a fed line led to.
    ///
    ///     if session.feed("fn f(x) {") == .needsMore { /* show the continuation prompt */ }
    public enum Outcome: Equatable, Sendable {
        /// The entry is unfinished: ask for another line.
        case needsMore
        /// The entry ran (or failed and was reported).
        case done
        /// `:quit`: leave.
        case quit
    }

    /// The interpreter entries run in.
    public let interpreter: Interpreter
    /// Every entry that ran without error, in order (what `:save` writes).
    public private(set) var acceptedInputs: [String] = []
    /// Entries that stopped (an error or Ctrl-C) after binding or changing a global: the session
    /// keeps those bindings but `:save` cannot replay the entry, so it says how many it left out.
    public private(set) var partialEntries = 0
    /// Lines of an unfinished entry.
    public private(set) var pendingLines: [String] = []
    /// The width of the terminal output goes to (nil: unknown, nothing is cut). `:vars`
    /// shortens summaries to fit, so its rows never wrap and scramble the table.
    ///
    ///     session.terminalColumns = { 80 }
    public var terminalColumns: () -> Int? = { nil }
    /// What an interrupted entry reports. A terminal has echoed `^C` where the cursor was,
    /// so the REPL there starts the message on a line of its own.
    ///
    ///     session.interruptedMessage = "\ninterrupted"
    public var interruptedMessage = "interrupted"
    private let output: (String) -> Void
    private let errorOutput: (String) -> Void
    private let clock: () -> Double

    /// Makes a session over `interpreter`; `clock` (seconds) is only for `:time`.
    ///
    ///     ReplSession(interpreter: interpreter, output: { _ in }, errorOutput: { _ in })
    public init(interpreter: Interpreter, output: @escaping (String) -> Void,
                errorOutput: @escaping (String) -> Void,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.interpreter = interpreter
        self.output = output
        self.errorOutput = errorOutput
        self.clock = clock
    }

    /// True while an entry spans several lines (the REPL shows the continuation prompt).
    public var isContinuing: Bool { !pendingLines.isEmpty }

    /// Takes one line: a meta-command (only at the start of an entry), or code, which runs
    /// once the parser says the entry is complete.
    ///
    ///     session.feed("let x = [1,")   // .needsMore
    ///     session.feed("2]")            // .done
    @discardableResult
    public func feed(_ line: String) -> Outcome {
        if pendingLines.isEmpty && MetaCommand.isMetaCommand(line) {
            return runMetaCommand(line)
        }
        guard let entry = entryFinished(by: line) else {
            pendingLines.append(line)
            return .needsMore
        }
        pendingLines = []
        if entry.allSatisfy(\.isWhitespace) { return .done }
        evaluate(entry)
        return .done
    }

    /// The whole entry `line` would finish (every pending line and this one, or a
    /// meta-command), or nil while it would still be unfinished. The REPL puts a finished
    /// entry into the history as one item, before it runs, so Up recalls all of its lines.
    ///
    ///     session.feed("let xs = [1,")
    ///     session.entryFinished(by: "2]")   // "let xs = [1,\n2]"
    public func entryFinished(by line: String) -> String? {
        if pendingLines.isEmpty && MetaCommand.isMetaCommand(line) { return line }
        let entry = (pendingLines + [line]).joined(separator: "\n")
        // The REPL asks before `feed` asks again for the same line; one parse serves both, which
        // matters for a long entry: each of its lines parses the whole entry so far.
        if let last = lastCompletenessCheck, last.entry == entry { return last.finished ? entry : nil }
        let finished = !Interpreter.isIncomplete(entry)
        lastCompletenessCheck = (entry, finished)
        return finished ? entry : nil
    }

    /// The last entry `entryFinished(by:)` parsed, and whether it was finished.
    private var lastCompletenessCheck: (entry: String, finished: Bool)?

    /// Drops an unfinished entry (Ctrl-C at the prompt).
    ///
    ///     session.cancelPending()
    public func cancelPending() { pendingLines = [] }

    /// Ends an unfinished entry at end of input (Ctrl-D at the continuation prompt): says
    /// where the parser stopped in it, as `laif run` would, and drops it, so the session goes
    /// on at a fresh prompt instead of ending with every binding lost.
    ///
    ///     session.feed("let xs = [1,")
    ///     session.dropPendingAtEndOfInput()   // "<repl>:1:13: expected an expression, found end of input", ...
    public func dropPendingAtEndOfInput() {
        guard !pendingLines.isEmpty else { return }
        let entry = pendingLines.joined(separator: "\n")
        pendingLines = []
        // Unfinished means the parser fails at its end, so this only reports; nothing runs.
        evaluate(entry)
        errorOutput("unfinished entry dropped; Ctrl-D at the laif> prompt leaves\n")
    }

    /// Runs one complete entry: echoes its value (which the interpreter binds to `_`), or reports its error;
    /// returns true when it ran without error. `record` is what `:save` keeps of it.
    @discardableResult
    func evaluate(_ entry: String, file: String = "<repl>", record: String? = nil) -> Bool {
        laif_interrupt_clear()
        let stateBefore = (interpreter.globalWrites, interpreter.randomState, interpreter.settingChanges)
        var interrupted = false
        do {
            // The interpreter binds `_` to the value itself (scripts saved by `:save` rely on it).
            if let value = try interpreter.run(entry, file: file) {
                output(format(value) + "\n")
            }
            acceptedInputs.append(record ?? entry)
            return true
        } catch let error as LaifError {
            // An interrupt keeps every binding made so far; only the message is shown.
            interrupted = error.kind == .interrupted
            errorOutput((interrupted ? interruptedMessage : error.description) + "\n")
        } catch {
            errorOutput("\(error)\n")
        }
        // Bindings, the random sequence (seed(n), draws) and settings (set_printoptions): any
        // makes the saved script, which leaves this entry out, behave differently from the session.
        if (interpreter.globalWrites, interpreter.randomState, interpreter.settingChanges) != stateBefore {
            partialEntries += 1
            // Whoever pressed Ctrl-C knows the entry stopped part-way; an error needs saying.
            if !interrupted { errorOutput("(what it changed before it stopped is kept; :save leaves this entry out)\n") }
        }
        return false
    }

    private func runMetaCommand(_ line: String) -> Outcome {
        let command: MetaCommand
        do {
            command = try MetaCommand(parsing: line)
        } catch {
            errorOutput("\(error)\n")
            return .done
        }
        switch command {
        case .help(let name):
            if let name {
                if let text = HelpText.entry(for: name, registry: interpreter.registry, interpreter: interpreter) {
                    output(text)
                } else {
                    errorOutput("no help for '\(name)'; :help lists the topics\n")
                }
            } else {
                output(HelpText.overview(registry: interpreter.registry))
            }
        case .vars:
            output(varsTable())
        case .time(let expression):
            let start = clock()
            let succeeded = evaluate(expression)
            let elapsed = clock() - start
            if succeeded { output("time: \(HelpText.formatDuration(elapsed))\n") }
        case .load(let path):
            load(path)
        case .save(let path):
            save(path)
        case .reset:
            interpreter.reset()
            acceptedInputs = []
            partialEntries = 0
            output("session reset: every binding is gone\n")
        case .quit:
            return .quit
        }
        return .done
    }

    /// Runs the script at `path` (exactly that path: no quotes stripped, no blanks trimmed)
    /// in this session, as `:load` does; a failure is reported, and the bindings made before
    /// it stay. `laif -i file` starts the session this way.
    ///
    ///     session.load("setup.laif")
    public func load(_ path: String) {
        let source: String
        do {
            // As `laif run`: bytes that are not UTF-8 become U+FFFD, reported by the lexer.
            source = try readWholeTextFile(path, limit: 64 << 20)
        } catch let error as FileIOError {
            errorOutput("cannot read '\(path)': \(error.message)\n")
            return
        } catch {
            errorOutput("cannot read '\(path)': \(error)\n")
            return
        }
        evaluate(source, file: path, record: "# :load \(path)\n" + source)
    }

    private func save(_ path: String) {
        let script = acceptedInputs.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        do {
            try writeFileAtomically(script, to: path, followingSymlinks: true)
            output("saved \(acceptedInputs.count) input\(acceptedInputs.count == 1 ? "" : "s") to \(path)\n")
            if partialEntries > 0 {
                let entries = partialEntries == 1 ? "1 entry" : "\(partialEntries) entries"
                errorOutput("left out \(entries) that stopped after changing bindings, the random sequence or a setting; the script may not rebuild this session\n")
            }
        } catch {
            errorOutput("cannot write \(error)\n")
        }
    }

    /// `:vars`: one row per global with its kind, one-line summary and size.
    private func varsTable() -> String {
        let names = interpreter.globalNames()
        guard !names.isEmpty else { return "no variables yet\n" }
        var rows = [["name", "kind", "summary", "bytes"]]
        for name in names {
            guard let value = interpreter.global(name) else { continue }
            rows.append([name, value.typeName, value.summary, String(value.byteSize)])
        }
        if let columns = terminalColumns() {
            // Everything but the summary, with the three gaps of two spaces between columns.
            let others = [0, 1, 3].map { column in rows.map { DisplayWidth.width(of: $0[column]) }.max() ?? 0 }.reduce(6, +)
            let room = max(12, columns - 1 - others)
            for index in rows.indices where DisplayWidth.width(of: rows[index][2]) > room {
                rows[index][2] = DisplayWidth.prefix(of: rows[index][2], fitting: room - 1) + "…"
            }
        }
        return HelpText.table(rows)
    }
}
