import Testing
@testable import LaifLang

@Test func precedenceFollowsTheDocumentedTable() throws {
    #expect(try eval("1 + 2 * 3 ** 2") == "19")
    #expect(try eval("not 1 == 2") == "true")
    #expect(try eval("[1] ++ [2 + 3]") == "[1, 5]")
    #expect(try eval("true or false and false") == "true")
    #expect(try eval("-2 ** 2") == "-4")
    #expect(try eval("2 ** -1") == "0.5")
}

@Test func trailingOperatorContinuesOnTheNextLine() throws {
    #expect(try eval("let x = 1 +\n  2\nx") == "3")
    #expect(try eval("[1, 2]\n  .map(fn (x) { x * 2 })\n  .sum()") == "6")
}

@Test func callOnTheNextLineIsNotACall() throws {
    // `f` then a separate parenthesised expression: the final value is the list.
    #expect(try eval("let f = 1\nf\n(2, 3)") == "[2, 3]")
}

@Test func signOnTheNextLineStartsANewStatement() throws {
    // `-2` on its own line is a statement, not `1 - 2` continuing the `let` (which set x to -1).
    #expect(try eval("let x = 1\n-2\nx") == "1")
    #expect(try eval("let x = 1\n-2") == "-2")
    #expect(try eval("let x = 3\n+x") == "3")
    #expect(try eval("let x = 1 -\n  2\nx") == "-1")
    #expect(try eval("let x = (1\n  - 2)\nx") == "-1")
}

@Test func recordVersusBlockAtStatementStart() throws {
    #expect(try eval("{a: 1}") == "{a: 1}")
    #expect(try eval("{}") == "{}")
    #expect(try eval("{ let a = 2\n a * 2 }") == "4")
}

@Test func trailingCommasAreAllowed() throws {
    #expect(try eval("[1, 2,]") == "[1, 2]")
    #expect(try eval("{a: 1,}") == "{a: 1}")
    #expect(try eval("fn f(a, b,) { a + b }\nf(1, 2,)") == "3")
}

@Test func keywordsWorkAsFieldNames() throws {
    #expect(try eval("let r = {in: 1, if: 2}\nr.in + r.if") == "3")
}

@Test func syntaxErrorsPointAtTheOffendingToken() {
    #expect(firstLine(runError("let = 3")) == "test.laif:1:5: expected a name to bind, found '='")
    #expect(firstLine(runError("let let = 3")) == "test.laif:1:5: 'let' is a reserved word and cannot be used as a name to bind")
    #expect(firstLine(runError("f(1, 2")) == "test.laif:1:7: expected ')' to close the argument list, found end of input")
    #expect(firstLine(runError("1 = 2")) == "test.laif:1:3: cannot assign to this expression; assign to a name, an element xs[i] or a field r.a")
    #expect(firstLine(runError("fn f(a: 1, b) { }")) == "test.laif:1:12: parameter 'b' needs a default because an earlier one has one")
    #expect(firstLine(runError("fn f(a, a) { }")) == "test.laif:1:9: parameter 'a' appears twice")
    #expect(firstLine(runError("{a: 1, a: 2}")) == "test.laif:1:8: field 'a' appears twice in the record")
    #expect(firstLine(runError("f(a: 1, a: 2)")) == "test.laif:1:9: keyword argument 'a' given twice")
    #expect(firstLine(runError("if x { 1 } else 2")) == "test.laif:1:17: expected '{' or 'if' after else, found number")
    #expect(firstLine(runError("for x of xs { }")) == "test.laif:1:7: expected 'in' after the loop variable, found 'of'")
    #expect(firstLine(runError("fn () { param x = 1 }")) == "test.laif:1:9: 'param' is allowed only at the top level of a script")
    #expect(firstLine(runError("let x = fn g() { }")) == "test.laif:1:12: a named function is a statement; write 'fn g(...) { ... }' on its own line, or 'fn (...) { ... }' for a value")
    #expect(firstLine(runError("\"a{}\"")) == "test.laif:1:4: empty interpolation '{}'; put an expression inside, or write \\{ for a literal brace")
    #expect(firstLine(runError("xs[]")) == "test.laif:1:4: expected an expression after '[', found ']'")
}

@Test func errorDescriptionShowsTheLineAndACaret() {
    let error = runError("let a = 1\nlet b = a +* 2", file: "demo.laif")
    #expect(error?.description == "demo.laif:2:12: expected an expression after '+', found '*'\n    let b = a +* 2\n               ^")
    #expect(error?.exitCode == 65)
}

@Test func controlCharactersInTheShownLineAreReplacedAndTheCaretStillLinesUp() {
    let error = runError("let x = 1\n\u{1}\u{1B}[2J x")
    #expect(error?.description == "test.laif:2:1: unexpected character (U+1); remove it or put it inside a string\n    \u{FFFD}\u{FFFD}[2J x\n    ^")
}

@Test func caretKeepsTabsAligned() {
    let error = runError("\tlet x = )")
    #expect(error?.description == "test.laif:1:10: expected an expression after '=', found ')'\n    \tlet x = )\n    \t        ^")
}

/// Columns count scalars; a terminal shows 中 and 😀 two columns wide and é (e + U+0301) as one.
@Test func caretLinesUpAfterWideAndCombiningCharacters() {
    let wide = runError("let t = \"中文😀\" + 1")
    #expect(wide?.description.hasSuffix("\n    let t = \"中文😀\" + 1\n                     ^") == true, "\(wide?.description ?? "")")
    let combining = runError("\"e\u{301}\" $")
    #expect(combining?.description.hasPrefix("test.laif:1:6:") == true)
    #expect(combining?.description.hasSuffix("\n    \"e\u{301}\" $\n        ^") == true, "\(combining?.description ?? "")")
}

@Test func incompleteInputIsDetected() {
    for source in ["let x = ", "fn f(x) {", "fn f()", "[1, 2", "print(\"abc", "\"a{1 +", "{a: 1,", "if x {", "if x { 1 } else", "1 +", "f(1,", "let (a, "] {
        #expect(Interpreter.isIncomplete(source), "\(source) should be incomplete")
    }
    for source in ["let x = 1", "f(1))", "let = 2", "1 $", "", "# comment", "fn f() { }", "\"closed\""] {
        #expect(!Interpreter.isIncomplete(source), "\(source) should be complete (or plainly wrong)")
    }
}

@Test func parametersAreListedWithoutRunning() throws {
    let source = "param seed = 1\nprint(\"side effect\")\nparam name = \"x\"\nparam rate = -0.5\nparam layers = [1, 2]\n"
    let parameters = try Interpreter.parameters(in: source, file: "p.laif")
    #expect(parameters.map(\.name) == ["seed", "name", "rate", "layers"])
    #expect(parameters.map(\.line) == [1, 3, 4, 5])
    #expect(parameters.map { format($0.defaultValue) } == ["1", "\"x\"", "-0.5", "[1, 2]"])
    #expect(throws: LaifError.self) { try Interpreter.parameters(in: "param x = (", file: "p.laif") }
}
