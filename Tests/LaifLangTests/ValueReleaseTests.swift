import Foundation
import Testing
@testable import LaifLang

// Each test frees a value nested 300,000 deep on a thread with a 1 MiB stack: Swift's own
// recursive free needs tens of MiB for that and would crash the test process.
private let depth = 300_000

/// Runs `body` on a thread whose stack is `bytes` large and waits for it.
private func onSmallStack(bytes: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.stackSize = bytes
    thread.start()
    done.wait()
}

private func nestedList(_ depth: Int) -> Value {
    var value = Value.list([])
    for _ in 0..<depth { value = .list([value]) }
    return value
}

private func nestedRecord(_ depth: Int) -> Value {
    var value = Value.record(Record())
    for i in 0..<depth { value = .record(Record([("next", value), ("i", .number(Double(i)))])) }
    return value
}

/// How many lists or records deep `value` goes along its first nested container.
private func chainDepth(_ value: Value) -> Int {
    var current = value, levels = 0
    while true {
        switch current {
        case .list(let items) where !items.isEmpty: current = items[0]
        case .record(let record) where record["next"] != nil: current = record["next"]!
        default: return levels
        }
        levels += 1
    }
}

/// A box that lets a non-Sendable value cross to the test thread (the caller waits for it).
private final class Carrier: @unchecked Sendable {
    var value: Value
    var environment: Environment?
    init(_ value: Value) { self.value = value }
}

@Test func dropFreesDeepListsAndRecordsWithoutRecursing() {
    for make in [nestedList, nestedRecord] {
        let carrier = Carrier(make(depth))
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(carrier.value.isNil)
    }
}

@Test func droppingOneReferenceLeavesASharedDeepValueWhole() {
    for make in [nestedList, nestedRecord] {
        var kept = make(depth)
        let carrier = Carrier(kept)
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(chainDepth(kept) == depth)
        // The last reference goes too, and is freed without recursing as well.
        carrier.value = kept
        kept = .nil
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(carrier.value.isNil)
    }
}

@Test func shallowValuesAreLeftToSwiftAndDeepOnesAreFound() {
    #expect(!ValueRelease.runsDeeperThanProbe(nestedList(ValueRelease.probeDepth)))
    #expect(ValueRelease.runsDeeperThanProbe(nestedList(ValueRelease.probeDepth + 1)))
    // A long flat list is probed at its ends only; a chain kept at its end is still found.
    let flat = Value.list((0..<100_000).map { .number(Double($0)) })
    #expect(!ValueRelease.runsDeeperThanProbe(flat))
    var chainAtTheEnd = Value.list((0..<100).map { .number(Double($0)) } + [nestedList(depth)])
    #expect(ValueRelease.runsDeeperThanProbe(chainAtTheEnd))
    ValueRelease.drop(&chainAtTheEnd)
}

@Test func scopesFreeDeepBindingsWhenReboundOrEnded() {
    let carrier = Carrier(.nil)
    carrier.environment = Environment()
    carrier.environment?.define("x", nestedList(depth))
    carrier.environment?.define("r", nestedRecord(depth))
    onSmallStack {
        carrier.environment?.define("x", .number(1))               // let x = 1
        _ = carrier.environment?.assign("r", nestedList(depth))    // r = another deep value
        carrier.environment = nil                                  // the scope ends
    }
    #expect(carrier.environment == nil)
}

@Test func replacingADeepElementFreesItWithoutRecursing() throws {
    let (interpreter, _) = makeTestInterpreter()
    let list = Carrier(.list([nestedList(depth), .number(2)]))
    let record = Carrier(.record(Record([("deep", nestedRecord(depth)), ("n", .number(2))])))
    let location = SourceLocation(file: "v", line: 1, column: 1)
    nonisolated(unsafe) var failure: (any Error)?
    onSmallStack {
        do {
            // xs[0] = 1 and r["deep"] = nil
            try interpreter.setElement(of: &list.value, indices: [.single(.number(0))], to: .number(1), at: location)
            try interpreter.setElement(of: &record.value, indices: [.single(.string("deep"))], to: .nil, at: location)
        } catch {
            failure = error
        }
    }
    #expect(failure == nil)
    #expect(format(list.value) == "[1, 2]")
    #expect(format(record.value) == "{deep: nil, n: 2}")
    interpreter.reset()
}

/// The address of a list's elements (reading it leaves the list as it was).
private func elementsAddress(_ value: Value) -> UInt? {
    guard case .list(let items) = value else { return nil }
    return items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
}

@Test func assigningAnElementWritesTheListInPlace() throws {
    // `xs[i] = v` once copied the whole list on every write (the container was still held
    // while it was written), so filling a list of n elements took n^2 steps.
    let (interpreter, _) = makeTestInterpreter()
    var list = Value.list((0..<1000).map { .number(Double($0)) })
    let before = elementsAddress(list)
    let location = SourceLocation(file: "v", line: 1, column: 1)
    try interpreter.setElement(of: &list, indices: [.single(.number(5))], to: .number(-1), at: location)
    #expect(elementsAddress(list) == before)
    #expect(format(list).hasPrefix("[0, 1, 2, 3, 4, -1, 6"))
    interpreter.reset()
}

/// A function node to build closures from (any will do: only their scopes matter here).
private func anyFunctionNode() throws -> FunctionNode {
    let (interpreter, _) = makeTestInterpreter()
    guard case .function(let closure)? = try interpreter.run("fn () { 0 }", file: "t") else {
        throw LaifError.runtime("no closure")
    }
    return closure.node
}

/// `for i in range(depth) { let prev = xs; xs = [fn () { prev }] }`: lists of closures whose
/// scopes bind the previous list.
private func closureChain(_ depth: Int, node: FunctionNode) -> Value {
    var value = Value.list([])
    for _ in 0..<depth {
        let scope = Environment()
        scope.define("prev", value)
        value = .list([.function(Closure(node: node, scope: scope))])
    }
    return value
}

/// `for i in range(depth) { xs = [xs].map }`: methods whose receivers hold the previous one.
private func methodChain(_ depth: Int) -> Value {
    let map = BuiltinRegistry.core().method("map", of: "list")!
    var value = Value.list([])
    for _ in 0..<depth { value = .method(BoundMethod(receiver: .list([value]), method: map)) }
    return value
}

/// How many closures or methods deep `value` goes (through lists, scopes and receivers).
private func callableChainDepth(_ value: Value) -> Int {
    var current = value, levels = 0
    while true {
        switch current {
        case .list(let items) where !items.isEmpty: current = items[0]
        case .function(let closure): current = closure.scope.lookup("prev") ?? .nil; levels += 1
        case .method(let bound): current = bound.receiver; levels += 1
        default: return levels
        }
    }
}

@Test func dropFreesChainsThroughClosuresAndMethodsWithoutRecursing() throws {
    // Both chains overflowed the interpreter's own 512 MiB stack at three million levels
    // (`xs = [xs].map` in a loop, then `xs = 0`): they were left to Swift's recursive free.
    let node = try anyFunctionNode()
    for make in [{ closureChain(depth, node: node) }, { methodChain(depth) }] {
        let carrier = Carrier(make())
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(carrier.value.isNil)
    }
}

@Test func droppingOneReferenceLeavesASharedCallableChainWhole() throws {
    let node = try anyFunctionNode()
    for make in [{ closureChain(depth, node: node) }, { methodChain(depth) }] {
        var kept = make()
        let carrier = Carrier(kept)
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(callableChainDepth(kept) == depth)
        carrier.value = kept
        kept = .nil
        onSmallStack { ValueRelease.drop(&carrier.value) }
        #expect(carrier.value.isNil)
    }
}

@Test func scopesFreeDeepClosureChainsWhenTheyEnd() throws {
    let node = try anyFunctionNode()
    let carrier = Carrier(.nil)
    carrier.environment = Environment()
    carrier.environment?.define("f", closureChain(depth, node: node))
    carrier.environment?.define("m", methodChain(depth))
    onSmallStack { carrier.environment = nil }
    #expect(carrier.environment == nil)
}

@Test func deepArgumentsReceiversAndStatementValuesAreFreedWithoutRecursing() throws {
    // `len(deep())` and `deep().len()`: the call's argument (or receiver) is the last holder
    // of the value once the call returns. Run on a 4 MiB stack: freeing 300,000 levels by
    // Swift's recursion would need far more.
    let (interpreter, capture) = makeTestInterpreter()
    let setup = "fn take(name) { let v = if name == \"a\" { a } else if name == \"b\" { b } else { c }\n"
        + "if name == \"a\" { a = 0 } else if name == \"b\" { b = 0 } else { c = 0 }\nv }"
    _ = try interpreter.run(setup, file: "t")
    interpreter.setGlobal("a", nestedList(depth))
    interpreter.setGlobal("b", nestedRecord(depth))
    interpreter.setGlobal("c", nestedList(depth))
    // A statement's value in a block dies when the next statement's value replaces it.
    _ = try interpreter.run("fn block() { take(\"c\")\n3 }", file: "t")
    let program = try Parser.parse("print(len(take(\"a\")))\nprint(take(\"b\").len())\nprint(block())", file: "t")
    let carrier = Carrier(.nil)
    nonisolated(unsafe) var failure: (any Error)?
    onSmallStack(bytes: 4 << 20) {
        do {
            for statement in program { _ = try interpreter.execute(statement, in: carrier.environment ?? interpreter.globals) }
        } catch {
            failure = error
        }
    }
    #expect(failure == nil)
    #expect(capture.text == "1\n2\n3\n")
    interpreter.reset()
}

@Test func deepTemporariesInsideAnExpressionAreFreedWithoutRecursing() throws {
    // `take_a()[0]`, `take_b().i`, `take_c() == 1` and `-take_d()`: the operand made for the
    // expression is the last holder of a deep value once the expression has its result. Before,
    // Swift freed it recursively (a crash past about 2 million levels on the interpreter's
    // thread). Run on a 4 MiB stack, as above.
    let (interpreter, capture) = makeTestInterpreter()
    let names = ["a", "b", "c", "d"]
    _ = try interpreter.run(names.map { "fn take_\($0)() { let v = \($0)\n\($0) = 0\nv }" }.joined(separator: "\n"), file: "t")
    interpreter.setGlobal("a", nestedList(depth))
    interpreter.setGlobal("b", nestedRecord(depth))
    interpreter.setGlobal("c", nestedList(depth))
    interpreter.setGlobal("d", nestedList(depth))
    let program = try Parser.parse("""
        print(len(take_a()[0]))
        print(take_b().i)
        print(take_c() == 1)
        print(-take_d())
        """, file: "t")
    let carrier = Carrier(.nil)
    nonisolated(unsafe) var failure: (any Error)?
    onSmallStack(bytes: 4 << 20) {
        for statement in program {
            do {
                _ = try interpreter.execute(statement, in: carrier.environment ?? interpreter.globals)
            } catch {
                failure = failure ?? error
            }
        }
    }
    #expect(capture.text == "1\n\(depth - 1)\nfalse\n", "\(capture.text)")
    // Negating a list is an error; its operand is freed on the way out all the same.
    #expect(failure is LaifError, "\(String(describing: failure))")
    interpreter.reset()
}

@Test func deepTemporariesAtCallsConditionsLoopsAndTextAreFreedWithoutRecursing() throws {
    // The other places a value made for one use dies: a callee (`getm()(f)`, a bound method
    // whose receiver holds it), a condition (`if deep() {}` fails, and `and`/`or`/`assert` alike),
    // what a loop iterated over, an interpolated value, an assertion's message, and an argument
    // made before a later one failed, and a value a binding, an assignment or an in-place join
    // failed to take. Run on a 4 MiB stack, as above.
    let (interpreter, capture) = makeTestInterpreter()
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
    _ = try interpreter.run(names.map { "fn take_\($0)() { let v = \($0)\n\($0) = 0\nv }" }.joined(separator: "\n")
        + "\nfn getm() { [take_a()].map }\nfn pair(x, y) { 0 }", file: "t")
    for name in names { interpreter.setGlobal(name, nestedList(depth)) }
    let program = try Parser.parse("""
        print(getm()(fn (e) { 1 }))
        if take_b() { print("unreachable") }
        print(take_c() and true)
        assert take_d()
        for x in [take_e()] { print(len(x)) }
        print(len("{take_f()}") > 0)
        assert false, take_g()
        pair(take_h(), undefined_name)
        while take_i() { }
        let xs = []
        xs = xs ++ {n: take_j()}
        let (p, q) = take_k()
        let r = 5
        r.q = take_l()
        """, file: "t")
    let carrier = Carrier(.nil)
    nonisolated(unsafe) var failures: [String] = []
    onSmallStack(bytes: 4 << 20) {
        for statement in program {
            do {
                _ = try interpreter.execute(statement, in: carrier.environment ?? interpreter.globals)
            } catch {
                failures.append("\(error)")
            }
        }
    }
    #expect(capture.text == "[1]\n1\ntrue\n", "\(capture.text)")
    // Every other statement fails, freeing its temporary on the way out.
    #expect(failures.count == 9, "\(failures)")
    interpreter.reset()
}
