import Foundation
import Testing

/// The REPL through a real terminal (tmux) while the window is resized and the REPL is
/// suspended with Ctrl-Z and brought back with `fg`.

/// The non-empty rows of `screen`, the last one being where the cursor's line is.
private func rows(of screen: String) -> [String] {
    screen.components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
}

/// `line` as a terminal `columns` wide shows it (capture-pane drops each row's trailing spaces).
private func wrapped(_ line: String, columns: Int) -> String {
    var rows: [String] = []
    var rest = Substring(line)
    while !rest.isEmpty {
        rows.append(String(rest.prefix(columns)))
        rest = rest.dropFirst(columns)
    }
    return rows.map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }.joined(separator: "\n")
}

/// libedit never learned the new width (its own SIGWINCH handling is off), so after a resize
/// the cursor and the line were drawn where the old width put them: Ctrl-A and typing wrote
/// onto the wrong row of the re-wrapped line.
@Test func aResizedWindowGetsTheLineRedrawnAtItsNewWidth() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let base = 100")
        let sum = (1...17).map(String.init).joined(separator: " + ")
        try tmux.type(sum)
        try tmux.waitFor("laif> " + sum)
        try tmux.resize(columns: 40, rows: 30)
        try tmux.waitFor("the line re-wrapped at 40 columns") { $0.contains(wrapped("laif> " + sum, columns: 40)) }
        usleep(300_000)   // the REPL takes the resize between keys; these must come after it
        try tmux.keys("C-a")
        try tmux.type("let s = base + ")
        try tmux.keys("C-e")
        try tmux.type(" + 18")
        let edited = "laif> let s = base + " + sum + " + 18"
        let screen = try tmux.waitFor("the edited line, whole, at 40 columns", timeout: 5) {
            $0.contains(wrapped(edited, columns: 40))
        }
        #expect(screen.components(separatedBy: "1 + 2 + 3").count == 2, "the line shows once:\n\(screen)")
        #expect(rows(of: screen).last == wrapped(edited, columns: 40).components(separatedBy: "\n").last,
                "nothing stale below the line:\n\(screen)")
        try tmux.keys("Enter")
        try tmux.submit("s")
        try tmux.waitFor("\n271\n")
        // Back to a wider window: the line at the prompt is drawn on one row again.
        try tmux.type("base + 1")
        try tmux.resize(columns: 100, rows: 30)
        usleep(300_000)
        try tmux.keys("C-a")
        try tmux.type("-")
        try tmux.waitFor("laif> -base + 1")
        try tmux.keys("Enter")
        try tmux.waitFor("\n-99\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// With libedit's signal handling off, `fg` left the terminal in the shell's cooked mode (each
/// key echoed twice, no editing) and the partly typed line was not drawn again.
@Test func ctrlZSuspendsToTheShellAndFgBringsBackTheLineBeingTyped() throws {
    guard TmuxSession.isAvailable, FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
        return print("skipping: tmux or bash is not installed (apt-get install tmux)")
    }
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let shell = try TmuxSession(command: "env PS1='shell$ ' /bin/bash --norc --noprofile")
    defer { shell.close() }
    try shell.waitFor("shell$")
    try shell.type("env LAIF_HISTORY=\(shellQuoted(folder.appendingPathComponent("h").path)) "
        + "SWIFT_BACKTRACE=enable=no \(shellQuoted(try laifBinary().path))")
    try shell.keys("Enter")
    try shell.waitFor("laif>")
    try shell.submit("let kept = 6")
    try shell.type("kept * ")
    try shell.waitFor("laif> kept *")
    try shell.keys("C-z")
    try shell.waitFor("the shell's prompt") { rows(of: $0).last == "shell$" && $0.contains("Stopped") }
    try shell.type("echo ok")
    try shell.keys("Enter")
    try shell.waitFor("\nok\nshell$")
    try shell.type("fg")
    try shell.keys("Enter")
    try shell.waitFor("the partial line drawn again", timeout: 5) { rows(of: $0).last == "laif> kept *" }
    // libedit's mode again: a key shows once, and editing keys edit.
    try shell.type("8")
    try shell.keys("BSpace")
    try shell.type("7")
    let typed = try shell.waitFor("the finished line") { rows(of: $0).last == "laif> kept * 7" }
    #expect(!typed.contains("\n8") && !typed.contains("\n7"), "no key echoed by the terminal:\n\(typed)")
    // Keys typed before libedit reads them would be lost to Ctrl-Z: the terminal flushes its
    // input when it sends the signal. So each step waits for what it typed to show.
    try shell.keys("Enter")
    try shell.waitFor("the prompt after 42") { $0.contains("\n42\n") && rows(of: $0).last == "laif>" }
    // A second suspension works as the first, and the session's bindings are kept.
    try shell.type("kept + ")
    try shell.waitFor("laif> kept +")
    try shell.keys("C-z")
    try shell.waitFor("the shell's prompt again") { rows(of: $0).last == "shell$" }
    try shell.type("fg")
    try shell.keys("Enter")
    try shell.waitFor("the line drawn again", timeout: 5) { rows(of: $0).last == "laif> kept +" }
    try shell.type("1")
    try shell.keys("Enter")
    try shell.waitFor("\n7\n")
    try shell.keys("C-d")
    try shell.waitFor("the shell after laif") { rows(of: $0).last == "shell$" }
}

/// A line that filled its row exactly, narrowed to half the width, left its first row on the
/// screen: libedit had moved the cursor to the next row itself, a row further than the
/// re-wrap rule counted. And inside Ctrl-R's search the redraw after a resize went up one row
/// too many, erasing the output above.
@Test func aLineThatFillsItsRowExactlyIsRedrawnWholeAfterAResize() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("1+1")
        let full = String(repeating: "p", count: 94)   // with "laif> ", 100 cells: the whole row
        try tmux.type(full)
        try tmux.waitFor("laif> " + full)
        try tmux.resize(columns: 50, rows: 30)
        let screen = try tmux.waitFor("the line at 50 columns") { $0.contains(wrapped("laif> " + full, columns: 50)) }
        #expect(screen.components(separatedBy: "laif> ppp").count == 2, "no stale first row:\n\(screen)")
        try tmux.keys("C-u")
        try tmux.resize(columns: 100, rows: 30)
        usleep(300_000)
        try tmux.submit("3+3")
        try tmux.type(String(repeating: "q", count: 77))   // with the search's prompt: 99 cells
        try tmux.keys("C-r")
        try tmux.waitFor("(reverse-i-search)`': qqq")
        try tmux.resize(columns: 33, rows: 30)
        usleep(400_000)
        let searched = try tmux.screen()
        #expect(searched.contains("\n6\n"), "the output above the search stays:\n\(searched)")
        try tmux.keys("C-g", "C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}
