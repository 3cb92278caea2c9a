/// The names a function's inner functions can look up in its frame: every name used anywhere
/// inside a function literal or `fn` statement of its body or its parameters' defaults.
///
/// Closures find names by looking them up through the scopes they close over, and only the
/// functions written inside a body close over its frame, so once a call returns, a binding of
/// the frame that none of them mentions can never be read again. `ScopeCycles` drops such
/// bindings when the frame outlives its call: a frame that handed out a closure kept every
/// local it had (a 200-item list, or the record the closure came in, which made a cycle).
/// Over-approximates: a name an inner function binds itself counts too.
///
///     // fn make(v) { let big = range(200); let o = {get: fn () { v }}; o }
///     node.namesUsedByInnerFunctions   // ["v"]
extension FunctionNode {
    var namesUsedByInnerFunctions: Set<String> {
        if let cached = cachedInnerNames { return cached }
        let names = CapturedNames.collect(from: self)
        cachedInnerNames = names
        return names
    }
}

enum CapturedNames {
    /// A piece of syntax still to visit, and whether it lies inside an inner function.
    private enum Item {
        case expr(Expr, inner: Bool)
        case stmt(Stmt, inner: Bool)
    }

    /// Walks with a work list, not recursion: a body may nest as deep as the parser allows
    /// and a chain like 1 + 1 + ... runs 100,000 operators deep.
    static func collect(from node: FunctionNode) -> Set<String> {
        var names = Set<String>()
        var work: [Item] = node.body.map { .stmt($0, inner: false) }
            + node.parameters.compactMap(\.defaultValue).map { .expr($0, inner: false) }
        func function(_ inner: FunctionNode) {
            work += inner.body.map { .stmt($0, inner: true) }
            work += inner.parameters.compactMap(\.defaultValue).map { .expr($0, inner: true) }
        }
        while let item = work.popLast() {
            switch item {
            case .stmt(let stmt, let inner):
                func add(_ expr: Expr) { work.append(.expr(expr, inner: inner)) }
                func add(_ stmts: [Stmt]) { work += stmts.map { .stmt($0, inner: inner) } }
                switch stmt.kind {
                case .expression(let expr, _): add(expr)
                case .letBinding(_, let expr): add(expr)
                case .assignment(let target, let value): add(target); add(value)
                case .function(let nested): function(nested)
                case .forLoop(_, let sequence, let body): add(sequence); add(body)
                case .whileLoop(let condition, let body): add(condition); add(body)
                case .breakLoop, .continueLoop: break
                case .returnValue(let expr): if let expr { add(expr) }
                case .assertion(let condition, let message): add(condition); if let message { add(message) }
                case .parameter(_, let expr): add(expr)
                }
            case .expr(let expr, let inner):
                func add(_ child: Expr) { work.append(.expr(child, inner: inner)) }
                switch expr.kind {
                case .number, .string, .bool, .nilLiteral: break
                case .variable(let name): if inner { names.insert(name) }
                case .interpolation(let parts):
                    for case .expression(let part) in parts { add(part) }
                case .list(let items): items.forEach(add)
                case .record(let fields): fields.forEach { add($0.value) }
                case .unary(_, let operand): add(operand)
                case .binary(_, let left, let right), .and(let left, let right), .or(let left, let right):
                    add(left); add(right)
                case .call(let callee, let arguments): add(callee); arguments.forEach { add($0.value) }
                case .methodCall(let receiver, _, let arguments): add(receiver); arguments.forEach { add($0.value) }
                case .member(let base, _): add(base)
                case .index(let base, let indices):
                    add(base)
                    for index in indices {
                        switch index {
                        case .single(let at): add(at)
                        case .slice(let start, let end): if let start { add(start) }; if let end { add(end) }
                        }
                    }
                case .function(let nested): function(nested)
                case .conditional(let condition, let then, let otherwise):
                    add(condition)
                    work += then.map { .stmt($0, inner: inner) }
                    work += (otherwise ?? []).map { .stmt($0, inner: inner) }
                case .block(let stmts): work += stmts.map { .stmt($0, inner: inner) }
                }
            }
        }
        return names
    }
}
