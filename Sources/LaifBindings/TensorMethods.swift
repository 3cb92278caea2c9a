import LaifLang
import LaifTensor

/// Methods of tensors: element-wise functions, softmax, conversions and sizes. Reductions
/// are in TensorReductions.swift, shape changes in TensorShapeMethods.swift.
enum TensorMethods {
    static func all(_ options: TensorPrintOptions) -> [Builtin] {
        elementwise() + conversions() + TensorReductions.all() + TensorShapeMethods.all()
    }

    /// The tensor a method was called on.
    static func receiver(_ args: Arguments) throws -> TensorValue {
        guard let value = args.receiver?.object(as: TensorValue.self) else {
            throw args.error("must be called on a tensor")
        }
        return value
    }

    /// A method taking no arguments that maps the tensor through `transform`.
    private static func unary(_ name: String, doc: String, _ transform: @escaping (Tensor) throws -> Tensor) -> Builtin {
        Builtin(name: name, parameters: [], doc: doc, example: "tensor([-1, 0, 2]).\(name)()", topic: "tensor") { args, _ in
            let t = try receiver(args)
            return t.wrap(try tensorCall { try transform(t.tensor) })
        }
    }

    static func elementwise() -> [Builtin] {
        [
            unary("exp", doc: "e raised to each element.") { try $0.exp() },
            unary("log", doc: "Natural logarithm of each element (-inf at 0, nan below).") { try $0.log() },
            unary("tanh", doc: "Hyperbolic tangent of each element.") { try $0.tanh() },
            unary("relu", doc: "max(x, 0) for each element (NaN stays NaN, as in PyTorch).") { try $0.relu() },
            unary("gelu", doc: "GELU (tanh approximation) of each element.") { try $0.gelu() },
            unary("sigmoid", doc: "1 / (1 + exp(-x)) for each element.") { try $0.sigmoid() },
            unary("sqrt", doc: "Square root of each element (nan below 0).") { try $0.sqrt() },
            unary("abs", doc: "Absolute value of each element.") { try $0.abs() },
            /// `t.pow(p)`: each element to the power p.
            ///
            ///     tensor([1, 2, 3]).pow(2)
            Builtin(name: "pow", parameters: [.required("p")], doc: "Each element raised to the number p.",
                    example: "tensor([1, 2, 3]).pow(2)", topic: "tensor") { args, _ in
                let t = try receiver(args)
                let p = Float(try args.number("p"))
                return t.wrap(try tensorCall { try t.tensor.pow(p) })
            },
            /// `t.clamp(min: nil, max: nil)`: limits every element to [min, max].
            ///
            ///     tensor([-2, 0, 5]).clamp(min: -1, max: 1)
            Builtin(name: "clamp", parameters: [.optional("min", .nil), .optional("max", .nil)],
                    doc: "Limit every element to [min, max] (either bound may be left out).",
                    example: "tensor([-2, 0, 5]).clamp(min: -1, max: 1)", topic: "tensor") { args, _ in
                let t = try receiver(args)
                let low = args.isNil("min") ? -Float.infinity : Float(try args.number("min"))
                let high = args.isNil("max") ? Float.infinity : Float(try args.number("max"))
                guard !low.isNaN, !high.isNaN else {
                    throw args.error("the bounds must be numbers, got min \(formatLaifNumber(Double(low))) and max \(formatLaifNumber(Double(high))); leave a bound out for no limit")
                }
                guard low <= high else {
                    throw args.error("min must not be above max (got \(formatLaifNumber(Double(low))) and \(formatLaifNumber(Double(high))))")
                }
                return t.wrap(try tensorCall { try t.tensor.clamp(low, high) })
            },
            /// `t.softmax(axis: -1)`: exponentials normalised to sum to 1 along the axis.
            ///
            ///     tensor([1, 2, 3]).softmax()
            Builtin(name: "softmax", parameters: [.optional("axis", .number(-1))],
                    doc: "Softmax along an axis (default the last): positive values summing to 1.",
                    example: "tensor([1, 2, 3]).softmax(axis: -1)", topic: "tensor") { args, _ in
                let t = try receiver(args)
                let axis = try args.int("axis")
                return t.wrap(try tensorCall { try t.tensor.softmax(axis: axis) })
            },
            /// `t.log_softmax(axis: -1)`: log of the softmax, computed stably.
            ///
            ///     tensor([1, 2, 3]).log_softmax()
            Builtin(name: "log_softmax", parameters: [.optional("axis", .number(-1))],
                    doc: "Log-softmax along an axis (default the last), computed stably.",
                    example: "tensor([1, 2, 3]).log_softmax(axis: -1)", topic: "tensor") { args, _ in
                let t = try receiver(args)
                let axis = try args.int("axis")
                return t.wrap(try tensorCall { try t.tensor.logSoftmax(axis: axis) })
            },
        ]
    }

    static func conversions() -> [Builtin] {
        [
            /// `t.item()`: the single value of a one-element tensor, as a number.
            ///
            ///     tensor([[3]]).item()   # 3
            Builtin(name: "item", parameters: [], doc: "The value of a one-element tensor, as a number.",
                    example: "tensor([[3]]).item()", topic: "tensor") { args, _ in
                let t = try receiver(args)
                guard t.tensor.count == 1 else {
                    throw args.error("needs a tensor with exactly one element, got shape \(t.tensor.shape) (\(t.tensor.count) elements); index or reduce it first")
                }
                return .number(Double(t.tensor.toArray()[0]))
            },
            /// `t.tolist()`: nested lists of numbers (a number for a 0-d tensor).
            ///
            ///     tensor([[1, 2], [3, 4]]).tolist()   # [[1, 2], [3, 4]]
            Builtin(name: "tolist", parameters: [], doc: "The values as nested lists of numbers.",
                    example: "tensor([[1, 2], [3, 4]]).tolist()", topic: "tensor") { args, _ in
                try TensorConversion.list(from: try receiver(args).tensor)
            },
            /// `t.numel()`: the number of elements.
            ///
            ///     zeros(2, 3).numel()   # 6
            Builtin(name: "numel", parameters: [], doc: "The number of elements.",
                    example: "zeros(2, 3).numel()", topic: "tensor") { args, _ in
                .number(Double(try receiver(args).tensor.count))
            },
            /// `t.size(axis: nil)`: the shape as a list, or the size of one axis.
            ///
            ///     zeros(2, 3).size(axis: -1)   # 3
            Builtin(name: "size", parameters: [.optional("axis", .nil)],
                    doc: "The shape as a list (same as t.shape), or the size of one axis (negative counts from the end).",
                    example: "zeros(2, 3).size(axis: -1)", topic: "tensor") { args, _ in
                let shape = try receiver(args).tensor.shape
                if args.isNil("axis") { return .list(shape.map { .number(Double($0)) }) }
                let axis = try args.int("axis")
                let resolved = axis < 0 ? axis + shape.count : axis
                guard resolved >= 0, resolved < shape.count else {
                    throw args.error("axis \(axis) is out of range for shape \(shape) (rank \(shape.count))")
                }
                return .number(Double(shape[resolved]))
            },
        ]
    }
}
