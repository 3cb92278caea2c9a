import Foundation
import Testing

/// The REPL through a real terminal (tmux): prompts, continuation, history, completion, Ctrl-C.

@Test func continuationPromptAndEchoOfValues() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
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
        try tmux.keys("C-d")
        #expect(try tmux.waitForExit() == 0)
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

@Test func ctrlCInterruptsAnEndlessLoopAndKeepsBindings() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
        try tmux.submit("let kept = 5")
        try tmux.submit("let i = 0")
        try tmux.type("while true { i = i + 1 }")
        try tmux.keys("Enter")
        usleep(500_000)
        try tmux.keys("C-c")
        try tmux.waitFor("interrupted")
        try tmux.waitFor("the prompt after the interrupt") { $0.hasSuffix("interrupted\nlaif>") || $0.contains("interrupted\nlaif>\n") }
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
        try tmux.keys("C-d")
        #expect(try tmux.waitForExit() == 0)
    }
}

/// A computation that never reaches a safe point (the bandit's long tabular fits do not poll)
/// cannot honour the first Ctrl-C; the second within a second ends the process with 130.
@Test func secondCtrlCWithinASecondExits130() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try withRepl(historyFile: folder.appendingPathComponent("h")) { tmux in
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
