/// Frees values nested deeper than a thread's stack could free them recursively.
///
/// Swift frees a list by freeing its elements first, one stack frame per level, so a list
/// nested three million deep (`for i in range(3000000) { x = [x] }`) overflowed even the
/// interpreter's 512 MiB stack the moment it died. Where the interpreter drops a value it
/// held (a binding rebound, a scope ending, a list element replaced) it passes the old value
/// here. A value whose chain of nested lists and records runs deeper than `probeDepth` is
/// taken apart with a work list instead of recursion (as CPython's "trashcan" does); every
/// other value is left to Swift after a short probe.
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
        guard runsDeeperThanProbe(value) else {
            value = .nil
            return
        }
        var pending: [Value] = [value]
        value = .nil
        while var next = pending.popLast() {
            detachNestedContainers(&next, into: &pending)
        }
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

    /// A non-empty list or record among the value's elements (see `fullSearchCount`).
    private static func nestedContainer(in value: Value) -> Value? {
        switch value {
        case .list(let items):
            if items.count <= fullSearchCount { return items.first(where: \.isNonEmptyContainer) }
            if items[0].isNonEmptyContainer { return items[0] }
            return items[items.count - 1].isNonEmptyContainer ? items[items.count - 1] : nil
        case .record(let record):
            let keys = record.keys
            let searched = keys.count <= fullSearchCount ? keys[...] : [keys[0], keys[keys.count - 1]][...]
            for key in searched {
                if let field = record[key], field.isNonEmptyContainer { return field }
            }
            return nil
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
            guard items.contains(where: \.isNonEmptyContainer) else { return }
            // Writing to an array held elsewhere copies it first; a new address says so.
            let address = items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            let alone = items.withUnsafeMutableBufferPointer { UInt(bitPattern: $0.baseAddress) == address }
            guard alone else { return }
            for i in items.indices where items[i].isNonEmptyContainer {
                pending.append(items[i])
                items[i] = .nil
            }
        } else if var record = value.takeRecord() {
            guard record.holdsFieldsAlone() else { return }
            for key in record.keys where record[key]?.isNonEmptyContainer == true {
                pending.append(record[key]!)
                record[key] = Value.nil
            }
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

    /// A list or record with at least one element: what can nest.
    var isNonEmptyContainer: Bool {
        switch self {
        case .list(let items): return !items.isEmpty
        case .record(let record): return record.count > 0
        default: return false
        }
    }
}
