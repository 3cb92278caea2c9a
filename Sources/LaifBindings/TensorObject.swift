import LaifLang
import LaifTensor

/// A tensor as a laif value (`type(t) == "tensor"`): a LaifTensor `Tensor` plus the print
/// options of the registry that made it. Tensors are immutable in the language: every
/// operation returns a new one.
///
/// Operators broadcast like NumPy (`t + 1`, `1 - t`, `a * b`), `@` is the matrix product,
/// `<`, `<=`, `>`, `>=` compare element-wise (1 where true, 0 elsewhere), and `==`/`!=` compare
/// whole tensors (same shape and values) so they work in `assert` and `if`. Operations whose
/// result has rank 0 (full reductions, indexing every dimension) give plain numbers.
///
///     let t = TensorValue(try Tensor(shape: [2], data: [1, 2]), options: TensorPrintOptions())
///     t.describe()   // "shape [2]\ntensor([1.0000, 2.0000])"
public final class TensorValue: DomainObject {
    /// The tensor (not connected to any autodiff graph the language can see).
    public let tensor: Tensor
    /// How this tensor prints; shared by every tensor of one registry.
    public let options: TensorPrintOptions

    /// Wraps `tensor`, printing with `options`.
    ///
    ///     TensorValue(Tensor([1, 2, 3]), options: options)
    public init(_ tensor: Tensor, options: TensorPrintOptions) {
        self.tensor = tensor
        self.options = options
    }

    /// A tensor result as a laif value: rank 0 becomes a number, anything else a tensor
    /// sharing `options`.
    ///
    ///     TensorValue.wrap(try t.sum(), options: options)   // .number(...)
    public static func wrap(_ tensor: Tensor, options: TensorPrintOptions) -> Value {
        if tensor.rank == 0, tensor.count == 1 { return .number(Double(tensor.toArray()[0])) }
        return .object(TensorValue(tensor, options: options))
    }

    /// A tensor result as a laif value with this tensor's print options.
    func wrap(_ result: Tensor) -> Value { TensorValue.wrap(result, options: options) }

    /// "tensor", the name scripts see from `type(t)` and the key of its methods.
    ///
    ///     value.typeName   // "tensor"
    public var typeName: String { "tensor" }

    /// A header with the shape (and the element count when summarised), then PyTorch's text.
    ///
    ///     t.describe()   // "shape [2, 2]\ntensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])"
    public func describe() -> String {
        let formatter = TensorFormatter(options: options)
        var header = "shape \(tensor.shape)"
        if formatter.isSummarised(count: tensor.count) { header += " (\(tensor.count) elements, summarised)" }
        return header + "\n" + formatter.body(shape: tensor.shape, values: tensor.toArray())
    }

    /// One line: small vectors in full, otherwise the shape.
    ///
    ///     t.summary   // "tensor([1.0000, 2.0000])" or "tensor(shape [64, 64])"
    public var summary: String {
        if tensor.rank <= 1, tensor.count <= 8 {
            return TensorFormatter(options: options).body(shape: tensor.shape, values: tensor.toArray())
        }
        return "tensor(shape \(tensor.shape))"
    }

    /// Four bytes per element (plus a small header).
    ///
    ///     value.byteSize   // 64 + 4 * count
    public var byteSize: Int { 64 + 4 * tensor.count }

    /// The properties `t.name` reads (for completion).
    ///
    ///     value.propertyNames   // ["shape", "ndim"]
    public var propertyNames: [String] { ["shape", "ndim"] }

    /// `t.shape` (a list of numbers) and `t.ndim`.
    ///
    ///     try t.property("shape")   // .list([.number(2), .number(2)])
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "ndim": return .number(Double(tensor.rank))
        default: return nil
        }
    }

    /// The size of the first dimension (`len(t)`); a 0-d tensor has none.
    ///
    ///     value.length   // 2 for a [2, 3] tensor
    public var length: Int? { tensor.rank == 0 ? nil : tensor.shape[0] }

    /// `for row in t`: the slices along the first dimension (numbers for a vector).
    ///
    ///     try t.elements()   // rows of a matrix as tensors
    public func elements() throws -> [Value]? {
        guard tensor.rank > 0 else { return nil }
        guard tensor.shape[0] <= Limits.maxListLength else {
            throw LaifError.runtime("a tensor with \(tensor.shape[0]) rows is too long to iterate (limit \(Limits.maxListLength))")
        }
        let values = tensor.toArray()
        let rowShape = Array(tensor.shape.dropFirst())
        let rowCount = rowShape.reduce(1, *)
        return try (0..<tensor.shape[0]).map { row in
            let slice = Array(values[(row * rowCount)..<((row + 1) * rowCount)])
            return wrap(try tensorCall { try Tensor(shape: rowShape, data: slice) })
        }
    }

    /// Same shape and the same values (NaN is never equal).
    ///
    ///     a.isEqual(to: b)   // true for two tensor([1, 2])
    public func isEqual(to other: DomainObject) -> Bool {
        guard let other = other as? TensorValue else { return false }
        guard other.tensor.shape == tensor.shape else { return false }
        return other.tensor.toArray() == tensor.toArray()
    }
}
