import LaifLang
import LaifTensor

/// Registers the tensor builtins (creation, joining, printing options) and tensor methods.
/// Returns the print options every tensor of this registry shares (pass them to
/// `registerModelBindings` so model outputs print the same way).
///
///     let registry = BuiltinRegistry.core()
///     let printOptions = registerTensorBindings(in: registry)
@discardableResult
public func registerTensorBindings(in registry: BuiltinRegistry) -> TensorPrintOptions {
    let options = TensorPrintOptions()
    for builtin in TensorBuiltins.creation(options) + TensorBuiltins.joining(options) + TensorPrintBuiltins.all(options) {
        registry.register(builtin)
    }
    for method in TensorMethods.all(options) {
        registry.registerMethod(typeName: "tensor", method)
    }
    return options
}

/// Free functions that make tensors: from nested lists, filled, ranges and seeded random.
enum TensorBuiltins {
    static func creation(_ options: TensorPrintOptions) -> [Builtin] {
        func value(_ tensor: Tensor) -> Value { .object(TensorValue(tensor, options: options)) }
        return [
            /// `tensor(data)`: a tensor from a number or nested lists of numbers.
            ///
            ///     tensor([[1, 2], [3, 4]])
            Builtin(name: "tensor", parameters: [.required("data")],
                    doc: "A tensor from a number or nested lists of numbers (every list at one depth the same length).",
                    example: "tensor([[1, 2], [3, 4]])", topic: "tensor") { args, _ in
                value(try TensorConversion.tensor(from: try argument(args, "data")))
            },
            /// `zeros(shape...)`: a tensor of zeros; sizes one by one or as a list.
            ///
            ///     zeros(2, 3)
            Builtin(name: "zeros", parameters: [.variadic("shape")],
                    doc: "A tensor of zeros; give sizes one by one (zeros(2, 3)) or as a list (zeros([2, 3])).",
                    example: "zeros(2, 3)", topic: "tensor") { args, _ in
                value(try tensorCall { try Tensor.zeros(try TensorConversion.shape(from: args.rest)) })
            },
            /// `ones(shape...)`: a tensor of ones.
            ///
            ///     ones([4])
            Builtin(name: "ones", parameters: [.variadic("shape")],
                    doc: "A tensor of ones; give sizes one by one or as a list.",
                    example: "ones(2, 2)", topic: "tensor") { args, _ in
                value(try tensorCall { try Tensor.ones(try TensorConversion.shape(from: args.rest)) })
            },
            /// `full(shape, value)`: every element equal to `value`.
            ///
            ///     full([2, 2], 7)
            Builtin(name: "full", parameters: [.required("shape"), .required("value")],
                    doc: "A tensor of the given shape (a list, or one size) with every element equal to value.",
                    example: "full([2, 2], 7)", topic: "tensor") { args, _ in
                let shape = try TensorConversion.shape(from: [try argument(args, "shape")])
                let fill = Float(try args.number("value"))
                return value(try tensorCall { try Tensor.full(shape, value: fill) })
            },
            /// `arange(start, stop: nil, step: 1)`: evenly spaced values, like `range` (stop excluded).
            ///
            ///     arange(5)          # 0 1 2 3 4
            ///     arange(0, 1, 0.25) # 0 0.25 0.5 0.75
            Builtin(name: "arange", parameters: [.required("start"), .optional("stop", .nil), .optional("step", .number(1))],
                    doc: "Evenly spaced values from start (inclusive) to stop (exclusive); arange(n) counts 0 to n-1.",
                    example: "arange(0, 1, 0.25)", topic: "tensor") { args, _ in
                var start = try args.number("start")
                var stop = 0.0
                if args.isNil("stop") { swap(&start, &stop) } else { stop = try args.number("stop") }
                let step = try args.number("step")
                return value(try tensorCall { try Tensor.arange(start: start, end: stop, step: step) })
            },
            /// `eye(n)`: the n x n identity matrix.
            ///
            ///     eye(3)
            Builtin(name: "eye", parameters: [.required("n")],
                    doc: "The n x n identity matrix.", example: "eye(3)", topic: "tensor") { args, _ in
                let n = try args.int("n")
                let count = try TensorConversion.elementCount([n, n], what: "eye(n)")
                var values = [Float](repeating: 0, count: count)
                for i in 0..<n { values[i * n + i] = 1 }
                return value(try tensorCall { try Tensor(shape: [n, n], data: values) })
            },
            /// `randn(shape..., std: 1, seed: nil)`: normal samples; the seed defaults to the
            /// next one derived from the session seed.
            ///
            ///     randn(2, 3, std: 0.1)
            Builtin(name: "randn", parameters: [.variadic("shape"), .optional("std", .number(1)), .optional("seed", .nil)],
                    doc: "Normal samples (mean 0, standard deviation std), drawn from the session seed unless seed is given.",
                    example: "randn(2, 3, std: 0.1)", topic: "tensor") { args, context in
                let shape = try TensorConversion.shape(from: args.rest)
                let std = try float32(args, "std")
                var rng = RandomGenerator(seed: try seed(args, context))
                return value(try tensorCall { try Tensor.randn(shape, rng: &rng, std: std) })
            },
            /// `rand(shape..., low: 0, high: 1, seed: nil)`: uniform samples in [low, high).
            ///
            ///     rand(3, low: -1, high: 1)
            Builtin(name: "rand", parameters: [.variadic("shape"), .optional("low", .number(0)), .optional("high", .number(1)),
                                               .optional("seed", .nil)],
                    doc: "Uniform samples in [low, high), drawn from the session seed unless seed is given.",
                    example: "rand(3, low: -1, high: 1)", topic: "tensor") { args, context in
                let shape = try TensorConversion.shape(from: args.rest)
                let low = try args.number("low"), high = try args.number("high")
                guard low.isFinite, high.isFinite, low <= high else {
                    throw args.error("needs finite low <= high, got low \(ValuePrinter.formatNumber(low)) and high \(ValuePrinter.formatNumber(high))")
                }
                let low32 = try float32(args, "low"), high32 = try float32(args, "high")
                var rng = RandomGenerator(seed: try seed(args, context))
                return value(try tensorCall { try Tensor.rand(shape, rng: &rng, low: low32, high: high32) })
            },
        ]
    }

    /// Free functions that combine tensors: concat, stack, where, allclose.
    static func joining(_ options: TensorPrintOptions) -> [Builtin] {
        func value(_ tensor: Tensor) -> Value { .object(TensorValue(tensor, options: options)) }
        return [
            /// `concat(tensors, axis: 0)`: joins along an existing axis.
            ///
            ///     concat([ones(2, 3), zeros(1, 3)])   # shape [3, 3]
            Builtin(name: "concat", parameters: [.required("tensors"), .optional("axis", .number(0))],
                    doc: "Join tensors along an existing axis; the other sizes must match.",
                    example: "concat([ones(2, 3), zeros(1, 3)], axis: 0)", topic: "tensor") { args, _ in
                let parts = try tensors(args, "tensors")
                let axis = try args.int("axis")
                return value(try tensorCall { try Tensor.concat(parts, axis: axis) })
            },
            /// `stack(tensors, axis: 0)`: joins equal-shaped tensors along a new axis.
            ///
            ///     stack([ones(3), zeros(3)])   # shape [2, 3]
            Builtin(name: "stack", parameters: [.required("tensors"), .optional("axis", .number(0))],
                    doc: "Join equal-shaped tensors along a new axis.",
                    example: "stack([ones(3), zeros(3)], axis: 0)", topic: "tensor") { args, _ in
                let parts = try tensors(args, "tensors")
                let axis = try args.int("axis")
                return value(try tensorCall { try Tensor.stack(parts, axis: axis) })
            },
            /// `where(condition, a, b)`: `a` where condition is non-zero, else `b` (broadcast).
            ///
            ///     let t = tensor([-1, 2])
            ///     where(t > 0, t, 0)   # tensor([0, 2])
            Builtin(name: "where", parameters: [.required("condition"), .required("a"), .required("b")],
                    doc: "Pick a where condition is non-zero and b elsewhere; the three broadcast together.",
                    example: "where(tensor([1, 0]) > 0, tensor([5, 6]), 0)", topic: "tensor") { args, _ in
                let condition = try TensorConversion.operand(from: try argument(args, "condition"))
                let a = try TensorConversion.operand(from: try argument(args, "a"))
                let b = try TensorConversion.operand(from: try argument(args, "b"))
                // The shapes in the message: without them it named no shape at all.
                let ab = try TensorValue.broadcastShape(a.shape, b.shape, described: "where(): a of shape \(a.shape) and b of shape \(b.shape)")
                _ = try TensorValue.broadcastShape(condition.shape, ab,
                                                   described: "where(): the condition of shape \(condition.shape) against a and b broadcast to \(ab)")
                return value(try tensorCall { try Tensor.where(condition, a, b) })
            },
            /// `allclose(a, b, rtol: 1e-5, atol: 1e-8)`: same shape and |a - b| <= atol + rtol * |b| everywhere.
            ///
            ///     allclose(tensor([1, 2]), tensor([1, 2.0000001]))   # true
            Builtin(name: "allclose", parameters: [.required("a"), .required("b"), .optional("rtol", .number(1e-5)),
                                                   .optional("atol", .number(1e-8))],
                    doc: "True when a and b have the same shape and |a - b| <= atol + rtol * |b| everywhere (no NaN).",
                    example: "allclose(tensor([1, 2]), [1, 2.0000001])", topic: "tensor") { args, _ in
                let a = try TensorConversion.operand(from: try argument(args, "a"))
                let b = try TensorConversion.operand(from: try argument(args, "b"))
                let rtol = try args.number("rtol"), atol = try args.number("atol")
                for (name, tolerance) in [("rtol", rtol), ("atol", atol)] where !(tolerance >= 0 && tolerance.isFinite) {
                    throw args.error("\(name) must be a finite number >= 0, got \(ValuePrinter.formatNumber(tolerance))")
                }
                guard a.shape == b.shape else { return .bool(false) }
                // An infinity is close only to itself (as in numpy): |inf - (-inf)| <= rtol * inf held.
                let close = zip(a.toArray(), b.toArray()).allSatisfy { x, y in
                    x == y || (x.isFinite && y.isFinite && Swift.abs(Double(x) - Double(y)) <= atol + rtol * Swift.abs(Double(y)))
                }
                return .bool(close)
            },
        ]
    }

    /// A number argument as a finite 32-bit float, or an error naming it: Float(1e39) is
    /// infinity, which would fill a tensor with inf and NaN.
    ///
    ///     let std = try float32(args, "std")
    static func float32(_ args: Arguments, _ name: String) throws -> Float {
        let number = try args.number(name)
        guard number.isFinite, Float(number).isFinite else {
            throw args.error("\(name) must be a finite number within 32-bit floats' range (±\(Float.greatestFiniteMagnitude)), got \(ValuePrinter.formatNumber(number))")
        }
        return Float(number)
    }

    /// The bound argument `name` (declared, so always present).
    static func argument(_ args: Arguments, _ name: String) throws -> Value {
        guard let value = args[name] else { throw args.error("internal: no parameter '\(name)'") }
        return value
    }

    /// A list argument whose items are tensors (or values `tensor()` accepts).
    static func tensors(_ args: Arguments, _ name: String) throws -> [Tensor] {
        let items = try args.list(name)
        guard !items.isEmpty else { throw args.error("'\(name)' is empty; give at least one tensor") }
        return try items.enumerated().map { index, item in
            do {
                return try TensorConversion.operand(from: item)
            } catch let error as LaifError {
                throw args.error("\(name)[\(index)]: \(error.message)")
            }
        }
    }

    /// The `seed:` argument, or the next seed derived from the session seed.
    static func seed(_ args: Arguments, _ context: CallContext) throws -> UInt64 {
        if args.isNil("seed") { return context.nextSeed() }
        let number = try args.number("seed")
        guard number >= 0, number < 0x1p64, number == number.rounded() else {
            throw args.error("seed must be a whole number from 0 to 2^64-1, got \(ValuePrinter.formatNumber(number))")
        }
        return UInt64(number)
    }
}
