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
            var piece = try evaluate(join.piece, in: scope)
            if let sizeSoFar = size, let added = piece.joinSize(onto: lhs), sizeSoFar + added <= lhs.joinLimit {
                size = sizeSoFar + added
                pieces.append(piece)
                continue
            }
            // This join could fail: the ordinary operator from here on, in the ordinary order.
            var result = try joined(lhs, pieces, chain.joins[..<k])
            // `xs = xs ++ {n: deep()}` fails here, and frees the piece.
            result = try freeingOnFailure(&piece, madeBy: join.piece) { try binary(.concat, result, $0, at: join.location) }
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
            lhs = .nil
            appendToString(named: name, storedAt: storage, in: scope) { text in
                for case .string(let tail) in pieces { text.append(tail) }
            }
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
            case .expression(let inner): tail += try displayText(of: inner, in: scope)
            }
            if headBytes + tail.utf8.count > Limits.maxStringBytes {
                try checkStringSize(ValuePrinter.display(head) + tail, at: expr.location)
            }
        }
        if let storage = head.stringStorage, scope.lookup(name)?.stringStorage == storage {
            head = .nil
            appendToString(named: name, storedAt: storage, in: scope) { $0.append(tail) }
        } else {
            try assign(.string(ValuePrinter.display(head) + tail), to: target, in: scope)
        }
        return true
    }

    /// Extends the string bound to `name`, which holds the string stored at `storage` and which
    /// the caller holds no copy of (a copy kept alive would share it and make the append copy
    /// it). Taken out of its scope, and out of the character-table cache, it is held once
    /// unless `append` adds a string that shares it, and then appending copies it, as the join
    /// would.
    ///
    ///     appendToString(named: "s", storedAt: storage, in: scope) { $0.append("ab") }
    private func appendToString(named name: String, storedAt storage: StringStorage, in scope: Environment,
                                _ append: (inout String) -> Void) {
        // A string measured lately keeps its count: only the appended end is counted again.
        // Numbers only: a table kept here would share the string and make the append copy it.
        let measured = cachedCharacterTable(of: storage).flatMap { table in
            table.lastCharacterByteOffset.map { (byteOffset: $0, count: table.count) }
        }
        forgetCharacterTable(of: storage)
        var taken = scope.take(name) ?? .nil
        var text = taken.takeString() ?? ""
        append(&text)
        _ = scope.assign(name, .string(text))
        if let measured { rememberAppended(to: text, before: measured) }
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
        guard case .string(let text) = self else { return nil }
        return text.storage
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
}
