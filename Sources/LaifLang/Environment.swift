/// A scope: names bound by `let`, parameters or loop variables, and the enclosing scope.
/// Closures keep their defining scope alive (Lua's upvalues, done simply).
///
/// A closure bound in the very scope it closes over (`let f = fn ...`, `fn f() ...` in a
/// function body or a loop) would hold that scope while the scope holds it: a cycle that
/// reference counting never frees, so every call left its whole frame behind (60,000 calls of
/// a function binding a helper took 4 GB). Such a binding keeps only the function's syntax and
/// makes the closure again when read: the scope itself is the one it closes over. A closure
/// kept inside a list or record of the scope it closes over is freed by `ScopeCycles` when the
/// interpreter leaves the scope.
///
/// Most scopes hold a handful of names, so they are searched linearly (no hashing); a scope
/// that grows past `indexThreshold` names (the globals of a long script) adds a hash index.
/// Storage skips dynamic exclusivity checks: the interpreter never holds two overlapping
/// accesses to one scope (each method reads or writes one slot and returns).
final class Environment {
    @exclusivity(unchecked) private var names: [String] = []
    @exclusivity(unchecked) private var slots: [Value] = []
    @exclusivity(unchecked) private var index: [String: Int]?
    /// For each slot, the function of a closure over this scope bound there (its slot holds
    /// nil); empty until the first such binding.
    @exclusivity(unchecked) private var ownFunctions: [FunctionNode?] = []
    let parent: Environment?
    private static let indexThreshold = 12
    /// Set when the interpreter left this scope while something outside held it and its own
    /// containers held closures over it (see `ScopeCycles`).
    var awaitsEscapedClosures = false
    /// How many times a binding of this scope was made or changed (the REPL asks whether an
    /// entry that failed changed the globals before it stopped).
    private(set) var writes = 0

    init(parent: Environment? = nil) {
        self.parent = parent
    }

    // A deeply nested value dies with its scope without recursing (see ValueRelease).
    deinit {
        for i in slots.indices where slots[i].mayNest { ValueRelease.drop(&slots[i]) }
    }

    /// Moves the bound values that may nest onto `pending`, leaving nil in their place, so
    /// freeing this scope frees only leaves (`ValueRelease` frees a dying closure's scope so).
    ///
    ///     scope.moveNestingValues(into: &pending)
    func moveNestingValues(into pending: inout [Value]) {
        for i in slots.indices where slots[i].mayNest {
            pending.append(slots[i])
            slots[i] = .nil
        }
    }

    /// Sets every binding whose name is not in `kept` to nil (the names stay bound), freeing
    /// what they held: `ScopeCycles` drops what no closure over a finished call can read.
    ///
    ///     frame.dropBindings(except: ["v"])
    func dropBindings(except kept: Set<String>) {
        for i in names.indices where !kept.contains(names[i]) {
            ValueRelease.drop(&slots[i])
            if i < ownFunctions.count { ownFunctions[i] = nil }
        }
    }

    /// Lets `body` read and change each bound value in place (`ScopeCycles` takes values out
    /// to ask whether they are held once, and puts them back). Functions kept as their syntax
    /// alone (see the type's note) are not values here.
    ///
    ///     scope.updateEachValue { value in ... }
    func updateEachValue(_ body: (inout Value) -> Void) {
        for i in slots.indices { body(&slots[i]) }
    }

    /// A bound value that may nest, for `ValueRelease`'s probe: looked for among all values of
    /// a small scope, and at the ends of a large one (where loops keep a chain they build).
    ///
    ///     scope.someNestingValue(searchingAllUpTo: 16)
    func someNestingValue(searchingAllUpTo limit: Int) -> Value? {
        slots.someNestingValue(searchingAllUpTo: limit)
    }

    private func slot(of name: String) -> Int? {
        if let index { return index[name] }
        for i in names.indices where names[i] == name { return i }
        return nil
    }

    /// Binds `name` in this scope (shadowing any outer one; `let` twice rebinds).
    func define(_ name: String, _ value: Value) {
        writes &+= 1
        if let i = slot(of: name) {
            store(value, at: i)
            return
        }
        names.append(name)
        if let node = ownFunction(value) {
            slots.append(.nil)
            markOwn(node, at: slots.count - 1)
        } else {
            slots.append(value)
        }
        if index != nil {
            index?[name] = names.count - 1
        } else if names.count > Environment.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        }
    }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let i = current.slot(of: name) { return current.value(at: i) }
            scope = current.parent
        }
        return nil
    }

    /// Rebinds an existing name in the nearest scope holding it; false when none does.
    func assign(_ name: String, _ value: Value) -> Bool {
        var scope: Environment? = self
        while let current = scope {
            if let i = current.slot(of: name) {
                current.store(value, at: i)
                current.writes &+= 1
                return true
            }
            scope = current.parent
        }
        return false
    }

    /// Removes and returns the value of `name` from the scope holding it, leaving nil there,
    /// so an in-place update (`xs[i] = v`) mutates a uniquely referenced array instead of
    /// copying it. The caller must put a value back.
    func take(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let i = current.slot(of: name) {
                let value = current.value(at: i)
                current.store(.nil, at: i)
                return value
            }
            scope = current.parent
        }
        return nil
    }

    /// The value bound in slot `i`; a closure over this scope is made again from its function.
    @inline(__always)
    private func value(at i: Int) -> Value {
        if i < ownFunctions.count, let node = ownFunctions[i] { return .function(Closure(node: node, scope: self)) }
        return slots[i]
    }

    /// Binds slot `i` to `value`, dropping what it held; a closure over this very scope is
    /// kept as its function alone (see the type's note on cycles).
    private func store(_ value: Value, at i: Int) {
        ValueRelease.drop(&slots[i])
        if let node = ownFunction(value) {
            markOwn(node, at: i)
            return
        }
        if i < ownFunctions.count { ownFunctions[i] = nil }
        slots[i] = value
    }

    /// The function of `value` when it is a closure over this very scope.
    @inline(__always)
    private func ownFunction(_ value: Value) -> FunctionNode? {
        guard case .function(let closure) = value, closure.scope === self else { return nil }
        return closure.node
    }

    /// Keeps slot `i` (which holds nil) as the closure of `node` over this scope.
    private func markOwn(_ node: FunctionNode, at i: Int) {
        if ownFunctions.count < slots.count { ownFunctions += repeatElement(nil, count: slots.count - ownFunctions.count) }
        ownFunctions[i] = node
    }

    /// The names bound in this scope (not its parents), in binding order.
    var boundNames: [String] { names }
}
