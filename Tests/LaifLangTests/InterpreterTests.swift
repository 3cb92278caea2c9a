import LaifSupport
import Testing
@testable import LaifLang

@Test func finalExpressionIsTheChunkValue() throws {
    let (interpreter, _) = makeTestInterpreter()
    #expect(try interpreter.run("1 + 1", file: "t").map(format) == "2")
    #expect(try interpreter.run("1 + 1;", file: "t") == nil)
    #expect(try interpreter.run("let x = 1", file: "t") == nil)
    #expect(try interpreter.run("nil", file: "t") == nil)
    #expect(try interpreter.run("", file: "t") == nil)
    #expect(try interpreter.run("if true { 5 }", file: "t").map(format) == "5")
}

@Test func globalsPersistAcrossChunksAndReset() throws {
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let x = 41\nfn inc(v) { v + 1 }", file: "a")
    #expect(try interpreter.run("inc(x)", file: "b").map(format) == "42")
    // The shown value is bound to `_`.
    #expect(interpreter.globalNames() == ["_", "inc", "x"])
    #expect(interpreter.global("_").map(format) == "42")
    interpreter.setGlobal("_", .number(7))
    #expect(try interpreter.run("_ * 2", file: "c").map(format) == "14")
    #expect(interpreter.global("x").map(format) == "41")
    interpreter.reset()
    #expect(interpreter.globalNames().isEmpty)
    #expect(interpreter.global("x") == nil)
    #expect(throws: LaifError.self) { try interpreter.run("x", file: "d") }
}

/// A chunk that starts part-way down its file (a notebook cell) reports that file's lines.
@Test func aChunkStartingDownItsFileReportsTheFilesLines() throws {
    let (interpreter, _) = makeTestInterpreter()
    do {
        _ = try interpreter.run("let a = 1\nlet b = a + \"s\"", file: "nb.laif", firstLine: 40)
        Issue.record("expected an error")
    } catch let error as LaifError {
        #expect(error.description == "nb.laif:41:11: cannot apply '+' to number and string; build text with interpolation \"{x}\" or str(x)\n    let b = a + \"s\"\n              ^")
    }
    #expect(try Interpreter.parameters(in: "\nparam n = 3", file: "nb.laif", firstLine: 7).first?.line == 8)
    let unexpectedEnd = #expect(throws: LaifError.self) { try interpreter.run("let c = (", file: "nb.laif", firstLine: 5) }
    #expect(unexpectedEnd?.description.hasPrefix("nb.laif:5:") == true)
}

@Test func aFailedNestedAssignmentLeavesTheVariableAsItWas() throws {
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("let xs = [[1], [2]]\nlet r = {a: {b: 1}}", file: "t")
    #expect(throws: LaifError.self) { try interpreter.run("xs[0][5] = 1", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("r.a.missing.c = 1", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("r.a.b.c = 1", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("xs[1][0] = 1 + \"s\"", file: "t") }
    #expect(interpreter.global("xs").map(format) == "[[1], [2]]")
    #expect(interpreter.global("r").map(format) == "{a: {b: 1}}")
}

@Test func errorsInLaterChunksQuoteTheDefiningChunk() {
    let (interpreter, _) = makeTestInterpreter()
    _ = try? interpreter.run("fn bad(v) {\n  v + \"s\"\n}", file: "<repl:1>")
    do {
        _ = try interpreter.run("bad(1)", file: "<repl:2>")
        Issue.record("expected an error")
    } catch let error as LaifError {
        #expect(error.description == "<repl:1>:2:5: cannot apply '+' to number and string; build text with interpolation \"{x}\" or str(x)\n      v + \"s\"\n        ^\n  in bad(v), called at <repl:2>:1:4")
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Test func parameterOverridesApplyWithTypeChecks() throws {
    let (interpreter, capture) = makeTestInterpreter()
    interpreter.parameterOverrides = ["n": .number(5)]
    _ = try interpreter.run("param n = 1\nparam m = 2\nprint(n, m)", file: "p")
    #expect(capture.text == "5 2\n")
    interpreter.parameterOverrides = ["n": .string("five")]
    let error = #expect(throws: LaifError.self) { try interpreter.run("param n = 1", file: "p") }
    #expect(error?.kind == .usage)
    #expect(error?.exitCode == 64)
    #expect(error?.message == "parameter 'n' is a number (default 1), got a string")
}

@Test func printWritesCompleteChunks() throws {
    let (interpreter, capture) = makeTestInterpreter()
    _ = try interpreter.run("print(\"a\", 1)\nprint()\nprint([\"q\"], end: \"\")", file: "t")
    #expect(capture.text == "a 1\n\n[\"q\"]")
}

@Test func interruptStopsLoopsWithExitCode130() {
    let (interpreter, _) = makeTestInterpreter()
    var polls = 0
    interpreter.shouldInterrupt = {
        polls += 1
        return polls > 50
    }
    let error = #expect(throws: LaifError.self) { try interpreter.run("let i = 0\nwhile true { i = i + 1 }", file: "loop.laif") }
    #expect(error?.kind == .interrupted)
    #expect(error?.exitCode == 130)
    #expect(error.map(firstLine) == "loop.laif:2:1: interrupted")
    // Bindings survive an interrupt.
    #expect(interpreter.global("i").map(format) == "50")
}

@Test func memberNamesListFieldsThenMethods() throws {
    let (interpreter, _) = makeTestInterpreter()
    let names = interpreter.memberNames(of: .record(Record([("zeta", .number(1)), ("alpha", .number(2))])))
    #expect(Array(names.prefix(2)) == ["zeta", "alpha"])
    #expect(names.contains("keys"))
    #expect(interpreter.memberNames(of: .list([])).contains("map"))
    #expect(interpreter.memberNames(of: .string("")).contains("split"))
}

@Test func seedsAreDeterministic() throws {
    let (a, _) = makeTestInterpreter()
    let (b, _) = makeTestInterpreter()
    a.seed = 9
    b.seed = 9
    let draws = "[random(), random(), random_int(0, 1000)]"
    #expect(try a.run(draws, file: "t").map(format) == b.run(draws, file: "t").map(format))
    let context = CallContext(interpreter: a, location: SourceLocation(file: "t", line: 1, column: 1))
    a.seed = 3
    let first = context.nextSeed()
    a.seed = 3
    #expect(context.nextSeed() == first)
    #expect(context.nextSeed() != first)
}

@Test func closuresCaptureTheirScope() throws {
    #expect(try eval("""
        fn make() {
            let fs = []
            for i in range(3) { fs = fs ++ [fn () { i * 10 }] }
            fs
        }
        make().map(fn (f) { f() })
        """) == "[0, 10, 20]")
}

@Test func returnFromInsideNestedIfAndLoops() throws {
    #expect(try eval("""
        fn search(grid) {
            for row in grid {
                for x in row {
                    if x > 4 { if true { return x } }
                }
            }
            nil
        }
        search([[1, 2], [3, 5, 9]])
        """) == "5")
    #expect(try eval("let x = 0\nwhile true { x = x + 1\n if x == 3 { break } }\nx") == "3")
}

@Test func ifExpressionValueInsideArguments() throws {
    #expect(try eval("fn f(x) { [if x { \"y\" } else { \"n\" }] }\nf(true) ++ f(false)") == "[\"y\", \"n\"]")
}

@Test func boundMethodsAreValues() throws {
    #expect(try eval("let m = [3, 1, 2].sort\nm(reverse: true)") == "[3, 2, 1]")
    #expect(try eval("let up = \"ab\".upper\nup()") == "\"AB\"")
}

@Test func divisionByZeroFollowsIEEE() throws {
    #expect(try eval("[1 / 0, -1 / 0, 5 % 0]") == "[inf, -inf, nan]")
    #expect(try eval("0 / 0 == 0 / 0") == "false")
}

@Test func assignmentIntoNestedContainers() throws {
    #expect(try eval("let r = {xs: [1, {y: 2}]}\nr.xs[1].y = 9\nr[\"xs\"][0] = 0\nr") == "{xs: [0, {y: 9}]}")
    #expect(try eval("let xs = [1, 2]\nxs[-1] = 5\nxs") == "[1, 5]")
}

@Test func runtimeErrorsNameTheCallAndSignature() {
    #expect(firstLine(runError("help(len)")) == "test.laif:1:1: undefined name 'help'; for a builtin's documentation type :help NAME in the REPL, or run laif help NAME")
    #expect(firstLine(runError("len(1, 2)")) == "test.laif:1:4: len(): takes at most 1 positional argument, got 2; signature: len(x)")
    #expect(firstLine(runError("fn (a, min_steps: 1, max_steps: 2) { a }(1, steps: 3)")) == "test.laif:1:41: fn(): unknown keyword 'steps' (did you mean 'min_steps' or 'max_steps'?); signature: fn(a, min_steps: ..., max_steps: ...)")
    #expect(firstLine(runError("fn (a, b: 1) { a }(1, steps: 3)")) == "test.laif:1:19: fn(): unknown keyword 'steps'; signature: fn(a, b: ...)")
    #expect(firstLine(runError("print(\"x\", sepp: 1)")) == "test.laif:1:6: print(): unknown keyword 'sepp' (did you mean 'sep'?); signature: print(values..., sep: \" \", end: \"\\n\")")
    #expect(firstLine(runError("[1].map(1)")) == "test.laif:1:5: list.map(): argument 'f' must be a function, got number; signature: list.map(f)")
    #expect(firstLine(runError("range(1, step: 0)")) == "test.laif:1:6: range(): step must not be 0; signature: range(start, stop: nil, step: 1)")
    #expect(firstLine(runError("[1, \"a\"].sort()")) == "test.laif:1:10: list.sort(): cannot order string and number; only numbers or only strings")
    #expect(firstLine(runError("[1].map(fn (x) { x.y })")) == "test.laif:1:20: number has no member 'y'")
    #expect(firstLine(runError("3(1)")) == "test.laif:1:2: a number is not callable")
    #expect(firstLine(runError("\"ab\"[5]")) == "test.laif:1:5: index 5 is out of range for a string of length 2")
    #expect(firstLine(runError("{a: 1}[\"b\"]")) == "test.laif:1:7: record has no field 'b'")
    #expect(firstLine(runError("{a: 1}.b")) == "test.laif:1:8: record has no member 'b'; its fields: a; its methods: get, has, keys, len, merge, values, without")
    #expect(firstLine(runError("[1].print()")) == "test.laif:1:5: list has no method 'print'; print is a function: print(values..., sep: \" \", end: \"\\n\")")
    #expect(firstLine(runError("[1][\"a\"]")) == "test.laif:1:4: a list index must be a number, got string")
    #expect(firstLine(runError("[1][0, 1]")) == "test.laif:1:4: a list takes one index, got 2")
    #expect(firstLine(runError("seed(-1)")) == "test.laif:1:5: seed(): n must be a whole number from 0 to 2^64-1, got -1; signature: seed(n: nil)")
    #expect(firstLine(runError("let s = \"ab\"\ns[0] = \"c\"")) == "test.laif:2:2: strings cannot be changed in place; build a new one")
    #expect(firstLine(runError("for x in 5 { }")) == "test.laif:1:10: cannot iterate over a number; use a list, string or record")
    #expect(firstLine(runError("[1] @ [2]")) == "test.laif:1:5: cannot apply '@' to list and list")
    #expect(firstLine(runError("not 1")) == "test.laif:1:1: cannot apply 'not' to number; 'not' needs a bool (laif has no truthiness: compare explicitly, e.g. x != nil)")
}

@Test func errorsListTheCallsTheyPassedThrough() {
    let error = runError("fn inner(x) { x + nil }\nfn outer() { inner(1) }\nouter()", file: "t.laif")
    #expect(error?.callStack == ["inner(x), called at t.laif:2:19", "outer(), called at t.laif:3:6"])
    #expect(error?.description.hasSuffix("\n  in inner(x), called at t.laif:2:19\n  in outer(), called at t.laif:3:6") == true)
    let deep = runError("fn f(n) { f(n + 1) }\nf(0)")
    #expect(deep?.callStack.count == 8)
    #expect(deep?.omittedFrames == 992)
    // The innermost frames, then the count, then the outermost: the call the script made.
    #expect(deep?.description.contains("\n  in f(n), called at test.laif:1:12\n  ... 992 more calls\n  in f(n), called at test.laif:1:12") == true)
    #expect(deep?.description.hasSuffix("\n  in f(n), called at test.laif:1:12\n  in f(n), called at test.laif:2:2") == true)
}

@Test func assignmentIndexMayMentionTheContainer() throws {
    #expect(try eval("let xs = [1, 2, 3]\nxs[len(xs) - 1] = xs[0]\nxs") == "[1, 2, 1]")
    #expect(try eval("let r = {n: 0, xs: [5, 6]}\nr.xs[r.n] = r.xs[1]\nr") == "{n: 0, xs: [6, 6]}")
}

@Test func builtinsMayRunNestedChunks() throws {
    let registry = BuiltinRegistry.core()
    registry.register(Builtin(name: "eval_text", parameters: [.required("code")], doc: "Test.", example: "eval_text(\"1\")") { args, context in
        try context.interpreter.run(try args.string("code"), file: "<nested>") ?? .nil
    })
    let (interpreter, _) = makeTestInterpreter(registry: registry)
    #expect(try interpreter.run("fn f(n) { if n == 0 { eval_text(\"let inner = 2\\ninner * 21\") } else { f(n - 1) } }\nf(5)", file: "t").map(format) == "42")
    #expect(interpreter.callDepth == 0 && interpreter.evaluationDepth == 0)
    #expect(interpreter.global("inner").map(format) == "2")
}

@Test func aLibraryLoopStoppedByCtrlCReportsAnInterruptAtTheCall() throws {
    // The builtin stands for a library loop (sampling thousands of prompts): Ctrl-C arrives
    // mid-way, and the loop's Cancellation.check() sees the interpreter's interrupt.
    var pressed = false
    let registry = BuiltinRegistry.core()
    registry.register(Builtin(name: "long_loop", parameters: [], doc: "Test.", example: "long_loop()") { _, _ in
        pressed = true
        try Cancellation.check()
        return .nil
    })
    let (interpreter, _) = makeTestInterpreter(registry: registry)
    interpreter.shouldInterrupt = { pressed }
    do {
        _ = try interpreter.run("let x = 1\nlong_loop()", file: "t.laif")
        Issue.record("expected an interrupt")
    } catch let error as LaifError {
        #expect(error.kind == .interrupted)
        #expect(error.location?.line == 2)
    }
    pressed = false
    #expect(try interpreter.run("x", file: "t.laif").map(format) == "1")
}

@Test func valuesDescribeThemselves() {
    let values: [Value] = [.number(1), .string("abc"), .bool(true), .nil, .list([.number(1)]), .record(Record([("a", .nil)]))]
    #expect(values.map(\.typeName) == ["number", "string", "bool", "nil", "list", "record"])
    #expect(values.map(\.summary) == ["1", "\"abc\"", "true", "nil", "[1]", "{a: nil}"])
    #expect(Value.string("abc").byteSize == 19)
    #expect(Value.list(Array(repeating: .number(0), count: 10)).byteSize == 32 + 160)
    #expect(Value.list(Array(repeating: .string("x"), count: 100)).summary.count == 80)
    #expect(Value.object(Vec([1, 2])).summary == "vec[2]")
    #expect(Value.object(Vec([1, 2])).byteSize == 16)
    #expect(Value.nil.isNil && !Value.number(0).isNil)
}

@Test func failedNestedAssignmentsLeaveTheContainerAsItWas() throws {
    // Nested writes take the inner list or record out while writing it (so they do not copy
    // it); a write that fails puts it back unchanged.
    let (interpreter, capture) = makeTestInterpreter()
    _ = try interpreter.run("let m = [[1, 2], [3]]\nlet r = {a: [1], b: {c: 2}}\nlet s = [\"ab\"]", file: "t")
    let failing = [
        ("m[1][5] = 0", "t:1:5: index 5 is out of range for a list of length 1"),
        ("m[0][\"k\"] = 0", "t:1:5: a list index must be a number, got string"),
        ("r.a[3] = 1", "t:1:4: index 3 is out of range for a list of length 1"),
        ("r.b.c.d = 1", "t:1:7: cannot set field 'd' of a number; only records have settable fields"),
        ("r.z.c = 1", "t:1:3: record has no member 'z'; its fields: a, b; its methods: get, has, keys, len, merge, values, without"),
        ("s[0][0] = \"x\"", "t:1:5: strings cannot be changed in place; build a new one"),
        // A method read as a member is no field to take out and put back.
        ("r.keys.x = 1", "t:1:8: cannot set field 'x' of a function; only records have settable fields"),
        ("r.keys[0] = 1", "t:1:7: cannot assign into an element of a function"),
    ]
    for (source, message) in failing {
        let error = #expect(throws: LaifError.self) { try interpreter.run(source, file: "t") }
        #expect(error.map { firstLine($0) } == message, "\(source)")
    }
    _ = try interpreter.run("print(m, r, s)", file: "t")
    #expect(capture.text == "[[1, 2], [3]] {a: [1], b: {c: 2}} [\"ab\"]\n")
    _ = try interpreter.run("m[1][0] = 30\nr.b.c = 20\nr.a[0] = 10\nprint(m, r)", file: "t")
    #expect(capture.text.hasSuffix("[[1, 2], [30]] {a: [10], b: {c: 20}}\n"))
    interpreter.reset()
}
