import Foundation
import Testing
@testable import LaifREPL

/// The layout must be the one libedit draws, with the C library's character widths, which
/// need a UTF-8 character type (LineEditor selects one the same way).
private func withUTF8CharacterType<T>(_ body: () throws -> T) rethrows -> T {
    LineEditor.useUTF8CharacterType()
    return try body()
}

@Test func aLineWrapsWhenItFillsARow() {
    let prompt = "laif> "
    #expect(LineLayout.row(after: prompt + String(repeating: "x", count: 33), columns: 40) == 0)
    #expect(LineLayout.row(after: prompt + String(repeating: "x", count: 34), columns: 40) == 1, "a full row moves the cursor down")
    #expect(LineLayout.row(after: prompt + String(repeating: "x", count: 80), columns: 40) == 2)
    #expect(LineLayout.row(after: "", columns: 40) == 0)
}

@Test func newlinesTabsAndControlCharactersTakeTheirPlaces() {
    #expect(LineLayout.row(after: "fn f() {\n  1\n", columns: 80) == 2)
    // A tab runs to the next multiple of 8: 5 tabs fill 40 columns.
    #expect(LineLayout.row(after: "\t\t\t\t", columns: 40) == 0)
    #expect(LineLayout.row(after: "\t\t\t\t\t", columns: 40) == 1)
    // A control character shows as ^X, two cells.
    #expect(LineLayout.row(after: String(repeating: "\u{01}", count: 20), columns: 40) == 1)
    #expect(LineLayout.row(after: "abc", columns: 0) == 3, "a degenerate width counts as one column")
}

@Test func wideCharactersTakeTwoCellsAndDoNotSplitAcrossRows() {
    withUTF8CharacterType {
        #expect(LineLayout.row(after: String(repeating: "中", count: 19), columns: 40) == 0)
        #expect(LineLayout.row(after: String(repeating: "中", count: 20), columns: 40) == 1)
        // 39 cells, then a wide character that does not fit: it goes to the next row.
        #expect(LineLayout.row(after: String(repeating: "x", count: 39) + "中", columns: 40) == 1)
        #expect(LineLayout.row(after: "e\u{301}" + String(repeating: "x", count: 38), columns: 40) == 0,
                "a combining accent takes no cell")
    }
}

/// After a resize the terminal has re-wrapped the line; a cursor that ends a full row at the
/// end of the line stays on that row (moving up one row too many erased a row of output).
@Test func theRewrappedCursorStaysAtTheEndOfAFullLastRow() {
    let prompt = "laif> "
    let full = prompt + String(repeating: "x", count: 74)   // 80 cells: two full rows of 40
    #expect(LineLayout.rewrappedCursorRow(before: full, after: "", columns: 40) == 1)
    #expect(LineLayout.rewrappedCursorRow(before: full, after: "\nmore", columns: 40) == 1)
    #expect(LineLayout.rewrappedCursorRow(before: full, after: "y", columns: 40) == 2, "a character follows on the next row")
    #expect(LineLayout.rewrappedCursorRow(before: prompt + "1 + 2", after: " + 3", columns: 40) == 0)
    #expect(LineLayout.rewrappedCursorRow(before: "ab\n", after: "", columns: 40) == 1, "a newline is not a wrap")
    // A line libedit drew filling a row at 100 columns had the cursor moved to the next row,
    // a blank written under it: re-wrapped at 50 the cursor is past two full rows.
    let filled = prompt + String(repeating: "p", count: 94)
    #expect(LineLayout.rewrappedCursorRow(before: filled, after: "", columns: 50, drawnColumns: 100) == 2)
    #expect(LineLayout.rewrappedCursorRow(before: filled, after: "", columns: 120, drawnColumns: 100) == 0)
    // Drawn at 100 without filling a row (99 cells), re-wrapped at 33: the end of the third row.
    let almost = String(repeating: "q", count: 99)
    #expect(LineLayout.rewrappedCursorRow(before: almost, after: "", columns: 33, drawnColumns: 100) == 2)
}

@Test func utf8BytesAreAssembledIntoCharacters() {
    var assembler = UTF8CharacterAssembler()
    #expect(assembler.add(0x41) == "A")
    #expect(assembler.add(0xC3) == nil && !assembler.isEmpty)
    #expect(assembler.add(0xA9) == "é" && assembler.isEmpty)
    var emoji: [Unicode.Scalar?] = []
    for byte in Array("😀".utf8) { emoji.append(assembler.add(byte)) }
    #expect(emoji == [nil, nil, nil, "😀"])
}

@Test func bytesThatAreNotUTF8AreDropped() {
    var assembler = UTF8CharacterAssembler()
    #expect(assembler.add(0xFF) == nil && assembler.isEmpty, "no character starts with 0xFF")
    #expect(assembler.add(0x80) == nil && assembler.isEmpty, "a lone continuation byte")
    // A sequence broken by a new lead byte: the broken part is dropped, the new one counts.
    #expect(assembler.add(0xE4) == nil)
    #expect(assembler.add(0x41) == "A")
    // An overlong encoding of "/" and an encoded surrogate are refused.
    #expect(assembler.add(0xE0) == nil && assembler.add(0x80) == nil && assembler.add(0xAF) == nil)
    #expect(assembler.add(0xED) == nil && assembler.add(0xA0) == nil && assembler.add(0x80) == nil)
    #expect(assembler.isEmpty && assembler.add(0x42) == "B")
}
