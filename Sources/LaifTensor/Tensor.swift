/// A row-major Float32 tensor of any rank that can record the operations made from it, so
/// `backward()` can compute gradients.
///
/// Tensors are reference values: operations return new tensors and never change their inputs
/// (optimizers update parameters in place). Shapes are checked; a bad shape throws a
/// `TensorError` naming both shapes.
///
///     let w = try Tensor(shape: [2, 2], data: [1, 2, 3, 4])
///     w.requiresGrad = true
///     let loss = try (w * w).sum()
///     try loss.backward()
///     w.grad!.toArray()            // [2, 4, 6, 8]
public final class Tensor {
    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// The number of elements (the product of `shape`).
    public let count: Int
    /// When true, `backward()` accumulates this tensor's gradient into `grad`.
    public var requiresGrad: Bool = false
    /// The gradient accumulated by `backward()`, or nil.
    public var grad: Tensor?

    let storage: TensorStorage
    /// Inputs this tensor was computed from (autodiff graph), while the graph is alive.
    var parents: [Tensor] = []
    /// Propagates this tensor's gradient into its parents' gradients.
    var backwardFn: ((Tensor) -> Void)?

    /// The largest number of elements one tensor may hold (2^28, one GiB of Float32); larger
    /// requests throw instead of exhausting memory.
    ///
    ///     Tensor.maxElementCount   // 268_435_456
    public static let maxElementCount = 1 << 28
    /// The most dimensions one tensor may have. Why: shapes are plain arrays that every
    /// operation walks, so an unbounded rank (`for i in range(30000) { t = t.unsqueeze(0) }`)
    /// made each step, and printing, cost time in the rank; 64 is far past any real use.
    ///
    ///     Tensor.maxRank   // 64
    public static let maxRank = 64

    @inline(__always) var data: UnsafeMutablePointer<Float> { storage.pointer }

    init(shape: [Int], count: Int, storage: TensorStorage) {
        self.shape = shape
        self.count = count
        self.storage = storage
    }

    /// A new tensor with uninitialised storage; `shape` must already be validated.
    convenience init(uninitializedShape shape: [Int], count: Int) {
        self.init(shape: shape, count: count, storage: TensorStorage(uninitializedCount: count))
    }

    /// A tensor with the given shape and row-major values.
    ///
    ///     let m = try Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    public convenience init(shape: [Int], data: [Float]) throws {
        let n = try Tensor.elementCount(shape, op: "Tensor(shape:data:)")
        guard n == data.count else {
            throw TensorError(op: "Tensor(shape:data:)",
                              message: "shape \(shape) holds \(n) values but \(data.count) were given")
        }
        self.init(uninitializedShape: shape, count: n)
        data.withUnsafeBufferPointer { source in
            if n > 0 { self.data.update(from: source.baseAddress!, count: n) }
        }
    }

    /// A rank-0 tensor holding one value.
    ///
    ///     let t = Tensor(scalar: 3)    // shape [], item() == 3
    public convenience init(scalar: Float) {
        self.init(uninitializedShape: [], count: 1)
        data[0] = scalar
    }

    /// A rank-1 tensor of the given values.
    ///
    ///     let v = Tensor([1, 2, 3])     // shape [3]
    public convenience init(_ values: [Float]) {
        self.init(uninitializedShape: [values.count], count: values.count)
        for i in 0..<values.count { data[i] = values[i] }
    }

    /// The number of dimensions.
    ///
    ///     try Tensor.zeros([2, 3]).rank   // 2
    public var rank: Int { shape.count }

    /// The values in row-major order.
    ///
    ///     Tensor([1, 2]).toArray()   // [1, 2]
    public func toArray() -> [Float] {
        Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// The single value of a one-element tensor.
    ///
    ///     try Tensor(scalar: 2).item()   // 2
    public func item() throws -> Float {
        guard count == 1 else {
            throw TensorError(op: "item", message: "needs a one-element tensor, got shape \(shape)")
        }
        return data[0]
    }

    /// A copy of this tensor's values, cut off from the autodiff graph.
    ///
    ///     let frozen = w.detached()
    public func detached() -> Tensor {
        let out = Tensor(uninitializedShape: shape, count: count)
        out.data.update(from: data, count: count)
        return out
    }

    /// A copy outside the graph, like `detached()`, refused as any new tensor is when it would
    /// not fit the memory budget (see `requireMemory`).
    ///
    ///     let snapshot = try weight.copy()
    public func copy() throws -> Tensor {
        try Tensor.requireMemory(forElements: count, shape: shape, op: "copy")
        return detached()
    }

    /// Overwrites this tensor's values with `source`'s (same element count), outside the graph.
    /// Used to load checkpoints and copy weights.
    ///
    ///     try model.weight.assign(from: loaded)
    public func assign(from source: Tensor) throws {
        guard source.count == count else {
            throw TensorError.shapes("assign", shape, source.shape, "hold different numbers of values")
        }
        data.update(from: source.data, count: count)
    }

    /// Overwrites this tensor's values from an array (same element count), outside the graph.
    ///
    ///     try bias.assign([0, 0, 0])
    public func assign(_ values: [Float]) throws {
        guard values.count == count else {
            throw TensorError(op: "assign", message: "shape \(shape) holds \(count) values but \(values.count) were given")
        }
        for i in 0..<count { data[i] = values[i] }
    }

    /// Checks a shape and returns its element count, or throws for more than `maxRank`
    /// dimensions, a negative dimension, more than `maxElementCount` elements, or, when the
    /// caller is `allocating` a tensor of that shape, one that would take the memory tensors
    /// hold past the process's budget (see `requireMemory`). The product of the non-zero
    /// dimensions is held to the same limit, so no partial product over any dimensions of a
    /// valid shape (even an empty one such as `[0, 1 << 40]`) can overflow.
    ///
    ///     let n = try Tensor.elementCount([2, 3], op: "zeros")   // 6
    static func elementCount(_ shape: [Int], op: String, allocating: Bool = true) throws -> Int {
        guard shape.count <= maxRank else {
            throw TensorError(op: op, message: "a shape of \(shape.count) dimensions; a tensor has at most \(maxRank)")
        }
        var bound = 1
        var hasZero = false
        for d in shape {
            guard d >= 0 else {
                throw TensorError(op: op, message: "shape \(shape) has a negative dimension")
            }
            if d == 0 { hasZero = true; continue }
            let (product, overflow) = bound.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maxElementCount else {
                throw TensorError(op: op, message: "shape \(shape) exceeds the limit of \(maxElementCount) elements per tensor")
            }
            bound = product
        }
        let count = hasZero ? 0 : bound
        if allocating { try requireMemory(forElements: count, shape: shape, op: op) }
        return count
    }

    /// Resolves a possibly negative axis (`-1` is the last) against `rank`.
    static func normalizedAxis(_ axis: Int, rank: Int, op: String, shape: [Int]) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            // The valid range, not the rank: for unsqueeze it is one wider than the shape's rank,
            // and "(rank 4)" beside a shape of rank 3 read as a mistake.
            throw TensorError(op: op, message: "axis \(axis) is out of range for shape \(shape); valid axes are \(-rank)...\(rank - 1)")
        }
        return a
    }
}
