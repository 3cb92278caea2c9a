/// `xs = xs ++ ys` and `s = s ++ t` in place, with any number of pieces (`s = s ++ a ++ b`),
/// and text interpolated onto itself (`s = "{s}{line}\n"`).
///
/// Lists are values, so `xs ++ ys` builds a new list, and accumulating with
/// `for ... { xs = xs ++ [v] }` copied the whole list on every pass: 20,000 appends took 3.8 s.
/// Strings were copied the same way (`out = out ++ line`). When a statement assigns a variable
/// its own list (or string) joined with more, and the variable still holds the very value that
/// was read, the new elements (or text) are appended to it where it is held once, in amortised
/// constant time per element. Evaluation is unchanged: `xs`, then each piece in order; joins of
/// a list to lists (or a string to strings) within the size limits cannot fail and have no
/// effects, so they wait until the end. At the first piece that could fail (another type, a
/// result past the limit) the ordinary operator takes over from there and reports as before,
/// and so it does when a piece rebound `xs`.
extension Interpreter {
    /// Runs `target = expr` when it has the form `name = name ++ a ++ ...`; false otherwise,
    /// having evaluated nothing.
    ///
    ///     for i in range(20000) { xs = xs ++ [i] }           // linear, not quadratic
    ///     for i in range(20000) { s = s ++ str(i) ++ "," }   // linear too
    func assignJoinedInPlace(_ expr: Expr, to target: Expr, in scope: Environment) throws -> Bool {
        guard case .variable(let name) = target.kind, let chain = JoinChain(expr),
              case .variable(name) = chain.first.kind else { return false }
        var lhs = try evaluate(chain.first, in: scope)
        var pieces: [Value] = []
        var size = lhs.joinSize
        for (k, join) in chain.joins.enumerated() {
            let piece = try evaluate(join.piece, in: scope)
            if let sizeSoFar = size, let added = piece.joinSize(onto: lhs), sizeSoFar + added <= lhs.joinLimit {
                size = sizeSoFar + added
                pieces.append(piece)
                continue
            }
            // This join could fail: the ordinary operator from here on, in the ordinary order.
            var result = try joined(lhs, pieces, chain.joins[..<k])
            result = try binary(.concat, result, piece, at: join.location)
            for rest in chain.joins[(k + 1)...] {
                result = try binary(.concat, result, try evaluate(rest.piece, in: scope), at: rest.location)
            }
            try assign(result, to: target, in: scope)
            return true
        }
        if let address = lhs.listElementsAddress, scope.lookup(name)?.listElementsAddress == address {
            // The variable holds the list read above: drop that reading, take the list out of
            // its scope (held once now, unless a piece is the same list) and append.
            lhs = .nil
            var taken = scope.take(name) ?? .nil
            var items = taken.takeList() ?? []
            for case .list(let tail) in pieces { items.append(contentsOf: tail) }
            _ = scope.assign(name, .list(items))
        } else if let storage = lhs.stringStorage, scope.lookup(name)?.stringStorage == storage {
            // The variable holds the string read above (not a binding of it: a copy kept alive
            // here would share it and make the append copy it). Taken out, and out of the
            // character-table cache, it is held once unless a piece shares it, and then
            // appending copies it, as the join would.
            lhs = .nil
            forgetCharacterTable(of: storage)
            var taken = scope.take(name) ?? .nil
            var text = taken.takeString() ?? ""
            for case .string(let tail) in pieces { text.append(tail) }
            _ = scope.assign(name, .string(text))
        } else {
            try assign(try joined(lhs, pieces, chain.joins[...]), to: target, in: scope)
        }
        return true
    }

    /// Runs `target = expr` when it has the form `name = "{name}..."` (text built by
    /// interpolation onto itself); false otherwise, having evaluated nothing. The parts are
    /// evaluated and checked against the size limit as the interpolation does; when the variable
    /// still holds the string read first, the rest is appended to it in place.
    ///
    ///     for i in range(20000) { s = "{s}{i}," }   // linear, not quadratic
    func assignInterpolatedInPlace(_ expr: Expr, to target: Expr, in scope: Environment) throws -> Bool {
        guard case .variable(let name) = target.kind, case .interpolation(let parts) = expr.kind,
              case .expression(let firstExpr)? = parts.first, case .variable(name) = firstExpr.kind else { return false }
        // Only `head` holds the text read first (a second copy would make the append copy it).
        var head = try evaluate(firstExpr, in: scope)
        if case .string = head {} else { head = .string(ValuePrinter.display(head)) }
        let headBytes = head.joinSize ?? 0
        if headBytes > Limits.maxStringBytes { try checkStringSize(ValuePrinter.display(head), at: expr.location) }
        var tail = ""
        for part in parts.dropFirst() {
            switch part {
            case .text(let literal): tail += literal
            case .expression(let inner): tail += ValuePrinter.display(try evaluate(inner, in: scope))
            }
            if headBytes + tail.utf8.count > Limits.maxStringBytes {
                try checkStringSize(ValuePrinter.display(head) + tail, at: expr.location)
            }
        }
        if let storage = head.stringStorage, scope.lookup(name)?.stringStorage == storage {
            // As for `s = s ++ t` above: the variable holds the string read first.
            head = .nil
            forgetCharacterTable(of: storage)
            var taken = scope.take(name) ?? .nil
            var text = taken.takeString() ?? ""
            text.append(tail)
            _ = scope.assign(name, .string(text))
        } else {
            try assign(.string(ValuePrinter.display(head) + tail), to: target, in: scope)
        }
        return true
    }

    /// `first ++ pieces[0] ++ pieces[1] ...` by the ordinary operator, each join at its place.
    private func joined(_ first: Value, _ pieces: [Value], _ joins: ArraySlice<JoinChain.Join>) throws -> Value {
        var result = first
        for (piece, join) in zip(pieces, joins) { result = try binary(.concat, result, piece, at: join.location) }
        return result
    }
}

/// `a ++ b ++ c` as the parser nests it, `(a ++ b) ++ c`: the leftmost operand, then each
/// joined piece with the place of its `++`, in evaluation order.
///
///     JoinChain(parse("s ++ a ++ b"))   // first: s; joins: a, b
struct JoinChain {
    struct Join {
        let piece: Expr
        let location: SourceLocation
    }
    let first: Expr
    let joins: [Join]

    /// Nil unless `expr` is a `++`.
    init?(_ expr: Expr) {
        var joins: [Join] = []
        var node = expr
        while case .binary(.concat, let left, let right) = node.kind {
            joins.append(Join(piece: right, location: node.location))
            node = left
        }
        guard !joins.isEmpty else { return nil }
        first = node
        self.joins = joins.reversed()
    }
}

extension Value {
    /// What the join limits count: a list's elements or a string's UTF-8 bytes (nil for other
    /// values, which take the ordinary operator).
    var joinSize: Int? {
        switch self {
        case .list(let items): return items.count
        case .string(let text): return text.utf8.count
        default: return nil
        }
    }

    /// This value's `joinSize` when it joins `base` without fail (a list to a list, a string
    /// to a string); nil otherwise.
    func joinSize(onto base: Value) -> Int? {
        switch (base, self) {
        case (.list, .list), (.string, .string): return joinSize
        default: return nil
        }
    }

    /// The most a joined value of this kind may hold (see `Limits`).
    var joinLimit: Int {
        if case .string = self { return Limits.maxStringBytes }
        return Limits.maxListLength
    }

    /// Where a list's elements are stored (nil for other values): two lists at one address
    /// share their storage.
    var listElementsAddress: UInt? {
        guard case .list(let items) = self else { return nil }
        return items.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    /// Where a string's UTF-8 bytes are stored and how many there are (nil for other values
    /// and for small strings, which are held inline): equal storages are the same string,
    /// since a string's storage is only extended where it is held once.
    ///
    ///     Value.string(String(repeating: "a", count: 100)).stringStorage   // (address, 100)
    var stringStorage: StringStorage? {
        guard case .string(let text) = self, let address = text.storageAddress else { return nil }
        return StringStorage(address: address, byteCount: text.utf8.count)
    }

    /// The string this value holds, leaving nil in its place (see `takeList`).
    ///
    ///     var v: Value = .string("abc")
    ///     v.takeString()   // "abc"; v is nil now
    mutating func takeString() -> String? {
        guard case .string(let text) = self else { return nil }
        self = .nil
        return text
    }

    /// A list's length (0 for other values).
    var listCount: Int {
        guard case .list(let items) = self else { return 0 }
        return items.count
    }
}

/// A string's storage address and length: see `Value.stringStorage`.
struct StringStorage: Equatable {
    let address: UInt
    let byteCount: Int
}
