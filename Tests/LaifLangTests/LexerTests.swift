import Testing
@testable import LaifLang

private func kinds(_ text: String) throws -> [TokenKind] {
    try Lexer.tokenize(text, source: SourceText(file: "t", text: text)).map(\.kind)
}

@Test func lexesNumbersWithFractionsExponentsAndSeparators() throws {
    #expect(try kinds("1 2.5 1e3 1_000 3.25e-2") == [.number(1), .number(2.5), .number(1000), .number(1000), .number(0.0325), .endOfInput])
}

@Test func memberAccessOnANumberIsNotAFraction() throws {
    #expect(try kinds("1.x") == [.number(1), .symbol(.dot), .identifier("x"), .endOfInput])
}

@Test func lexesOperatorsGreedily() throws {
    #expect(try kinds("++ + ** * == = != ! <= < >= > && ||") == [
        .symbol(.concat), .symbol(.plus), .symbol(.power), .symbol(.star), .symbol(.equal), .symbol(.assign),
        .symbol(.notEqual), .symbol(.bang), .symbol(.lessEqual), .symbol(.less), .symbol(.greaterEqual),
        .symbol(.greater), .symbol(.ampAmp), .symbol(.pipePipe), .endOfInput,
    ])
}

@Test func keywordsAndIdentifiers() throws {
    #expect(try kinds("let lets fn _x x1") == [.keyword(.let), .identifier("lets"), .keyword(.fn), .identifier("_x"), .identifier("x1"), .endOfInput])
}

@Test func interpolationSplitsIntoParts() throws {
    #expect(try kinds("\"a{x}b{y}\"") == [
        .stringStart("a"), .identifier("x"), .stringMiddle("b"), .identifier("y"), .stringEnd(""), .endOfInput,
    ])
    #expect(try kinds("'a{x}'") == [.string("a{x}"), .endOfInput])
}

@Test func escapesDecode() throws {
    #expect(try kinds(#""\n\t\\\"\{\}\u{41}""#) == [.string("\n\t\\\"{}A"), .endOfInput])
}

@Test func commentsAreSkipped() throws {
    #expect(try kinds("1 # two\n# %% cell\n3") == [.number(1), .number(3), .endOfInput])
}

@Test func newlinesCountOnlyOutsideParenthesesAndBrackets() throws {
    let tokens = try Lexer.tokenize("a\nb(\nc\n)\n[\nd]", source: SourceText(file: "t", text: ""))
    #expect(tokens.map(\.newlineBefore) == [false, true, false, false, false, true, false, false, false])
}

@Test func lexErrorsCarryLocations() {
    func error(_ text: String) -> String {
        do { _ = try kinds(text); return "<none>" } catch let error as LaifError { return "\(error.location!) \(error.message)" } catch { return "\(error)" }
    }
    #expect(error("x = 1e") == "t:1:5 malformed number: an exponent needs digits, as in 1e-3")
    #expect(error("1e400") == "t:1:1 number literal 1e400 is out of range (the largest number is about 1.8e308)")
    #expect(error("\"\\q\"") == "t:1:2 unknown escape '\\q'; use \\n \\t \\r \\0 \\\\ \\\" \\' \\{ \\} or \\u{XXXX}")
    #expect(error("12abc") == "t:1:1 malformed number: a letter follows '12'; put a space or operator between")
    #expect(error("\u{7}") == "t:1:1 unexpected character (U+7); remove it or put it inside a string")
    #expect(error("\"\\u{110000}\"") == "t:1:2 \\u{110000} is not a character (surrogates D800-DFFF and codes past 10FFFF are not)")
}

@Test func byteOrderMarkAndShebangAreIgnored() throws {
    #expect(try eval("\u{FEFF}#!/usr/bin/env laif\n1 + 1") == "2")
    #expect(try eval("let x = 1\r\nx + 1\r\n") == "2")
}

@Test func longStringLiteralsLexWholeAndTooLongOnesAreRefused() throws {
    // Plain text is taken in runs; escapes, braces, quotes and line ends still break them up.
    #expect(try kinds("\"ab\ncd\\te{x}'\"") == [.stringStart("ab\ncd\te"), .identifier("x"), .stringEnd("'"), .endOfInput])
    #expect(try kinds("'a{b}\n\"c'") == [.string("a{b}\n\"c"), .endOfInput])
    let tokens = try Lexer.tokenize("\"héllo\" x", source: SourceText(file: "t", text: ""))
    #expect(tokens[1].location.column == 9)   // columns count scalars through a run
    // A literal past the string limit was accepted (60 MB lexed in 27 s), and no string may
    // hold that much. Here the limit is 8 bytes; "é" and an escape count their UTF-8 bytes.
    func lexed(_ text: String) throws -> [TokenKind] {
        try Lexer.tokenize(text, source: SourceText(file: "t", text: text), maxStringBytes: 8).map(\.kind)
    }
    for text in ["\"abcdefghi\"", "\"abcdefg\u{E9}\"", "\"abcdefgé\"", "\"ab\ncdefgh\"", "'abcd{fghi'"] {
        do {
            _ = try lexed(text)
            Issue.record("\(text) lexed")
        } catch let error as LaifError {
            #expect(error.message == "string literal longer than 8 bytes; read large text from a file instead", "\(text)")
            #expect(error.location?.column == 1)
        } catch {
            Issue.record("\(error)")
        }
    }
    #expect(try lexed("\"abcdefgh\"") == [.string("abcdefgh"), .endOfInput])
}

@Test func knowsWhenTextEndsInsideAString() {
    #expect(Lexer.endsInsideString("let s = \"a\n"))
    #expect(Lexer.endsInsideString("let s = 'a\nb"))
    #expect(Lexer.endsInsideString("print(\"{x} and\n"))
    #expect(!Lexer.endsInsideString("let s = \"a\"\n# it's a comment\n"))
    #expect(!Lexer.endsInsideString("let s = \"a\n\"\n"))
    #expect(!Lexer.endsInsideString("let s = (\n"))
}
