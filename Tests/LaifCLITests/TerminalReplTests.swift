import Foundation
import Testing

/// The REPL through a real terminal (tmux): prompts, continuation, history, completion, Ctrl-C.

@Test func continuationPromptAndEchoOfValues() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let xs = [1,")
        try tmux.waitFor("  ...")
        try tmux.submit("2, 3]")
        try tmux.submit("xs")
        try tmux.waitFor("[1, 2, 3]")
        try tmux.submit("len(xs);")
        try tmux.submit("_")
        let screen = try tmux.waitFor("second echo of the list") { $0.components(separatedBy: "[1, 2, 3]").count == 3 }
        #expect(screen.contains("laif> len(xs);\nlaif> _\n[1, 2, 3]"), "a trailing ; silences, and _ is the last echoed value")
        #expect(screen.contains("laif> let xs = [1,\n  ... 2, 3]\n"))
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// Ctrl-D at the continuation prompt used to end the session, losing every binding.
@Test func ctrlDInsideAnUnfinishedEntryDropsItAndTheSessionGoesOn() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let kept = 6 * 7")
        try tmux.submit("let xs = [1,")
        try tmux.waitFor("  ...")
        try tmux.keys("C-d")
        try tmux.waitFor("unfinished entry dropped")
        try tmux.submit("kept")
        let screen = try tmux.waitFor("\n42\n")
        #expect(screen.contains("expected an expression, found end of input"), "the parser says where it stopped:\n\(screen)")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

@Test func anUnwritableHistoryFileIsReportedOnceAndTheSessionGoesOn() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try withRepl(historyFile: folder.appendingPathComponent("no-such-folder/history")) { tmux in
        try tmux.submit("1 + 1")
        try tmux.waitFor("set LAIF_HISTORY to a writable file")
        try tmux.submit("40 + 2")
        let screen = try tmux.waitFor("42")
        #expect(screen.components(separatedBy: "cannot save the history").count == 2, "said once: \(screen)")
        #expect(screen.contains("No such file or directory"), "\(screen)")
        try tmux.keys("Up")
        try tmux.waitFor("laif> 40 + 2")   // the session's own history still works
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// A file that is not a libedit history (notes named by a mistyped LAIF_HISTORY) used to be
/// replaced by the first entry; now it is said once and left as it is.
@Test func aFileThatIsNoHistoryIsLeftAsItIs() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let notes = folder.appendingPathComponent("notes.txt")
    try "my notes\nline 2\n".write(to: notes, atomically: true, encoding: .utf8)
    try withRepl(historyFile: notes) { tmux in
        try tmux.waitFor("is not a laif history file")
        try tmux.submit("1 + 1")
        try tmux.waitFor("\n2\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\nline 2\n")
}

/// A history file reached through a symlink is written through it: the link stays a link.
@Test func aSymlinkedHistoryFileStaysALink() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("dotfiles-history")
    let link = folder.appendingPathComponent("history")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    try withRepl(historyFile: link) { tmux in
        try tmux.submit("let through_the_link = 1")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
    #expect(try String(contentsOf: target, encoding: .utf8).contains("through_the_link"))
}

/// With output into a pipe (`laif | tee log`), the prompts and the edited line stay on the
/// terminal (stderr) and only results go down the pipe; the prompt used to vanish.
@Test func promptsStayOnTheTerminalWhenOutputIsPiped() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("out.txt")
    try withRepl(historyFile: folder.appendingPathComponent("h"), arguments: "| cat > \(shellQuoted(log.path))") { tmux in
        try tmux.submit("let xs = [1,")
        try tmux.submit("2]")
        try tmux.submit("len(xs) * 21")
        try tmux.waitFor("laif> let xs = [1,\n  ... 2]\nlaif> len(xs) * 21\nlaif>")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    // The banner goes with the prompts: it is no result to capture.
    #expect(try String(contentsOf: log, encoding: .utf8) == "42\n")
}

/// With neither stdout nor stderr on the terminal no prompt is drawn, and Ctrl-D used to end
/// that missing prompt's line with a blank line in the captured output. (No Ctrl-C here: the
/// terminal sends it to the whole pipeline, and it ends `cat`.)
@Test func nothingButResultsGoDownThePipeWhenStderrIsGoneToo() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("out.txt")
    guard TmuxSession.isAvailable else { return }
    let session = try TmuxSession(command: "env LAIF_HISTORY=\(shellQuoted(folder.appendingPathComponent("h").path)) "
        + "\(shellQuoted(try laifBinary().path)) 2>/dev/null | cat > \(shellQuoted(log.path))")
    defer { session.close() }
    usleep(500_000)
    try session.type("20 + 22")
    try session.keys("Enter")
    usleep(300_000)
    try session.keys("C-d")
    #expect(try session.waitForExit() == 0)
    #expect(try String(contentsOf: log, encoding: .utf8) == "42\n")
}

/// Two sessions sharing one history file keep each other's entries (each used to rewrite the
/// file from its own memory); a file replaced while a session runs, or made read-only (root
/// included), is left as it is.
@Test func sharedHistoryKeepsBothSessionsAndAReplacedFileIsLeftAlone() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history")
    try withRepl(historyFile: history) { first in
        try withRepl(historyFile: history) { second in
            try first.submit("let from_first = 1")
            try second.submit("let from_second = 2")
            try first.submit("let from_first_again = 3")
            let saved = try String(contentsOf: history, encoding: .utf8)
            for name in ["from_first", "from_second", "from_first_again"] {
                #expect(saved.contains("let\\040\(name)\\040"), "\(name) missing: \(saved)")
            }
            try "my notes\n".write(to: history, atomically: true, encoding: .utf8)
            try second.submit("let after = 4")
            try second.waitFor("is not a laif history file")
            #expect(try String(contentsOf: history, encoding: .utf8) == "my notes\n")
            try first.keys("C-d")
            try second.keys("C-d")
        }
    }
    let readOnly = folder.appendingPathComponent("read-only")
    try "_HiStOrY_V2_\nold\n".write(to: readOnly, atomically: true, encoding: .utf8)
    #expect(chmod(readOnly.path, 0o444) == 0)
    try withRepl(historyFile: readOnly) { tmux in
        try tmux.waitFor("is read-only or not yours")
        try tmux.submit("1 + 1")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
    #expect(try String(contentsOf: readOnly, encoding: .utf8) == "_HiStOrY_V2_\nold\n")
}

/// Two sessions saving at the same instant take turns (a lock on the history's folder): pasted
/// at once into both, every entry of each lands in the file. Unlocked, both read the file and
/// the later rename dropped the other's entry (37 to 56 of 240 lost in three runs here).
@Test func simultaneousSavesFromTwoSessionsLoseNothing() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history")
    let count = 120
    try withRepl(historyFile: history) { first in
        try withRepl(historyFile: history) { second in
            let lines = { (name: String) in (0..<count).map { "let \(name)\($0) = \($0)" }.joined(separator: "\n") + "\n" }
            // The last entry prints "first done"; its echo reads "first" ++ " done".
            try first.paste(lines("a") + "\"first\" ++ \" done\"\n")
            try second.paste(lines("b") + "\"second\" ++ \" done\"\n")
            try first.waitFor("first done", timeout: 60)
            try second.waitFor("second done", timeout: 60)
            let saved = try String(contentsOf: history, encoding: .utf8)
            let missing = ["a", "b"].flatMap { name in
                (0..<count).map { "let\\040\(name)\($0)\\040" }.filter { !saved.contains($0) }
            }
            #expect(missing.isEmpty, "\(missing.count) entries lost: \(missing.prefix(5))")
            try first.keys("C-d")
            try second.keys("C-d")
        }
    }
}

@Test func historySurvivesARestart() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history")
    try withRepl(historyFile: history) { tmux in
        try tmux.submit("let remembered = 41 + 1")
        try tmux.type(":quit")
        try tmux.keys("Enter")
        #expect(try tmux.waitForExit() == 0)
    }
    #expect(FileManager.default.fileExists(atPath: history.path))
    try withRepl(historyFile: history) { tmux in
        try tmux.keys("Up", "Up")
        try tmux.waitFor("laif> let remembered = 41 + 1")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// An entry typed over several lines comes back whole from Up, in this session and the next
/// (it used to come back one line at a time).
@Test func upRecallsAMultiLineEntryWholeAcrossARestart() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = folder.appendingPathComponent("history")
    try withRepl(historyFile: history) { tmux in
        try tmux.submit("fn tenfold(x) {")
        try tmux.submit("  x * 10   # a comment ends at its line")
        try tmux.submit("}")
        try tmux.type(":quit")
        try tmux.keys("Enter")
        #expect(try tmux.waitForExit() == 0)
    }
    try withRepl(historyFile: history) { tmux in
        try tmux.keys("Up", "Up")   // past :quit
        try tmux.waitFor("laif> fn tenfold(x) {\n  x * 10   # a comment ends at its line\n}")
        try tmux.keys("Enter")
        try tmux.submit("tenfold(4)")
        try tmux.waitFor("\n40\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

@Test func tabCompletesBuiltinsMembersCommandsAndPaths() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "".write(to: folder.appendingPathComponent("unique-data-file.jsonl"), atomically: true, encoding: .utf8)
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
        try tmux.submit("let record_value = {alpha_field: 1}")
        try tmux.type("record_va")
        try tmux.keys("Tab")
        try tmux.waitFor("laif> record_value")
        try tmux.type(".alph")
        try tmux.keys("Tab")
        try tmux.waitFor("record_value.alpha_field")
        try tmux.keys("Enter")
        try tmux.waitFor("\n1\n")
        try tmux.type(":res")
        try tmux.keys("Tab")
        try tmux.waitFor("laif> :reset")
        try tmux.keys("C-u")
        try tmux.type("let path = \"" + folder.path + "/unique-d")
        try tmux.keys("Tab")
        try tmux.waitFor("unique-data-file.jsonl")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// libedit's completer counts the cursor in characters while the line buffer holds UTF-8:
/// with "é" before the cursor, Tab used to delete the typed word or complete nothing.
@Test func tabCompletesAfterNonASCIITextWithoutEatingIt() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("my dir"), withIntermediateDirectories: true)
    try "".write(to: folder.appendingPathComponent("ünï cødé.laif"), atomically: true, encoding: .utf8)
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
        try tmux.type("print(\"éé\", \"" + folder.path + "/my")
        try tmux.keys("Tab")
        try tmux.waitFor("éé\", \"" + folder.path + "/my dir/")
        try tmux.keys("C-u")
        try tmux.type("load(\"" + folder.path + "/ü")
        try tmux.keys("Tab")
        try tmux.waitFor("/ünï cødé.laif")
        try tmux.keys("C-u")
        try tmux.type("let é = 1; pri")
        try tmux.keys("Tab")
        try tmux.waitFor("laif> let é = 1; print")
        try tmux.keys("C-u", "C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

@Test func ctrlCInterruptsAnEndlessLoopAndKeepsBindings() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let kept = 5")
        try tmux.submit("let i = 0")
        try tmux.type("while true { i = i + 1 }")
        try tmux.keys("Enter")
        usleep(500_000)
        try tmux.keys("C-c")
        try tmux.waitFor("interrupted")
        let interrupted = try tmux.waitFor("the prompt after the interrupt") { $0.hasSuffix("interrupted\nlaif>") || $0.contains("interrupted\nlaif>\n") }
        #expect(!interrupted.contains("^Cinterrupted"), "the notice gets its own line, not the one the terminal echoed ^C on")
        try tmux.submit("kept * 2")
        try tmux.waitFor("\n10\n")
        try tmux.submit("i > 0")
        try tmux.waitFor("\ntrue\n")
        // Ctrl-C at the prompt clears the line and prompts again.
        try tmux.type("this line is dropped")
        let prompts = TmuxSession.promptCount(try tmux.screen())
        try tmux.keys("C-c")
        try tmux.waitFor("a fresh prompt") { TmuxSession.promptCount($0) > prompts }
        try tmux.submit("kept")
        try tmux.waitFor("\n5\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// Ctrl-C at libedit's "Display all N possibilities? (y or n)" query used to leave the
/// interrupt pending: libedit read it as "n" and went on editing, and the next line typed was
/// then dropped as the interrupted one.
@Test func ctrlCAtTheCompletionQueryGivesAFreshPromptAndKeepsTheNextLine() throws {
    try withReplInScratchFolder { tmux in
        try tmux.type("?")
        try tmux.keys("Tab", "Tab")
        try tmux.waitFor("possibilities? (y or n)")
        let prompts = TmuxSession.promptCount(try tmux.screen())
        try tmux.keys("C-c")
        try tmux.waitFor("a fresh prompt") { TmuxSession.promptCount($0) > prompts }
        try tmux.submit("20 + 22")
        try tmux.waitFor("\n42\n")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// A computation that never reaches a safe point (the bandit's long tabular fits do not poll)
/// cannot honour the first Ctrl-C; the second within a second ends the process with 130.
@Test func secondCtrlCWithinASecondExits130() throws {
    try withReplInScratchFolder { tmux in
        try tmux.submit("let kept = 1")
        try tmux.type("bandit(reward_steps: 1000000, sft_steps: 1000000).rl")
        try tmux.keys("Enter")
        usleep(1_000_000)
        try tmux.keys("C-c")
        usleep(200_000)
        try tmux.keys("C-c")
        try tmux.waitFor("interrupted twice: exiting")
        #expect(try tmux.waitForExit() == 130)
    }
}

/// A bar wider than the window wraps, and redrawing it with `\r` left its first row behind
/// every time: a narrow terminal filled with stale bars. Bars are cut to the window's width.
@Test func progressBarFitsANarrowWindowAndLeavesNoTrace() throws {
    try withReplInScratchFolder { tmux in
        try tmux.resize(columns: 40, rows: 30)
        try tmux.submit("let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])")
        // About a second of training, so the screen polls (every 50 ms) see the bar even on a
        // busy machine: 600 steps took 0.2 s and were sometimes over before the first poll.
        try tmux.type("let m = sft(transformer(vocab: w.vocab_size, d_model: 8, layers: 1, heads: 1), "
            + "oracle(w).demos(w.prompts(8)), min_steps: 4000, batch: 2)")
        try tmux.keys("Enter")
        let running = try tmux.waitFor("a progress bar") { $0.contains("sft  [") }
        for row in running.components(separatedBy: "\n") where row.contains("sft  [") {
            #expect(row.count < 40, "the bar fits the window: \(row)")
        }
        let done = try tmux.waitFor("the prompt after training", timeout: 60) { $0.hasSuffix("\nlaif>") || $0.contains("\nlaif>\n") }
        #expect(!done.contains("sft  ["), "no stale bar rows:\n\(done)")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// TERM=dumb (Emacs' shell buffer) cannot erase a line, so no bar is drawn there; an ordinary
/// terminal gets one. The pane's raw bytes are recorded, since the screen would hide codes.
@Test func noProgressBarOnADumbTerminal() throws {
    guard TmuxSession.isAvailable else { return }
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let training = "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); "
        + "len(sft(transformer(vocab: w.vocab_size, d_model: 8, layers: 1, heads: 1), "
        + "oracle(w).demos(w.prompts(8)), min_steps: 200, batch: 2).lineage)"
    func rawOutput(term: String) throws -> String {
        let record = folder.appendingPathComponent("pane-\(term)")
        // The pause lets the pane's recording start before laif writes anything.
        let tmux = try TmuxSession(command: "sleep 1; env TERM=\(term) SWIFT_BACKTRACE=enable=no "
            + "\(shellQuoted(try laifBinary().path)) -e \(shellQuoted(training))")
        defer { tmux.close() }
        _ = try TmuxSession.tmux(["pipe-pane", "-t", "0", "-o", "cat >> " + shellQuoted(record.path)], socket: tmux.socket)
        #expect(try tmux.waitForExit(timeout: 60) == 0)
        return (try? String(contentsOf: record, encoding: .utf8)) ?? ""
    }
    let dumb = try rawOutput(term: "dumb")
    #expect(dumb.contains("2"), "the value (two lineage steps) is printed: \(dumb)")
    #expect(!dumb.contains("\u{1B}[2K") && !dumb.contains("sft  ["), "no bar: \(dumb.debugDescription)")
    let ordinary = try rawOutput(term: "xterm")
    #expect(ordinary.contains("\u{1B}[2K") && ordinary.contains("sft  ["), "an ordinary terminal draws the bar")
}

/// libedit reads multibyte input only once the program selects a UTF-8 character type; in
/// the default "C" locale it silently dropped é, 中 and 😀 as they were typed.
@Test func utf8InputIsKeptAndEditable() throws {
    try withReplInScratchFolder { tmux in
        try tmux.type("let s = \"é中😀\"")
        try tmux.keys("Left", "Left")
        try tmux.type("X")
        try tmux.keys("Enter")
        try tmux.submit("len(s)")
        let screen = try tmux.waitFor("\n4\n")
        #expect(screen.contains("laif> let s = \"é中X😀\""), "the cursor moves by characters:\n\(screen)")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

/// Code indented with tabs, pasted: each tab used to ask for completion on nothing, printing
/// every name (twice for a double tab) between the lines. Tab before any text now indents.
@Test func pastingTabIndentedCodeKeepsTheTabsAndTheScreenClean() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let saved = folder.appendingPathComponent("pasted.laif")
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
        try tmux.paste("fn pick(a) {\n\tif a > 1 {\n\t\treturn a * 10\n\t}\n\t0\n}\npick(3)\n")
        let screen = try tmux.waitFor("\n30\n")
        #expect(!screen.contains("base_model"), "no completion list on screen:\n\(screen)")
        try tmux.submit(":save " + saved.path)
        #expect(try String(contentsOf: saved, encoding: .utf8).contains("\n\t\treturn a * 10\n"), "the tabs were kept")
        #expect(try tmux.leaveWithCtrlD() == 0)
    }
}

@Test func laifRunPutsTheInterruptNoticeOnItsOwnLine() throws {
    guard TmuxSession.isAvailable else { return print("skipping: tmux is not installed (apt-get install tmux)") }
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("spin.laif")
    try "print(\"spinning\")\nwhile true { }\n".write(to: script, atomically: true, encoding: .utf8)
    let session = try TmuxSession(command: "env SWIFT_BACKTRACE=enable=no \(shellQuoted(try laifBinary().path)) run \(shellQuoted(script.path))")
    defer { session.close() }
    try session.waitFor("spinning")
    try session.keys("C-c")
    let screen = try session.waitFor("interrupted")
    // The terminal echoes ^C where the cursor is; the notice must not share that line.
    #expect(!screen.contains("^Cinterrupted"), "\(screen)")
    #expect(try session.waitForExit() == 130)
}
