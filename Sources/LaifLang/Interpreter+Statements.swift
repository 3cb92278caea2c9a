/// How a statement finished: normally (with the value of an expression statement), or by
/// `break`, `continue` or `return` unwinding to the enclosing loop or call.
enum Flow {
    case normal(Value?)
    case breakLoop
    case continueLoop
    case returnValue(Value)
}

extension Interpreter {
    func execute(_ statement: Stmt, in scope: Environment) throws -> Flow {
        do {
            return try executeUnguarded(statement, in: scope)
        } catch let exit as BlockExit {
            switch exit {
            case .breakLoop: return .breakLoop
            case .continueLoop: return .continueLoop
            case .returnValue(let value): return .returnValue(value)
            }
        }
    }

    private func executeUnguarded(_ statement: Stmt, in scope: Environment) throws -> Flow {
        switch statement.kind {
        case .expression(let expr, let silenced):
            // `if` and blocks as statements pass break/continue/return on directly.
            if case .conditional(let condition, let then, let otherwise) = expr.kind {
                let chosen: [Stmt]?
                chosen = try truth(of: condition, in: scope, role: "if condition") ? then : otherwise
                guard let chosen else { return .normal(silenced ? nil : .nil) }
                let flow = try executeInNewScope(chosen, under: scope)
                if case .normal(let value) = flow { return .normal(silenced ? nil : value ?? .nil) }
                return flow
            }
            if case .block(let statements) = expr.kind {
                let flow = try executeInNewScope(statements, under: scope)
                if case .normal(let value) = flow { return .normal(silenced ? nil : value ?? .nil) }
                return flow
            }
            let value = try evaluate(expr, in: scope)
            return .normal(silenced ? nil : value)
        case .letBinding(let pattern, let expr):
            var value = try evaluate(expr, in: scope)
            try freeingOnFailure(&value, madeBy: expr) { try bind(pattern, to: $0, in: scope) }
        case .assignment(let target, let expr):
            if try !assignJoinedInPlace(expr, to: target, in: scope), try !assignInterpolatedInPlace(expr, to: target, in: scope) {
                var value = try evaluate(expr, in: scope)
                try freeingOnFailure(&value, madeBy: expr) { try assign($0, to: target, in: scope) }
            }
        case .function(let node):
            scope.define(node.name ?? "fn", .function(Closure(node: node, scope: scope)))
        case .forLoop(let pattern, let sequenceExpr, let body):
            func iterate(_ element: Value) throws -> Flow? {
                try checkInterrupt(at: statement.location)
                var iterationScope = Environment(parent: scope)
                defer { ScopeCycles.release(&iterationScope) }
                try bind(pattern, to: element, in: iterationScope)
                switch try executeBlock(body, in: iterationScope) {
                case .breakLoop: return .normal(nil)
                case .returnValue(let value): return .returnValue(value)
                case .normal, .continueLoop: return nil
                }
            }
            // `for i in range(...)` counts without building the list, so long loops have no
            // length limit (they stay interruptible).
            if let range = try lazyRange(sequenceExpr, in: scope) {
                var i = 0
                while i < range.count {
                    if let exit = try iterate(.number(range.start + Double(i) * range.step)) { return exit }
                    i += 1
                }
                return .normal(nil)
            }
            var sequence = try iterationValues(of: try evaluate(sequenceExpr, in: scope), at: sequenceExpr.location)
            defer { releaseIterated(&sequence, madeBy: sequenceExpr) }
            for element in sequence {
                if let exit = try iterate(element) { return exit }
            }
        case .whileLoop(let condition, let body):
            while try truth(of: condition, in: scope, role: "while condition") {
                try checkInterrupt(at: statement.location)
                switch try executeInNewScope(body, under: scope) {
                case .breakLoop: return .normal(nil)
                case .returnValue(let value): return .returnValue(value)
                case .normal, .continueLoop: continue
                }
            }
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        case .returnValue(let expr):
            return .returnValue(try expr.map { try evaluate($0, in: scope) } ?? .nil)
        case .assertion(let condition, let messageExpr):
            if try !truth(of: condition, in: scope, role: "assert condition") {
                var message = "assertion failed"
                if let messageExpr {
                    message += ": " + (try displayText(of: messageExpr, in: scope))
                }
                throw LaifError(kind: .assertion, message: message, location: statement.location)
            }
        case .parameter(let name, let expr):
            let declared = try evaluate(expr, in: scope)
            var value = declared
            if let override = parameterOverrides[name] {
                if !declared.isNil && override.typeName != declared.typeName {
                    throw LaifError(kind: .usage,
                                    message: "parameter '\(name)' is a \(declared.typeName) (default \(ValuePrinter.repr(declared))), got a \(override.typeName)",
                                    location: statement.location)
                }
                value = override
            }
            scope.define(name, value)
        }
        return .normal(nil)
    }

    /// Runs statements in a new scope under `parent`, then lets go of it (see `ScopeCycles`).
    ///
    ///     let flow = try executeInNewScope(then, under: scope)
    func executeInNewScope(_ statements: [Stmt], under parent: Environment) throws -> Flow {
        var scope = Environment(parent: parent)
        defer { ScopeCycles.release(&scope) }
        return try executeBlock(statements, in: scope)
    }

    /// Runs statements in `scope`; the value is that of the last statement when it is an
    /// unsilenced expression statement.
    func executeBlock(_ statements: [Stmt], in scope: Environment) throws -> Flow {
        var last: Value?
        for statement in statements {
            let flow = try execute(statement, in: scope)
            guard case .normal(let value) = flow else { return flow }
            // The previous statement's value dies here, often its last holder (see ValueRelease).
            if last != nil { ValueRelease.drop(&last!) }
            last = value
        }
        return .normal(last)
    }

    /// Evaluates a condition that must be a bool (laif has no truthiness: `if 0` is an error).
    func truth(of expr: Expr, in scope: Environment, role: String) throws -> Bool {
        var value = try evaluate(expr, in: scope)
        defer { dropTemporary(&value, madeBy: expr) }   // `if deep() {}` fails, and frees it
        guard case .bool(let flag) = value else {
            throw LaifError(kind: .runtime, message: "\(role) must be a bool, got \(value.typeName)", location: expr.location)
        }
        return flag
    }

    /// Frees what a `for` loop iterated over once the loop is done, when the loop's expression
    /// made it (`for x in deep() {}`): the loop's copy of the items is then their last holder,
    /// and an item may be deeply nested (see `ValueRelease`). A variable's list stays with its
    /// scope, untouched.
    ///
    ///     defer { releaseIterated(&sequence, madeBy: sequenceExpr) }
    func releaseIterated(_ items: inout [Value], madeBy expr: Expr) {
        var held = Value.list(items)
        items = []
        dropTemporary(&held, madeBy: expr)
    }

    /// What `for x in value` visits: list items, string characters, record keys, or a
    /// domain object's elements.
    func iterationValues(of value: Value, at location: SourceLocation) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .string(let text):
            // Each character becomes a value of its own (about 120 bytes): a 50-million-character
            // string made 6 GB and ended the process.
            try requireIterable(text.count, of: "string", "characters",
                                fix: "go through it in slices, e.g. s[:\(Limits.maxListLength)]", at: location)
            return text.map { .string(String($0)) }
        case .record(let record):
            try requireIterable(record.count, of: "record", "keys", fix: "keep that many entries in a list or a tensor",
                                at: location)
            return record.keys.map { .string($0) }
        case .object(let object):
            if let elements = try located(at: location, { try object.elements() }) { return elements }
        default: break
        }
        throw LaifError(kind: .runtime, message: "cannot iterate over a \(value.typeName); use a list, string or record",
                        location: location)
    }

    /// Refuses to list more items of a string or record than a list may hold.
    private func requireIterable(_ count: Int, of kind: String, _ items: String, fix: String,
                                 at location: SourceLocation) throws {
        guard count > Limits.maxListLength else { return }
        throw LaifError(kind: .runtime, message: "a \(kind) of \(count) \(items) is more than one list may hold "
                        + "(\(Limits.maxListLength)); \(fix)", location: location)
    }

    /// Binds a pattern: a name, or a list pattern matching a list (or tuple) of equal length.
    func bind(_ pattern: Pattern, to value: Value, in scope: Environment) throws {
        switch pattern {
        case .name(let name, _):
            if name != "_" { scope.define(name, value) }
        case .list(let patterns, let location):
            let items: [Value]
            switch value {
            case .list(let list): items = list
            case .object(let object):
                guard let elements = try located(at: location, { try object.elements() }) else {
                    throw LaifError(kind: .runtime, message: "cannot destructure a \(value.typeName); it needs a list",
                                    location: location)
                }
                items = elements
            default:
                throw LaifError(kind: .runtime,
                                message: "cannot destructure a \(value.typeName) into \(patterns.count) name\(patterns.count == 1 ? "" : "s"); it needs a list",
                                location: location)
            }
            guard items.count == patterns.count else {
                throw LaifError(kind: .runtime,
                                message: "cannot destructure a list of \(items.count) into \(patterns.count) name\(patterns.count == 1 ? "" : "s")",
                                location: location)
            }
            for (pattern, item) in zip(patterns, items) { try bind(pattern, to: item, in: scope) }
        }
    }

    /// `name = v`, `xs[i] = v`, `r.a = v` and nested forms like `r.a[0] = v`.
    func assign(_ value: Value, to target: Expr, in scope: Environment) throws {
        switch target.kind {
        case .variable(let name):
            guard scope.assign(name, value) else {
                // A builtin's name is not a variable: `len = 5` said "undefined name 'len'".
                if registry.lookup(name) != nil {
                    throw LaifError(kind: .runtime, message: "'\(name)' is a builtin, not a variable; bind a name of your own with "
                                    + "'let \(name) = ...' (it then hides the builtin in this scope)", location: target.location)
                }
                throw LaifError(kind: .runtime, message: undefinedMessage(name, in: scope) + "; declare it with 'let \(name) = ...'",
                                location: target.location)
            }
        case .index, .member:
            // Every index is evaluated once, outermost container first, before the variable is
            // taken out of its scope: an index may call a function or mention the container
            // (`xs[len(xs) - 1] = v`), and `grid[next()][1] = v` must call next() once.
            var steps: [AssignmentStep] = []
            var node = target
            while true {
                if case .index(let base, let indices) = node.kind {
                    steps.append(.index(indices, node.location))
                    node = base
                } else if case .member(let base, let name) = node.kind {
                    steps.append(.member(name, node.location))
                    node = base
                } else {
                    break
                }
            }
            guard case .variable(let name) = node.kind else {
                throw LaifError(kind: .runtime, message: "cannot assign into a temporary value; bind it with let first",
                                location: node.location)
            }
            let path = try steps.reversed().map { step -> ResolvedStep in
                switch step {
                case .index(let indices, let location):
                    return .index(try indices.map { try evaluateIndex($0, in: scope) }, location)
                case .member(let field, let location):
                    return .member(field, location)
                }
            }
            // Taken out of its scope so the update does not copy it; put back even on an error,
            // which leaves it unchanged.
            guard var container = scope.take(name) else {
                throw LaifError(kind: .runtime, message: undefinedMessage(name, in: scope), location: node.location)
            }
            defer { _ = scope.assign(name, container) }
            try store(value, into: &container, along: path[...])
        default:
            throw LaifError(kind: .runtime, message: "cannot assign to this expression", location: target.location)
        }
    }

    /// One step from a variable down to the place an assignment writes: `[...]` or `.name`.
    private enum AssignmentStep {
        case index([IndexExpr], SourceLocation)
        case member(String, SourceLocation)
    }

    /// An `AssignmentStep` with its indices evaluated.
    private enum ResolvedStep {
        case index([IndexValue], SourceLocation)
        case member(String, SourceLocation)
    }

    /// Writes `value` at the end of `path` inside `container`. Throws before changing anything,
    /// so a failed assignment leaves the container as it was.
    private func store(_ value: Value, into container: inout Value, along path: ArraySlice<ResolvedStep>) throws {
        guard let step = path.first else {
            container = value
            return
        }
        let rest = path.dropFirst()
        switch step {
        case .index(let components, let location):
            guard !rest.isEmpty else {
                return try setElement(of: &container, indices: components, to: value, at: location)
            }
            var inner = try element(of: container, components, at: location)
            guard container.isList || container.isRecord else {
                try store(value, into: &inner, along: rest)
                return try setElement(of: &container, indices: components, to: inner, at: location)
            }
            // The element is taken out while it is written, so the write does not copy it
            // (`m[i][j] = v` in place), and put back as it was if the write fails.
            try setElement(of: &container, indices: components, to: .nil, at: location)
            do {
                try store(value, into: &inner, along: rest)
            } catch {
                try setElement(of: &container, indices: components, to: inner, at: location)
                throw error
            }
            try setElement(of: &container, indices: components, to: inner, at: location)
        case .member(let name, let location):
            guard container.isRecord else {
                throw LaifError(kind: .runtime, message: "cannot set field '\(name)' of a \(container.typeName); only records have settable fields",
                                location: location)
            }
            guard !rest.isEmpty else {
                // Taken out of the container, the record is held once: the write does not copy it.
                var record = container.takeRecord()!
                record.replaceField(name, with: value)
                container = .record(record)
                return
            }
            var field = try member(name, of: container, at: location, forCall: false)
            // The record and the field written into are taken out, so each is held once and
            // the write copies neither; the field goes back as it was if the write fails. A
            // method read as a member (`r.keys.x = 1`) is no field: nothing to take out or put back.
            var record = container.takeRecord()!
            let isField = record[name] != nil
            if isField { record[name] = Value.nil }
            do {
                try store(value, into: &field, along: rest)
            } catch {
                if isField { record[name] = field }
                container = .record(record)
                throw error
            }
            record[name] = field
            container = .record(record)
        }
    }

    /// The bounds of `range(...)` when `expr` calls the builtin range (not a user's own
    /// `range`), checked exactly as the builtin checks them.
    private func lazyRange(_ expr: Expr, in scope: Environment) throws -> CollectionBuiltins.RangeBounds? {
        guard case .call(let callee, let argumentExprs) = expr.kind, case .variable("range") = callee.kind,
              scope.lookup("range") == nil, let builtin = registry.lookup("range"),
              builtin.name == CollectionBuiltins.range.name, builtin.doc == CollectionBuiltins.range.doc else { return nil }
        let (positional, keywords) = try evaluateArguments(argumentExprs, in: scope)
        let arguments = try bindArguments(builtin, receiver: nil, positional: positional, keywords: keywords, at: expr.location)
        do {
            return try CollectionBuiltins.rangeBounds(arguments, limit: nil)
        } catch let error as LaifError {
            throw error.located(at: expr.location)
        }
    }
}
