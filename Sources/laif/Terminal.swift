import CSupport
import Foundation
import LaifBindings
import LaifLang
import LaifNotebook
import LaifREPL

/// The executable's terminal I/O: the only place laif writes to stdout and stderr.
enum Terminal {
    /// Unblocks every signal. A parent may start laif with signals blocked (test runners and
    /// some process launchers do); Ctrl-C, hang-ups and `kill` must still reach it.
    static func unblockSignals() {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
    }

    /// Writes to stdout and flushes, so output and libedit's prompt never interleave badly.
    /// A failed write (a full disk, `> /dev/full`) is said once on stderr, and the process
    /// then exits 74 (`finish`).
    static func out(_ text: String) {
        ProgressBar.shared?.clear()
        guard write(text, to: stdout), fflush(stdout) == 0 else {
            standardOutputFailed(errno)
            return
        }
    }

    /// The reason stdout could not be written, once it could not.
    nonisolated(unsafe) private static var standardOutputError: String?

    /// Notes a failed write to stdout and says so on stderr, the first time only: a script
    /// printing in a loop would otherwise print one message per line. A closed pipe is no
    /// error here: SIGPIPE ends laif first (exit 141 into `head`), as for any Unix filter,
    /// and where it is ignored the reader has gone and wants no more.
    private static func standardOutputFailed(_ code: Int32) {
        guard code != EPIPE, standardOutputError == nil else { return }
        let reason = code != 0 ? String(cString: strerror(code)) : "write error"
        standardOutputError = reason
        err("laif: cannot write to standard output: \(reason)\n")
    }

    /// The exit code to leave with: `code`, or 74 when the run was fine but stdout could not
    /// be written (its output is lost). Flushes stdout first, which also catches what
    /// `print` wrote (`laif bench`).
    ///
    ///     exit(Terminal.finish(exitCode: 0))   // 74 after `laif -e 1 > /dev/full`
    static func finish(exitCode code: Int32) -> Int32 {
        if fflush(stdout) != 0 || ferror(stdout) != 0 { standardOutputFailed(errno) }
        return standardOutputError != nil && code == 0 ? 74 : code
    }

    /// Writes to stderr.
    static func err(_ text: String) {
        ProgressBar.shared?.clear()
        write(text, to: stderr)
    }

    /// Writes every byte of `text`: laif strings may hold NUL ("a\0b"), where fputs would
    /// silently stop, dropping the rest of the line and its newline.
    /// Returns false when not every byte was written (errno says why).
    @discardableResult
    private static func write(_ text: String, to stream: UnsafeMutablePointer<FILE>) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return true }
            return fwrite(base, 1, bytes.count, stream) == bytes.count
        }
    }

    /// `laif -e expr [-e expr]...`: runs each expression in turn in one session, printing its
    /// value (if any), and stops at the first failure; returns the exit code. With several,
    /// errors name them -e[1], -e[2], ... (one alone is -e).
    ///
    ///     Terminal.evaluate(["let x = 2", "x * 3"])   // prints 6, returns 0
    static func evaluate(_ expressions: [String]) -> Int32 {
        let interpreter = makeInterpreter(output: out)
        interpreter.plotSink = PlotFolder.temporary().write
        ProgressBar.attach(to: interpreter)
        laif_install_sigint_handler(1)
        do {
            for (index, expression) in expressions.enumerated() {
                let name = expressions.count == 1 ? "-e" : "-e[\(index + 1)]"
                if let value = try interpreter.run(expression, file: name) { out(format(value) + "\n") }
                // A trainer stopped by Ctrl-C returns its model so far; the run still was interrupted.
                if interpreter.shouldInterrupt() {
                    err(interruptNotice("interrupted") + "\n")
                    return 130
                }
            }
            return 0
        } catch let error as LaifError {
            err(message(for: error) + "\n")
            return error.exitCode
        } catch {
            err("\(error)\n")
            return 70
        }
    }

    /// `laif < script`: stdin is not a terminal, so it is read whole and run as a script
    /// (cells and all), with no prompts and no escape codes.
    static func runStandardInput() -> Int32 {
        do {
            let source = try RunCommand.readScript("-")
            return RunCommand.execute(source: source, script: "<stdin>", options: RunOptions(), reportPath: nil)
        } catch {
            err("laif: \(error)\n")
            return 74
        }
    }

    /// The interactive REPL, after running `preloading` (if given) in the same session.
    static func repl(preloading file: String?) -> Int32 {
        // As with `python -i`: a script that cannot be read is an error, not an empty session.
        if let file {
            do { _ = try RunCommand.readScript(file) } catch {
                err("laif: \(error)\n")
                return 74
            }
        }
        let interpreter = makeInterpreter(output: out)
        interpreter.plotSink = PlotFolder.temporary().write
        ProgressBar.attach(to: interpreter)
        let repl = Repl(interpreter: interpreter, historyFile: Repl.defaultHistoryFile(), output: out, errorOutput: err)
        if let file {
            // Ctrl-C while the script runs stops it at its next safe point, keeping the bindings
            // made so far, and the REPL opens: the handler used to come only with the REPL, and
            // the signal's default action killed the process, session and all.
            laif_install_sigint_handler(1)
            // The path exactly as given: `:load` parsing would strip quotes and trailing blanks,
            // and run another file than the one checked above.
            repl.session.load(file)
        }
        if isatty(STDIN_FILENO) != 0 {
            // Where the prompts go: with output piped (`laif | tee log`) they are on stderr, and
            // the banner is no result to capture; with neither on a terminal, nowhere.
            let banner = "laif \(Laif.version): :help for help, Ctrl-D to leave\n"
            if isatty(STDOUT_FILENO) != 0 { out(banner) } else if isatty(STDERR_FILENO) != 0 { err(banner) }
        }
        return repl.run()
    }

    /// An error as shown to the user: interrupts say only "interrupted".
    static func message(for error: LaifError) -> String {
        error.kind == .interrupted ? interruptNotice("interrupted") : error.description
    }

    /// `text` on a line of its own when stderr is a terminal: the terminal has just echoed
    /// "^C" where the cursor was, and "^Cinterrupted" would share its line.
    ///
    ///     Terminal.interruptNotice("interrupted")   // "\ninterrupted" on a terminal
    static func interruptNotice(_ text: String) -> String {
        isatty(STDERR_FILENO) != 0 ? "\n" + text : text
    }
}
