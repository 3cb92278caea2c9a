import Foundation

/// Numeric functions. Each also accepts a domain object whose type registers a method of the
/// same name (so `sqrt(t)` works for tensors once the tensor bindings add `tensor.sqrt`).
enum MathBuiltins {
    static func register(in registry: BuiltinRegistry) {
        for builtin in [abs, sqrt, exp, log, floor, ceil, round, min, max, sum, mean] {
            registry.register(builtin)
        }
    }

    /// Applies `operation` to a number, or forwards to the same-named method of a domain object.
    static func unaryMath(_ name: String, doc: String, example: String, _ operation: @escaping (Double) -> Double) -> Builtin {
        Builtin(name: name, parameters: [.required("x")], doc: doc, example: example, topic: "math") { args, context in
            let x = try args.value("x")
            if case .number(let number) = x { return .number(operation(number)) }
            if let forwarded = try forwardToMethod(name, x, [], context) { return forwarded }
            throw args.error("argument 'x' must be a number, got \(x.typeName)")
        }
    }

    /// Calls `value.name(arguments...)` when `value` is a domain object with such a method.
    static func forwardToMethod(_ name: String, _ value: Value, _ arguments: [Value], _ context: CallContext) throws -> Value? {
        guard case .object = value, let method = context.interpreter.registry.method(name, of: value.typeName) else { return nil }
        return try context.call(.method(BoundMethod(receiver: value, method: method)), arguments)
    }

    /// `abs(x)`: absolute value.
    ///
    ///     abs(-2)   # 2
    static let abs = unaryMath("abs", doc: "Absolute value.", example: "abs(-2)") { Swift.abs($0) }
    /// `sqrt(x)`: square root (nan for negatives).
    ///
    ///     sqrt(16)   # 4
    static let sqrt = unaryMath("sqrt", doc: "Square root (nan for negative numbers).", example: "sqrt(16)") { Foundation.sqrt($0) }
    /// `exp(x)`: e to the x.
    ///
    ///     exp(0)   # 1
    static let exp = unaryMath("exp", doc: "e raised to x.", example: "exp(1)") { Foundation.exp($0) }
    /// `log(x)`: natural logarithm (-inf at 0, nan below).
    ///
    ///     log(1)   # 0
    static let log = unaryMath("log", doc: "Natural logarithm (-inf at 0, nan for negatives).", example: "log(10)") { Foundation.log($0) }
    /// `floor(x)`: largest whole number not above x.
    ///
    ///     floor(2.7)   # 2
    static let floor = unaryMath("floor", doc: "Largest whole number not above x.", example: "floor(2.7)") { $0.rounded(.down) }
    /// `ceil(x)`: smallest whole number not below x.
    ///
    ///     ceil(2.1)   # 3
    static let ceil = unaryMath("ceil", doc: "Smallest whole number not below x.", example: "ceil(2.1)") { $0.rounded(.up) }

    /// `round(x, digits: 0)`: rounds half away from zero to `digits` decimals.
    ///
    ///     round(3.14159, digits: 2)   # 3.14
    static let round = Builtin(
        name: "round", parameters: [.required("x"), .optional("digits", .number(0))],
        doc: "Round half away from zero to the given number of decimals.",
        example: "round(3.14159, digits: 2)", topic: "math"
    ) { args, context in
        let x = try args.value("x")
        guard case .number(let number) = x else {
            if let forwarded = try forwardToMethod("round", x, [], context) { return forwarded }
            throw args.error("argument 'x' must be a number, got \(x.typeName)")
        }
        let digits = try args.int("digits")
        guard (-300...300).contains(digits) else { throw args.error("digits must be between -300 and 300") }
        if digits == 0 { return .number(number.rounded()) }
        let scale = Foundation.pow(10, Double(digits))
        // Past 2^52 a double has no digits below that scale to round away, and multiplying up
        // and back only added error (round(1e300, digits: 5) gave 1.0000000000000002e300).
        if Swift.abs(number * scale) >= 0x1p52 { return .number(number) }
        let scaled = (number * scale).rounded() / scale
        return .number(scaled.isFinite ? scaled : number)
    }

    /// The numbers to reduce: one list argument, or several number arguments.
    static func operands(_ args: Arguments) throws -> [Value] {
        if args.rest.count == 1, case .list(let items) = args.rest[0] { return items }
        return args.rest
    }

    static func extreme(_ name: String, pickLess: Bool) -> Builtin {
        Builtin(name: name, parameters: [.variadic("values")],
                doc: "The \(pickLess ? "smallest" : "largest") of a list, or of several arguments (numbers or strings; nan if any is nan).",
                example: "\(name)([3, 1, 2])", topic: "math") { args, context in
            if args.rest.count == 1, case .object = args.rest[0],
               let forwarded = try forwardToMethod(name, args.rest[0], [], context) {
                return forwarded
            }
            let values = try operands(args)
            guard var best = values.first else { throw args.error("needs at least one value") }
            // A lone value is checked as two would be: min(nil) is as wrong as min(nil, nil).
            if values.count == 1 { _ = try context.interpreter.compareForOrder(best, best) }
            var sawNaN = false
            for value in values.dropFirst() {
                let less = try context.interpreter.compareForOrder(value, best)
                let greater = try context.interpreter.compareForOrder(best, value)
                if pickLess ? less : greater { best = value }
                if case .number(let number) = value, number.isNaN { sawNaN = true }
            }
            // nan compares false both ways, so the answer depended on where it stood
            // (max([1, nan]) was 1, max([nan, 1]) nan): any nan makes the result nan, as in NumPy.
            if sawNaN { return .number(.nan) }
            return best
        }
    }

    /// `min(xs)` or `min(a, b, ...)`: the smallest value.
    ///
    ///     min([3, 1, 2])   # 1
    static let min = extreme("min", pickLess: true)
    /// `max(xs)` or `max(a, b, ...)`: the largest value.
    ///
    ///     max(3, 7)   # 7
    static let max = extreme("max", pickLess: false)

    /// `sum(xs)`: the sum of a list of numbers (0 for an empty list).
    ///
    ///     sum([1, 2, 3])   # 6
    static let sum = Builtin(
        name: "sum", parameters: [.required("xs")],
        doc: "Sum of a list of numbers (0 when empty).", example: "sum([1, 2, 3])", topic: "math"
    ) { args, context in
        let xs = try args.value("xs")
        if let forwarded = try forwardToMethod("sum", xs, [], context) { return forwarded }
        return .number(try numbers(in: try args.list("xs"), args).reduce(0, +))
    }

    /// `mean(xs)`: the arithmetic mean of a non-empty list of numbers.
    ///
    ///     mean([1, 2, 3])   # 2
    static let mean = Builtin(
        name: "mean", parameters: [.required("xs")],
        doc: "Arithmetic mean of a non-empty list of numbers.", example: "mean([1, 2, 3])", topic: "math"
    ) { args, context in
        let xs = try args.value("xs")
        if let forwarded = try forwardToMethod("mean", xs, [], context) { return forwarded }
        let values = try numbers(in: try args.list("xs"), args)
        guard !values.isEmpty else { throw args.error("mean of an empty list") }
        let count = Double(values.count)
        let total = values.reduce(0, +)
        // The sum of large finite numbers can pass the largest double while their mean does not
        // (mean([1e308, 1e308]) read inf): then each is divided first.
        if total.isInfinite, values.allSatisfy(\.isFinite) { return .number(values.reduce(0) { $0 + $1 / count }) }
        return .number(total / count)
    }

    static func numbers(in items: [Value], _ args: Arguments) throws -> [Double] {
        try items.enumerated().map { index, item in
            guard case .number(let number) = item else {
                throw args.error("element \(index) is a \(item.typeName), not a number")
            }
            return number
        }
    }
}
