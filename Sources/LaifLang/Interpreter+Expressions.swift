import LaifSupport

extension Interpreter {
    func evaluate(_ expr: Expr, in scope: Environment) throws -> Value {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > Interpreter.maxEvaluationDepth {
            throw LaifError(kind: .runtime, message: "evaluation nested too deeply (endless recursion?)", location: expr.location)
        }
        switch expr.kind {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .nilLiteral: return .nil
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let literal): text += literal
                case .expression(let inner): text += try displayText(of: inner, in: scope)
                }
                try checkStringSize(text, at: expr.location)
            }
            return .string(text)
        case .variable(let name):
            if let value = scope.lookup(name) { return value }
            if let builtin = registry.lookup(name) { return .builtin(builtin) }
            throw LaifError(kind: .runtime, message: undefinedMessage(name, in: scope), location: expr.location)
        case .list(let items):
            return .list(try items.map { try evaluate($0, in: scope) })
        case .record(let fields):
            var record = Record()
            for field in fields { record[field.key] = try evaluate(field.value, in: scope) }
            return .record(record)
        case .unary(let op, let operand):
            var value = try evaluate(operand, in: scope)
            defer { dropTemporary(&value, madeBy: operand) }
            return try unary(op, value, at: expr.location)
        case .binary(let op, let left, let right):
            var lhs = try evaluate(left, in: scope)
            var rhs = try evaluate(right, in: scope)
            defer {
                dropTemporary(&lhs, madeBy: left)
                dropTemporary(&rhs, madeBy: right)
            }
            return try binary(op, lhs, rhs, at: expr.location)
        case .and(let left, let right):
            guard try truth(of: left, in: scope, role: "left side of 'and'") else { return .bool(false) }
            return .bool(try truth(of: right, in: scope, role: "right side of 'and'"))
        case .or(let left, let right):
            if try truth(of: left, in: scope, role: "left side of 'or'") { return .bool(true) }
            return .bool(try truth(of: right, in: scope, role: "right side of 'or'"))
        case .call(let calleeExpr, let arguments):
            var callee = try evaluate(calleeExpr, in: scope)
            defer { dropTemporary(&callee, madeBy: calleeExpr) }   // `make()()`: its scope may hold a deep value
            var (positional, keywords) = try evaluateArguments(arguments, in: scope)
            // Arguments are often the last holders of what a call was given (`len(deep())`).
            defer { ValueRelease.drop(arguments: &positional, &keywords) }
            return try callValue(callee, positional: positional, keywords: keywords, at: expr.location)
        case .methodCall(let receiverExpr, let name, let arguments):
            var receiver = try evaluate(receiverExpr, in: scope)
            var callee = try member(name, of: receiver, at: expr.location, forCall: true)
            var (positional, keywords) = try evaluateArguments(arguments, in: scope)
            defer {
                ValueRelease.drop(arguments: &positional, &keywords)
                ValueRelease.drop(&callee)
                ValueRelease.drop(&receiver)
            }
            return try callValue(callee, positional: positional, keywords: keywords, at: expr.location)
        case .member(let base, let name):
            var value = try evaluate(base, in: scope)
            defer { dropTemporary(&value, madeBy: base) }
            return try member(name, of: value, at: expr.location, forCall: false)
        case .index(let base, let indices):
            var container = try evaluate(base, in: scope)
            defer { dropTemporary(&container, madeBy: base) }
            let components = try indices.map { try evaluateIndex($0, in: scope) }
            return try element(of: container, components, at: expr.location)
        case .function(let node):
            return .function(Closure(node: node, scope: scope))
        case .conditional(let condition, let then, let otherwise):
            if try truth(of: condition, in: scope, role: "if condition") {
                return try blockValue(then, in: scope)
            }
            guard let otherwise else { return .nil }
            return try blockValue(otherwise, in: scope)
        case .block(let statements):
            return try blockValue(statements, in: scope)
        }
    }

    /// Frees an operand the expression made for itself (`deep()[0]`, `deep() == x`), which may
    /// be the last holder of a deeply nested value (see `ValueRelease`). A variable's value is
    /// left alone: its scope still holds it, and testing a shared list for sharing copies the
    /// list, which `xs[i]` in a loop must not pay.
    ///
    ///     defer { dropTemporary(&container, madeBy: base) }
    @inline(__always)
    func dropTemporary(_ value: inout Value, madeBy expr: Expr) {
        if case .variable = expr.kind { return }
        if value.mayNest { ValueRelease.drop(&value) }
    }

    /// Hands a value the expression `expr` made to `use`, and frees it (see `dropTemporary`)
    /// when `use` fails (`let (a, b) = deep()`): then nothing took the value and this is its
    /// last holder. On success whatever took it (a scope, a list) holds it, and testing a
    /// shared list for sharing would copy the list, so it is left alone.
    ///
    ///     try freeingOnFailure(&value, madeBy: expr) { try bind(pattern, to: $0, in: scope) }
    func freeingOnFailure<T>(_ value: inout Value, madeBy expr: Expr, _ use: (Value) throws -> T) throws -> T {
        do { return try use(value) } catch {
            dropTemporary(&value, madeBy: expr)
            throw error
        }
    }

    /// The text `"{expr}"` shows for an expression's value, freeing the value afterwards if the
    /// expression made it (see `dropTemporary`): an interpolation or an assertion's message may
    /// be the last holder of a deep value.
    ///
    ///     text += try displayText(of: inner, in: scope)
    func displayText(of expr: Expr, in scope: Environment) throws -> String {
        var value = try evaluate(expr, in: scope)
        defer { dropTemporary(&value, madeBy: expr) }
        return ValuePrinter.display(value)
    }

    /// Runs a block in a new scope; `break`, `continue` and `return` inside an expression
    /// block propagate through `BlockExit`.
    func blockValue(_ statements: [Stmt], in scope: Environment) throws -> Value {
        switch try executeInNewScope(statements, under: scope) {
        case .normal(let value): return value ?? .nil
        case .breakLoop: throw BlockExit.breakLoop
        case .continueLoop: throw BlockExit.continueLoop
        case .returnValue(let value): throw BlockExit.returnValue(value)
        }
    }

    func evaluateArguments(_ arguments: [Argument], in scope: Environment) throws -> ([Value], [(String, Value)]) {
        var positional: [Value] = []
        var keywords: [(String, Value)] = []
        do {
            for argument in arguments {
                let value = try evaluate(argument.value, in: scope)
                if let label = argument.label { keywords.append((label, value)) } else { positional.append(value) }
            }
        } catch {
            // The arguments made so far die here, and may be the last holders of deep values.
            ValueRelease.drop(arguments: &positional, &keywords)
            throw error
        }
        return (positional, keywords)
    }

    func evaluateIndex(_ index: IndexExpr, in scope: Environment) throws -> IndexValue {
        switch index {
        case .single(let expr): return .single(try evaluate(expr, in: scope))
        case .slice(let start, let end):
            return .slice(start: try start.map { try evaluate($0, in: scope) },
                          end: try end.map { try evaluate($0, in: scope) })
        }
    }

    /// `value.name`: a record field, a domain property, or a method bound to the value.
    func member(_ name: String, of value: Value, at location: SourceLocation, forCall: Bool) throws -> Value {
        if case .record(let record) = value, let field = record[name] { return field }
        if case .object(let object) = value, let property = try located(at: location, { try object.property(name) }) {
            return property
        }
        if let method = registry.method(name, of: value.typeName) {
            return .method(BoundMethod(receiver: value, method: method))
        }
        var message = "\(value.typeName) has no \(forCall ? "method" : "member") '\(name)'"
        // m.save(path) for save(m, path): the builtin is the answer, not the list of methods.
        if forCall, let builtin = registry.lookup(name) {
            throw LaifError(kind: .runtime, message: message + "; \(name) is a function: \(builtin.signature)", location: location)
        }
        if let suggestion = Suggestions.closest(to: name, in: memberNames(of: value)) {
            message += "; did you mean '\(suggestion)'?"
        } else if let listing = memberListing(of: value, forCall: forCall) {
            message += "; " + listing
        }
        throw LaifError(kind: .runtime, message: message, location: location)
    }

    /// The members an unknown-member error offers instead: for a call the methods alone (a
    /// property cannot be called), else the fields or properties, then the methods:
    /// "its properties: name, strength; its methods: demos, label". A long list stops after
    /// `Self.listedMembers` names; `laif help TYPE` has every method.
    ///
    ///     memberListing(of: .list([]), forCall: true)   // "its methods: contains, filter, ..."
    func memberListing(of value: Value, forCall: Bool) -> String? {
        var data: [String] = []
        if case .record(let record) = value { data += record.keys }
        if case .object(let object) = value { data += object.propertyNames }
        let methods = registry.methods(of: value.typeName).map(\.name).filter { !data.contains($0) }
        let dataKind = if case .record = value { "fields" } else { "properties" }
        let groups = forCall ? [("methods", methods)] : [(dataKind, data), ("methods", methods)]
        var budget = Self.listedMembers
        var parts: [String] = []
        for (kind, names) in groups where !names.isEmpty {
            let shown = names.prefix(max(0, budget))
            budget -= shown.count
            let left = names.count - shown.count
            let more = left == 0 ? "" : kind == "methods" ? " and \(left) more (laif help \(value.typeName))" : " and \(left) more"
            if !shown.isEmpty { parts.append("its \(kind): " + shown.joined(separator: ", ") + more) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Names an unknown-member error lists at most.
    static let listedMembers = 32

    func undefinedMessage(_ name: String, in scope: Environment) -> String {
        var candidates: [String] = []
        var current: Environment? = scope
        while let env = current { candidates += env.boundNames; current = env.parent }
        candidates += registry.all.map(\.name)
        var message = "undefined name '\(name)'"
        // Documentation is a REPL command and a CLI subcommand, not a function: point there.
        if name == "help" { return message + "; for a builtin's documentation type :help NAME in the REPL, or run laif help NAME" }
        if let suggestion = Suggestions.closest(to: name, in: candidates) { message += "; did you mean '\(suggestion)'?" }
        return message
    }

    /// Runs `body`, pinning any error without a location to `location` (and turning foreign
    /// errors into runtime errors; a library loop stopped by Ctrl-C, such as a huge product,
    /// into the interrupt error).
    func located<T>(at location: SourceLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch is OperationCancelled {
            throw Interpreter.interrupted(at: location)
        } catch let error as LaifError {
            throw error.located(at: location)
        } catch let exit as BlockExit {
            throw exit
        } catch {
            throw LaifError(kind: .runtime, message: "\(error)", location: location)
        }
    }

    func checkStringSize(_ text: String, at location: SourceLocation) throws {
        if text.utf8.count > Limits.maxStringBytes {
            throw LaifError(kind: .runtime, message: "string longer than \(Limits.maxStringBytes) bytes", location: location)
        }
    }
}

/// `break`, `continue` or `return` leaving an `if` used as an expression (rare): unwinds as a
/// Swift error to the statement that runs the loop or call.
enum BlockExit: Error {
    case breakLoop
    case continueLoop
    case returnValue(Value)
}

/// "Did you mean" for misspelt names.
enum Suggestions {
    /// The candidate nearest to `name` by edit distance, when close enough to be a typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        guard !target.isEmpty, target.count <= 64 else { return nil }
        var best: (String, Int)?
        for candidate in Set(candidates) where candidate != name && candidate.count <= 64 {
            let distance = editDistance(target, Array(candidate.lowercased()))
            let allowed = target.count <= 2 ? 0 : max(1, target.count / 3)
            if distance <= allowed, best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// For an unknown keyword: " (did you mean 'min_steps'?)" for a typo, else the parameters
    /// that have it as one of their words ("steps" -> " (did you mean 'min_steps' or
    /// 'max_steps'?)"), else "".
    ///
    ///     Suggestions.keywordHint(for: "steps", among: ["epochs", "min_steps", "max_steps"])
    static func keywordHint(for name: String, among parameters: [String]) -> String {
        if let near = closest(to: name, in: parameters) { return " (did you mean '\(near)'?)" }
        let word = name.lowercased()
        let related = parameters.filter { $0 != name && $0.lowercased().split(separator: "_").contains { $0 == word } }
        guard !related.isEmpty, related.count <= 3 else { return "" }
        return " (did you mean " + related.map { "'\($0)'" }.joined(separator: " or ") + "?)"
    }

    /// Optimal string alignment distance: edits plus adjacent transpositions ("cuont" is
    /// one step from "count").
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
