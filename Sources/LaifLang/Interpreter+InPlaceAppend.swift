/// `xs = xs ++ ys` and `s = s ++ t` in place.
///
/// Lists are values, so `xs ++ ys` builds a new list, and accumulating with
/// `for ... { xs = xs ++ [v] }` copied the whole list on every pass: 20,000 appends took 3.8 s.
/// Strings were copied the same way (`out = out ++ line`). When a statement assigns a variable
/// its own list (or string) joined with another, and the variable still holds the very value
/// that was read, the new elements (or text) are appended to it where it is held once, in
/// amortised constant time per element. Evaluation is unchanged: `xs`, then `ys`, then the
/// join; whenever the fast path does not apply (other types, a right side that rebinds `xs`,
/// a result past the length limit) the ordinary operator runs and reports.
extension Interpreter {
    /// Runs `target = expr` when it has the form `name = name ++ other`; false otherwise,
    /// having evaluated nothing.
    ///
    ///     for i in range(20000) { xs = xs ++ [i] }   // linear, not quadratic
    ///     for i in range(20000) { s = s ++ "ab" }    // linear too
    func assignJoinedInPlace(_ expr: Expr, to target: Expr, in scope: Environment) throws -> Bool {
        guard case .variable(let name) = target.kind,
              case .binary(.concat, let leftExpr, let rightExpr) = expr.kind,
              case .variable(name) = leftExpr.kind else { return false }
        var lhs = try evaluate(leftExpr, in: scope)
        let rhs = try evaluate(rightExpr, in: scope)
        if case .list(let tail) = rhs, let address = lhs.listElementsAddress,
           lhs.listCount + tail.count <= Limits.maxListLength,
           scope.lookup(name)?.listElementsAddress == address {
            // The variable holds the list read above: drop that reading, take the list out of
            // its scope (held once now, unless `other` is the same list) and append.
            lhs = .nil
            var taken = scope.take(name) ?? .nil
            var items = taken.takeList() ?? []
            items.append(contentsOf: tail)
            _ = scope.assign(name, .list(items))
            return true
        }
        if case .string(let tail) = rhs, let storage = lhs.stringStorage,
           storage.byteCount + tail.utf8.count <= Limits.maxStringBytes,
           scope.lookup(name)?.stringStorage == storage {
            // The variable holds the string read above (not a binding of it: a copy kept alive
            // here would share it and make the append copy it). Taken out, and out of the
            // character-table cache, it is held once unless `other` shares it, and then
            // appending copies it, as the join would.
            lhs = .nil
            forgetCharacterTable(of: storage)
            var taken = scope.take(name) ?? .nil
            var text = taken.takeString() ?? ""
            text.append(tail)
            _ = scope.assign(name, .string(text))
            return true
        }
        try assign(try binary(.concat, lhs, rhs, at: expr.location), to: target, in: scope)
        return true
    }
}

extension Value {
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
