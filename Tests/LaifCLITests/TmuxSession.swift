import Foundation

/// A private tmux server (its own socket) running one command in a fixed-size window, for
/// driving the REPL through a real terminal. `close()` kills the server.
final class TmuxSession {
    private static let counter = LockedCounter()
    let socket: String

    /// Whether tmux can be run here; tests skip with a message when it cannot.
    static var isAvailable: Bool {
        (try? spawnQuietly(["tmux", "-V"])) == 0
    }

    /// Starts `command` (a shell command line) in a 100x30 window.
    init(command: String) throws {
        socket = "laif-test-\(getpid())-\(TmuxSession.counter.next())"
        let wrapped = "\(command); echo \"[exited $?]\"; sleep 60"
        let result = try TmuxSession.tmux(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", wrapped],
                                          socket: socket, startsServer: true)
        guard result.status == 0 else { throw CLITestError("tmux new-session failed: \(result.output)") }
    }

    /// Types `text`, presses Enter and waits for the next prompt, so the next keys are never
    /// typed ahead (the terminal would echo them before libedit takes over the line).
    func submit(_ text: String) throws {
        let prompts = try TmuxSession.promptCount(screen())
        try type(text)
        try keys("Enter")
        try waitFor("the prompt after '\(text)'") { TmuxSession.promptCount($0) > prompts }
    }

    /// How many prompts (first-line and continuation) are on `screen`.
    static func promptCount(_ screen: String) -> Int {
        screen.components(separatedBy: "\n").filter { $0.hasPrefix("laif>") || $0.hasPrefix("  ...") }.count
    }

    /// Sends keys by tmux name ("Enter", "Tab", "C-c", "Up").
    func keys(_ names: String...) throws {
        _ = try TmuxSession.tmux(["send-keys", "-t", "0"] + names, socket: socket)
    }

    /// Types `text` literally (a trailing ';' is escaped: tmux would read it as a command separator).
    func type(_ text: String) throws {
        let escaped = text.hasSuffix(";") ? String(text.dropLast()) + "\\;" : text
        _ = try TmuxSession.tmux(["send-keys", "-t", "0", "-l", escaped], socket: socket)
    }

    /// Pastes `text` in one go, as a terminal does with the clipboard (tabs and newlines included).
    func paste(_ text: String) throws {
        _ = try TmuxSession.tmux(["set-buffer", "--", text], socket: socket)
        _ = try TmuxSession.tmux(["paste-buffer", "-t", "0"], socket: socket)
    }

    /// Resizes the window, as a user dragging the terminal's corner would.
    func resize(columns: Int, rows: Int) throws {
        _ = try TmuxSession.tmux(["resize-window", "-t", "0", "-x", String(columns), "-y", String(rows)], socket: socket)
    }

    /// The visible screen.
    func screen() throws -> String {
        try TmuxSession.tmux(["capture-pane", "-p", "-t", "0"], socket: socket).output
    }

    /// Polls the screen until `predicate` holds; throws with the screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(50_000)
        }
        throw CLITestError("timed out waiting for \(what); screen:\n\(last)")
    }

    /// Waits until `text` is on screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Waits for the command to end and returns its status, which the wrapper shell prints
    /// as `[exited N]` (tmux's own pane status is not reliable across versions).
    func waitForExit(timeout: Double = 20) throws -> Int32 {
        let screen = try waitFor("the command to exit", timeout: timeout) { $0.contains("[exited ") }
        guard let marker = screen.range(of: "[exited "),
              let status = Int32(screen[marker.upperBound...].prefix { $0.isNumber }) else {
            throw CLITestError("no exit status on screen:\n\(screen)")
        }
        return status
    }

    /// Presses Ctrl-D at the prompt and returns the REPL's exit status.
    ///
    ///     #expect(try tmux.leaveWithCtrlD() == 0)
    func leaveWithCtrlD() throws -> Int32 {
        try keys("C-d")
        return try waitForExit()
    }

    /// Kills the server (and with it the REPL) and removes its socket file.
    func close() {
        let socketPath = (try? TmuxSession.tmux(["display-message", "-p", "#{socket_path}"], socket: socket).output)?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try? TmuxSession.tmux(["kill-server"], socket: socket)
        if let socketPath, socketPath.hasSuffix(socket) { try? FileManager.default.removeItem(atPath: socketPath) }
    }

    /// Runs tmux. The command that starts the server is spawned directly (posix_spawn, output
    /// to /dev/null): the daemon it forks would inherit Foundation's descriptors, and
    /// `Process` would then never see the client end.
    @discardableResult
    static func tmux(_ arguments: [String], socket: String?, startsServer: Bool = false) throws -> (status: Int32, output: String) {
        let fullArguments = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments
        if startsServer { return (try spawnQuietly(fullArguments), "") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = fullArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs a program found on PATH with stdin, stdout and stderr on /dev/null, no blocked
/// signals and default signal handlers (the test runner blocks signals, and a tmux server
/// inheriting that would never notice its pane's process end), and waits for it.
func spawnQuietly(_ arguments: [String]) throws -> Int32 {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
    }
    let cArguments = arguments.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    var pid = pid_t()
    let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, cArguments, environ)
    guard status == 0 else { throw CLITestError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
    var exitStatus: Int32 = 0
    while waitpid(pid, &exitStatus, 0) == -1 && errno == EINTR {}
    // WIFEXITED/WEXITSTATUS are macros Swift cannot import.
    return (exitStatus & 0x7f) == 0 ? (exitStatus >> 8) & 0xff : 128 + (exitStatus & 0x7f)
}

/// A thread-safe counter for unique socket names (tests run in parallel).
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// Quotes `text` for a POSIX shell.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// Runs `body` with a tmux session running the REPL (history in `historyFile`); skips (with
/// a message) when tmux is missing.
func withRepl(historyFile: URL, arguments: String = "", _ body: (TmuxSession) throws -> Void) throws {
    guard TmuxSession.isAvailable else {
        print("skipping: tmux is not installed (apt-get install tmux)")
        return
    }
    let command = "env LAIF_HISTORY=\(shellQuoted(historyFile.path)) SWIFT_BACKTRACE=enable=no "
        + "\(shellQuoted(try laifBinary().path)) \(arguments)"
    let session = try TmuxSession(command: command)
    defer { session.close() }
    try session.waitFor("laif>")  // capture-pane drops trailing spaces
    try body(session)
}

/// `withRepl` with its history file in a fresh scratch folder, removed afterwards; the body
/// also gets the folder, for files of its own.
///
///     try withReplInScratchFolder { tmux, folder in ... }
func withReplInScratchFolder(arguments: String = "", _ body: (TmuxSession, URL) throws -> Void) throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try withRepl(historyFile: folder.appendingPathComponent("h"), arguments: arguments) { try body($0, folder) }
}

/// The same for a body that needs only the session.
///
///     try withReplInScratchFolder { tmux in ... }
func withReplInScratchFolder(arguments: String = "", _ body: (TmuxSession) throws -> Void) throws {
    try withReplInScratchFolder(arguments: arguments) { tmux, _ in try body(tmux) }
}
