import Foundation

/// Frees a scope that only its own closures still hold, when the interpreter leaves it.
///
/// A closure kept in a list or record of the very scope it closes over
/// (`fn work() { let fs = [fn (x) { x + k }]; ... }`) holds the scope while the scope holds it:
/// reference counting never frees either, and every call left its frame behind (20,000 calls
/// reached 2.4 GB). `Environment` breaks the commonest form itself, a closure bound to a name of
/// its own scope; this handles the one kept in a container.
///
/// When a call, block or loop pass ends and something besides the interpreter still holds its
/// scope, the scope's values are searched (lists and records up to `searchedItems` items and
/// `searchedDepth` levels deep) for closures over that scope that nothing else holds: each
/// container on the way held once, by the one above it, and the closure once, by its container.
/// Their scope is swapped for an empty one; if the interpreter is then the scope's only holder,
/// nothing outside can reach the scope, its values or those closures, and they all die with
/// the interpreter's reference. Otherwise (a closure was returned or stored outside) the swap is
/// undone, and a closure over the scope that ends later asks again. Left: cycles through a
/// container held outside too, or through a loop pass's scope that an outer container keeps
/// and an inner function reads, which a collector would be needed for.
///
///     var scope = Environment(parent: closure.scope)
///     defer { ScopeCycles.release(&scope) }
enum ScopeCycles {
    /// Lists and records longer than this are not searched (a shared one would be copied by the
    /// uniqueness test).
    static let searchedItems = 256
    /// How many containers deep closures are looked for.
    static let searchedDepth = 4

    /// Called with the interpreter's own reference to a scope it is leaving (see the type).
    /// A call's frame passes the names its inner functions use (see `CapturedNames`): when the
    /// frame outlives the call, its other bindings can never be read again and are dropped
    /// first, which frees what they held and ends cycles through them (`let o = {get: fn ...};
    /// o` kept the frame, the record and its closures alive for good).
    ///
    ///     ScopeCycles.release(&scope, frameOf: node)
    static func release(_ scope: inout Environment, frameOf function: FunctionNode? = nil) {
        if isKnownUniquelyReferenced(&scope) { return }
        if let function {
            scope.dropBindings(except: function.namesUsedByInnerFunctions)
            if isKnownUniquelyReferenced(&scope) { return }
        }
        var found: [Closure] = []
        // By identity: a second strong reference here would make the test below always fail.
        let target = ObjectIdentifier(scope)
        scope.updateEachValue { value in collectClosures(in: &value, over: target, depth: 0, into: &found) }
        guard !found.isEmpty else { return }
        let detached = Environment()
        for closure in found { closure.scope = detached }
        if isKnownUniquelyReferenced(&scope) { return }
        for closure in found { closure.scope = scope }
        // Something outside still holds the scope, often a closure handed out: when such a
        // closure ends, it asks again (see `Closure`'s deinit).
        scope.awaitsEscapedClosures = true
    }

    /// `release` for a scope a dying closure held (see `Closure`'s deinit), run after the
    /// releases already under way on this thread rather than inside them: freeing one scope can
    /// end the closure that held the next, and a chain of 300,000 such frames recursed through
    /// their deinits until the stack overflowed. The first call drains the queue in a loop.
    ///
    ///     ScopeCycles.releaseLater(scope)
    static func releaseLater(_ scope: consuming Environment) {
        let queue = PendingScopes.onThisThread
        queue.scopes.append(scope)
        guard !queue.draining else { return }
        queue.draining = true
        defer { queue.draining = false }
        while var next = queue.scopes.popLast() {
            release(&next)
        }
    }

    /// Appends to `found` the closures over `scope` that only `value` holds, through containers
    /// each held once. Every value taken out to be asked is put back.
    private static func collectClosures(in value: inout Value, over scope: ObjectIdentifier, depth: Int,
                                        into found: inout [Closure]) {
        guard value.mayNest else { return }
        if var closure = value.takeClosure() {
            // Asked before `found` holds it; the enum's copy is out of the way while asked.
            if ObjectIdentifier(closure.scope) == scope, isKnownUniquelyReferenced(&closure) { found.append(closure) }
            value = .function(closure)
            return
        }
        guard depth < searchedDepth else { return }
        if var items = value.takeList() {
            if items.count <= searchedItems, items.contains(where: \.mayNest), items.holdsStorageAlone() {
                for i in items.indices where items[i].mayNest {
                    collectClosures(in: &items[i], over: scope, depth: depth + 1, into: &found)
                }
            }
            value = .list(items)
        } else if var record = value.takeRecord() {
            if record.count <= searchedItems, record.holdsFieldsAlone() {
                for key in record.keys {
                    guard var field = record[key], field.mayNest else { continue }
                    record[key] = Value.nil
                    collectClosures(in: &field, over: scope, depth: depth + 1, into: &found)
                    record[key] = field
                }
            }
            value = .record(record)
        }
    }
}

/// The scopes `ScopeCycles.releaseLater` has still to ask about, one queue per thread (tests
/// run interpreters on several threads at once).
private final class PendingScopes {
    var scopes: [Environment] = []
    var draining = false

    static var onThisThread: PendingScopes {
        let key = "laif.ScopeCycles.pending"
        if let queue = Thread.current.threadDictionary[key] as? PendingScopes { return queue }
        let queue = PendingScopes()
        Thread.current.threadDictionary[key] = queue
        return queue
    }
}
