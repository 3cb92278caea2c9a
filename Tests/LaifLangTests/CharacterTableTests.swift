import Testing
@testable import LaifLang

/// Strings whose characters span different numbers of bytes: combining marks, "\r\n", flags,
/// a family emoji joined by zero-width joiners, and plain ASCII.
private let awkwardTexts = [
    String(repeating: "ab", count: 70),
    String(repeating: "e\u{301}x\r\n🇺🇸👨‍👩‍👧", count: 25),
    "ü" + String(repeating: "a", count: 100) + "\r\n",
    "",
    "é",
]

@Test func indexingALongStringInALoopWalksItOnce() throws {
    // Each walk over the string used to happen per access: len(s) counted it and s[i] split
    // it into characters. One table per string now answers both.
    for text in ["x", "é"] {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run("let s = \"\(text)\".repeat(5000) ++ \"🇺🇸\"", file: "t")
        let before = interpreter.characterTablesBuilt
        let result = try interpreter.run("""
            let n = 0
            for i in range(len(s)) { if s[i] == "\(text)" { n = n + 1 } }
            let i = 0
            while i < s.len() { i = i + 1000 }
            [n, s[-1], s[4998:], len(s[10:20])]
            """, file: "t")
        #expect(result.map(format) == "[5000, \"🇺🇸\", \"\(text)\(text)🇺🇸\", 10]")
        #expect(interpreter.characterTablesBuilt - before == 1)
    }
}

@Test func twoStringsComparedInTurnKeepTheirTables() throws {
    let (interpreter, _) = makeTestInterpreter()
    let result = try interpreter.run("""
        let a = "ab".repeat(100)
        let b = "ba".repeat(100)
        let same = 0
        for i in range(len(a)) { if a[i] == b[i] { same = same + 1 } }
        same
        """, file: "t")
    #expect(result.map(format) == "0")
    #expect(interpreter.characterTablesBuilt == 2)
}

@Test func characterTableAgreesWithSwiftCharacters() {
    for text in awkwardTexts {
        let characters = Array(text)
        let table = CharacterTable(text)
        #expect(table.count == characters.count)
        for position in characters.indices {
            #expect(table.character(position) == String(characters[position]))
        }
        for (lower, upper) in [(0, characters.count), (0, 0), (1, 3), (31, 33), (33, 65), (characters.count, characters.count)]
        where lower <= upper && upper <= characters.count {
            #expect(table.characters(lower..<upper) == String(characters[lower..<upper]))
        }
    }
}

@Test func stringIndexingAndSlicingKeepTheirResultsAndErrors() throws {
    let text = String(repeating: "e\u{301}x\r\n🇺🇸", count: 20)
    let characters = Array(text)
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"\(text)\"", file: "t")
    for position in [0, 1, 2, 3, 31, 32, 33, 79, -1, -80] {
        let expected = characters[position < 0 ? position + characters.count : position]
        #expect(try interpreter.run("s[\(position)]", file: "t").map(format) == format(.string(String(expected))))
    }
    #expect(try interpreter.run("s[-3:] == s[77:] and s[:2] ++ s[2:] == s and s[50:10] == \"\"", file: "t").map(format) == "true")
    #expect(try interpreter.run("[len(s), s.len()]", file: "t").map(format) == "[80, 80]")
    for (position, line) in [(80, "t:1:2: index 80 is out of range for a string of length 80"),
                             (-81, "t:1:2: index -81 is out of range for a string of length 80")] {
        #expect(throws: LaifError.self) { try interpreter.run("s[\(position)]", file: "t") }
        do { _ = try interpreter.run("s[\(position)]", file: "t") } catch let error as LaifError { #expect(firstLine(error) == line) }
    }
}

/// `while len(s) < n { s = s ++ piece }` measures the string once, not once per pass: the count
/// of a string extended in place carries over, and only its end is counted again.
@Test func measuringAStringGrownInPlaceCountsItOnce() throws {
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"x\".repeat(100)", file: "t")
    let before = interpreter.characterTablesBuilt
    let result = try interpreter.run("""
        while len(s) < 5000 { s = s ++ "ab" }
        while s.len() < 6000 { s = "{s}cd" }
        len(s)
        """, file: "t")
    #expect(result.map(format) == "6000")
    #expect(interpreter.characterTablesBuilt - before == 1)
}

/// Appending can join the new text to the string's last character (a combining accent, the
/// second half of a flag, a zero-width joiner and what follows): the carried count must agree
/// with Swift's count of the whole string after every append.
@Test func countsCarriedOverAppendsAgreeWithSwift() throws {
    let pieces = ["\u{301}", "🇺", "🇸🇫", "🇷", "\u{200D}👩", "e", "\u{301}\u{302}", "\r", "\n", "ab", "🇺🇸👨‍👩‍👧", "\u{200D}", "x"]
    for join in [true, false] {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run("let s = \"ü\".repeat(40)", file: "t")
        var expected = String(repeating: "ü", count: 40)
        for round in 0..<3 {
            for (i, piece) in pieces.enumerated() {
                let literal = piece.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
                let append = join ? "s = s ++ \"\(literal)\"" : "s = \"{s}\(literal)\""
                let result = try interpreter.run("\(append)\nlen(s)", file: "t")
                expected += piece
                #expect(result.map(format) == "\(expected.count)", "round \(round), piece \(i) (\(literal))")
            }
        }
    }
}
