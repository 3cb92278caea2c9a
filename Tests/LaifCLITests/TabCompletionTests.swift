import Testing
@testable import LaifREPL

/// The word Tab replaces, what it does with the completer's answer, and how it lists.

private func word(before text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    return String(String.UnicodeScalarView(scalars[TabCompletion.wordStart(in: scalars)...]))
}

@Test func theWordStopsAtBreaksButKeepsDotsColonsQuotesAndSlashes() {
    #expect(word(before: "let m = mo") == "mo")
    #expect(word(before: "sft(model.tr") == "model.tr")
    #expect(word(before: ":he") == ":he")
    #expect(word(before: "?so") == "?so")
    #expect(word(before: "load(\"data/tr") == "\"data/tr")
    #expect(word(before: "xs.\"") == "xs.\"", "a quote just before the cursor belongs to the word")
    #expect(word(before: "load('/tm") == "/tm", "a single quote breaks the word")
    #expect(word(before: "a\\ b") == "a\\ b", "an escaped break does not end the word")
    #expect(word(before: "x = ") == "")
    #expect(word(before: "") == "")
    #expect(word(before: "é + ü") == "ü", "counted in characters, not bytes")
}

@Test func listingGoesDownEachColumnThenAcrossWithoutTrailingSpaces() {
    LineEditor.useUTF8CharacterType()   // the C library measures wide characters only then
    #expect(TabCompletion.listing(["alpha", "beta", "gamma"], columns: 12) == ["alpha  gamma", "beta"])
    #expect(TabCompletion.listing(["a", "b", "c"], columns: 80) == ["a  b  c"])
    #expect(TabCompletion.listing(["a", "bb", "c", "d"], columns: 8) == ["a   c", "bb  d"])
    #expect(TabCompletion.listing(["a-long-name"], columns: 4) == ["a-long-name"], "one per row when none fits")
    #expect(TabCompletion.listing([], columns: 80) == [])
    #expect(TabCompletion.listing(["中文", "ab"], columns: 6) == ["中文", "ab"], "wide characters take two cells")
}

private func answering(_ candidates: [String], appendSpace: Bool = false) -> (CompletionRequest) -> Completions {
    { _ in Completions(candidates: candidates, appendSpace: appendSpace) }
}

@Test func tabReplacesExtendsBeepsAndListsWhenATabFollowsATab() {
    var tab = TabCompletion()
    #expect(tab.action(for: ("pri", ""), completer: answering(["print"], appendSpace: true))
            == .replace(count: 3, with: "print "))
    #expect(tab.action(for: ("print", ""), completer: answering(["print"])) == .nothing)
    #expect(tab.action(for: ("zz", ""), completer: answering([])) == .beep)
    #expect(tab.action(for: ("", ""), completer: answering(["\t"])) == .replace(count: 0, with: "\t"),
            "Tab before any text indents")

    // Several candidates: the shared start first, then the list when Tab comes again there
    // (and again at every Tab that follows a Tab).
    let several = answering(["model.tokens", "model.train"])
    var fromScratch = TabCompletion()
    #expect(fromScratch.action(for: ("x = model.", ""), completer: several) == .replaceAndBeep(count: 6, with: "model.t"))
    #expect(fromScratch.action(for: ("x = model.t", ""), completer: several) == .list(["model.tokens", "model.train"]))
    #expect(fromScratch.action(for: ("x = model.t", ""), completer: several) == .list(["model.tokens", "model.train"]))

    // After Tab completed a folder, the next Tab lists what is in it, and inserts what its
    // entries share first.
    var folder = TabCompletion()
    #expect(folder.action(for: ("load(\"/tmp/d", ""), completer: answering(["\"/tmp/d1/"])) == .replace(count: 7, with: "\"/tmp/d1/"))
    #expect(folder.action(for: ("load(\"/tmp/d1/", ""), completer: answering(["\"/tmp/d1/x1", "\"/tmp/d1/x2"]))
            == .replaceAndList(count: 9, with: "\"/tmp/d1/x", candidates: ["\"/tmp/d1/x1", "\"/tmp/d1/x2"]))

    // Anything typed between the presses starts over.
    var fresh = TabCompletion()
    #expect(fresh.action(for: ("p", " + 1"), completer: answering(["param", "plot"])) == .beep)
    #expect(fresh.action(for: ("p", " + 2"), completer: answering(["param", "plot"])) == .beep)
    #expect(fresh.action(for: ("p", " + 2"), completer: answering(["param", "plot"])) == .list(["param", "plot"]))
}
