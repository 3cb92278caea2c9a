/// Frees values nested deeper than a thread's stack could free them recursively.
///
/// Swift frees a list by freeing its elements first, one stack frame per level, so a list
/// nested three million deep (`for i in range(3000000) { x = [x] }`) overflowed even the
/// interpreter's 512 MiB stack the moment it died. Chains through closures (a list holding a
/// closure whose scope binds the previous list) and bound methods (`xs = [xs].map`) are
/// values nested just as deep, and are taken apart the same way. Where the interpreter drops
/// a value it held (a binding rebound, a scope ending, a list element replaced, a call's
/// arguments and receiver once it returns) it passes the value here. A value whose chain of
/// nested values runs deeper than `probeDepth` is taken apart with a work list instead of
/// recursion (as CPython's "trashcan" does); every other value is left to Swift after a
/// short probe.
///
///     var old: Value = deeplyNested
///     ValueRelease.drop(&old)   // old is nil now; nothing recursed
enum ValueRelease {
    /// Chains up to this depth are left to Swift's own recursion (a few KiB of stack); deeper
    /// ones are taken apart, which costs about what freeing them does.
    static let probeDepth = 8
    /// Lists and records up to this size are searched whole for a nested container; larger
    /// ones only at their two ends, where chains built in a loop (`[x, i]`, `xs ++ [x]`)
    /// keep them, so the probe never walks a long flat list.
    static let fullSearchCount = 16

    /// Sets `value` to nil, freeing what it held without deep recursion.
    ///
    ///     ValueRelease.drop(&slots[i])
    static func drop(_ value: inout Value) {
        // A closure or method held elsewhere too loses only this reference, which frees
        // nothing: no probe through the scope it shares (often the globals).
        guard holdsCallableAlone(&value), runsDeeperThanProbe(value) else {
            value = .nil
            return
        }
        var pending: [Value] = [value]
        value = .nil
        while var next = pending.popLast() {
            detachNestedContainers(&next, into: &pending)
        }
    }

    /// Drops a call's arguments once it has returned (see `drop`): they are often the last
    /// holders of a value made for the call (`len(deep())`).
    ///
    ///     ValueRelease.drop(arguments: &positional, &keywords)
    static func drop(arguments positional: inout [Value], _ keywords: inout [(String, Value)]) {
        for i in positional.indices where positional[i].mayNest { drop(&positional[i]) }
        for i in keywords.indices where keywords[i].1.mayNest { drop(&keywords[i].1) }
    }

    /// Whether following nested containers from `value` goes deeper than `probeDepth`.
    static func runsDeeperThanProbe(_ value: Value) -> Bool {
        var current = value
        for _ in 0..<probeDepth {
            guard let child = nestedContainer(in: current) else { return false }
            current = child
        }
        return true
    }

    /// False for a closure or bound method that another value holds too; true otherwise.
    ///
    ///     holdsCallableAlone(&slots[i])   // false for a function also bound to a global
    private static func holdsCallableAlone(_ value: inout Value) -> Bool {
        // Taken out while asked, so no copy of the enum counts as a second holder.
        if var closure = value.takeClosure() {
            defer { value = .function(closure) }
            return isKnownUniquelyReferenced(&closure)
        }
        if var bound = value.takeBoundMethod() {
            defer { value = .method(bound) }
            return isKnownUniquelyReferenced(&bound)
        }
        return true
    }

    /// A value that may nest (see `Value.mayNest`) among the value's elements (see
    /// `fullSearchCount`), a method's receiver, or the values a closure's scope binds.
    private static func nestedContainer(in value: Value) -> Value? {
        switch value {
        case .list(let items):
            return items.someNestingValue(searchingAllUpTo: fullSearchCount)
        case .record(let record):
            let keys = record.keys
            let searched = keys.count <= fullSearchCount ? keys[...] : [keys[0], keys[keys.count - 1]][...]
            for key in searched {
                if let field = record[key], field.mayNest { return field }
            }
            return nil
        case .method(let bound):
            return bound.receiver.mayNest ? bound.receiver : nil
        case .function(let closure):
            return closure.scope.someNestingValue(searchingAllUpTo: fullSearchCount)
        default:
            return nil
        }
    }

    /// Moves the nested containers out of `value` onto `pending` and sets `value` to nil, so
    /// freeing it frees only leaves. A container held elsewhere too loses just this
    /// reference, which frees nothing below it, and is left whole.
    private static func detachNestedContainers(_ value: inout Value, into pending: inout [Value]) {
        // The container is taken out of `value` first: no copy of the enum may outlive the
        // uniqueness test below.
        if var items = value.takeList() {
            guard items.contains(where: \.mayNest) else { return }
            guard items.holdsStorageAlone() else { return }
            for i in items.indices where items[i].mayNest {
                pending.append(items[i])
                items[i] = .nil
            }
        } else if var record = value.takeRecord() {
            guard record.holdsFieldsAlone() else { return }
            for key in record.keys where record[key]?.mayNest == true {
                pending.append(record[key]!)
                record[key] = Value.nil
            }
        } else if var closure = value.takeClosure() {
            // A closure held once frees its scope, and the scope its values, when held once.
            guard isKnownUniquelyReferenced(&closure), isKnownUniquelyReferenced(&closure.scope) else { return }
            closure.scope.moveNestingValues(into: &pending)
        } else if var bound = value.takeBoundMethod() {
            guard isKnownUniquelyReferenced(&bound), bound.receiver.mayNest else { return }
            pending.append(bound.receiver)
            bound.receiver = .nil
        }
    }
}

extension Value {
    /// The list this value holds, leaving nil in its place (nil, and no change, when it holds
    /// no list): the array is then held only by the caller where it was held only here.
    ///
    ///     var v: Value = .list([.number(1)])
    ///     v.takeList()   // [1]; v is nil now
    mutating func takeList() -> [Value]? {
        guard case .list(let items) = self else { return nil }
        self = .nil
        return items
    }

    /// The record this value holds, leaving nil in its place (see `takeList`).
    ///
    ///     var v: Value = .record(Record())
    ///     v.takeRecord()   // {}; v is nil now
    mutating func takeRecord() -> Record? {
        guard case .record(let record) = self else { return nil }
        self = .nil
        return record
    }

    /// The closure this value holds, leaving nil in its place (see `takeList`).
    ///
    ///     v.takeClosure()   // the closure of a .function value; v is nil now
    mutating func takeClosure() -> Closure? {
        guard case .function(let closure) = self else { return nil }
        self = .nil
        return closure
    }

    /// The bound method this value holds, leaving nil in its place (see `takeList`).
    ///
    ///     v.takeBoundMethod()   // the method of `xs.map`; v is nil now
    mutating func takeBoundMethod() -> BoundMethod? {
        guard case .method(let bound) = self else { return nil }
        self = .nil
        return bound
    }

    /// A value that can hold others without bound: a non-empty list or record, a closure
    /// (through the values its scope binds) or a bound method (through its receiver).
    ///
    ///     Value.list([.number(1)]).mayNest   // true
    var mayNest: Bool {
        switch self {
        case .list(let items): return !items.isEmpty
        case .record(let record): return record.count > 0
        case .function, .method: return true
        default: return false
        }
    }
}

extension Array where Element == Value {
    /// A value that may nest among these: searched whole when there are at most `limit`, and
    /// only at the two ends beyond, where chains built in a loop (`[x, i]`, `xs ++ [x]`) keep
    /// them, so the probe never walks a long flat list (a scope's values are searched alike).
    ///
    ///     [.number(1), .list([.nil])].someNestingValue(searchingAllUpTo: 16)   // the list
    func someNestingValue(searchingAllUpTo limit: Int) -> Value? {
        if count <= limit { return first(where: \.mayNest) }
        if self[0].mayNest { return self[0] }
        return self[count - 1].mayNest ? self[count - 1] : nil
    }
}

extension Array {
    /// True when no other array shares this one's storage, so freeing it frees its elements.
    /// Writing to an array held elsewhere copies it first, which a new address shows (the copy
    /// is then this array's own, and the other holder keeps the original).
    ///
    ///     var xs = [1, 2]
    ///     xs.holdsStorageAlone()   // true; after `let ys = xs`, false
    mutating func holdsStorageAlone() -> Bool {
        let address = withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        return withUnsafeMutableBufferPointer { UInt(bitPattern: $0.baseAddress) == address }
    }
}
