import Foundation
import LaifBindings
import LaifLang
import Testing
@testable import LaifREPL

/// A session over a core interpreter with its output and errors collected; `:time` sees a
/// clock that advances 0.25 s per reading.
private final class Harness {
    var out = ""
    var err = ""
    private(set) var live: ReplSession!

    init(registry: BuiltinRegistry = .core()) {
        let interpreter = Interpreter(registry: registry, output: { [unowned self] in self.out += $0 })
        var seconds = 0.0
        live = ReplSession(interpreter: interpreter, output: { [unowned self] in self.out += $0 },
                           errorOutput: { [unowned self] in self.err += $0 },
                           clock: { seconds += 0.25; return seconds })
    }

    @discardableResult func feed(_ line: String) -> ReplSession.Outcome { live.feed(line) }
}

@Test func entriesRunWhenCompleteAndEchoWithUnderscore() {
    let h = Harness()
    #expect(h.feed("let xs = [1,") == .needsMore)
    #expect(h.live.isContinuing)
    #expect(h.feed("2]") == .done)
    #expect(!h.live.isContinuing)
    h.feed("len(xs)")
    #expect(h.out == "2\n")
    h.feed("_ + 1")
    #expect(h.out == "2\n3\n")
    h.feed("_ * 10;")
    #expect(h.out == "2\n3\n", "a trailing ; silences")
    #expect(h.live.acceptedInputs == ["let xs = [1,\n2]", "len(xs)", "_ + 1", "_ * 10;"])
}

/// An entry that fails after binding a name keeps the binding (as in any REPL) but cannot be
/// replayed: the session says so then, and :save says how many entries it left out.
@Test func entriesThatStopAfterBindingAreNamedAndCountedBySave() throws {
    let h = Harness(registry: standardRegistry())   // with set_printoptions
    h.feed("let b = 7; error(\"x\")")
    #expect(h.err.contains("(what it changed before it stopped is kept; :save leaves this entry out)"))
    h.err = ""
    h.feed("let c = 1 + \"a\"")   // fails before binding anything: no note
    #expect(!h.err.contains("changed before"))
    h.feed("seed(99); nope")   // the random sequence moved: a replay would draw other numbers
    #expect(h.err.contains("changed before it stopped"))
    h.err = ""
    h.feed("set_printoptions(precision: 2); nope")   // a replay would print tensors otherwise
    #expect(h.err.contains("changed before it stopped"))
    h.err = ""
    h.feed("set_printoptions(precision: 99)")   // refused before changing anything: no note
    #expect(!h.err.contains("changed before"))
    h.feed("b * 2")
    #expect(h.out == "14\n")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("laif-partial-\(UUID().uuidString).laif")
    defer { try? FileManager.default.removeItem(at: file) }
    h.feed(":save \(file.path)")
    #expect(h.out.contains("saved 1 input to"))
    #expect(h.err.contains("left out 3 entries that stopped after changing bindings, the random sequence or a setting"))
    #expect(h.live.partialEntries == 3)
    h.feed(":reset")
    #expect(h.live.partialEntries == 0)
}

@Test func errorsAreReportedAndNotAccepted() {
    let h = Harness()
    h.feed("let a = 1")
    h.feed("a / \"x\"")
    #expect(h.err.contains("<repl>:1:"))
    #expect(h.live.acceptedInputs == ["let a = 1"])
    h.feed("a")
    #expect(h.out == "1\n", "bindings survive an error")
}

/// A long summary in a narrow terminal wrapped each row, the bytes column landing at the
/// start of the next line; summaries are cut to fit.
@Test func varsTableFitsTheTerminalWidth() {
    let h = Harness()
    h.feed("let long_text = \"x\".repeat(300)")
    h.feed("let n = 7")
    h.live.terminalColumns = { 50 }
    h.feed(":vars")
    let rows = h.out.split(separator: "\n")
    #expect(rows.count == 3 && rows.allSatisfy { $0.count < 50 }, "\(h.out)")
    #expect(rows[1].hasPrefix("long_text  string  \"xxx") && rows[1].hasSuffix("…  316"), "\(rows[1])")
    h.out = ""
    h.live.terminalColumns = { nil }
    h.feed(":vars")
    #expect(!h.out.contains("…") && h.out.split(separator: "\n")[1].count > 50, "unknown width: summaries are left whole")
}

/// Wide characters (CJK, emoji) take two terminal columns: the table pads and cuts by columns.
@Test func varsTableMeasuresWideCharactersInColumns() {
    let h = Harness()
    h.feed("let wide = \"名前\".repeat(40)")
    h.feed("let n = 7")
    h.live.terminalColumns = { 50 }
    h.feed(":vars")
    let rows = h.out.split(separator: "\n")
    #expect(rows.count == 3 && rows.allSatisfy { DisplayWidth.width(of: $0) < 50 }, "\(h.out)")
    #expect(rows[2].hasPrefix("wide  string  \"名前名前") && rows[2].hasSuffix("…  256"), "\(rows[2])")
    #expect(HelpText.table([["名前", "x"], ["ab", "y"]]) == "名前  x\nab    y\n")
}

@Test func metaCommandsHelpVarsTimeResetQuit() {
    let h = Harness()
    h.feed("let name = \"laif\"")
    h.feed(":vars")
    #expect(h.out.contains("name  kind"))
    #expect(h.out.contains("name  string  \"laif\""))
    h.out = ""
    h.feed("?len")
    #expect(h.out.hasPrefix("len("))
    h.out = ""
    h.feed("?name")   // a global: its type, size, value and the names of its methods
    #expect(h.out.hasPrefix("name: string, "))
    #expect(h.out.contains("\n    methods: name.chars, name.contains, "))
    h.out = ""
    h.feed("?name.upper")   // one of those listed methods: its doc, not "no help"
    #expect(h.out.hasPrefix("string.upper()"), "\(h.out)")
    h.out = ""
    h.feed(":help string")   // a type: its values' methods, each with its doc
    #expect(h.out.hasPrefix("Methods of string values (x.name(...)):\n  string.chars()\n"))
    h.out = ""
    h.feed(":h")
    #expect(h.out.contains(":vars") && h.out.contains("Builtins by topic"))
    h.out = ""
    h.feed(":ti 1 + 1")
    #expect(h.out == "2\ntime: 250.0 ms\n")
    h.feed(":help nothing_here")
    #expect(h.err.contains("no help for 'nothing_here'"))
    h.feed(":zzz")
    #expect(h.err.contains("unknown command ':zzz'"))
    h.feed(":reset")
    #expect(h.live.interpreter.global("name") == nil)
    #expect(h.feed(":q") == .quit)
}

@Test func saveWritesARunnableScriptAndLoadRunsIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("session.laif").path
    let h = Harness()
    h.feed("let base = 20")
    h.feed("base / \"oops\"")
    h.feed("let total = base + 1")
    h.feed(":save \(path)")
    #expect(h.out.contains("saved 2 inputs"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "let base = 20\nlet total = base + 1\n")
    let fresh = Harness()
    fresh.feed(":load \(path)")
    fresh.feed("total")
    #expect(fresh.out == "21\n")
    fresh.feed(":load \(folder.path)/missing.laif")
    #expect(fresh.err.contains("cannot read"))
    fresh.feed(":save \(folder.path)/no/such/dir/x.laif")
    #expect(fresh.err.contains("cannot write"))
}

@Test func aSavedSessionThatUsesUnderscoreRunsAsAScript() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("underscore.laif").path
    let h = Harness()
    h.feed("let x = 2")
    h.feed("x * 3")
    h.feed("_ + 1")
    h.feed(":save \(path)")
    #expect(h.out == "6\n7\nsaved 3 inputs to \(path)\n")
    let script = Interpreter(registry: .core(), output: { _ in })
    #expect(try script.run(String(contentsOfFile: path, encoding: .utf8), file: path).map(format) == "7")
}

@Test func interruptsReportOnlyInterruptedAndKeepBindings() {
    let h = Harness()
    h.feed("let kept = 3")
    h.live.interpreter.shouldInterrupt = { true }
    h.feed("while true { }")
    #expect(h.err == "interrupted\n")
    h.live.interpreter.shouldInterrupt = { false }
    h.feed("kept")
    #expect(h.out == "3\n")
}

@Test func metaCommandsParseWithUniquePrefixes() throws {
    #expect(try MetaCommand(parsing: ":h") == .help(nil))
    #expect(try MetaCommand(parsing: "  :help  len ") == .help("len"))
    #expect(try MetaCommand(parsing: "?plot") == .help("plot"))
    #expect(try MetaCommand(parsing: ":v") == .vars)
    #expect(try MetaCommand(parsing: ":t 1 + 1") == .time("1 + 1"))
    #expect(try MetaCommand(parsing: ":lo a.laif") == .load("a.laif"))
    #expect(try MetaCommand(parsing: ":sa b.laif") == .save("b.laif"))
    #expect(try MetaCommand(parsing: ":load \"my run.laif\"") == .load("my run.laif"), "quotes as in a laif string")
    #expect(try MetaCommand(parsing: ":load \"my run.laif") == .load("my run.laif"), "completion leaves the quote open")
    #expect(try MetaCommand(parsing: ":save 'a b.laif") == .save("a b.laif"))
    #expect(try MetaCommand(parsing: ":save 'b.laif'") == .save("b.laif"))
    #expect(try MetaCommand(parsing: ":save \"") == .save("\""), "a lone quote is a name, not a pair")
    #expect(try MetaCommand(parsing: ":reset") == .reset)
    #expect(try MetaCommand(parsing: ":q") == .quit)
    #expect(throws: MetaCommandError.self) { try MetaCommand(parsing: ":") }
    #expect(throws: MetaCommandError.self) { try MetaCommand(parsing: ":nope") }
    #expect(throws: MetaCommandError.self) { try MetaCommand(parsing: ":time") }
    #expect(throws: MetaCommandError.self) { try MetaCommand(parsing: ":vars x") }
    #expect(MetaCommand.resolve(":re", among: [":reset", ":return"]) == nil, "ambiguous prefixes do not resolve")
    #expect(MetaCommand.isMetaCommand(" :vars") && !MetaCommand.isMetaCommand("x ? y"))
}

/// `:help name` printed the signature and doc on one line each, which an 80-column terminal
/// broke mid-word; they are wrapped now (the example stays whole, ready to copy).
@Test func helpEntriesFitEightyColumns() {
    let registry = BuiltinRegistry.core()
    for builtin in registry.all {
        let text = HelpText.entry(for: builtin.name, registry: registry) ?? ""
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.first.map { $0.hasPrefix(builtin.name + "(") } == true)
        for row in rows where !row.hasPrefix("    example: ") {
            #expect(row.count <= 80, "\(builtin.name): \(row)")
        }
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        #expect(words(text).contains(words(builtin.signature)) && words(text).contains(words(builtin.doc)), "nothing lost in wrapping")
    }
    #expect(HelpText.wrappedWords(["ab", "cd"], firstIndent: "  ", indent: "    ") == "  ab cd")
    #expect(HelpText.wrappedWords([String(repeating: "x", count: 90), "y"], firstIndent: "", indent: "  ")
            == String(repeating: "x", count: 90) + "\n  y", "a word longer than the line gets a line of its own")
}

/// `:help TOPIC` listed each builtin's signature and doc unwrapped (a line of up to 200
/// columns); it wraps them as `:help name` does.
@Test func helpTopicsFitEightyColumns() throws {
    let registry = BuiltinRegistry.core()
    var listed = 0
    for topic in registry.topics where registry.lookup(topic) == nil && registry.all.contains(where: { $0.topic == topic }) {
        let text = try #require(HelpText.entry(for: topic, registry: registry))
        #expect(text.hasPrefix("Topic \(topic):\n"))
        for row in text.split(separator: "\n") { #expect(row.count <= 80, "\(topic): \(row)") }
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        for builtin in registry.all where builtin.topic == topic {
            #expect(words(text).contains(words(builtin.signature)) && words(text).contains(words(builtin.doc)), "\(builtin.name) kept whole")
            listed += 1
        }
    }
    #expect(listed > 10)
}

@Test func endOfInputDropsAnUnfinishedEntryAndSaysWhere() {
    let h = Harness()
    h.feed("let kept = 7")
    #expect(h.feed("let xs = [1,") == .needsMore)
    h.feed("2,")
    h.live.dropPendingAtEndOfInput()
    #expect(!h.live.isContinuing)
    #expect(h.err.contains("<repl>:2:3: "), "the parser's place in the dropped entry: \(h.err)")
    #expect(h.err.hasSuffix("unfinished entry dropped; Ctrl-D at the laif> prompt leaves\n"))
    #expect(h.live.acceptedInputs == ["let kept = 7"], "nothing of the dropped entry ran or was kept")
    h.feed("kept")
    #expect(h.out == "7\n", "the session goes on with its bindings")
    // With nothing pending it says nothing.
    let before = h.err
    h.live.dropPendingAtEndOfInput()
    #expect(h.err == before)
}

@Test func entryFinishedNamesTheWholeEntryALineWouldFinish() {
    let h = Harness()
    #expect(h.live.entryFinished(by: "let xs = [1,") == nil)
    h.feed("let xs = [1,")
    #expect(h.live.entryFinished(by: "2,") == nil)
    h.feed("2,")
    #expect(h.live.entryFinished(by: "3]") == "let xs = [1,\n2,\n3]")
    #expect(h.live.isContinuing, "asking does not feed")
    h.feed("3]")
    #expect(h.live.entryFinished(by: ":vars") == ":vars")
    #expect(h.live.entryFinished(by: "len(xs)") == "len(xs)")
}

/// `:help` names the editing keys, each of which the line editor binds, in 80 columns.
@Test func helpOverviewListsTheEditingKeys() {
    let overview = HelpText.overview(registry: BuiltinRegistry.core())
    for key in ["Tab", "Up, Down", "Esc-p, Esc-n", "Ctrl-R", "Ctrl-C", "Ctrl-D"] {
        #expect(overview.contains("\n  \(key) "), "\(key) is listed")
    }
    for row in HelpText.keys.split(separator: "\n") { #expect(row.count <= 80, "\(row)") }
    #expect(!HelpText.overview(registry: BuiltinRegistry.core(), includeCommands: false).contains("Keys:"),
            "`laif help` outside the REPL has no keys")
}
