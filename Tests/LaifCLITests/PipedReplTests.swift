import Foundation
import Testing

/// `laif -i` reading lines from a pipe that stays open, with SIGINT sent between writes: what
/// was sent must all be evaluated, whenever the interrupt lands.
private final class PipedRepl {
    let process = Process()
    private let input = Pipe()
    private let scratch: URL
    private let outURL: URL

    /// Starts `laif -i` on a script holding `source`.
    init(script source: String = "") throws {
        scratch = try makeScratchFolder()
        let script = scratch.appendingPathComponent("script.laif")
        try Data(source.utf8).write(to: script)
        outURL = scratch.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("err").path, contents: nil)
        process.executableURL = try laifBinary()
        process.arguments = ["-i", script.path]
        process.currentDirectoryURL = scratch
        var env = ProcessInfo.processInfo.environment
        env["LAIF_HISTORY"] = scratch.appendingPathComponent("history").path
        env["LAIF_PLOT_DIR"] = scratch.appendingPathComponent("plots").path
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("err"))
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: scratch)
    }

    func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    func waitForOutput(_ text: String) -> Bool { waitForFile(outURL, toContain: text) }

    /// Waits for laif to leave (at `:quit` or end of input); returns its status, stdout and stderr.
    func waitForExit() throws -> LaifRun {
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { throw CLITestError("laif -i did not leave") }
        return LaifRun(status: process.terminationStatus,
                       stdout: try String(contentsOf: outURL, encoding: .utf8),
                       stderr: try String(contentsOf: scratch.appendingPathComponent("err"), encoding: .utf8))
    }

    /// Closes stdin and waits for laif to leave; returns its status, stdout and stderr.
    func finish() throws -> LaifRun {
        try input.fileHandleForWriting.close()
        return try waitForExit()
    }
}

@Test func anInterruptWhileIdleOnPipedInputLosesNoLine() throws {
    let repl = try PipedRepl()
    repl.send("print(1)\n")
    #expect(repl.waitForOutput("1\n"))
    usleep(300_000)   // idle, waiting for the next line
    repl.process.interrupt()
    repl.send("print(2)\n")   // at once: the interrupt and the line may arrive together
    #expect(repl.waitForOutput("2\n"))
    let run = try repl.finish()
    #expect(run.status == 0)
    #expect(run.stdout == "1\n\n2\n", "the interrupt is answered with a newline, then the line runs")
    #expect(run.stderr.isEmpty)
}

@Test func anInterruptInTheMiddleOfAPipedLineKeepsTheLine() throws {
    // libedit's reader threw away the "print(" it had read when the read was interrupted,
    // so the rest, "2)", failed as a syntax error; a line read whole with the interrupt
    // pending was dropped the same way.
    let repl = try PipedRepl()
    repl.send("print(1)\n")
    #expect(repl.waitForOutput("1\n"))
    repl.send("print(")
    usleep(300_000)   // laif has read "print(" and waits for the rest of the line
    repl.process.interrupt()
    usleep(100_000)
    repl.send("2)\nprint(3)\n")
    #expect(repl.waitForOutput("3\n"))
    let run = try repl.finish()
    #expect(run.status == 0)
    #expect(run.stdout == "1\n\n2\n3\n")
    #expect(run.stderr.isEmpty)
}

@Test func ctrlCWhileTheInteractiveScriptRunsStopsItAndOpensTheREPL() throws {
    // The SIGINT handler came with the REPL, after the script: Ctrl-C during the script
    // killed laif outright, with no message, no REPL and every binding lost.
    let repl = try PipedRepl(script: "let i = 0\nprint(\"started\")\nwhile true { i = i + 1 }\n")
    #expect(repl.waitForOutput("started\n"))
    usleep(300_000)
    repl.process.interrupt()
    repl.send("print(i > 0)\n:quit\n")
    let run = try repl.waitForExit()
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stderr == "interrupted\n")
    #expect(run.stdout == "started\ntrue\n", "the binding made before the interrupt is kept")
}
