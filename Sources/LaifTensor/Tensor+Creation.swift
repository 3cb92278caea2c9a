import LaifSupport

/// A nested list of numbers for building a tensor from a literal, such as `[[1, 2], [3, 4]]`.
///
///     let t = try Tensor(literal: [[1, 2], [3, 4]])   // shape [2, 2]
public indirect enum TensorLiteral: ExpressibleByArrayLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, Sendable
{
    case scalar(Float)
    case list([TensorLiteral])

    /// `[a, b, ...]`.
    ///
    ///     let t: TensorLiteral = [[1, 2], [3, 4]]
    public init(arrayLiteral elements: TensorLiteral...) { self = .list(elements) }
    /// `1.5`.
    ///
    ///     let t: TensorLiteral = 1.5
    public init(floatLiteral value: Float) { self = .scalar(value) }
    /// `2`.
    ///
    ///     let t: TensorLiteral = 2   // .scalar(2.0)
    public init(integerLiteral value: Int) { self = .scalar(Float(value)) }
}

extension Tensor {
    /// A tensor from a nested literal; every list at one depth must have the same length.
    ///
    ///     let t = try Tensor(literal: [[1, 2, 3], [4, 5, 6]])   // shape [2, 3]
    public convenience init(literal: TensorLiteral) throws {
        var shape: [Int] = []
        var probe = literal
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Float] = []
        func flatten(_ node: TensorLiteral, depth: Int, path: [Int]) throws {
            switch node {
            case .scalar(let v):
                guard depth == shape.count else {
                    throw TensorError(op: "Tensor(literal:)", message: "ragged literal: a number at index \(path) where a list of \(shape[depth]) was expected (shape \(shape))")
                }
                values.append(v)
            case .list(let items):
                guard depth < shape.count, items.count == shape[depth] else {
                    throw TensorError(op: "Tensor(literal:)", message: "ragged literal: the list at index \(path) has \(items.count) items, expected shape \(shape)")
                }
                for (i, item) in items.enumerated() { try flatten(item, depth: depth + 1, path: path + [i]) }
            }
        }
        try flatten(literal, depth: 0, path: [])
        try self.init(shape: shape, data: values)
    }

    /// A tensor of zeros.
    ///
    ///     let z = try Tensor.zeros([2, 3])
    public static func zeros(_ shape: [Int]) throws -> Tensor {
        try full(shape, value: 0)
    }

    /// A tensor of ones.
    ///
    ///     let o = try Tensor.ones([4])
    public static func ones(_ shape: [Int]) throws -> Tensor {
        try full(shape, value: 1)
    }

    /// A tensor with every element equal to `value`.
    ///
    ///     let t = try Tensor.full([2, 2], value: 7)
    public static func full(_ shape: [Int], value: Float) throws -> Tensor {
        let n = try elementCount(shape, op: "full")
        let out = Tensor(uninitializedShape: shape, count: n)
        out.data.initialize(repeating: value, count: n)
        return out
    }

    /// `[0, 1, ..., n-1]` as floats.
    ///
    ///     try Tensor.arange(4).toArray()   // [0, 1, 2, 3]
    public static func arange(_ n: Int) throws -> Tensor {
        try arange(start: 0, end: Double(n), step: 1)
    }

    /// Values from `start` (inclusive) to `end` (exclusive) by `step`: ⌈(end − start) / step⌉
    /// of them, counted in double precision (as NumPy does) so that a count near the element
    /// limit is not rounded up past it; value i is `Float(start) + Float(i) × Float(step)`.
    ///
    ///     try Tensor.arange(start: 1, end: 2, step: 0.25).toArray()   // [1, 1.25, 1.5, 1.75]
    public static func arange(start: Double, end: Double, step: Double = 1) throws -> Tensor {
        guard step.isFinite, start.isFinite, end.isFinite, Float(start).isFinite, Float(step).isFinite, Float(step) != 0 else {
            throw TensorError(op: "arange", message: "needs finite start, end and a non-zero step (got \(start), \(end), \(step))")
        }
        let span = ((end - start) / step).rounded(.up)
        guard span <= Double(maxElementCount) else {
            throw TensorError(op: "arange", message: "\(span) values exceed the limit of \(maxElementCount) elements per tensor")
        }
        // An end far below start (arange(0, -1e19)) gives a negative span: no values.
        let n = span > 0 ? Int(span) : 0
        let out = Tensor(uninitializedShape: [n], count: n)
        let first = Float(start), stride = Float(step)
        for i in 0..<n { out.data[i] = first + Float(i) * stride }
        return out
    }

    /// Normal samples with mean 0 and standard deviation `std`, from `rng`.
    ///
    ///     var rng = RandomGenerator(seed: 1)
    ///     let w = try Tensor.randn([64, 64], rng: &rng, std: 0.02)
    public static func randn(_ shape: [Int], rng: inout RandomGenerator, std: Float = 1) throws -> Tensor {
        guard std.isFinite else { throw TensorError(op: "randn", message: "std must be finite, got \(std)") }
        let n = try elementCount(shape, op: "randn")
        let out = Tensor(uninitializedShape: shape, count: n)
        try fillInterruptibly(n) { i in out.data[i] = Float(rng.normal()) * std }
        return out
    }

    /// Uniform samples in `[low, high)`, from `rng`.
    ///
    ///     let u = try Tensor.rand([3], rng: &rng)          // in [0, 1)
    public static func rand(_ shape: [Int], rng: inout RandomGenerator, low: Float = 0, high: Float = 1) throws -> Tensor {
        let width = high - low
        guard low.isFinite, high.isFinite, low <= high, width.isFinite else {
            throw TensorError(op: "rand", message: "needs finite low <= high whose difference fits 32-bit floats, got low \(low) and high \(high); use a narrower range")
        }
        let n = try elementCount(shape, op: "rand")
        let out = Tensor(uninitializedShape: shape, count: n)
        try fillInterruptibly(n) { i in out.data[i] = low + rng.nextFloat() * width }
        return out
    }

    /// An additive causal mask `[length, length]`: 0 on and below the diagonal, -infinity
    /// above it, so position i attends only to positions j <= i.
    ///
    ///     let scores = try raw + Tensor.causalMask(length: 4)
    public static func causalMask(length: Int) throws -> Tensor {
        let n = try elementCount([length, length], op: "causalMask")
        let out = Tensor(uninitializedShape: [length, length], count: n)
        for i in 0..<length {
            for j in 0..<length { out.data[i * length + j] = j <= i ? 0 : -Float.infinity }
        }
        return out
    }
}

/// Calls `body(i)` for i in 0..<count, in order, checking for Ctrl-C (`Cancellation.check`)
/// every 2^22 elements, so drawing a huge random tensor can be stopped.
///
///     try fillInterruptibly(n) { i in out.data[i] = Float(rng.normal()) }
@inline(__always)
func fillInterruptibly(_ count: Int, _ body: (Int) -> Void) throws {
    try forEachRowChunk(rows: count, chunk: 1 << 22) { start, length in
        if start > 0 { try Cancellation.check() }
        for i in start..<(start + length) { body(i) }
    }
}
