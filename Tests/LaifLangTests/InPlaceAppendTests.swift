import Testing
@testable import LaifLang

/// How many of `passes` runs of `statement(pass)` left the global `name`'s list elements or
/// string bytes at a new address: every pass when each builds a new value while the old one
/// is still bound, only when the storage grows when each appends in place.
private func storageMoves(of name: String, in interpreter: Interpreter, passes: Range<Int>,
                          _ statement: (Int) -> String) throws -> Int {
    func address() -> UInt? {
        let value = interpreter.global(name)
        return value?.listElementsAddress ?? value?.stringStorage?.address
    }
    var previous = address(), moves = 0
    for pass in passes {
        _ = try interpreter.run(statement(pass), file: "t")
        let current = address()
        if current != previous { moves += 1 }
        previous = current
    }
    return moves
}

@Test func accumulatingWithJoinAppendsInPlace() throws {
    // A copy per pass is made while the old list is still bound, so every pass would move the
    // list to other storage; appending in place moves it only when the storage grows (about
    // log2(2000) times).
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let xs = [0]", file: "t")
    let moves = try storageMoves(of: "xs", in: interpreter, passes: 1..<2000) { i in "xs = xs ++ [\(i)]" }
    #expect(moves < 40, "the list moved \(moves) times in 2000 appends")
    #expect(try interpreter.run("len(xs) == 2000 and xs[0] == 0 and xs[1999] == 1999", file: "t").map(format) == "true")
    interpreter.reset()
}

@Test func joiningInPlaceKeepsValueSemanticsAndEvaluationOrder() throws {
    #expect(try eval("let xs = [1, 2]\nlet ys = xs\nxs = xs ++ [3]\n[xs, ys]") == "[[1, 2, 3], [1, 2]]")
    #expect(try eval("let xs = [1, 2]\nxs = xs ++ xs\nxs") == "[1, 2, 1, 2]")
    // The right side runs after xs was read; rebinding xs there does not change the result.
    #expect(try eval("let xs = [1]\nfn f() { xs = [9, 9]\n[2] }\nxs = xs ++ f()\nxs") == "[1, 2]")
    #expect(try eval("let xs = [1]\nfn f() { xs = xs ++ [5]\n[2] }\nxs = xs ++ f()\nxs") == "[1, 2]")
    #expect(try eval("let xs = []\nfor i in range(3) { xs = xs ++ [[i]] }\nxs") == "[[0], [1], [2]]")
    #expect(try eval("let s = \"a\"\ns = s ++ \"b\"\ns") == "\"ab\"")
    #expect(try eval("let xs = [1]\nlet ys = [2]\nxs = ys ++ xs\nxs") == "[2, 1]")
    // In a function, the nearest binding is the one extended.
    #expect(try eval("let xs = [0]\nfn g() { let xs = [1]\nxs = xs ++ [2]\nxs }\n[g(), xs]") == "[[1, 2], [0]]")
}

@Test func joiningInPlaceReportsWhatTheOperatorReports() throws {
    #expect(firstLine(runError("let xs = [1]\nxs = xs ++ 2")) == "test.laif:2:9: cannot apply '++' to list and number")
    #expect(firstLine(runError("let n = 1\nn = n ++ [2]")) == "test.laif:2:7: cannot apply '++' to number and list")
    #expect(firstLine(runError("zs = zs ++ [1]")) == "test.laif:1:6: undefined name 'zs'")
    let long = runError("let xs = range(2000000)\nxs = xs ++ [1]")
    #expect(firstLine(long) == "test.laif:2:9: list longer than 2000000 elements")
    // A failed join leaves the variable as it was.
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let xs = range(2000000)\nlet ys = [1]", file: "t")
    #expect(throws: LaifError.self) { try interpreter.run("xs = xs ++ [1]", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("ys = ys ++ 2", file: "t") }
    #expect(try interpreter.run("[len(xs), ys]", file: "t").map(format) == "[2000000, [1]]")
    interpreter.reset()
}

@Test func accumulatingAStringWithJoinAppendsInPlace() throws {
    // Joining into a new string moved the text to new storage on every pass; appending in
    // place moves it only when the storage grows.
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"start of a long enough line\"", file: "t")
    let moves = try storageMoves(of: "s", in: interpreter, passes: 1..<2000) { _ in "s = s ++ \"ab\"" }
    #expect(moves < 40, "the string moved \(moves) times in 2000 appends")
    #expect(try interpreter.run("len(s) == 27 + 2 * 1999 and s[-2:] == \"ab\"", file: "t").map(format) == "true")
}

@Test func joiningStringsInPlaceKeepsValueSemanticsAndErrors() throws {
    let long = String(repeating: "x", count: 40)
    #expect(try eval("let s = \"\(long)\"\nlet t = s\ns = s ++ \"!\"\n[len(s), len(t), t == \"\(long)\"]") == "[41, 40, true]")
    #expect(try eval("let s = \"\(long)\"\ns = s ++ s\nlen(s)") == "80")
    #expect(try eval("let s = \"\(long)\"\nfn f() { s = \"other\"\n\"!\" }\ns = s ++ f()\nlen(s)") == "41")
    #expect(try eval("let s = \"\(long)\"\nfn g() { let s = \"ab\"\ns = s ++ \"c\"\ns }\n[g(), len(s)]") == "[\"abc\", 40]")
    #expect(firstLine(runError("let s = \"\(long)\"\ns = s ++ 1")) == "test.laif:2:7: cannot apply '++' to string and number; build text with interpolation \"{x}\" or str(x)")
    // A join past the size limit is refused as before, and leaves the string as it was.
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"a\".repeat(\(Limits.maxStringBytes))", file: "t")
    do {
        _ = try interpreter.run("s = s ++ \"b\"", file: "t")
        Issue.record("a join past the limit succeeded")
    } catch let error as LaifError {
        #expect(firstLine(error) == "t:1:7: string longer than \(Limits.maxStringBytes) bytes")
    }
    #expect(try interpreter.run("len(s)", file: "t").map(format) == "\(Limits.maxStringBytes)")
}

@Test func measuringAStringWhileBuildingItStillAppendsInPlace() throws {
    // len(s) caches the string's character count, and a cache holding the string would make
    // every append copy it: the append drops that entry first.
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"a long enough start for real storage, then more: \"", file: "t")
    let moves = try storageMoves(of: "s", in: interpreter, passes: 0..<1000) { _ in "if len(s) > 0 { s = s ++ \"é\" }" }
    #expect(moves < 40, "the string moved \(moves) times in 1000 appends")
    #expect(try interpreter.run("[len(s), s[-1]]", file: "t").map(format) == "[1049, \"é\"]")
}

@Test func joiningSeveralPiecesAppendsInPlaceToo() throws {
    // `s = s ++ a ++ b` parses as `(s ++ a) ++ b`; it took the copying path, 80,000 passes in
    // five minutes.
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let xs = [0]", file: "t")
    let moves = try storageMoves(of: "xs", in: interpreter, passes: 1..<1000) { i in "xs = xs ++ [\(i)] ++ [-\(i)]" }
    #expect(moves < 40, "the list moved \(moves) times in 1000 joins")
    #expect(try interpreter.run("[len(xs), xs[1], xs[2], xs[-1]]", file: "t").map(format) == "[1999, 1, -1, -999]")
    interpreter.reset()
    #expect(try eval("let s = \"ab\"\nfor i in range(3) { s = s ++ str(i) ++ \",\" }\ns") == "\"ab0,1,2,\"")
    #expect(try eval("let xs = [1]\nlet ys = xs\nxs = xs ++ [2] ++ xs\n[xs, ys]") == "[[1, 2, 1], [1]]")
    #expect(try eval("let xs = [1]\nfn f() { xs = [9]\n[2] }\nxs = xs ++ [0] ++ f() ++ [3]\nxs") == "[1, 0, 2, 3]")
}

@Test func aJoinChainFailsWhereTheOperatorFailsAndRunsNothingAfter() throws {
    let (interpreter, capture) = makeTestInterpreter()
    _ = try interpreter.run("let xs = [1]\nlet s = \"abc\"\nfn loud() { print(\"ran\")\n[5] }", file: "t")
    let failing = [
        ("xs = xs ++ [2] ++ 3 ++ loud()", "t:1:16: cannot apply '++' to list and number"),
        ("xs = xs ++ 3 ++ loud()", "t:1:9: cannot apply '++' to list and number"),
        ("s = s ++ \"d\" ++ [1]", "t:1:14: cannot apply '++' to string and list; build text with interpolation \"{x}\" or str(x)"),
    ]
    for (source, message) in failing {
        let error = #expect(throws: LaifError.self) { try interpreter.run(source, file: "t") }
        #expect(error.map { firstLine($0) } == message, "\(source)")
    }
    #expect(!capture.text.contains("ran"), "a piece after the failing join was evaluated")
    _ = try interpreter.run("let big = range(1999999)", file: "t")
    let long = #expect(throws: LaifError.self) { try interpreter.run("big = big ++ [1] ++ [2]", file: "t") }
    #expect(long.map { firstLine($0) } == "t:1:18: list longer than 2000000 elements")
    #expect(try interpreter.run("[xs, s, len(big)]", file: "t").map(format) == "[[1], \"abc\", 1999999]")
    interpreter.reset()
}

@Test func interpolatingOntoItselfAppendsInPlace() throws {
    // `s = "{s}{i},"` built a new string from all of s on every pass (80,000 passes: quadratic).
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"start of a long enough line\"", file: "t")
    let moves = try storageMoves(of: "s", in: interpreter, passes: 0..<1000) { i in "s = \"{s}{\(i % 10)}-\"" }
    #expect(moves < 40, "the string moved \(moves) times in 1000 interpolations")
    #expect(try interpreter.run("[len(s), s[-4:]]", file: "t").map(format) == "[2027, \"8-9-\"]")
    interpreter.reset()
}

@Test func interpolatingOntoItselfKeepsValuesOrderAndErrors() throws {
    let long = String(repeating: "x", count: 40)
    #expect(try eval("let n = 5\nn = \"{n}!\"\nn") == "\"5!\"")
    #expect(try eval("let s = \"\(long)\"\nlet t = s\ns = \"{s}{len(t)}\"\n[len(s), t == \"\(long)\"]") == "[42, true]")
    #expect(try eval("let s = \"\(long)\"\nfn f() { s = \"other\"\n\"!\" }\ns = \"{s}{f()}\"\nlen(s)") == "41")
    #expect(try eval("let r = [1]\nr = \"{r} and {r}\"\nr") == "\"[1] and [1]\"")
    let (interpreter, capture) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"\(long)\"\nfn loud() { print(\"ran\") }", file: "t")
    let error = #expect(throws: LaifError.self) { try interpreter.run("s = \"{s}{nope}{loud()}\"", file: "t") }
    #expect(error.map { firstLine($0) } == "t:1:10: undefined name 'nope'")
    #expect(!capture.text.contains("ran"))
    _ = try interpreter.run("let big = \"x\".repeat(49999999)", file: "t")
    let long2 = #expect(throws: LaifError.self) { try interpreter.run("big = \"{big}a{loud()}b\"", file: "t") }
    #expect(long2.map { firstLine($0) } == "t:1:7: string longer than 50000000 bytes")
    #expect(try interpreter.run("[len(s), len(big)]", file: "t").map(format) == "[40, 49999999]")
    interpreter.reset()
}
