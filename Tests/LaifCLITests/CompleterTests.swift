import Foundation
import Testing
@testable import LaifREPL

private func completer(in folder: String = "/") -> Completer {
    Completer(source: CompletionSource(
        names: { ["print", "plot", "prompts", "let", "model"] },
        members: { $0 == "model" ? ["train", "tokens", "size", "two words"] : nil },
        helpNames: { ["print", "plot", "list.map"] },
        metaCommands: MetaCommand.names), workingDirectory: folder)
}

private func complete(_ line: String, word: String, in folder: String = "/") -> [String] {
    completer(in: folder).complete(CompletionRequest(lineBeforeCursor: line, word: word)).candidates
}

@Test func namesMembersCommandsAndHelp() {
    #expect(complete("pr", word: "pr") == ["print", "prompts"])
    #expect(complete("let m = mo", word: "mo") == ["model"])
    #expect(complete("model.t", word: "model.t") == ["model.tokens", "model.train"], "a field that is no name is left out")
    #expect(complete("nothing.t", word: "nothing.t") == [])
    #expect(complete("x/pl", word: "x/pl") == ["x/plot"], "text glued before the name is kept")
    #expect(complete("abc?", word: "abc?") == [] && complete("x = abc?pr", word: "abc?pr") == [], "a ? after text asks for nothing")
    #expect(complete(":re", word: ":re") == [":reset"])
    #expect(complete("?pl", word: "?pl") == ["?plot"])
    #expect(complete(":help li", word: "li") == ["list.map"])
    #expect(completer().complete(CompletionRequest(lineBeforeCursor: ":q", word: ":q")).appendSpace)
    #expect(complete("", word: "") == ["\t"], "Tab before any text indents")
    #expect(complete("\t ", word: "") == ["\t"])
    #expect(complete("x ", word: "").contains("print"), "after text, Tab on nothing still lists names")
}

@Test func pathsInsideStringsAndAfterLoad() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-complete-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("runs"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "".write(to: folder.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
    try "".write(to: folder.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
    let root = folder.path
    #expect(complete("load(\"r", word: "\"r", in: root) == ["\"results.jsonl", "\"runs/"])
    #expect(complete("load(\"", word: "\"", in: root) == ["\"results.jsonl", "\"runs/"], "hidden files need a dot")
    #expect(complete("load(\".h", word: "\".h", in: root) == ["\".hidden"])
    #expect(complete("load(\"\(root)/ru", word: "\"\(root)/ru") == ["\"\(root)/runs/"])
    #expect(complete(":load re", word: "re", in: root) == ["results.jsonl"])
    #expect(complete(":load \"re", word: "\"re", in: root) == ["\"results.jsonl"], ":load takes a quoted path too")
    #expect(complete(":save 'ru", word: "ru", in: root) == ["runs/"])
    // libedit's word stops at '-' and spaces; candidates then replace just that word.
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("my runs-2"), withIntermediateDirectories: true)
    #expect(complete("load(\"my runs-", word: "runs-", in: root) == ["runs-2/"])
    #expect(complete(":load my runs-", word: "runs-", in: root) == ["runs-2/"])
    #expect(complete("f(\"no-such", word: "such", in: root) == [], "inside a string: paths only")
    #expect(Completer.openQuote(in: "f(\"a ") != nil)
    #expect(Completer.openQuote(in: "f(\"a\", ") == nil)
    #expect(Completer.openQuote(in: "\"a\\\"\"") == nil, "an escaped quote does not close the string")
    #expect(Completer.openQuote(in: "x # \"comment") == nil)
    // A word that begins before the quote keeps its start: `xs."` + Tab left only `"`.
    #expect(complete("xs.\"r", word: "xs.\"r", in: root) == ["xs.\"results.jsonl", "xs.\"runs/"])
    // Single-quoted (raw) strings complete paths too; `'` ends libedit's word.
    #expect(complete("load('ru", word: "ru", in: root) == ["runs/"])
    #expect(Completer.openQuote(in: "f('a \"b") != nil, "a double quote inside single quotes is text")
    #expect(Completer.openQuote(in: "f('a', \"b\") ") == nil)
    #expect(Completer.escaped("it's") == "it\\'s")
    // Nothing can follow a closed string: `"abc"` + Tab offered `"abc"print`.
    #expect(complete("\"abc\"", word: "\"abc\"", in: root) == [])
}

/// Inside a string literal a name is offered as it must be written there (a `{` would start an
/// interpolation, a `"` end the string); after `:load`, `~/` is $HOME, as `:load` reads it.
@Test func pathsAreEscapedInsideStringsAndTildeIsHomeAfterLoad() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-complete-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["we{ird}.jsonl", "q\"uote.jsonl", "back\\slash.jsonl"] {
        try "".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let root = folder.path
    #expect(complete("load(\"we", word: "\"we", in: root) == ["\"we\\{ird\\}.jsonl"])
    #expect(complete("load(\"q", word: "\"q", in: root) == ["\"q\\\"uote.jsonl"])
    #expect(complete("load(\"back", word: "\"back", in: root) == ["\"back\\\\slash.jsonl"])
    #expect(complete("load(\"we\\{", word: "\"we\\{", in: root) == ["\"we\\{ird\\}.jsonl"], "typed escapes are read")
    #expect(complete(":load we", word: "we", in: root) == ["we{ird}.jsonl"], "a :load path is not a literal")
    #expect(MetaCommand.expandingHome("~/runs/a.laif", home: "/home/me") == "/home/me/runs/a.laif")
    #expect(MetaCommand.expandingHome("~", home: "/home/me") == "/home/me")
    #expect(MetaCommand.expandingHome("~me/a", home: "/home/me") == "~me/a")
    #expect(MetaCommand.expandingHome("a/~/b", home: "/home/me") == "a/~/b")
    if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
        #expect(try MetaCommand(parsing: ":load ~/x.laif") == .load(home + "/x.laif"))
    }
}

@Test func commonPrefixIsWhatLibeditInserts() {
    #expect(commonPrefix(["model.tokens", "model.train"]) == "model.t")
    #expect(commonPrefix(["a"]) == "a")
    #expect(commonPrefix([]) == "")
}

@Test func keywordArgumentsInsideACall() {
    let completer = Completer(source: CompletionSource(
        names: { ["sft", "seed", "model"] }, members: { _ in nil }, helpNames: { [] }, metaCommands: [],
        parameters: { ["sft": ["model", "data", "epochs", "seed"], "m.replies": ["prompts", "n"]][$0] }))
    func complete(_ line: String, _ word: String) -> Completions {
        completer.complete(CompletionRequest(lineBeforeCursor: line, word: word))
    }
    #expect(complete("sft(", "") == Completions(candidates: ["data:", "epochs:", "model:", "seed:"], appendSpace: true),
            "Tab right after '(' offers the keywords only")
    #expect(complete("let x = sft(b, ep", "ep") == Completions(candidates: ["epochs:"], appendSpace: true))
    #expect(complete("sft(b, se", "se").candidates == ["seed:", "seed"], "keywords first, then names")
    #expect(complete("m.replies(p", "p").candidates == ["prompts:"])
    #expect(complete("sft(b, [s", "s").candidates == ["seed", "sft"], "inside a list: no keywords")
    #expect(complete("sft(b, lr: se", "se").candidates == ["seed"], "after a keyword: a value, not a keyword")
    #expect(complete("nosuch(", "").candidates.isEmpty == false, "unknown callee: names as usual")
    #expect(Completer.openCall(in: "let x = sft(m, ") == "sft")
    #expect(Completer.openCall(in: "sft(f(1), \"(\", ") == "sft", "closed calls and strings are skipped")
    #expect(Completer.openCall(in: "(1 + ") == nil)
    #expect(Completer.openCall(in: "sft(m) + ") == nil)
}
