import ArgumentParser
import CSupport
import Foundation
import LaifBindings
import LaifLang
import LaifNotebook
import LaifSupport

/// `laif run file.laif [-p name=value]... [--report out.md] [--keep-going] [--list-params]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a laif script cell by cell (cells start at '# %% Title' lines).",
        discussion: """
            Exit codes: 0 ok, 1 assertion failed, 64 usage, 65 syntax error, 70 runtime error, \
            74 I/O error, 130 interrupted. With --keep-going later cells still run, and the first \
            failure's code is kept.
            """)

    @Argument(help: ArgumentHelp("The script; - reads stdin.", valueName: "file.laif"))
    var script: String

    @Option(name: .customShort("p"), help: ArgumentHelp("Override a 'param' (repeatable), e.g. -p seed=3.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Write a Markdown report (plots as SVG files beside it).", valueName: "out.md"))
    var report: String?

    @Flag(help: "Run later cells after a cell fails.")
    var keepGoing = false

    @Flag(help: "List the script's parameters with their defaults and exit.")
    var listParams = false

    func validate() throws {
        if let report, script != "-", ReportDestination.wouldOverwrite(script: script, report: report) {
            throw ValidationError("--report \(report) would overwrite the script; choose another file, e.g. --report report.md")
        }
    }

    func run() throws {
        let source: String
        do {
            source = try RunCommand.readScript(script)
        } catch {
            Terminal.err("laif: \(error)\n")
            throw ExitCode(74)
        }
        // Errors name stdin as a piped script does (`laif < s.laif`), not "-".
        let name = script == "-" ? "<stdin>" : script
        if listParams {
            let declarations: [ParameterDeclaration]
            do {
                declarations = try NotebookRunner.declaredParameters(of: Notebook(source: source, file: name))
            } catch let error as LaifError {
                Terminal.err(error.description + "\n")
                throw ExitCode(error.exitCode)
            }
            if declarations.isEmpty { Terminal.out("\(name) declares no parameters\n") }
            for declaration in declarations {
                Terminal.out("\(declaration.name) = \(format(declaration.defaultValue))  (line \(declaration.line))\n")
            }
            return
        }
        let overrides: [ParameterOverride]
        do {
            overrides = try parameters.map(ParameterOverride.init(parsing:))
        } catch let error as LaifError {
            Terminal.err("laif run: \(error.message)\n")
            throw ExitCode(error.exitCode)
        }
        if let report {
            do {
                try ReportDestination.prepare(report)
            } catch let error as LaifError {
                Terminal.err("laif run: \(error.message)\n")
                throw ExitCode(error.exitCode)
            }
        }
        let options = RunOptions(overrides: overrides, keepGoing: keepGoing)
        throw ExitCode(RunCommand.execute(source: source, script: name, options: options, reportPath: report))
    }

    /// The script's text; "-" is stdin.
    /// Scripts larger than this are refused rather than read into memory (64 MiB).
    static let maxScriptBytes = 64 << 20

    static func readScript(_ path: String) throws -> String {
        if path == "-" {
            guard let text = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8) else {
                throw LaifError.io("stdin is not UTF-8 text")
            }
            return text
        }
        do {
            // Bytes that are not UTF-8 become U+FFFD, which the lexer then reports with its place.
            return try readWholeTextFile(path, limit: maxScriptBytes)
        } catch let error as FileIOError {
            throw LaifError.io("cannot read '\(path)': \(error.message)")
        }
    }

    /// Runs `source` as a notebook and writes the report; returns the exit code.
    static func execute(source: String, script: String, options: RunOptions, reportPath: String?) -> Int32 {
        let capture = OutputCapture(echo: Terminal.out)
        let interpreter = makeInterpreter(output: capture.write)
        ProgressBar.attach(to: interpreter)
        let runner = NotebookRunner(interpreter: interpreter, capture: capture)
        runner.onCellFinished = { result in
            if let failure = result.failure {
                Terminal.err((result.exitCode == 130 ? Terminal.interruptNotice(failure) : failure) + "\n")
            }
        }
        let plots: PlotFolder
        if let reportPath {
            let url = URL(fileURLWithPath: reportPath)
            plots = PlotFolder(folder: url.deletingLastPathComponent(),
                               prefix: url.deletingPathExtension().lastPathComponent + "-plot")
        } else {
            plots = PlotFolder.temporary()
        }
        // Cleared here, once: from now on a Ctrl-C at any time stops the run (the runner never clears it).
        laif_interrupt_clear()
        laif_install_sigint_handler(1)
        defer { laif_restore_sigint_default() }
        let report: RunReport
        do {
            report = try runner.run(Notebook(source: source, file: script), script: script, options: options,
                                    version: Laif.version, plots: plots)
        } catch let error as LaifError {
            // A syntax error (a cell that does not parse, a parameter declared twice) names its place.
            Terminal.err((error.location == nil ? "laif run: \(error.message)" : error.description) + "\n")
            return error.exitCode
        } catch {
            Terminal.err("laif run: \(error)\n")
            return 70
        }
        if let reportPath {
            do {
                try report.write(to: reportPath)
            } catch {
                Terminal.err("laif run: \(error)\n")
                return report.exitCode == 0 ? 74 : report.exitCode
            }
        }
        return report.exitCode
    }
}
