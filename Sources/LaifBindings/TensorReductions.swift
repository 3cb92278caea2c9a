import LaifLang
import LaifTensor

/// `sum`, `mean`, `max`, `min`, `argmax`, `argmin`, `logsumexp` with `axis:` (nil: over every
/// element) and `keepdims:`. A reduction to rank 0 gives a number.
enum TensorReductions {
    static func all() -> [Builtin] {
        [
            reduction("sum", doc: "Sum of the elements, over everything or along axis.",
                      example: "tensor([[1, 2], [3, 4]]).sum(axis: 0)", overEverything: { try $0.sum() }) { t, axis, keep in
                try t.sum(axis: axis, keepDims: keep)
            },
            reduction("mean", doc: "Mean of the elements, over everything or along axis.",
                      example: "tensor([[1, 2], [3, 4]]).mean(axis: 1, keepdims: true)",
                      overEverything: { t in
                          try requireElements(t, axis: 0, "mean")
                          return try t.mean()
                      }) { t, axis, keep in
                try requireElements(t, axis: axis, "mean")
                return try t.mean(axis: axis, keepDims: keep)
            },
            reduction("max", doc: "Largest element, over everything or along axis.",
                      example: "tensor([[1, 5], [3, 4]]).max(axis: 1)") { t, axis, keep in
                try requireElements(t, axis: axis, "max")
                return try t.max(axis: axis, keepDims: keep)
            },
            reduction("min", doc: "Smallest element, over everything or along axis.",
                      example: "tensor([[1, 5], [3, 4]]).min()") { t, axis, keep in
                try requireElements(t, axis: axis, "min")
                return try -(try (-t).max(axis: axis, keepDims: keep))
            },
            reduction("logsumexp", doc: "log(sum(exp(x))), computed stably, over everything or along axis.",
                      example: "tensor([1, 2, 3]).logsumexp()") { t, axis, keep in
                try requireElements(t, axis: axis, "logsumexp")
                return try t.logsumexp(axis: axis, keepDims: keep)
            },
            reduction("argmax", doc: "Index of the first largest element (of the flattened tensor when axis is nil).",
                      example: "tensor([3, 9, 2]).argmax()") { t, axis, keep in
                try indices(t, axis: axis, keep: keep, "argmax") { try $0.argmax(axis: $1) }
            },
            reduction("argmin", doc: "Index of the first smallest element (of the flattened tensor when axis is nil).",
                      example: "tensor([3, 9, 2]).argmin()") { t, axis, keep in
                try indices(t, axis: axis, keep: keep, "argmin") { try (-$0).argmax(axis: $1) }
            },
        ]
    }

    /// A reduction method. With `axis` nil it reduces the flattened tensor (keepdims then keeps
    /// every dimension as size 1): with `overEverything` when given (sum and mean use the
    /// core's float64 accumulation there: a float32 running sum over 0..<10^6 ends 59 million
    /// off), else with `reduce` along axis 0.
    private static func reduction(_ name: String, doc: String, example: String,
                                  overEverything: ((Tensor) throws -> Tensor)? = nil,
                                  _ reduce: @escaping (Tensor, Int, Bool) throws -> Tensor) -> Builtin {
        Builtin(name: name, parameters: [.optional("axis", .nil), .optional("keepdims", .bool(false))],
                doc: doc + " keepdims keeps reduced axes as size 1.", example: example, topic: "tensor") { args, _ in
            let t = try TensorMethods.receiver(args)
            let keep = try args.bool("keepdims")
            let result: Tensor = try tensorCall {
                if args.isNil("axis") {
                    let flat = try t.tensor.reshape([t.tensor.count])
                    let reduced: Tensor
                    do {
                        reduced = try overEverything?(flat) ?? reduce(flat, 0, false)
                    } catch is LaifError where t.tensor.count == 0 {
                        // Axis 0 of a flat tensor always exists: only its emptiness can fail, and
                        // requireElements said so of the flattened shape ("axis 0 of shape [0]").
                        throw LaifError.runtime("\(name) over an empty tensor (shape \(t.tensor.shape)) is undefined")
                    }
                    return keep ? try reduced.reshape([Int](repeating: 1, count: t.tensor.rank)) : reduced
                }
                return try reduce(t.tensor, try args.int("axis"), keep)
            }
            return t.wrap(result)
        }
    }

    /// Throws a clear error for a reduction over nothing.
    private static func requireElements(_ t: Tensor, axis: Int, _ name: String) throws {
        let resolved = axis < 0 ? axis + t.rank : axis
        guard resolved >= 0, resolved < t.rank else { return } // the core reports bad axes
        guard t.shape[resolved] > 0 else {
            throw LaifError.runtime("\(name) over an empty axis (axis \(axis) of shape \(t.shape)) is undefined")
        }
    }

    /// Arg-reductions: the core returns Swift indices; they become a float tensor of the
    /// reduced shape.
    private static func indices(_ t: Tensor, axis: Int, keep: Bool, _ name: String,
                                _ pick: (Tensor, Int) throws -> [Int]) throws -> Tensor {
        try requireElements(t, axis: axis, name)
        let found = try pick(t, axis)
        let resolved = axis < 0 ? axis + t.rank : axis
        var shape = t.shape
        if keep { shape[resolved] = 1 } else { shape.remove(at: resolved) }
        return try Tensor(shape: shape, data: found.map { Float($0) })
    }
}
