import LaifSupport
import Testing

@Test func linesSplitAtUnixAndWindowsLineEndsAlike() {
    #expect("let x = 1\r\nprint(x)\n".splitLines() == ["let x = 1", "print(x)", ""])
    #expect("a\nb".splitLines() == ["a", "b"])
    #expect("a\n\r\n\nb".splitLines() == ["a", "", "", "b"])
    // A lone carriage return ends no line, as in the lexer's line count.
    #expect("a\rb".splitLines() == ["a\rb"])
    #expect("".splitLines() == [""])
}
