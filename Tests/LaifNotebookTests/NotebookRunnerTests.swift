import Foundation
import LaifLang
import Testing
@testable import LaifNotebook

/// A runner over a fresh core interpreter whose output is captured silently.
private func makeRunner() -> NotebookRunner {
    let capture = OutputCapture(echo: { _ in })
    return NotebookRunner(interpreter: Interpreter(registry: .core(), output: capture.write), capture: capture)
}

private let script = """
param n = 3
# %% Count
let xs = range(n)
print("n is", n)
len(xs)
# %% Quiet
len(xs);
# %% Break
let y = 1 / "a"
# %% After
print("still here")
"""

@Test func cellsRunInOneSessionWithOutputAndFinalValues() throws {
    let report = try makeRunner().run(Notebook(source: script, file: "s.laif"), script: "s.laif",
                                      options: RunOptions(keepGoing: true), version: "t")
    #expect(report.cells.map(\.status) == [.ok, .ok, .ok, .failed, .ok])
    #expect(report.cells[1].output == "n is 3\n3\n")
    #expect(report.cells[2].output == "", "a trailing ; silences the final value")
    #expect(report.cells[3].failure?.hasPrefix("s.laif:9:") == true, "errors carry script line numbers")
    #expect(report.cells[3].exitCode == 70)
    #expect(report.cells[4].output == "still here\n", "--keep-going runs later cells")
    #expect(report.exitCode == 70, "--keep-going keeps the failing code")
    #expect(report.parameters == [ReportParameter(name: "n", value: "3", overridden: false)])
}

@Test func aFailureSkipsLaterCellsWithoutKeepGoing() throws {
    let report = try makeRunner().run(Notebook(source: script, file: "s.laif"), script: "s.laif",
                                      options: RunOptions(), version: "t")
    #expect(report.cells.map(\.status) == [.ok, .ok, .ok, .failed, .skipped])
    #expect(report.exitCode == 70)
}

@Test func overridesReachParamLinesAndTheReport() throws {
    let runner = makeRunner()
    let report = try runner.run(Notebook(source: script, file: "s.laif"), script: "s.laif",
                                options: RunOptions(overrides: [try ParameterOverride(parsing: "n=5")]), version: "t")
    #expect(report.cells[1].output == "n is 5\n5\n")
    #expect(report.parameters == [ReportParameter(name: "n", value: "5", overridden: true)])
    #expect(throws: LaifError.self) {
        try makeRunner().run(Notebook(source: script, file: "s.laif"), script: "s.laif",
                             options: RunOptions(overrides: [try ParameterOverride(parsing: "m=5")]), version: "t")
    }
}

@Test func exitCodesFollowTheFirstFailure() throws {
    let assertion = try makeRunner().run(Notebook(source: "# %% A\nassert 1 == 2, \"no\"\n# %% B\nlet x = (", file: "a"),
                                         script: "a", options: RunOptions(keepGoing: true), version: "t")
    #expect(assertion.cells.map(\.exitCode) == [1, 65])
    #expect(assertion.exitCode == 1)
    let syntax = try makeRunner().run(Notebook(source: "let x = (", file: "b"), script: "b", options: RunOptions(), version: "t")
    #expect(syntax.exitCode == 65)
}

@Test func anInterruptStopsTheRunEvenWithKeepGoing() throws {
    let runner = makeRunner()
    runner.interpreter.shouldInterrupt = { true }
    let report = try runner.run(Notebook(source: "# %% Loop\nwhile true { }\n# %% Next\n1", file: "i"),
                                script: "i", options: RunOptions(keepGoing: true), version: "t")
    #expect(report.exitCode == 130)
    #expect(report.cells.map(\.status) == [.failed, .skippedByInterrupt])
    #expect(report.cells[0].failure?.hasPrefix("interrupted") == true)
}

@Test func anInterruptPendingBeforeACellStartsStopsTheRunThere() throws {
    // Ctrl-C pressed while the script was read or its parameters parsed: the first cell does
    // not start, the caller hears of the interrupt, and the rest is skipped because of it.
    let runner = makeRunner()
    var finished: [CellResult] = []
    runner.onCellFinished = { finished.append($0) }
    runner.interpreter.shouldInterrupt = { true }
    let report = try runner.run(Notebook(source: "# %% Notes\n# a comment\n# %% Next\nprint(1)", file: "i"),
                                script: "i", options: RunOptions(keepGoing: true), version: "t")
    #expect(report.exitCode == 130)
    #expect(report.cells.map(\.status) == [.failed, .skippedByInterrupt])
    #expect(report.cells[0].failure == "interrupted before the cell started")
    #expect(report.cells[0].exitCode == 130)
    #expect(finished.map(\.cell.title) == ["Notes"])
    #expect(report.markdown().contains("## 2. Next\n\n_skipped: the run was interrupted_"))
    #expect(report.markdown().contains("| Status | failed, exit code 130; 1 cell failed; 1 skipped |"))
}

@Test func anInterruptPendingWhenACellEndsStopsTheRun() throws {
    // Trainers answer Ctrl-C by returning the model so far, so their cell ends without an
    // error. The run used to go on into the next cell (the Ctrl-C flag is cleared per cell)
    // and could exit 0 with a half-trained model.
    let runner = makeRunner()
    let pending = PendingInterrupt()
    runner.interpreter.registry.register(Builtin(name: "train_until_ctrl_c", parameters: [], doc: "test", example: "") { _, _ in
        pending.set()
        return .number(1)
    })
    runner.interpreter.shouldInterrupt = { pending.isSet }
    let report = try runner.run(Notebook(source: "# %% Train\nlet m = train_until_ctrl_c()\n# %% Next\nprint(m)", file: "i"),
                                script: "i", options: RunOptions(keepGoing: true), version: "t")
    #expect(report.exitCode == 130)
    #expect(report.cells.map(\.status) == [.failed, .skippedByInterrupt])
    #expect(report.cells[0].failure?.hasPrefix("interrupted") == true)
}

private final class PendingInterrupt: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

@Test func plotsGoBesideTheReportAndAreListedPerCell() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-plots-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plots = PlotFolder(folder: folder, prefix: "report-plot")
    let source = "# %% One\nplot([1, 2, 3])\n# %% None\n1\n# %% Two\nplot([3, 1])\nplot({a: [1, 2]}, kind: \"bar\")"
    let report = try makeRunner().run(Notebook(source: source, file: "p"), script: "p", options: RunOptions(),
                                      version: "t", plots: plots)
    #expect(report.exitCode == 0)
    #expect(report.cells.map(\.plotFiles) == [["report-plot-1.svg"], [], ["report-plot-2.svg", "report-plot-3.svg"]])
    for name in plots.fileNames {
        let svg = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
    }
    #expect(report.cells[0].output.contains("▁▅█  \(folder.appendingPathComponent("report-plot-1.svg").path)"))
}

@Test func captureForwardsAndHandsOverEachCellsText() {
    var echoed = ""
    let capture = OutputCapture(echo: { echoed += $0 })
    capture.write("a")
    capture.write("b\n")
    #expect(capture.take() == "ab\n")
    #expect(capture.take() == "")
    #expect(echoed == "ab\n")
}

@Test func markdownCellsAreProseAndNeverRun() throws {
    // A Markdown cell ran as code: its print showed and its error failed the run, while the
    // report showed the same lines as prose and hid the output and the error.
    let runner = makeRunner()
    var finished: [String] = []
    runner.onCellFinished = { finished.append($0.cell.title) }
    let source = "# %% [markdown]\n# Some prose\nprint(\"x\")\nlet y = 1 + \"a\"\nparam hidden = 1\n# %% Code\nprint(\"code\")\n"
    let notebook = Notebook(source: source, file: "m.laif")
    let report = try runner.run(notebook, script: "m.laif", options: RunOptions(), version: "t")
    #expect(report.exitCode == 0)
    #expect(report.cells.map(\.status) == [.prose, .ok])
    #expect(report.cells.map(\.output) == ["", "code\n"])
    #expect(finished == ["Code"], "only code cells are reported as run")
    #expect(runner.interpreter.global("y") == nil)
    #expect(NotebookRunner.parameters(of: notebook).isEmpty, "a param line in prose declares nothing")
    #expect(try NotebookRunner.declaredParameters(of: notebook).isEmpty)
    let markdown = report.markdown()
    #expect(markdown.contains("\n\nSome prose\nprint(\"x\")"))
    #expect(markdown.contains("| Status | ok (1 cells) |"))
}

@Test func withOverridesASyntaxErrorInAnyCellIsReportedBeforeAnyCellRuns() throws {
    // The cell declaring `w` did not parse and was dropped in silence: `-p w=4` then said
    // "unknown parameter 'w'" (a usage error) instead of the syntax error.
    let notebook = Notebook(source: "let ran = 1\n# %% B\nparam w = (\n", file: "late.laif")
    let runner = makeRunner()
    #expect { try runner.run(notebook, script: "late.laif", options: RunOptions(overrides: [try ParameterOverride(parsing: "w=4")]),
                             version: "t") } throws: { error in
        (error as? LaifError)?.kind == .syntax && (error as? LaifError)?.location?.line == 3
    }
    #expect(runner.interpreter.global("ran") == nil, "no cell ran")
    // Without overrides the cells before the broken one run, and the error shows in its turn.
    let report = try makeRunner().run(notebook, script: "late.laif", options: RunOptions(), version: "t")
    #expect(report.cells.map(\.exitCode) == [0, 65])
}

@Test func aParameterDeclaredTwiceIsASyntaxErrorNamingBothLines() throws {
    // -p was checked against the first declaration only; the run then failed at the second
    // ("parameter 'x' is a string, got a number") and the report listed 'x' twice.
    let notebook = Notebook(source: "param x = 1\nprint(x)\n# %% Again\n  param x = \"a\"\n", file: "dup.laif")
    for options in [RunOptions(), RunOptions(overrides: [try ParameterOverride(parsing: "x=2")])] {
        let runner = makeRunner()
        #expect { try runner.run(notebook, script: "dup.laif", options: options, version: "t") } throws: { error in
            guard let error = error as? LaifError else { return false }
            return error.kind == .syntax && error.description.hasPrefix(
                "dup.laif:4:3: param 'x' is already declared at line 1; rename or remove one of them\n      param x = \"a\"\n      ^")
        }
    }
    #expect(throws: LaifError.self) { try NotebookRunner.declaredParameters(of: notebook) }
}
