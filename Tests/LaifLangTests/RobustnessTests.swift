import Testing
@testable import LaifLang

/// Runs a chunk and returns its error's first line, or "ok".
private func outcome(_ source: String) -> String {
    let (interpreter, _) = makeTestInterpreter()
    do {
        _ = try interpreter.run(source, file: "deep.laif")
        return "ok"
    } catch let error as LaifError {
        return firstLine(error)
    } catch {
        return "non-LaifError: \(error)"
    }
}

@Test func deepSyntacticNestingIsAnError() {
    let n = 2_000
    let cases = [
        String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n),
        String(repeating: "[", count: n) + String(repeating: "]", count: n),
        String(repeating: "- ", count: n) + "1",
        String(repeating: "not ", count: n) + "true",
        String(repeating: "{ ", count: n) + String(repeating: "} ", count: n),
        String(repeating: "\"{", count: n) + String(repeating: "}\"", count: n),
        String(repeating: "fn () { ", count: n) + String(repeating: "} ", count: n),
        String(repeating: "if true { ", count: n) + String(repeating: "} ", count: n),
        "let x = " + String(repeating: "{a: ", count: n) + "1" + String(repeating: "}", count: n),
        "let " + String(repeating: "(", count: n) + "a" + String(repeating: ")", count: n) + " = 1",
        "2" + String(repeating: " ** 2", count: n),
    ]
    for source in cases {
        let result = outcome(source)
        #expect(result.contains("nested deeper than") || result.contains("nesting deeper than"), "\(source.prefix(20)): \(result)")
    }
}

@Test func longOperatorAndPostfixChainsAreBounded() {
    let n = 5_000
    for source in [
        "1" + String(repeating: " + 1", count: n),
        "f" + String(repeating: "()", count: n),
        "x" + String(repeating: ".a", count: n),
        "x" + String(repeating: "[0]", count: n),
        "[1]" + String(repeating: " ++ [1]", count: n),
    ] {
        #expect(outcome(source).contains("expression nested deeper than 400 levels"))
    }
    // Within the limit, long chains work.
    #expect(outcome("let x = 1" + String(repeating: " + 1", count: 300) + "\nassert x == 301") == "ok")
}

@Test func endlessRecursionEndsInAnError() {
    #expect(outcome("fn f(n) { f(n + 1) }\nf(0)") == "deep.laif:1:12: call depth exceeded 1000 in f(n) (endless recursion?)")
    // Recursion through a builtin calling back into laif.
    #expect(outcome("fn g(n) { [n].map(g) }\ng(0)").contains("call depth exceeded 1000"))
    // Mutual recursion through closures stored in a record.
    #expect(outcome("let r = {}\nfn a(n) { r.b(n) }\nr = {b: fn (n) { a(n) }}\na(1)").contains("call depth exceeded"))
}

@Test func recursionWithDeepBodiesHitsTheEvaluationLimitNotTheStack() {
    // Each call nests its recursive call under 190 binary operators.
    let body = String(repeating: "0 + (", count: 190) + "f(n + 1)" + String(repeating: ")", count: 190)
    let result = outcome("fn f(n) { \(body) }\nf(0)")
    #expect(result.contains("evaluation nested too deeply") || result.contains("call depth exceeded"), "\(result)")
}

@Test func deepRecursionWithinLimitsWorks() {
    #expect(outcome("fn depth(n) { if n == 0 { 0 } else { 1 + depth(n - 1) } }\nassert depth(900) == 900") == "ok")
}

@Test func hugeAllocationsAreRefused() {
    #expect(outcome("range(1e12)").contains("exceed the list limit of 2000000"))
    #expect(outcome("range(0, 1, 1e-300)").contains("exceed the list limit"))
    #expect(outcome("range(1 / 0)").contains("bounds and step must be finite"))
    #expect(outcome("let xs = range(1000)\nfor i in range(20) { xs = xs ++ xs }").contains("list longer than 2000000 elements"))
    #expect(outcome("\"ab\".repeat(1e12)").contains("the result would exceed 50000000 bytes"))
    #expect(outcome("\"ab\".repeat(1e300)").contains("argument 'n' is 1e+300, beyond the whole numbers an argument can hold"))
    #expect(outcome("let s = \"a\".repeat(1000000)\ns.replace(\"a\", s)").contains("the result would exceed 50000000 bytes"))
    #expect(outcome("let s = \"x\".repeat(1000000)\nfor i in range(10) { s = s ++ s }").contains("string longer than 50000000 bytes"))
}

/// Text built from many references to one large string is sized before it is built: joining a
/// hundred copies of 30 MB, or printing a list of them, must not try to allocate it all.
@Test func textFromLargeValuesIsRefusedBeforeItIsBuilt() throws {
    let (interpreter, capture) = makeTestInterpreter()
    _ = try interpreter.run("let s = \"x\".repeat(30000000)\nlet xs = range(100).map(fn (i) { s })", file: "big")
    func failure(_ source: String) -> String {
        do {
            _ = try interpreter.run(source, file: "big")
            return "ok"
        } catch {
            return (error as? LaifError).map(firstLine) ?? "non-LaifError: \(error)"
        }
    }
    #expect(failure("xs.join()") == "big:1:4: string longer than 50000000 bytes")
    #expect(failure("xs[:2].join(\"-\")") == "big:1:8: string longer than 50000000 bytes")
    #expect(failure("str(xs[:2])") == "big:1:4: string longer than 50000000 bytes")
    #expect(failure("\"{xs[:2]}\"") == "big:1:1: string longer than 50000000 bytes")
    #expect(failure("assert [1, \"a\", [2]].join(\"-\") == \"1-a-[2]\"") == "ok")
    #expect(throws: Never.self) { _ = try interpreter.run("print(xs[:3])", file: "big") }
    #expect(capture.text.hasSuffix("\" ... (cut: longer than 50000000 bytes)\n"))
    #expect(capture.text.utf8.count < 70_000_000)
}

/// A single value is checked as two would be; escapes and number() read what literals read.
@Test func singleValuesEscapesAndNumbersAreCheckedLikeTheRest() {
    #expect(outcome("min(nil)") == "deep.laif:1:4: min(): cannot order nil and nil; only numbers or only strings")
    #expect(outcome("max([[1]])").contains("cannot order list and list"))
    #expect(outcome("sort([true])").contains("cannot order bool and bool"))
    #expect(outcome("assert min(3) == 3 and max([\"a\"]) == \"a\" and sort([2]) == [2]") == "ok")
    #expect(outcome("\"\\u{+41}\"").contains("bad unicode escape"))
    #expect(outcome("\"\\u{0000041}\"").contains("bad unicode escape"))
    #expect(outcome("\"\\u{D800}\"").contains("is not a character"))
    #expect(outcome("assert \"\\u{41}\\u{1F600}\" == \"A😀\"") == "ok")
    #expect(outcome("assert number(\"12\\n\") == 12 and number(\" -1.5e3 \") == -1500") == "ok")
    #expect(outcome("number(\"0x10\")").contains("cannot read \"0x10\" as a number"))
    #expect(outcome("assert number(\"1_000\") == 1000 and number(\"+.5\") == 0.5") == "ok")
    for text in ["inf", "nan", "1e400", "_1", "1 2", "", "0x1p3"] {
        #expect(outcome("number(\"\(text)\")").contains("as a number"), "\(text)")
    }
    #expect(outcome("print(\"a{1\")").contains("unterminated string inside an interpolation; close the '{' with '}'"))
    #expect(outcome("print(\"x{1 +}\")").contains("found '}' (the end of an interpolation)"))
}

@Test func numberConversionsNeverTrap() {
    for source in ["[1][1e300]", "[1][0 / 0]", "[1][-1e300]", "[1][1 / 0]", "\"a\"[1e19]", "[1, 2][0 / 0:]",
                   "random_int(-1e300, 1e300)", "random_int(-9e18, 9e18)", "seed(1e30)", "seed(0 / 0)",
                   "round(1, digits: 1e300)", "[1, 2][1e300:]", "[1, 2][-1e300:1e300]", "range(-1e300, 1e300, 1e290)"] {
        let result = outcome(source)
        #expect(!result.hasPrefix("non-LaifError"), "\(source): \(result)")
    }
    #expect(outcome("assert [1, 2, 3][1e300:] == []\nassert [1, 2, 3][-1e300:] == [1, 2, 3]") == "ok")
    #expect(outcome("[1][1e300]") == "deep.laif:1:4: index 1e+300 is out of range for a list of length 1")
    // Whole numbers beyond 2^53 are not exact in laif's doubles, so random_int says so.
    #expect(outcome("random_int(-9e18, 9e18)").contains("must be within -9007199254740992...9007199254740992"))
    #expect(outcome("random_int(5, 2)").contains("need low < high, got 5 and 2"))
    // Int.min itself: abs() of it trapped (exit 132) before the range check.
    #expect(outcome("random_int(-9223372036854775808, 0)").contains("must be within -9007199254740992...9007199254740992"))
}

@Test func stringPiecesRespectTheListLimitAndTheEmptyStringIsFoundAtTheStart() {
    #expect(outcome("\"a\".repeat(2000001).chars()").contains("2000001 elements exceed the list limit of 2000000"))
    #expect(outcome("\",\".repeat(2000000).split(\",\")").contains("2000001 elements exceed the list limit"))
    #expect(outcome("\" \".repeat(10).split()") == "ok")
    #expect(outcome("assert \"abc\".find(\"\") == 0\nassert \"abc\".find(\"c\") == 2\nassert \"abc\".find(\"x\") == nil") == "ok")
}

@Test func deeplyNestedValuesPrintAndCompareSafely() {
    let (interpreter, capture) = makeTestInterpreter()
    let source = "let x = []\nfor i in range(5000) { x = [x] }\nprint(x)"
    #expect(throws: Never.self) { _ = try interpreter.run(source, file: "v") }
    #expect(capture.text.contains("..."))
    #expect(capture.text.split(separator: "\n").count < 300)
    let error = #expect(throws: LaifError.self) { try interpreter.run("x == x", file: "v") }
    #expect(error?.message.contains("cannot be compared") == true)
    interpreter.reset()
}

@Test func binaryGarbageIsASyntaxError() {
    var generator = SplitMix(seed: 1)
    for _ in 0..<50 {
        let bytes = (0..<200).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let source = String(decoding: bytes, as: UTF8.self)
        let result = outcome(source)
        #expect(!result.hasPrefix("non-LaifError"))
    }
}

/// A small deterministic generator for tests (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

@Test func resetFreesDeeplyNestedValuesSafely() throws {
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let x = []\nfor i in range(50000) { x = [x] }", file: "v")
    interpreter.reset()
    #expect(interpreter.globalNames().isEmpty)
}

@Test func droppingDeepResultsAndInterpretersIsSafe() throws {
    do {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run("fn deep(n) { let x = []\nfor i in range(n) { x = [x] }\nx }\ndeep(50000)", file: "v")
        // The dropped result is freed by the next run, on the interpreter's large stack.
        _ = try interpreter.run("let kept = deep(50000)", file: "v")
        interpreter.setGlobal("kept", .number(1))
        #expect(interpreter.global("kept").map(format) == "1")
        _ = try interpreter.run("kept = deep(50000)", file: "v")
    }
    // Reaching here means the interpreter (holding `kept`) was freed without a crash.
}
