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

@Test func aScopeThatOnlyItsOwnListsAndRecordsHoldDiesWhenLeft() throws {
    // fn work(k) { let fs = [fn (x) { x + k }, 2]; let r = {inner: {f: fn () { k }}}; ... }
    let node = try #require(try closedOverScopeNode())
    var scope = Environment()
    weak var left = scope
    scope.define("k", .number(4))
    scope.define("fs", .list([.function(Closure(node: node, scope: scope)), .number(2)]))
    scope.define("r", .record(Record([("inner", .record(Record([("f", .function(Closure(node: node, scope: scope)))])))])))
    ScopeCycles.release(&scope)
    scope = Environment()   // the interpreter lets go of the scope it left
    #expect(left == nil)
}

@Test func aScopeHeldFromOutsideKeepsItsClosuresWhole() throws {
    let node = try #require(try closedOverScopeNode())
    var scope = Environment()
    scope.define("fs", .list([.function(Closure(node: node, scope: scope))]))
    // The list is shared with a value outside (a return value, another variable's copy).
    let outside = scope.lookup("fs")
    ScopeCycles.release(&scope)
    guard case .list(let items)? = outside, case .function(let closure) = items[0] else {
        Issue.record("the list outside changed")
        return
    }
    #expect(closure.scope === scope, "a closure reachable from outside must keep its scope")
    // A closure over the scope held outside directly keeps every one of them attached too.
    var second = Environment()
    let escaped = Closure(node: node, scope: second)
    second.define("fs", .list([.function(Closure(node: node, scope: second))]))
    ScopeCycles.release(&second)
    guard case .list(let kept)? = second.lookup("fs"), case .function(let inner) = kept[0] else {
        Issue.record("the scope's list changed")
        return
    }
    #expect(inner.scope === second && escaped.scope === second)
}

/// The function node of a closure (any will do: only scopes matter here).
private func closedOverScopeNode() throws -> FunctionNode? {
    let (interpreter, _) = makeTestInterpreter()
    guard case .function(let closure)? = try interpreter.run("fn (x) { x }", file: "c") else { return nil }
    return closure.node
}

@Test func closuresHandedOutOfTheirFrameInsideContainersKeepWorking() throws {
    // The frame is left while the list, the record or one closure out of them is still held
    // outside: nothing may be detached then.
    let source = """
        fn listed(k) { let fs = [fn (x) { x + k }]; fs }
        fn recorded(k) { let r = {f: fn () { k }}; let alias = r; alias }
        fn picked(k) { let fs = [fn (x) { x * k }, fn (x) { x - k }]; fs[1] }
        let outer = []
        fn stored(k) { let fs = [fn () { k + 1 }]; outer = fs; nil }
        stored(9)
        for i in range(3) { let fs = [fn () { i }]; if i == 1 { outer = outer ++ fs } }
        [listed(5)[0](1), recorded(7).f(), picked(3)(10), outer[0](), outer[1]()]
        """
    #expect(try eval(source) == "[6, 7, 7, 10, 1]")
}

@Test func aFrameThatHandedOutAnObjectDiesWithTheObject() throws {
    // make() keeps the record it hands out in a local as well: frame -> record -> closures ->
    // frame, a cycle that outlived the caller's copy for good (320,000 objects took 500 MB).
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("""
        fn make(v) {
          let state = v
          let big = range(200)
          fn bump() { state = state + 1 }
          let o = {get: fn () { state }, inc: fn () { bump(); state }}
          o
        }
        let obj = make(4)
        """, file: "c")
    weak var frame = closedOverScope(try interpreter.run("obj.get", file: "c"))
    #expect(frame != nil)
    #expect(try eval(in: interpreter, "[obj.inc(), obj.inc(), obj.get()]") == "[5, 6, 6]")
    _ = try interpreter.run("obj = nil\n_ = nil", file: "c")
    #expect(frame == nil)
    interpreter.reset()
}

@Test func namesInnerFunctionsUseAreFoundAtAnyDepth() throws {
    let (interpreter, _) = makeTestInterpreter()
    let source = """
        fn outer(a, b: fn () { c }) {
          let unused = 1
          let c = 2
          fn helper(x) { if x > 0 { [d, e.f, g[h]] } else { "{i}" } }
          for j in k { let l = fn () { m = n } }
          helper
        }
        outer
        """
    guard case .function(let closure)? = try interpreter.run(source, file: "c") else {
        Issue.record("no closure")
        return
    }
    #expect(closure.node.namesUsedByInnerFunctions == ["c", "d", "e", "g", "h", "i", "m", "n", "x"])
}

@Test func aFrameWhoseHandedOutClosureReadsItsListDiesWithThatClosure() throws {
    // The handed-out closure reads hs, so hs stays, and hs holds a closure over the frame: the
    // frame can only be let go when the handed-out closure ends (20,000 calls took 514 MB).
    let (interpreter, _) = makeTestInterpreter()
    _ = try interpreter.run("""
        fn make(k) { let hs = [fn () { k * 2 }]; fn () { hs[0]() + 1 } }
        let f = make(3)
        let g = make(5)
        """, file: "c")
    weak var frame = closedOverScope(try interpreter.run("f", file: "c"))
    weak var other = closedOverScope(try interpreter.run("g", file: "c"))
    #expect(try eval(in: interpreter, "[f(), g()]") == "[7, 11]")
    _ = try interpreter.run("f = nil\n_ = nil", file: "c")
    #expect(frame == nil)
    #expect(other != nil, "a frame still held from outside stays whole")
    #expect(try eval(in: interpreter, "g()") == "11")
    _ = try interpreter.run("g = nil\n_ = nil", file: "c")
    #expect(other == nil)
    interpreter.reset()
}
