import LaifSupport

extension Interpreter {
    /// Calls any callable value with evaluated arguments.
    func callValue(_ callee: Value, positional: [Value], keywords: [(String, Value)], at location: SourceLocation) throws -> Value {
        switch callee {
        case .function(let closure):
            return try callClosure(closure, positional: positional, keywords: keywords, at: location)
        case .builtin(let builtin):
            return try callBuiltin(builtin, receiver: nil, positional: positional, keywords: keywords, at: location)
        case .method(let bound):
            return try callBuiltin(bound.method, receiver: bound.receiver, positional: positional, keywords: keywords, at: location)
        default:
            throw LaifError(kind: .runtime, message: "a \(callee.typeName) is not callable", location: location)
        }
    }

    func callClosure(_ closure: Closure, positional: [Value], keywords: [(String, Value)], at location: SourceLocation) throws -> Value {
        try checkInterrupt(at: location)
        guard callDepth < Limits.maxCallDepth else {
            throw LaifError(kind: .runtime,
                            message: "call depth exceeded \(Limits.maxCallDepth) in \(closure.signature) (endless recursion?)",
                            location: location)
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let node = closure.node
        var scope = Environment(parent: closure.scope)
        defer { ScopeCycles.release(&scope, frameOf: node) }
        func fail(_ message: String) -> LaifError {
            LaifError(kind: .runtime, message: "\(node.name ?? "fn")(): \(message); signature: \(node.signature)", location: location)
        }
        guard positional.count <= node.parameters.count else {
            throw fail("takes \(node.parameters.count) argument\(node.parameters.count == 1 ? "" : "s"), got \(positional.count)")
        }
        var given: [String: Value] = [:]
        for (parameter, value) in zip(node.parameters, positional) { given[parameter.name] = value }
        for (name, value) in keywords {
            guard node.parameters.contains(where: { $0.name == name }) else {
                throw fail("unknown keyword '\(name)'" + Suggestions.keywordHint(for: name, among: node.parameters.map(\.name)))
            }
            guard given[name] == nil else { throw fail("argument '\(name)' given twice") }
            given[name] = value
        }
        for parameter in node.parameters {
            if let value = given[parameter.name] {
                scope.define(parameter.name, value)
            } else if let defaultExpr = parameter.defaultValue {
                scope.define(parameter.name, try evaluate(defaultExpr, in: scope))
            } else {
                throw fail("missing argument '\(parameter.name)'")
            }
        }
        let flow: Flow
        do {
            flow = try executeBlock(node.body, in: scope)
        } catch let error as LaifError {
            throw error.addingFrame(node.signature, calledAt: location)
        }
        switch flow {
        case .returnValue(let value): return value
        case .normal(let value): return value ?? .nil
        case .breakLoop, .continueLoop: return .nil
        }
    }

    func callBuiltin(_ builtin: Builtin, receiver: Value?, positional: [Value], keywords: [(String, Value)],
                     at location: SourceLocation) throws -> Value {
        try checkInterrupt(at: location)
        let arguments = try bindArguments(builtin, receiver: receiver, positional: positional, keywords: keywords, at: location)
        let context = CallContext(interpreter: self, location: location)
        do {
            return try builtin.implementation(arguments, context)
        } catch is OperationCancelled {
            throw Interpreter.interrupted(at: location)
        } catch let error as LaifError {
            // A library stopped by Ctrl-C may surface as some other error on its way out.
            if error.kind != .interrupted && shouldInterrupt() { throw Interpreter.interrupted(at: location) }
            guard error.location == nil else { throw error }
            let name = builtin.qualifiedName + "("
            let message = error.message.hasPrefix(name) ? error : error.prefixed("\(builtin.qualifiedName)(): ")
            throw message.located(at: location)
        } catch let exit as BlockExit {
            throw exit
        } catch {
            throw LaifError(kind: .runtime, message: "\(builtin.qualifiedName)(): \(error)", location: location)
        }
    }

    /// Binds call arguments to a builtin's declared parameters; every argument error reads
    /// "name(): problem; signature: ...".
    func bindArguments(_ builtin: Builtin, receiver: Value?, positional: [Value], keywords: [(String, Value)],
                       at location: SourceLocation) throws -> Arguments {
        func fail(_ message: String) -> LaifError {
            LaifError(kind: .runtime, message: "\(builtin.qualifiedName)(): \(message); signature: \(builtin.signature)",
                      location: location)
        }
        let fixed = builtin.parameters.filter {
            switch $0.kind { case .required, .optional: return true; default: return false }
        }
        let hasVariadic = builtin.parameters.contains { if case .variadic = $0.kind { return true } else { return false } }
        let hasKeywords = builtin.parameters.contains { if case .keywords = $0.kind { return true } else { return false } }
        var bound: [String: Value] = [:]
        var rest: [Value] = []
        var extras: [(name: String, value: Value)] = []
        // Parameters declared after a variadic one can only be given by name.
        let byPosition = builtin.parameters.prefix { if case .variadic = $0.kind { return false } else { return true } }
            .filter { if case .keywords = $0.kind { return false } else { return true } }
        for (position, value) in positional.enumerated() {
            if position < byPosition.count { bound[byPosition[position].name] = value }
            else if hasVariadic { rest.append(value) }
            else {
                throw fail("takes at most \(byPosition.count) positional argument\(byPosition.count == 1 ? "" : "s"), got \(positional.count)")
            }
        }
        for (name, value) in keywords {
            if fixed.contains(where: { $0.name == name }) {
                guard bound[name] == nil else { throw fail("argument '\(name)' given twice") }
                bound[name] = value
            } else if hasKeywords {
                extras.append((name, value))
            } else {
                throw fail("unknown keyword '\(name)'" + Suggestions.keywordHint(for: name, among: fixed.map(\.name)))
            }
        }
        for parameter in fixed where bound[parameter.name] == nil {
            switch parameter.kind {
            case .optional(let value): bound[parameter.name] = value
            default: throw fail("missing argument '\(parameter.name)'")
            }
        }
        return Arguments(builtin: builtin, receiver: receiver, bound: bound, rest: rest, extraKeywords: extras)
    }
}
