import LaifLang
import LaifTensor

/// Methods that rearrange a tensor's dimensions: reshape, flatten, transpose, permute,
/// unsqueeze, squeeze.
enum TensorShapeMethods {
    static func all() -> [Builtin] {
        [
            /// `t.reshape(shape...)`: the same values in a new shape (one size may be -1).
            ///
            ///     arange(6).reshape(2, -1)   # shape [2, 3]
            Builtin(name: "reshape", parameters: [.variadic("shape")],
                    doc: "The same values in a new shape; sizes one by one or as a list, one of them may be -1 (inferred).",
                    example: "arange(6).reshape(2, -1)", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                let shape = try TensorConversion.shape(from: args.rest, allowInferred: true)
                return .object(TensorValue(try tensorCall { try t.tensor.reshape(shape) }, options: t.options))
            },
            /// `t.flatten()`: the values as one dimension.
            ///
            ///     ones(2, 3).flatten()   # shape [6]
            Builtin(name: "flatten", parameters: [], doc: "The values as a vector.",
                    example: "ones(2, 3).flatten()", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                return .object(TensorValue(try tensorCall { try t.tensor.reshape([t.tensor.count]) }, options: t.options))
            },
            /// `t.transpose(dim0: -2, dim1: -1)`: swaps two dimensions (by default the last two).
            ///
            ///     ones(2, 3).transpose()   # shape [3, 2]
            Builtin(name: "transpose", parameters: [.optional("dim0", .number(-2)), .optional("dim1", .number(-1))],
                    doc: "Swap two dimensions (by default the last two, the matrix transpose).",
                    example: "ones(2, 3).transpose(0, 1)", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                let first = try args.int("dim0"), second = try args.int("dim1")
                if t.tensor.rank < 2 {
                    throw args.error("needs a tensor of rank 2 or more, got shape \(t.tensor.shape); a vector is its own transpose")
                }
                return t.wrap(try tensorCall { try t.tensor.transpose(first, second) })
            },
            /// `t.permute(order...)`: reorders every dimension.
            ///
            ///     zeros(2, 3, 4).permute(2, 0, 1)   # shape [4, 2, 3]
            Builtin(name: "permute", parameters: [.variadic("order")],
                    doc: "Reorder the dimensions: result dimension i is input dimension order[i] (one by one or as a list).",
                    example: "zeros(2, 3, 4).permute(2, 0, 1)", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                var items = args.rest
                if items.count == 1, case .list(let inner) = items[0] { items = inner }
                let order = try items.enumerated().map { try TensorConversion.int($1, what: "order[\($0)]") }
                return t.wrap(try tensorCall { try t.tensor.permute(order) })
            },
            /// `t.unsqueeze(axis)`: inserts a dimension of size 1.
            ///
            ///     ones(3).unsqueeze(0)   # shape [1, 3]
            Builtin(name: "unsqueeze", parameters: [.required("axis")], doc: "Insert a dimension of size 1 at axis.",
                    example: "ones(3).unsqueeze(0)", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                let axis = try args.int("axis")
                return t.wrap(try tensorCall { try t.tensor.unsqueeze(axis) })
            },
            /// `t.squeeze(axis: nil)`: removes a size-1 dimension (all of them when axis is nil).
            ///
            ///     ones(1, 3, 1).squeeze()   # shape [3]
            Builtin(name: "squeeze", parameters: [.optional("axis", .nil)],
                    doc: "Remove the size-1 dimension at axis, or every size-1 dimension when axis is nil.",
                    example: "ones(1, 3, 1).squeeze()", topic: "tensor") { args, _ in
                let t = try TensorMethods.receiver(args)
                if args.isNil("axis") {
                    let shape = t.tensor.shape.filter { $0 != 1 }
                    return t.wrap(try tensorCall { try t.tensor.reshape(shape) })
                }
                let axis = try args.int("axis")
                return t.wrap(try tensorCall { try t.tensor.squeeze(axis) })
            },
        ]
    }
}
