import Foundation

/// Arithmetic, comparison and equality. Numbers follow IEEE 754: `1 / 0` is `inf`, `0 / 0`
/// is `nan`, and `%` is the floored remainder (`-1 % 3 == 2`). Domain objects get the first
/// chance at any operator they take part in (tensors broadcast, `@` multiplies matrices).
extension Interpreter {
    func binary(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, at location: SourceLocation) throws -> Value {
        if case .object(let object) = lhs,
           let result = try located(at: location, { try object.binary(op, rhs, selfIsLeft: true) }) {
            return result
        }
        if case .object(let object) = rhs,
           let result = try located(at: location, { try object.binary(op, lhs, selfIsLeft: false) }) {
            return result
        }
        switch op {
        case .equal: return .bool(try valuesEqual(lhs, rhs, depth: 0, at: location))
        case .notEqual: return .bool(try !valuesEqual(lhs, rhs, depth: 0, at: location))
        default: break
        }
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            switch op {
            case .add: return .number(a + b)
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide: return .number(a / b)
            case .remainder: return .number(Numeric.remainder(a, b))
            case .power: return .number(pow(a, b))
            case .less: return .bool(a < b)
            case .lessEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            case .greaterEqual: return .bool(a >= b)
            case .matmul: throw operatorError(op, lhs, rhs, at: location, hint: "'@' multiplies tensors; use '*' for numbers")
            default: break
            }
        case (.string(let a), .string(let b)):
            switch op {
            case .concat:
                let joined = a + b
                try checkStringSize(joined, at: location)
                return .string(joined)
            case .less: return .bool(a < b)
            case .lessEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            case .greaterEqual: return .bool(a >= b)
            case .add: throw operatorError(op, lhs, rhs, at: location, hint: "join strings with '++'")
            default: break
            }
        case (.list(let a), .list(let b)):
            if op == .concat {
                guard a.count + b.count <= Limits.maxListLength else {
                    throw LaifError(kind: .runtime, message: "list longer than \(Limits.maxListLength) elements", location: location)
                }
                return .list(a + b)
            }
            if op == .add { throw operatorError(op, lhs, rhs, at: location, hint: "join lists with '++'") }
        case (.string, _), (_, .string):
            if op == .concat || op == .add {
                throw operatorError(op, lhs, rhs, at: location, hint: "build text with interpolation \"{x}\" or str(x)")
            }
        default: break
        }
        throw operatorError(op, lhs, rhs, at: location, hint: nil)
    }

    private func operatorError(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, at location: SourceLocation, hint: String?) -> LaifError {
        var message = "cannot apply '\(op.symbol)' to \(lhs.typeName) and \(rhs.typeName)"
        if let hint { message += "; \(hint)" }
        return LaifError(kind: .runtime, message: message, location: location)
    }

    func unary(_ op: UnaryOperator, _ operand: Value, at location: SourceLocation) throws -> Value {
        switch (op, operand) {
        case (.negate, .number(let a)): return .number(-a)
        case (.plus, .number(let a)): return .number(a)
        case (.not, .bool(let flag)): return .bool(!flag)
        case (_, .object(let object)):
            if let result = try located(at: location, { try object.unary(op) }) { return result }
        default: break
        }
        var message = "cannot apply '\(op.symbol)' to \(operand.typeName)"
        if op == .not { message += "; 'not' needs a bool (laif has no truthiness: compare explicitly, e.g. x != nil)" }
        throw LaifError(kind: .runtime, message: message, location: location)
    }

    /// Deep equality: numbers by value (`nan != nan`), lists and records element-wise,
    /// functions by identity, domain objects by `isEqual(to:)`. Values of different types
    /// are unequal.
    func valuesEqual(_ lhs: Value, _ rhs: Value, depth: Int, at location: SourceLocation) throws -> Bool {
        guard depth <= Limits.maxValueDepth else {
            throw LaifError(kind: .runtime, message: "values nested deeper than \(Limits.maxValueDepth) levels cannot be compared",
                            location: location)
        }
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.nil, .nil): return true
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !(try valuesEqual(x, y, depth: depth + 1, at: location)) { return false }
            return true
        case (.record(let a), .record(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.fields {
                guard let other = b[key], try valuesEqual(value, other, depth: depth + 1, at: location) else { return false }
            }
            return true
        // The same function over the same scope: a scope makes its own closures again when they
        // are read (see Environment), so two reads of one binding are two equal objects.
        case (.function(let a), .function(let b)): return a.node === b.node && a.scope === b.scope
        case (.builtin(let a), .builtin(let b)): return a.qualifiedName == b.qualifiedName
        case (.method(let a), .method(let b)):
            guard a.method.qualifiedName == b.method.qualifiedName else { return false }
            return try valuesEqual(a.receiver, b.receiver, depth: depth + 1, at: location)
        case (.object(let a), .object(let b)): return a.isEqual(to: b)
        default: return false
        }
    }

    /// Ordering for `sort`, `min` and `max`: numbers, or strings, not mixed.
    func compareForOrder(_ lhs: Value, _ rhs: Value) throws -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return a < b
        case (.string(let a), .string(let b)): return a < b
        default:
            throw LaifError.runtime("cannot order \(lhs.typeName) and \(rhs.typeName); only numbers or only strings")
        }
    }
}
