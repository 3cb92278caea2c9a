import ArgumentParser
import Foundation
import LaifBindings
import LaifLang
import LaifNotebook
import LaifREPL
import LaifTensor

/// laif's command line: with no subcommand it opens the REPL (or runs stdin as a script when
/// stdin is not a terminal); `laif run`, `laif help` and `laif bench` do the rest.
@main
struct Laif: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "laif",
        abstract: "A lab bench for learning from AI feedback, with its own small language.",
        discussion: """
            Without a subcommand laif opens the REPL; when stdin is not a terminal it runs \
            stdin as a script instead. Exit codes: 0 ok, 1 assertion failed, 64 usage, \
            65 syntax error, 70 runtime error, 74 I/O error, 130 interrupted.
            """,
        version: Laif.version,
        subcommands: [RunCommand.self, HelpCommand.self, BenchCommand.self])

    /// Entry point: signals first, then argument parsing, running, and the exit code, which
    /// turns 74 when stdout could not be written (`Terminal.finish`).
    static func main() {
        Terminal.unblockSignals()
        let problems = EnvironmentSettings.problems()
        guard problems.isEmpty else {
            FileHandle.standardError.write(Data(problems.map { "laif: \($0)\n" }.joined().utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        if let count = BenchCommand.negativeThreadCount(in: Array(CommandLine.arguments.dropFirst())) {
            // Printed as ArgumentParser prints a validation error, with the subcommand's path.
            let message = "Error: --threads must be in \(BLASThreads.allowedCounts), got \(count)\nUsage: laif \(BenchCommand.usageString())\n"
                + "  See 'laif bench --help' for more information.\n"
            FileHandle.standardError.write(Data(message.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        let code: Int32
        do {
            var command = try parseAsRoot(nil)
            // ArgumentParser hands a subcommand over without the root's options: they would be
            // dropped in silence (`laif -e 1 run p.laif` ran p.laif and never evaluated 1).
            if !(command is Laif), let option = givenRootOptions.first {
                let name = type(of: command).configuration.commandName ?? "subcommand"
                exit(withError: ValidationError("\(option) cannot be combined with 'laif \(name)'; drop \(option), or use it on its own, e.g. laif \(option == "-e" ? "-e '1 + 1'" : "-i script.laif")"))
            }
            try command.run()
            code = 0
        } catch let exitCode as ExitCode {
            code = exitCode.rawValue
        } catch {
            // Help, --version and usage errors, printed as ArgumentParser prints them.
            exit(withError: error)
        }
        Foundation.exit(Terminal.finish(exitCode: code))
    }

    // Unconditional: the next argument is the expression even when it starts with '-'
    // (`laif -e "-1 + 2"` used to fail with "Missing value for '-e <expr>'").
    @Option(name: .customShort("e"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Evaluate an expression, print its value and exit; repeated, each runs in turn in one session.",
                               valueName: "expr"))
    var expressions: [String] = []

    @Option(name: .customShort("i"), help: ArgumentHelp("Run a script (one), then open the REPL with its bindings.", valueName: "file"))
    var interactiveFiles: [String] = []

    /// The one `-i` script (several are refused in `validate`: all but the last were dropped).
    var interactiveFile: String? { interactiveFiles.last }

    /// The options of the command line itself (-e, -i) that were given, noted as they are
    /// validated, so that `main` can refuse them before a subcommand, which never sees them.
    nonisolated(unsafe) private static var givenRootOptions: [String] = []

    func validate() throws {
        if interactiveFiles.count > 1 {
            throw ValidationError("-i takes one script; run the others from it, or with :load in the REPL")
        }
        if interactiveFile == "-" {
            // Reading the script from stdin would leave the REPL nothing to read its entries from.
            throw ValidationError("-i needs a script file; stdin is where the REPL reads its entries (to run stdin as a script, pipe it to laif without -i)")
        }
        if !expressions.isEmpty && interactiveFile != nil {
            throw ValidationError("-e and -i cannot be combined; use -e to evaluate and exit, or -i to run a script and stay in the REPL")
        }
        Laif.givenRootOptions = (expressions.isEmpty ? [] : ["-e"]) + (interactiveFile == nil ? [] : ["-i"])
    }

    func run() throws {
        if !expressions.isEmpty {
            throw ExitCode(Terminal.evaluate(expressions))
        }
        if interactiveFile == nil && isatty(STDIN_FILENO) == 0 {
            throw ExitCode(Terminal.runStandardInput())
        }
        throw ExitCode(Terminal.repl(preloading: interactiveFile))
    }
}
