/// `xs = xs ++ ys` in place.
///
/// Lists are values, so `xs ++ ys` builds a new list, and accumulating with
/// `for ... { xs = xs ++ [v] }` copied the whole list on every pass: 20,000 appends took 3.8 s.
/// When a statement assigns a variable its own list joined with another, and the variable
/// still holds the very list that was read, the new elements are appended to it where it is
/// held once, in amortised constant time per element. Evaluation is unchanged: `xs`, then
/// `ys`, then the join; whenever the fast path does not apply (other types, a right side that
/// rebinds `xs`, a list past the length limit) the ordinary operator runs and reports.
extension Interpreter {
    /// Runs `target = expr` when it has the form `name = name ++ other`; false otherwise,
    /// having evaluated nothing.
    ///
    ///     for i in range(20000) { xs = xs ++ [i] }   // linear, not quadratic
    func assignJoinedList(_ expr: Expr, to target: Expr, in scope: Environment) throws -> Bool {
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

    /// A list's length (0 for other values).
    var listCount: Int {
        guard case .list(let items) = self else { return 0 }
        return items.count
    }
}
