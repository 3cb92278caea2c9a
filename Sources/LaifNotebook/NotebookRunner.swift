import Foundation
import LaifLang
import LaifSupport

/// How `laif run` was asked to run a script.
///
///     let options = RunOptions(overrides: [try ParameterOverride(parsing: "seed=3")], keepGoing: false)
public struct RunOptions: Sendable {
    /// `-p name=value` overrides, in command-line order (a later one wins).
    public var overrides: [ParameterOverride]
    /// `--keep-going`: run later cells after a failure (the first failure's code is kept).
    public var keepGoing: Bool

    /// Collects the options.
    ///
    ///     RunOptions(overrides: [], keepGoing: true)
    public init(overrides: [ParameterOverride] = [], keepGoing: Bool = false) {
        self.overrides = overrides
        self.keepGoing = keepGoing
    }
}

/// Runs a notebook cell by cell in one interpreter: applies checked parameter overrides,
/// records each cell's output, time, plots and failure, and returns a `RunReport`. It never
/// prints; `onCellFinished` lets the caller show failures as they happen.
///
///     let capture = OutputCapture(echo: { fputs($0, stdout) })
///     let runner = NotebookRunner(interpreter: makeInterpreter(output: capture.write), capture: capture)
///     let report = try runner.run(notebook, script: "demo.laif", options: RunOptions(), version: "0.1.0")
///     exit(report.exitCode)
public final class NotebookRunner {
    /// The interpreter cells run in (its output must go to `capture`).
    public let interpreter: Interpreter
    private let capture: OutputCapture
    private let clock: () -> Double

    /// Called after each cell that ran, with its result (failures included, and a cell an
    /// interrupt stopped before it started; skipped cells are not reported).
    public var onCellFinished: ((CellResult) -> Void)?

    /// Makes a runner; `capture` must be the interpreter's output callback.
    ///
    ///     NotebookRunner(interpreter: interpreter, capture: capture)
    public init(interpreter: Interpreter, capture: OutputCapture,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.interpreter = interpreter
        self.capture = capture
        self.clock = clock
    }

    /// The `param` declarations of every code cell that parses, in order (a cell with a
    /// syntax error reports it when it runs; Markdown cells are prose and declare nothing).
    ///
    ///     NotebookRunner.parameters(of: Notebook(source: "param n = 3", file: "a.laif")).map(\.name)   // ["n"]
    public static func parameters(of notebook: Notebook) -> [ParameterDeclaration] {
        notebook.cells.filter { !$0.isMarkdown }.flatMap { cell in
            (try? Interpreter.parameters(in: cell.source, file: notebook.file, firstLine: cell.firstLine)) ?? []
        }
    }

    /// The `param` declarations of every code cell, or the first syntax error (a parameter
    /// declared twice is one): for `--list-params` and `-p`, where a cell skipped in silence
    /// would hide its parameters and a name given with `-p` would be called unknown.
    ///
    ///     try NotebookRunner.declaredParameters(of: Notebook(source: "param n = (", file: "a.laif"))   // throws
    public static func declaredParameters(of notebook: Notebook) throws -> [ParameterDeclaration] {
        let declarations = try notebook.cells.filter { !$0.isMarkdown }.flatMap { cell in
            try Interpreter.parameters(in: cell.source, file: notebook.file, firstLine: cell.firstLine)
        }
        try requireDistinctNames(declarations, in: notebook)
        return declarations
    }

    /// Refuses a parameter declared twice, as a syntax error at the second declaration: `-p`
    /// would set one of them, the run would then fail at the other (or silently reset the
    /// value), and the report would list the name twice.
    ///
    ///     try NotebookRunner.requireDistinctNames(declarations, in: notebook)
    static func requireDistinctNames(_ declarations: [ParameterDeclaration], in notebook: Notebook) throws {
        var firstLines: [String: Int] = [:]
        for declaration in declarations {
            guard let firstLine = firstLines[declaration.name] else {
                firstLines[declaration.name] = declaration.line
                continue
            }
            let lines = notebook.source.splitLines()
            let text = declaration.line <= lines.count ? String(lines[declaration.line - 1]) : ""
            let column = (text.firstIndex { $0 != " " && $0 != "\t" }).map { text.distance(from: text.startIndex, to: $0) + 1 } ?? 1
            throw LaifError(kind: .syntax,
                            message: "param '\(declaration.name)' is already declared at line \(firstLine); rename or remove one of them",
                            location: SourceLocation(file: notebook.file, line: declaration.line, column: column), sourceLine: text)
        }
    }

    /// Checks `overrides` against the declarations: an unknown name or a value of the wrong
    /// type is a usage error (exit 64). Returns the typed values by name.
    ///
    ///     try NotebookRunner.typedOverrides([try ParameterOverride(parsing: "n=5")], declarations: decls)
    public static func typedOverrides(_ overrides: [ParameterOverride],
                                      declarations: [ParameterDeclaration]) throws -> [String: Value] {
        var typed: [String: Value] = [:]
        for (i, override) in overrides.enumerated() {
            // A repeated name used to keep the last value without a word, hiding a typo in
            // the other (-p seed=1 ... -p seed=2).
            if overrides[..<i].contains(where: { $0.name == override.name }) {
                throw LaifError.usage("-p \(override.name): given twice; give each parameter once")
            }
            guard let declaration = declarations.first(where: { $0.name == override.name }) else {
                let known = declarations.map(\.name)
                let hint = known.isEmpty ? "the script declares no parameters" : "known: \(known.joined(separator: ", "))"
                throw LaifError.usage("-p \(override.name): unknown parameter '\(override.name)' (\(hint))")
            }
            typed[override.name] = try override.value(like: declaration.defaultValue)
        }
        return typed
    }

    /// Runs every code cell; Markdown cells are prose, never run (as in Jupytext), and come
    /// out with the status `.prose`. Throws only before any cell runs: usage errors (bad
    /// overrides), a parameter declared twice, and, when there are overrides, the first
    /// syntax error of any cell; cell failures end up in the report. An interrupt stops the
    /// run (exit 130) even with `keepGoing`, and the cells after it are skipped. The runner
    /// never clears the interrupt flag (the caller clears it once, before installing its Ctrl-C
    /// handler), so a Ctrl-C before the first cell or between two cells stops the run too.
    /// Charts go to `plots` (which becomes the interpreter's plot sink) and each cell's result
    /// lists the files it drew.
    ///
    ///     let report = try runner.run(notebook, script: path, options: options, version: "0.1.0",
    ///                                 plots: PlotFolder(folder: reportFolder, prefix: "report-plot"))
    public func run(_ notebook: Notebook, script: String, options: RunOptions, version: String,
                    plots: PlotFolder? = nil) throws -> RunReport {
        // With -p every cell must parse: a syntax error in the cell declaring the parameter
        // would otherwise make it "unknown". Without, a cell's syntax error shows when it runs.
        let declarations: [ParameterDeclaration]
        if options.overrides.isEmpty {
            declarations = NotebookRunner.parameters(of: notebook)
            try NotebookRunner.requireDistinctNames(declarations, in: notebook)
        } else {
            declarations = try NotebookRunner.declaredParameters(of: notebook)   // checks the names itself
        }
        let overrides = try NotebookRunner.typedOverrides(options.overrides, declarations: declarations)
        interpreter.parameterOverrides = overrides
        if let plots { interpreter.plotSink = plots.write }
        let started = Date()
        let runStart = clock()
        var results: [CellResult] = []
        var exitCode: Int32 = 0
        var interrupted = false
        for cell in notebook.cells {
            if cell.isMarkdown {
                results.append(CellResult(cell: cell, output: "", seconds: 0, plotFiles: [], failure: nil, status: .prose))
                continue
            }
            if interrupted || (exitCode != 0 && !options.keepGoing) {
                results.append(CellResult(cell: cell, output: "", seconds: 0, plotFiles: [], failure: nil,
                                          status: interrupted ? .skippedByInterrupt : .skipped))
                continue
            }
            // A cell of comments only never reaches a point where the interpreter would notice.
            let result = interpreter.shouldInterrupt()
                ? CellResult(cell: cell, output: "", seconds: 0, plotFiles: [], failure: "interrupted before the cell started",
                             exitCode: 130)
                : runCell(cell, file: script, plots: plots)
            if result.status == .failed && exitCode == 0 { exitCode = result.exitCode }
            if result.exitCode == 130 {
                interrupted = true
                exitCode = 130
            }
            results.append(result)
            onCellFinished?(result)
        }
        let parameters = declarations.map { declaration in
            ReportParameter(name: declaration.name, value: format(overrides[declaration.name] ?? declaration.defaultValue),
                            overridden: overrides[declaration.name] != nil)
        }
        return RunReport(script: script, parameters: parameters, seed: interpreter.seed, version: version,
                         started: started, wallSeconds: clock() - runStart, cells: results, exitCode: exitCode)
    }

    private func runCell(_ cell: Cell, file: String, plots: PlotFolder?) -> CellResult {
        _ = capture.take()
        let plotsBefore = plots?.fileNames.count ?? 0
        let start = clock()
        var failure: String?
        var code: Int32 = 0
        do {
            if let value = try interpreter.run(cell.source, file: file, firstLine: cell.firstLine) {
                capture.write(format(value) + "\n")
            }
            // A trainer stopped by Ctrl-C returns its model so far and the cell ends normally;
            // the interrupt still pending must stop the run.
            if interpreter.shouldInterrupt() {
                failure = "interrupted at the end of the cell"
                code = 130
            }
        } catch let error as LaifError {
            failure = error.kind == .interrupted ? "interrupted" + (error.location.map { " at \($0)" } ?? "") : error.description
            code = error.exitCode
        } catch {
            failure = "\(error)"
            code = 70
        }
        let seconds = clock() - start
        return CellResult(cell: cell, output: capture.take(), seconds: seconds,
                          plotFiles: Array((plots?.fileNames ?? []).dropFirst(plotsBefore)), failure: failure, exitCode: code)
    }
}
