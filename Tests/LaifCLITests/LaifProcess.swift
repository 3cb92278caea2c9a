import Foundation

/// The `laif` binary the test build produced: next to the test bundle (SwiftPM puts every
/// product of a build in one folder), or `$LAIF_BINARY`.
func laifBinary() throws -> URL {
    if let override = ProcessInfo.processInfo.environment["LAIF_BINARY"] { return URL(fileURLWithPath: override) }
    var candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    #if os(macOS)
    candidates += Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
    #endif
    for folder in candidates {
        let binary = folder.appendingPathComponent("laif")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
    }
    throw CLITestError("the laif binary is not beside the tests (looked in \(candidates.map(\.path))); build it or set LAIF_BINARY")
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What one run of `laif` produced.
struct LaifRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A fresh temporary folder, removed by the caller.
func makeScratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs laif with `arguments` (stdin from `input`, working folder `folder`), killing it after
/// `timeout` seconds; `whenStarted` gets the process and its stdout file while it runs. Output goes through files so a chatty process can never block on a pipe.
func runLaif(_ arguments: [String], input: String? = nil, in folder: URL? = nil, timeout: Double = 60,
             environment: [String: String] = [:], whenStarted: ((Process, URL) -> Void)? = nil) throws -> LaifRun {
    let scratch = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out")
    let errURL = scratch.appendingPathComponent("err")
    let inURL = scratch.appendingPathComponent("in")
    try Data((input ?? "").utf8).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = try laifBinary()
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? scratch
    var env = ProcessInfo.processInfo.environment
    env["LAIF_HISTORY"] = scratch.appendingPathComponent("history").path
    env["LAIF_PLOT_DIR"] = scratch.appendingPathComponent("plots").path
    env["SWIFT_BACKTRACE"] = "enable=no"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdoutHandle = try FileHandle(forWritingTo: outURL)
    let stderrHandle = try FileHandle(forWritingTo: errURL)
    let stdinHandle = try FileHandle(forReadingFrom: inURL)
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    process.standardInput = stdinHandle
    try process.run()
    whenStarted?(process, outURL)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        throw CLITestError("laif \(arguments) did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    try? stdoutHandle.close()
    try? stderrHandle.close()
    try? stdinHandle.close()
    return LaifRun(status: process.terminationStatus,
                   stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// Waits until the file at `url` contains `text` (true) or `timeout` passes (false).
func waitForFile(_ url: URL, toContain text: String, timeout: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let content = try? String(contentsOf: url, encoding: .utf8), content.contains(text) { return true }
        usleep(50_000)
    }
    return false
}

#if os(Linux)
/// Waits until the process `pid` catches SIGINT (its SigCgt mask in /proc says so), i.e. laif
/// has installed its Ctrl-C handler; false after `timeout` seconds.
func waitForSIGINTHandler(of pid: Int32, timeout: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
           let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
           mask & (1 << (UInt64(SIGINT) - 1)) != 0 {
            return true
        }
        usleep(5_000)
    }
    return false
}
#endif
