import Foundation
import Testing

private let notebook = """
param n = 3
param tag = "demo"

# %% Setup
let xs = range(n)
print("tag", tag)
len(xs)

# %% Chart
plot(xs, title: "xs")

# %% Check
assert len(xs) == 3, "expected three items"

# %% Last
print("done")
"""

private func withScript(_ source: String, _ body: (URL) throws -> Void) throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try source.write(to: folder.appendingPathComponent("nb.laif"), atomically: true, encoding: .utf8)
    try body(folder)
}

@Test func reportIsWrittenOnSuccessWithPlotsBesideIt() throws {
    try withScript(notebook) { folder in
        let run = try runLaif(["run", "nb.laif", "--report", "out/report.md"], in: folder)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("tag demo\n3\n"))
        let report = try String(contentsOf: folder.appendingPathComponent("out/report.md"), encoding: .utf8)
        #expect(report.hasPrefix("# laif report: nb.laif"))
        #expect(report.contains("| Parameters | `n = 3`, `tag = \"demo\"` |"))
        #expect(report.contains("| Seed | "))
        #expect(report.contains("| Status | ok (5 cells) |"))
        #expect(report.contains("## 2. Setup"))
        #expect(report.contains("![plot 1](report-plot-1.svg)"))
        let svg = try String(contentsOf: folder.appendingPathComponent("out/report-plot-1.svg"), encoding: .utf8)
        #expect(svg.contains("<polyline"))
        #expect(!report.contains("Failed"))
    }
}

@Test func reportIsWrittenOnFailureWithTheFailureOnTop() throws {
    try withScript(notebook) { folder in
        let run = try runLaif(["run", "nb.laif", "-p", "n=4", "--report", "r.md"], in: folder)
        #expect(run.status == 1, "the assertion fails with n = 4")
        #expect(run.stderr.contains("expected three items"))
        #expect(!run.stdout.contains("done"), "later cells are skipped")
        let report = try String(contentsOf: folder.appendingPathComponent("r.md"), encoding: .utf8)
        let failure = try #require(report.range(of: "> **Failed** in cell 4"))
        let header = try #require(report.range(of: "| Script |"))
        #expect(failure.lowerBound < header.lowerBound)
        #expect(report.contains("`n = 4` (set with -p)"))
        #expect(report.contains("_skipped: an earlier cell failed_"))
    }
}

@Test func keepGoingRunsLaterCellsAndKeepsTheFailingCode() throws {
    try withScript(notebook) { folder in
        let run = try runLaif(["run", "nb.laif", "-p", "n=4", "--keep-going"], in: folder)
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("done\n"))
    }
}

@Test func parametersAreListedAndCheckedAgainstTheScript() throws {
    try withScript(notebook) { folder in
        let list = try runLaif(["run", "nb.laif", "--list-params"], in: folder)
        #expect(list.status == 0)
        #expect(list.stdout == "n = 3  (line 1)\ntag = \"demo\"  (line 2)\n")
        let unknown = try runLaif(["run", "nb.laif", "-p", "m=1"], in: folder)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown parameter 'm'"))
        let wrongType = try runLaif(["run", "nb.laif", "-p", "n=three"], in: folder)
        #expect(wrongType.status == 64)
        #expect(wrongType.stderr.contains("expects a number"))
        let malformed = try runLaif(["run", "nb.laif", "-p", "n"], in: folder)
        #expect(malformed.status == 64)
        let overwrite = try runLaif(["run", "nb.laif", "--report", "./nb.laif"], in: folder)
        #expect(overwrite.status == 64)
        #expect(try String(contentsOf: folder.appendingPathComponent("nb.laif"), encoding: .utf8) == notebook)
    }
}

@Test func listingParametersOfAScriptWithASyntaxErrorReportsTheError() throws {
    try withScript("param n = 3\n# %% B\nlet x = (\n") { folder in
        let run = try runLaif(["run", "nb.laif", "--list-params"], in: folder)
        #expect(run.status == 65)
        #expect(run.stderr.contains("nb.laif:3:"))
        #expect(!run.stdout.contains("declares no parameters"))
    }
}

@Test func syntaxErrorsExitWith65AndNameTheLine() throws {
    try withScript("# %% A\nprint(1)\n# %% B\nlet x = (\n") { folder in
        let run = try runLaif(["run", "nb.laif"], in: folder)
        #expect(run.status == 65)
        #expect(run.stderr.contains("nb.laif:4:"))
        #expect(run.stdout == "1\n")
    }
}

@Test func scriptsAndJSONLWithWindowsLineEndsRunAsWritten() throws {
    try withScript("") { folder in
        let save = "let w = world()\nsave_jsonl(oracle(w).demos(w.prompts(3)), \"d.jsonl\")\n"
        try save.write(to: folder.appendingPathComponent("save.laif"), atomically: true, encoding: .utf8)
        #expect(try runLaif(["run", "save.laif"], in: folder).status == 0)
        let jsonl = folder.appendingPathComponent("d.jsonl")
        let unix = try String(contentsOf: jsonl, encoding: .utf8)
        try unix.replacingOccurrences(of: "\n", with: "\r\n").write(to: jsonl, atomically: true, encoding: .utf8)
        let script = "# %% Load\nlet d = load_jsonl(\"d.jsonl\", world())\nprint(len(d))\n# %% Fail\nlet y = 1\nlet z = y + \"a\"\n"
        try script.replacingOccurrences(of: "\n", with: "\r\n")
            .write(to: folder.appendingPathComponent("crlf.laif"), atomically: true, encoding: .utf8)
        let run = try runLaif(["run", "crlf.laif"], in: folder)
        #expect(run.stdout == "3\n")
        #expect(run.status == 70)
        // The error names the script's line and quotes it without its carriage return.
        #expect(run.stderr.contains("crlf.laif:6:11:"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("    let z = y + \"a\"\n              ^\n"), "stderr: \(run.stderr)")
    }
}

@Test func ctrlCInterruptsARunWith130() throws {
    try withScript("# %% Spin\nprint(\"spinning\")\nwhile true { }\n# %% Never\nprint(\"never\")\n") { folder in
        let run = try runLaif(["run", "nb.laif", "--report", "r.md"], in: folder, timeout: 30) { process, stdout in
            _ = waitForFile(stdout, toContain: "spinning")
            usleep(200_000)
            process.interrupt()
        }
        #expect(run.status == 130)
        #expect(run.stderr.contains("interrupted"))
        #expect(!run.stdout.contains("never"))
        let report = try String(contentsOf: folder.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(report.contains("exit code 130"))
    }
}

#if os(Linux)
@Test func aScriptWhoseFileReportsNoSizeIsReadToTheEnd() throws {
    // /proc files report 0 bytes; such a script used to run as an empty one (exit 0, no output).
    // This one holds laif's own command line (the binary's path, then NUL-separated
    // arguments), which is no valid script whatever the path: a syntax error on line 1 is
    // proof that the text was read. Which error comes first depends on the path (a checkout
    // under /tmp/tmp.8Hy... stops at "8H"), so only the place is checked.
    let run = try runLaif(["run", "/proc/self/cmdline"])
    #expect(run.status == 65)
    #expect(run.stderr.hasPrefix("/proc/self/cmdline:1:"))
}
#endif

@Test func aReportThatWouldReplaceTheScriptThroughALinkIsRefused() throws {
    // The check compared the paths as typed: a run through a symlink to the script, with the
    // script itself as the report, replaced the script with its report.
    try withScript(notebook) { folder in
        let files = FileManager.default
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("link.laif").path, withDestinationPath: "nb.laif")
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("here").path, withDestinationPath: ".")
        try files.linkItem(atPath: folder.appendingPathComponent("nb.laif").path,
                           toPath: folder.appendingPathComponent("hard.laif").path)
        for (script, report) in [("link.laif", "nb.laif"), ("nb.laif", "link.laif"), ("here/nb.laif", "nb.laif"),
                                 ("nb.laif", "here/nb.laif"), ("hard.laif", "nb.laif")] {
            let run = try runLaif(["run", script, "--report", report], in: folder)
            #expect(run.status == 64, "\(script) --report \(report)")
            #expect(run.stderr.contains("would overwrite the script"), "\(script) --report \(report): \(run.stderr)")
            #expect(run.stdout.isEmpty, "nothing runs")
            #expect(try String(contentsOf: folder.appendingPathComponent("nb.laif"), encoding: .utf8) == notebook)
        }
    }
}

@Test func aReportThroughASymlinkGoesToItsFileAndOneToAPipeIsRefused() throws {
    // The link itself used to be replaced by the report, and `--report /dev/stdout` as root
    // replaced the system's /dev/stdout link with a file (and wrote plots into /dev).
    try withScript(notebook) { folder in
        let files = FileManager.default
        try Data("old".utf8).write(to: folder.appendingPathComponent("kept.md"))
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("latest.md").path, withDestinationPath: "kept.md")
        let run = try runLaif(["run", "nb.laif", "--report", "latest.md"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try files.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("latest.md").path) == "kept.md")
        #expect(try String(contentsOf: folder.appendingPathComponent("kept.md"), encoding: .utf8).hasPrefix("# "))
        #expect(mkfifo(folder.appendingPathComponent("fifo").path, 0o600) == 0)
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("out.md").path, withDestinationPath: "fifo")
        let refused = try runLaif(["run", "nb.laif", "--report", "out.md"], in: folder)
        #expect(refused.status == 74, "\(refused.stderr)")
        #expect(refused.stderr.contains("--report out.md leads to a pipe, not a file; write the report to an ordinary file"),
                "\(refused.stderr)")
        #expect(refused.stdout.isEmpty, "no cell runs")
        #expect(!(try files.contentsOfDirectory(atPath: folder.path)).contains { $0.hasPrefix("out-plot") })
    }
}

@Test func anUnusableReportPathIsRefusedBeforeAnyCellRuns() throws {
    // Each of these used to run the whole script and fail only when the report was written
    // (`--report ""` also put the plots in the parent of the working folder).
    try withScript(notebook) { folder in
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("adir"), withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("afile"))
        let cases: [(report: String, status: Int32, message: String)] = [
            ("", 64, "--report \"\" names no file; give the report a file name, e.g. --report report.md"),
            ("adir", 64, "--report adir names a folder, not a file; name a file in it, e.g. --report adir/report.md"),
            ("adir/", 64, "--report adir/ names a folder, not a file; name a file in it, e.g. --report adir/report.md"),
            (".", 64, "--report . names a folder, not a file; name a file in it, e.g. --report ./report.md"),
            ("new/..", 64, "--report new/.. names a folder"),
            ("afile/r.md", 74, "--report afile/r.md: afile is a file, not a folder; choose another place for the report"),
            ("afile/sub/r.md", 74, "--report afile/sub/r.md: afile is a file, not a folder"),
            ("-", 64, "--report - would write a file named '-'; the report needs a file"),
        ]
        for (report, status, message) in cases {
            let run = try runLaif(["run", "nb.laif", "--report", report], in: folder)
            #expect(run.status == status, "--report '\(report)': \(run.stderr)")
            #expect(run.stderr.contains(message), "--report '\(report)': \(run.stderr)")
            #expect(run.stdout.isEmpty, "--report '\(report)': no cell runs")
        }
        let plots = try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path)
        #expect(!plots.contains { $0.hasPrefix(folder.lastPathComponent + "-plot") }, "no plot beside the folder")
        #if os(Linux)
        let proc = try runLaif(["run", "nb.laif", "--report", "/proc/laif-report/r.md"], in: folder)
        #expect(proc.status == 74)
        #expect(proc.stderr.contains("cannot create folder /proc/laif-report: "), "\(proc.stderr)")
        #expect(proc.stdout.isEmpty)
        #endif
        // A missing folder is made up front, as a finished run would make it.
        let run = try runLaif(["run", "nb.laif", "--report", "new/sub/r.md"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new/sub/r.md").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("new/sub").path).sorted()
                == ["r-plot-1.svg", "r.md"], "the write check leaves nothing behind")
        // A one-character name crashed laif (SIGILL): NSString.deletingLastPathComponent traps on it.
        let short = try runLaif(["run", "nb.laif", "--report", "x"], in: folder)
        #expect(short.status == 0, "\(short.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
    }
}

#if os(Linux)
@Test func ctrlCBeforeTheFirstCellStopsTheRunWith130() throws {
    // The handler is installed before the parameters of every cell are parsed, and each cell
    // used to clear the interrupt flag as it started: a Ctrl-C during the parsing (long for
    // this script) was dropped, and the run went on to exit 0.
    let declarations = (0..<100_000).map { "param p\($0) = \($0)\n" }.joined()
    try withScript(declarations + "# %% Last\nprint(\"ran\")\n") { folder in
        let run = try runLaif(["run", "nb.laif", "--report", "r.md"], in: folder, timeout: 60) { process, _ in
            if waitForSIGINTHandler(of: process.processIdentifier) { process.interrupt() }
        }
        #expect(run.status == 130, "stderr: \(run.stderr)")
        #expect(!run.stdout.contains("ran"))
        #expect(run.stderr.contains("interrupted before the cell started"))
        let report = try String(contentsOf: folder.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(report.contains("## 2. Last\n\n_skipped: the run was interrupted_"))
    }
}
#endif

@Test func markdownCellsAreShownAsProseAndNeverRun() throws {
    try withScript("# %% [markdown]\n# Notes\nprint(\"x\")\nlet y = 1 + \"a\"\n# %% Code\nprint(\"code\")\n") { folder in
        let run = try runLaif(["run", "nb.laif", "--report", "r.md"], in: folder)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == "code\n")
        #expect(run.stderr.isEmpty)
        let report = try String(contentsOf: folder.appendingPathComponent("r.md"), encoding: .utf8)
        #expect(report.contains("\n\nNotes\nprint(\"x\")\n"))
        #expect(!report.contains("Failed"))
    }
}

@Test func anOverrideOfAParameterInACellWithASyntaxErrorReportsTheSyntaxError() throws {
    try withScript("print(1)\n# %% B\nparam w = (\n") { folder in
        let run = try runLaif(["run", "nb.laif", "-p", "w=4"], in: folder)
        #expect(run.status == 65, "stderr: \(run.stderr)")
        #expect(run.stderr.hasPrefix("nb.laif:3:"), "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("unknown parameter"))
        #expect(run.stdout.isEmpty, "no cell runs")
    }
}

@Test func aParameterDeclaredTwiceIsRefusedBeforeAnyCellRuns() throws {
    try withScript("param x = 1\nprint(x)\nparam x = \"a\"\n") { folder in
        for arguments in [["run", "nb.laif"], ["run", "nb.laif", "-p", "x=2"], ["run", "nb.laif", "--list-params"]] {
            let run = try runLaif(arguments, in: folder)
            #expect(run.status == 65, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasPrefix("nb.laif:3:1: param 'x' is already declared at line 1"), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments): nothing runs")
        }
    }
}

/// `laif run -` named its errors and report "-" while a script piped to `laif` said
/// "<stdin>"; both say "<stdin>" now.
@Test func aScriptReadFromStdinIsNamedStdinEitherWay() throws {
    for arguments in [["run", "-"], []] {
        let result = try runLaif(arguments, input: "let x = nil + 1\n")
        #expect(result.status == 70)
        #expect(result.stderr.hasPrefix("<stdin>:1:13: cannot apply '+' to nil and number"), "\(arguments): \(result.stderr)")
    }
}

/// Frames that each keep a closure over themselves in a list and hand out one that reads it are
/// freed as the handed-out closures end. Freed in a chain, each end used to free the next
/// frame from inside the last one's deinit, and 300,000 of them overflowed the stack (signal 11).
@Test func aLongChainOfFramesFreedByTheirClosuresEndsWithoutOverflowing() throws {
    let script = """
        fn mk(prev) { let hs = [fn () { 1 }]; fn () { [hs, prev] } }
        let c = nil
        for i in range(100000) { c = mk(c) }
        c = nil
        print("freed")
        """
    let result = try runLaif(["-e", script], timeout: 120)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "freed\n")
}
