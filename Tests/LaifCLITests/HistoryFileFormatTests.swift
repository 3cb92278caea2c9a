import Foundation
import Testing
@testable import LaifREPL

/// The history file as laif reads it: libedit's vis encoding, decoded strictly, and the
/// entries Up and Down walk through.

private func decode(_ text: String) -> String? {
    HistoryFileFormat.decode(Array(text.utf8)[...])
}

@Test func visEscapesDecodeToTheirBytes() {
    #expect(decode("let\\040x\\040=\\0401") == "let x = 1")
    #expect(decode("a\\012b\\011c") == "a\nb\tc", "newlines and tabs inside an entry")
    #expect(decode("back\\134slash\\134\"q\\134\"") == "back\\slash\\\"q\\\"")
    #expect(decode("\\^A\\^?\\^[") == "\u{01}\u{7F}\u{1B}")
    #expect(decode("\\M-C\\M-)") == "é", "high bytes, as libedit writes UTF-8 outside a UTF-8 locale")
    #expect(decode("\\7x") == "\u{7}x" && decode("\\41") == "!", "one to three octal digits")
    #expect(decode("\\0") == nil, "a NUL: libedit would cut the entry there")
    #expect(decode("\\n\\t\\s\\\\") == "\n\t \\", "C-style escapes another tool may write")
    #expect(decode("a\\$b") == "ab", "vis's hidden-character marker")
    #expect(decode("é中😀 raw") == "é中😀 raw")
    #expect(decode("") == "")
}

@Test func malformedLinesAreRefusedNotGuessed() {
    #expect(decode("\\\u{01}") == nil, "a backslash before a control byte (libedit read past its buffer on it)")
    #expect(decode("ends with \\") == "ends with ", "a lone backslash at the end is dropped, as libedit does")
    #expect(decode("\"x\\q\\9y\"") == "\"xq9y\"", "an unknown escape of printable ASCII is the character")
    #expect(decode("\\ x") == nil && decode("\\é") == nil, "a backslash before a space or a non-ASCII byte")
    #expect(decode("\\^") == nil && decode("\\^1") == nil && decode("\\M") == nil && decode("\\Mx") == nil)
    #expect(decode("\\400") == nil, "an octal escape past 255")
    #expect(HistoryFileFormat.decode([0xFF][...]) == nil, "bytes that are not UTF-8")
    #expect(decode("\\303") == nil, "an escape that decodes to half a character")
}

@Test func aFileIsItsHeaderAndOneEntryPerLine() throws {
    let parsed = try #require(HistoryFileFormat.entries(in: Data("_HiStOrY_V2_\n1+1\n".utf8) + Data([0xFF, 0x0A])
        + Data("\\\u{01}\n2\\040+\\0402\ne4\\000y\nlast".utf8)))
    #expect(parsed.entries == ["1+1", "2 + 2", "last"], "a last line without its newline counts")
    #expect(parsed.skipped == 3, "not UTF-8, a malformed escape, a NUL libedit would cut the entry at")
    #expect(HistoryFileFormat.entries(in: Data("_HiStOrY_V2_\n".utf8))! == ([], 0))
    let crlf = try #require(HistoryFileFormat.entries(in: Data("_HiStOrY_V2_\r\nold\\040one\r\nold\\040two\r\n".utf8)))
    #expect(crlf.entries == ["old one", "old two"] && crlf.skipped == 0, "CRLF line ends")
    for notHistory in ["my notes\n1+1\n", "_HiStOrY_V2_  \n1+1\n", "_HiStOrY_V2_garbage\n1+1\n", ""] {
        #expect(HistoryFileFormat.entries(in: Data(notHistory.utf8)) == nil, "\(notHistory.debugDescription) is no history")
    }
}

/// What libedit writes, laif reads back exactly: every kind of character an entry may hold.
@Test func entriesSavedByLibeditReadBackUnchanged() throws {
    LineEditor.useUTF8CharacterType()
    let entries = ["let x = 1", "fn f(a) {\n\treturn a\n}", "\"back\\\\slash \\\"q\\\"\"", "é中😀 e\u{301}",
                   "\u{01}\u{7F}\u{1B}[A", "  leading and trailing  ", "$x ~ ^A \\M-x \\040", String(repeating: "x", count: 5000)]
    let history = try #require(EditHistory(limit: 100))
    for entry in entries { history.enter(entry) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("laif-history-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    #expect(history.save(to: file.path))
    let read = try #require(HistoryFileFormat.entries(in: try Data(contentsOf: file)))
    #expect(read.skipped == 0)
    #expect(read.entries == entries)
}

@Test func upAndDownWalkTheEntriesAndBringBackTheTypedLine() throws {
    let history = try #require(EditHistory(limit: 100))
    var navigation = HistoryNavigation()
    #expect(navigation.older(than: "typed", in: history.newestFirst()) == nil, "an empty history")
    #expect(navigation.newer(in: history.newestFirst()) == nil)
    for entry in ["first", "second", "third"] { history.enter(entry) }
    let long = String(repeating: "y", count: 3000) + "END"
    #expect(navigation.older(than: long, in: history.newestFirst()) == "third")
    #expect(navigation.older(than: "third (edited)", in: history.newestFirst()) == "second")
    #expect(navigation.older(than: "second", in: history.newestFirst()) == "first")
    #expect(navigation.older(than: "first", in: history.newestFirst()) == nil, "no older entry: stays on the oldest")
    #expect(navigation.newer(in: history.newestFirst()) == "second")
    #expect(navigation.newer(in: history.newestFirst()) == "third")
    #expect(navigation.newer(in: history.newestFirst()) == long, "the line being typed comes back whole, past 1,024 characters")
    #expect(navigation.newer(in: history.newestFirst()) == nil)
    #expect(history.newestFirst() == ["third", "second", "first"])
}

/// An entry made while the file could not be written (made read-only, or replaced) stayed in
/// the session only until the next save re-read the file, and was lost from both.
@Test func entriesMadeWhileTheFileCouldNotBeWrittenAreSavedLater() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("h").path
    let entries = try #require(EditHistory(limit: 100))
    let file = HistoryFile(named: path, entries: entries)
    #expect(file.record("let a = 1") == nil)
    #expect(chmod(path, 0o444) == 0)
    #expect(file.record("let b = 2")?.contains("read-only") == true)
    #expect(chmod(path, 0o644) == 0)
    #expect(file.record("let c = 3") == nil)
    let saved = try #require(HistoryFileFormat.entries(in: try Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(saved.entries == ["let a = 1", "let b = 2", "let c = 3"])
    #expect(entries.newestFirst().dropFirst().first == "let b = 2")
    try "_HiStOrY_V2_x\nlet\\040a\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(HistoryFile(named: path, entries: entries).problem?.contains("is not a laif history file") == true)
}

@Test func searchNarrowsAsYouTypeGoesOlderAndTakesCharactersBack() {
    var search = HistorySearch(entries: ["let beta = 2", "40 + 2", "let alpha = 1", "print(alpha)"])
    #expect(search.prompt == "(reverse-i-search)`': " && search.match == nil)
    search.type("a")
    #expect(search.match == 0 && search.matchStart == 7, "the newest entry holding it; the cursor at the match")
    search.type("l")
    #expect(search.match == 2 && search.matchStart == 4, "narrowed from the match on: \"al\" is first in entry 2")
    search.older()
    #expect(search.match == 3 && search.matchStart == 6)
    search.older()
    #expect(search.match == 3 && search.failed && search.prompt == "(failed reverse-i-search)`al': ", "no older one: the match stays")
    search.deleteLast()
    #expect(search.match == 0 && !search.failed && search.query == "a", "a character back searches again from the newest")
    search.deleteLast()
    #expect(search.match == nil && search.query == "")
    search.deleteLast()
    #expect(search.query == "")
    var wide = HistorySearch(entries: ["é中 = \"😀x\""])
    wide.type("x")
    #expect(wide.matchStart == 7, "counted in characters")
}

@Test func searchComparesScalarsAndKeepsTheCursorOnAFailedQuery() {
    #expect(HistorySearch.scalarOffset(of: "cafe", in: "qqq cafe\u{301} end") == 4, "a letter before its accent")
    #expect(HistorySearch.scalarOffset(of: "x", in: "中😀x") == 2)
    #expect(HistorySearch.scalarOffset(of: "zz", in: "z") == nil && HistorySearch.scalarOffset(of: "", in: "a") == 0)
    var search = HistorySearch(entries: ["qqq cafe\u{301} end"])
    search.type("cafe")
    #expect(search.match == 0 && search.matchStart == 4)
    search.type("!")
    #expect(search.failed && search.matchStart == 4, "the cursor stays at the last match")
    search.deleteLast()
    search.type("\u{301}")
    #expect(!search.failed && search.query == "cafe\u{301}")
    search.deleteLast()
    #expect(search.query == "cafe", "Backspace takes back the accent alone")
}
