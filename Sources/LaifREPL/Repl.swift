import CSupport
import Foundation
import LaifLang

/// The interactive loop on a terminal: libedit line editing with history (an entry of several
/// lines is one item, recalled whole) and completion, the continuation prompt for unfinished
/// entries, Ctrl-C to clear the line (or interrupt a running entry at its next safe point),
/// Ctrl-D to drop an unfinished entry or, at the `laif>` prompt, to leave, as does `:quit`.
///
///     let repl = Repl(interpreter: interpreter, historyFile: Repl.defaultHistoryFile(),
///                     output: { fputs($0, stdout) }, errorOutput: { fputs($0, stderr) })
///     exit(repl.run())
public final class Repl {
    /// Shown when a new entry starts.
    public static let prompt = "laif> "
    /// Shown while an entry is unfinished.
    public static let continuationPrompt = "  ... "

    /// The session logic (also usable without a terminal).
    public let session: ReplSession
    private let historyFile: String?
    private let output: (String) -> Void
    private let errorOutput: (String) -> Void

    /// Makes a REPL over `interpreter`; `historyFile` nil keeps no history on disk.
    ///
    ///     let repl = Repl(interpreter: interpreter, historyFile: nil, output: { _ in }, errorOutput: { _ in })
    public init(interpreter: Interpreter, historyFile: String?, output: @escaping (String) -> Void,
                errorOutput: @escaping (String) -> Void) {
        self.session = ReplSession(interpreter: interpreter, output: output, errorOutput: errorOutput)
        self.historyFile = historyFile
        self.output = output
        self.errorOutput = errorOutput
        // The terminal echoes Ctrl-C as "^C" on the current line; the notice goes below it.
        if isatty(STDIN_FILENO) != 0 { session.interruptedMessage = "\ninterrupted" }
        session.terminalColumns = { TerminalSize.columns(of: STDOUT_FILENO) }
    }

    /// The history file: `$LAIF_HISTORY` when set, else `~/.laif_history`.
    ///
    ///     Repl.defaultHistoryFile(environment: ["LAIF_HISTORY": "/tmp/h"])   // "/tmp/h"
    public static func defaultHistoryFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["LAIF_HISTORY"], !path.isEmpty { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".laif_history")
    }

    /// Completion from the session: globals, builtins, keywords, members of globals,
    /// meta-commands and file paths.
    ///
    ///     repl.completer.complete(CompletionRequest(lineBeforeCursor: "pri", word: "pri"))
    public var completer: Completer {
        let interpreter = session.interpreter
        let registry = interpreter.registry
        return Completer(source: CompletionSource(
            names: { interpreter.globalNames() + registry.all.map(\.name) + Interpreter.keywords },
            members: { name in interpreter.global(name).map { interpreter.memberNames(of: $0) } },
            helpNames: {
                registry.all.map(\.name) + registry.allMethods.map(\.qualifiedName) + registry.topics
                    + MetaCommand.names + Interpreter.keywords
            },
            metaCommands: MetaCommand.names,
            parameters: { callee in
                // `sft` or `m.replies`: a builtin, or a method of the global before the dot.
                let parts = callee.split(separator: ".").map(String.init)
                let builtin: Builtin?
                if parts.count == 1 {
                    builtin = interpreter.global(callee) == nil ? registry.lookup(callee) : nil
                } else if parts.count == 2, let receiver = interpreter.global(parts[0]) {
                    builtin = registry.method(parts[1], of: receiver.typeName)
                } else {
                    builtin = nil
                }
                return builtin?.parameters.compactMap { parameter in
                    switch parameter.kind {
                    case .required, .optional: return parameter.name
                    case .variadic, .keywords: return nil
                    }
                }
            }))
    }

    /// Reads and runs entries until Ctrl-D or `:quit`; returns the exit code (0, or 1 when the
    /// line editor cannot start). A second Ctrl-C within a second while an entry runs ends the
    /// process with 130 (CSupport).
    ///
    ///     let code = repl.run()
    public func run() -> Int32 {
        laif_install_sigint_handler(1)
        defer { laif_restore_sigint_default() }
        guard let editor = LineEditor(historyFile: historyFile, completer: completer.complete) else {
            errorOutput("laif: cannot start the line editor (libedit has no memory for it); try `laif run` on a script\n")
            return 1
        }
        // The newline that ends a prompt's line goes where the prompt went.
        let endPromptLine = { editor.drawsOnStandardError ? self.errorOutput("\n") : self.output("\n") }
        var warnedAboutHistory = false
        if let problem = editor.historyProblem {
            errorOutput("laif: \(problem); history is not saved this session (set LAIF_HISTORY to use another file)\n")
            warnedAboutHistory = true
        }
        if let notice = editor.historyNotice { errorOutput("laif: \(notice)\n") }
        while true {
            switch editor.readLine(prompt: session.isContinuing ? Repl.continuationPrompt : Repl.prompt) {
            case .line(let line):
                // Said once: the session works without a history file, but the user should know.
                if let entry = session.entryFinished(by: line), let problem = editor.remember(entry),
                   !warnedAboutHistory {
                    errorOutput("laif: \(problem); set LAIF_HISTORY to a writable file\n")
                    warnedAboutHistory = true
                }
                if session.feed(line) == .quit { return 0 }
            case .interrupted:
                session.cancelPending()
                endPromptLine()
            case .endOfInput:
                // On a terminal, end the line the prompt left open; piped input has no prompt,
                // and neither has a session whose stdout and stderr are both redirected.
                if isatty(STDIN_FILENO) != 0 && editor.drawsPrompts { endPromptLine() }
                // As in lua.c and bash: end of input inside an unfinished entry ends the entry,
                // not the session (piped input then meets its end again and leaves).
                if session.isContinuing {
                    session.dropPendingAtEndOfInput()
                    continue
                }
                return 0
            }
        }
    }
}
