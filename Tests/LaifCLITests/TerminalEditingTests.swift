import Foundation
import Testing

/// The line editor through a real terminal (tmux): history recall, the completion list and
/// its question, and a user's ~/.editrc.

/// The REPL in tmux with an ~/.editrc of `bind -v` (vi keys), written into `folder`.
private func replWithViKeys(history: URL, in folder: URL) throws -> TmuxSession {
    let editrc = folder.appendingPathComponent("editrc")
    try "bind -v\n".write(to: editrc, atomically: true, encoding: .utf8)
    return try TmuxSession(command: "env EDITRC=\(shellQuoted(editrc.path)) LAIF_HISTORY=\(shellQuoted(history.path)) "
        + "SWIFT_BACKTRACE=enable=no \(shellQuoted(try laifBinary().path))")
}

/// Through libedit's readline layer, a line past 1,024 bytes left the line buffer it handed
/// out pointing at freed memory, and every later Tab or resize wrote there (valgrind: invalid
/// writes in rl_complete). The editor now uses libedit's native API and reads the line only
/// when it needs it. After such a line, Tab still completes, and a second Tab lists the
/// candidates in columns with the prompt and the line drawn again below them.
@Test func tabCompletesAndListsAfterALineLongerThan1024Bytes() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let zeta_one = 1; let zeta_two = 2; let long_text = \"" + String(repeating: "x", count: 1500) + "\"")
        try tmux.type("len(long_text) + zeta_o")
        try tmux.keys("Tab")
        try tmux.waitFor("len(long_text) + zeta_one")
        try tmux.keys("Enter")
        try tmux.waitFor("\n1501\n")
        try tmux.type("zeta_")
        try tmux.keys("Tab")
        usleep(200_000)
        try tmux.keys("Tab")
        let listed = try tmux.waitFor("zeta_one  zeta_two\nlaif> zeta_")
        #expect(listed.contains("laif> zeta_\nzeta_one  zeta_two\nlaif> zeta_"), "the list sits between the two lines:\n\(listed)")
        try tmux.type("t")
        try tmux.keys("Tab", "Enter")
        try tmux.waitFor("\n2\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// libedit kept the line being typed in a 1,024-character buffer when Up left it: Down brought
/// a longer line back cut short, padded with NUL characters, and Enter ran the damaged line.
@Test func downBringsBackALineLongerThan1024CharactersWhole() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("h")
    try "_HiStOrY_V2_\n40\\040+\\0402\n".write(to: history, atomically: true, encoding: .utf8)
    try withRepl(historyFile: history) { tmux in
        try tmux.paste("len(\"" + String(repeating: "x", count: 1100) + "END\")")
        try tmux.waitFor("END\")")
        try tmux.keys("Up")
        try tmux.waitFor("laif> 40 + 2")
        try tmux.keys("Down")
        try tmux.waitFor("END\")")
        try tmux.keys("Enter")
        let screen = try tmux.waitFor("\n1103\n")
        #expect(!screen.contains("^@"), "no NUL characters in the line:\n\(screen)")
        try tmux.keys("Up", "Up")
        try tmux.waitFor("laif> 40 + 2")
        try tmux.keys("Enter")
        try tmux.waitFor("\n42\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// A line that is not libedit's encoding made libedit read past its buffer and save stale heap
/// bytes in its place, and a line that is not UTF-8 stopped Up from going past it. Such lines
/// are now left out, once said, and the rest of the history works.
@Test func malformedHistoryLinesAreLeftOutAndTheRestIsKept() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("h")
    var file = Data("_HiStOrY_V2_\nlet\\040oldest\\040=\\0401\n".utf8)
    file.append(contentsOf: [0xFF, 0x0A, 0x5C, 0x01, 0x0A])   // a byte that is not UTF-8; a backslash before ^A
    file.append(Data("let\\040newest\\040=\\0402\n".utf8))
    try file.write(to: history)
    try withRepl(historyFile: history) { tmux in
        try tmux.waitFor("2 lines of the history file")
        try tmux.keys("Up", "Up")
        try tmux.waitFor("laif> let oldest = 1")
        try tmux.keys("Enter")
        try tmux.submit("oldest + 1")
        try tmux.waitFor("\n2\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    let saved = try String(contentsOf: history, encoding: .utf8)
    #expect(saved == "_HiStOrY_V2_\nlet\\040oldest\\040=\\0401\nlet\\040newest\\040=\\0402\nlet\\040oldest\\040=\\0401\noldest\\040+\\0401\n",
            "only the readable entries, and the new ones, are saved:\n\(saved)")
}

/// With the line wrapped and the cursor on its second row, libedit's redraw after the list went
/// up into it: the list vanished under a second copy of the line.
@Test func theListStaysWholeBelowAWrappedLine() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let zeta_one = 1; let zeta_two = 2")
        try tmux.resize(columns: 60, rows: 30)
        usleep(300_000)
        let text = "len(\"" + String(repeating: "x", count: 60) + "\") + zeta_"
        try tmux.type(text)
        try tmux.keys("Tab")
        usleep(200_000)
        try tmux.keys("Tab")
        let line = "laif> " + text
        let wrapped = line.prefix(60) + "\n" + line.dropFirst(60)
        let screen = try tmux.waitFor("the list between two copies of the line") {
            $0.contains(wrapped + "\nzeta_one  zeta_two\n" + wrapped)
        }
        #expect(screen.components(separatedBy: "zeta_one  zeta_two").count == 2, "\(screen)")
        try tmux.type("o")
        try tmux.keys("Tab", "Enter")
        try tmux.waitFor("\n61\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// The "Display all N possibilities?" question took any key as no: an arrow key answered it and
/// left "[A" in the line. Other keys now beep, and a resize draws the question again.
@Test func theQuestionBeforeALongListWaitsForYesOrNo() throws {
    try withReplInScratchFolder { tmux in
        try tmux.type("?")
        try tmux.keys("Tab", "Tab")
        try tmux.waitFor("possibilities? (y or n)")
        try tmux.keys("Up")
        try tmux.type("x")
        try tmux.resize(columns: 80, rows: 30)
        usleep(400_000)
        #expect(!(try tmux.screen()).contains("[A"), "the arrow key did not answer")
        try tmux.type("y")
        let listed = try tmux.waitFor("the list") { $0.contains("?zeros") }
        #expect(listed.hasSuffix("laif> ?") || listed.contains("laif> ?\n"), "the line is drawn again, unchanged:\n\(listed)")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// `bind -v` in ~/.editrc starts from libedit's own vi keys: Tab lost completion, and a resize
/// typed laif's redraw key into the line (`print(1^^^^` did not parse).
@Test func viKeysFromEditrcKeepCompletionAndTheRedraw() throws {
    guard TmuxSession.isAvailable else { return }
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let session = try replWithViKeys(history: folder.appendingPathComponent("h"), in: folder)
    defer { session.close() }
    try session.waitFor("laif>")
    try session.type("pri")
    try session.keys("Tab")
    try session.waitFor("laif> print")
    try session.type("(1")
    try session.resize(columns: 60, rows: 30)
    usleep(400_000)
    try session.type(")")
    try session.keys("Enter")
    // The next prompt before Ctrl-D: typed while laif runs the line, the terminal's own line
    // discipline takes it.
    let screen = try session.waitFor("\n1\nlaif>")
    #expect(!screen.contains("^^"), "\(screen)")
    try session.keys("C-d")
    #expect(try session.waitForExit() == 0)
}

/// A file whose first line is the header with more after it (trailing spaces, other text) was
/// taken for a history, read as none, and the first entry emptied it. It is left alone now;
/// a CRLF history is read.
@Test func aFileWhoseFirstLineIsNotExactlyTheHeaderIsLeftAlone() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let spaced = folder.appendingPathComponent("spaced")
    let text = "_HiStOrY_V2_  \nold\\040one\n"
    try text.write(to: spaced, atomically: true, encoding: .utf8)
    try withRepl(historyFile: spaced) { tmux in
        try tmux.waitFor("is not a laif history file")
        try tmux.submit("let y = 2")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    #expect(try String(contentsOf: spaced, encoding: .utf8) == text)
    let crlf = folder.appendingPathComponent("crlf")
    try "_HiStOrY_V2_\r\nold\\040one\r\n".write(to: crlf, atomically: true, encoding: .utf8)
    try withRepl(historyFile: crlf) { tmux in
        try tmux.keys("Up")
        try tmux.waitFor("laif> old one")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// With vi keys, Esc reached command mode no more once an arrow key's escape sequence was
/// bound in insert mode; k and j walk the history there. Esc-p in emacs keys steps through
/// the entries that start with the text before the cursor.
@Test func historyKeysInViCommandModeAndPrefixSearchInEmacsKeys() throws {
    guard TmuxSession.isAvailable else { return }
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("h")
    try "_HiStOrY_V2_\nlet\\040alpha\\040=\\0401\n40\\040+\\0402\nlet\\040beta\\040=\\0402\n".write(to: history, atomically: true, encoding: .utf8)
    let vi = try replWithViKeys(history: history, in: folder)
    defer { vi.close() }
    #expect(!(try vi.waitFor("laif>")).contains("bind:"), "laif's own bindings are all valid")
    try vi.type("abc")
    try vi.keys("Escape")
    usleep(300_000)
    try vi.type("k")
    try vi.waitFor("laif> let beta = 2")
    try vi.type("k")
    try vi.waitFor("laif> 40 + 2")
    try vi.keys("Enter")
    try vi.waitFor("\n42\nlaif>")
    try vi.keys("C-d")
    #expect(try vi.waitForExit() == 0)

    try withRepl(historyFile: history) { tmux in
        try tmux.keys("Escape", "p")
        try tmux.waitFor("laif> 40 + 2")   // with nothing typed, the newest entry (the vi session's)
        try tmux.keys("C-u")
        try tmux.type("let ")
        try tmux.keys("Escape", "p")
        try tmux.waitFor("laif> let beta = 2")
        try tmux.keys("Escape", "p")
        try tmux.waitFor("laif> let alpha = 1")
        try tmux.type("0")   // the cursor stayed after "let "
        try tmux.waitFor("laif> let 0alpha = 1")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// libedit's Ctrl-R brought a typed line past 1,024 characters back cut short after Ctrl-G,
/// froze for seconds on long entries, and typed an arrow key's escape sequence into the line.
/// laif's search: Ctrl-G gives the line back whole, an arrow keeps the match and moves on from
/// it, Enter runs the match.
@Test func ctrlRSearchesTheHistoryAndGivesALongLineBackWhole() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("h")
    let long = "let\\040long\\040=\\040\"" + String(repeating: "ab", count: 25_000) + "\""
    try "_HiStOrY_V2_\n\(long)\nlet\\040alpha\\040=\\0401\n40\\040+\\0402\n".write(to: history, atomically: true, encoding: .utf8)
    try withRepl(historyFile: history) { tmux in
        try tmux.paste("len(\"" + String(repeating: "x", count: 1100) + "END\")")
        try tmux.waitFor("END\")")
        try tmux.keys("C-r")
        try tmux.type("alp")
        try tmux.waitFor("(reverse-i-search)`alp': let alpha = 1")
        try tmux.keys("C-g")
        try tmux.waitFor("END\")")
        try tmux.keys("Enter")
        try tmux.waitFor("\n1103\n")
        try tmux.keys("C-r")
        try tmux.type("ab")   // the 50 KB entry
        try tmux.waitFor("the 50 KB match, drawn") { $0.contains(String(repeating: "ab", count: 40)) }
        try tmux.keys("C-g", "C-r")
        try tmux.type("+")
        try tmux.waitFor("(reverse-i-search)`+': 40 + 2")
        try tmux.keys("Up")   // keeps the match, then goes one older
        try tmux.waitFor("laif> let alpha = 1")
        #expect(!(try tmux.screen()).contains("[A"))
        try tmux.keys("C-u", "C-r")
        try tmux.type("40")
        try tmux.keys("Enter")
        try tmux.waitFor("\n42\nlaif>")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// Ctrl-D on an empty line leaves, and libedit echoed "^D" after the prompt first; inside a
/// line it deletes the character under the cursor.
@Test func ctrlDDeletesUnderTheCursorAndLeavesWithoutAnEcho() throws {
    try withReplInScratchFolder { tmux in
        try tmux.type("x40 + 2")
        try tmux.keys("C-a", "C-d")
        try tmux.waitFor("laif> 40 + 2")
        try tmux.keys("Enter")
        try tmux.waitFor("\n42\nlaif>")
        #expect(try tmux.leaveWithCtrlD() == 0)
        #expect(!(try tmux.screen()).contains("^D"), "no echo of the key")
    }
}
