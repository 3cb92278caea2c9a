import Testing
@testable import LaifLang

// A closure bound in the scope it closes over once held that scope while the scope held it,
// so the scope was never freed: 60,000 calls of a function that bound a helper took 4 GB and
// ended in a Swift allocation failure. Each test keeps a weak reference to such a scope and
// checks that it dies with its last outside holder.

/// The scope `value`'s closure closes over (nil when it is not a closure).
private func closedOverScope(_ value: Value?) -> Environment? {
    guard case .function(let closure)? = value else { return nil }
    return closure.scope
}

@Test func aFunctionsFrameDiesEvenWhenItBoundAHelper() throws {
    let (interpreter, _) = makeTestInterpreter()
    // work() returns its helper g, which closes over work's frame (it binds data, f and g).
    var made = try interpreter.run("""
        fn work() {
          let data = [1, 2]
          let f = fn (x) { x + data[0] }
          fn g() { f(1) }
          g
        }
        work()
        """, file: "c")
    weak var frame = closedOverScope(made)
    #expect(frame != nil)
    let result = try interpreter.callValue(made!, positional: [], keywords: [],
                                           at: SourceLocation(file: "c", line: 1, column: 1))
    #expect(format(result) == "2")
    made = nil
    _ = try interpreter.run("_ = nil", file: "c")   // the interpreter keeps its last result as `_`
    #expect(frame == nil)
    interpreter.reset()
}

@Test func aLoopIterationsScopeDiesEvenWhenItBoundAClosure() throws {
    let (interpreter, _) = makeTestInterpreter()
    // The outer variable keeps the last iteration's closure, so its scope outlives the loop.
    _ = try interpreter.run("""
        let keep = nil
        for i in range(3) { let h = fn () { i * 10 }; fn twice() { h() * 2 }; keep = twice }
        """, file: "c")
    weak var iteration = closedOverScope(try interpreter.run("keep", file: "c"))
    #expect(iteration != nil)
    #expect(try eval(in: interpreter, "keep()") == "40")
    _ = try interpreter.run("keep = nil", file: "c")
    #expect(iteration == nil)
    interpreter.reset()
}

@Test func closuresReadFromTheirOwnScopeStayTheSameFunction() throws {
    // The scope makes such a closure again at each read; they still compare equal, call each
    // other recursively, and keep their own state.
    let source = """
        fn outer() {
          fn fact(k) { if k <= 1 { 1 } else { k * fact(k - 1) } }
          let alias = fact
          [fact == alias, fact(5), fact == fn (k) { k }]
        }
        fn counter() { let n = 0; fn inc() { n = n + 1; n }; inc }
        let c = counter()
        c()
        outer() ++ [c(), c == c, counter() == counter()]
        """
    #expect(try eval(source) == "[true, 120, false, 2, true, false]")
}

/// Runs `source` in `interpreter` and returns the echo form of its value.
private func eval(in interpreter: Interpreter, _ source: String) throws -> String {
    guard let value = try interpreter.run(source, file: "c") else { return "" }
    return format(value)
}
