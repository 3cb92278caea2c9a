import LaifLang
import LaifTensor

/// Conversions between laif values and tensor data: nested lists, shapes, axes and token rows.
/// Every problem is a thrown `LaifError` naming the place (list position, depth, argument).
enum TensorConversion {
    /// The tensor a value describes: a number (rank 0), a bool (1 or 0), a tensor (copied) or
    /// nested lists of those with the same length at every depth.
    ///
    ///     try TensorConversion.tensor(from: .list([.number(1), .number(2)]))   // shape [2]
    static func tensor(from value: Value) throws -> Tensor {
        if let existing = value.object(as: TensorValue.self) { return try tensorCall { try existing.tensor.copy() } }
        var shape: [Int] = []
        var probe = value
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            if let inner = first.object(as: TensorValue.self) {
                shape += inner.tensor.shape
                break
            }
            probe = first
        }
        guard shape.count <= Tensor.maxRank else {
            throw LaifError.runtime("lists nested \(shape.count) deep: a tensor has at most \(Tensor.maxRank) dimensions")
        }
        let count = try elementCount(shape, what: "the nested list")
        var values: [Float] = []
        values.reserveCapacity(count)
        try flatten(value, shape: shape, depth: 0, path: [], into: &values)
        return try tensorCall { try Tensor(shape: shape, data: values) }
    }

    /// The tensor a value describes, for an operation that only reads it: a tensor is used as
    /// it is, not copied (a copy of a large one cost its size again); anything else is
    /// converted as `tensor(from:)` does.
    ///
    ///     try TensorConversion.operand(from: .number(2))   // shape []
    static func operand(from value: Value) throws -> Tensor {
        if let existing = value.object(as: TensorValue.self) { return existing.tensor }
        return try tensor(from: value)
    }

    private static func flatten(_ value: Value, shape: [Int], depth: Int, path: [Int], into values: inout [Float]) throws {
        let place = path.isEmpty ? "at the top" : "at index \(path)"
        switch value {
        case .list(let items):
            guard depth < shape.count else {
                throw LaifError.runtime("ragged list: found a list \(place) (depth \(depth)) where a number was expected, as in the first element (shape \(shape))")
            }
            guard items.count == shape[depth] else {
                throw LaifError.runtime("ragged list: the list \(place) (depth \(depth)) has \(items.count) items but the first list at that depth has \(shape[depth]); every list at one depth must have the same length")
            }
            for (index, item) in items.enumerated() {
                try flatten(item, shape: shape, depth: depth + 1, path: path + [index], into: &values)
            }
        case .object(let object as TensorValue):
            let rest = Array(shape[depth...])
            guard object.tensor.shape == rest else {
                throw LaifError.runtime("ragged list: the tensor \(place) (depth \(depth)) has shape \(object.tensor.shape) but the first has \(rest)")
            }
            values += object.tensor.toArray()
        case .number(let number):
            guard depth == shape.count else {
                throw LaifError.runtime("ragged list: found a number \(place) (depth \(depth)) where a list of \(shape[depth]) was expected, as in the first element")
            }
            values.append(Float(number))
        case .bool(let flag):
            guard depth == shape.count else {
                throw LaifError.runtime("ragged list: found a bool \(place) (depth \(depth)) where a list of \(shape[depth]) was expected, as in the first element")
            }
            values.append(flag ? 1 : 0)
        default:
            throw LaifError.runtime("expected numbers (or lists of numbers) but found a \(value.typeName) \(place) (depth \(depth))")
        }
    }

    /// Checked element count of a shape (non-negative sizes, no overflow, at most
    /// `Tensor.maxElementCount`).
    static func elementCount(_ shape: [Int], what: String) throws -> Int {
        var count = 1
        for size in shape {
            guard size >= 0 else { throw LaifError.runtime("\(what) has a negative size in shape \(shape)") }
            // Said of the size itself: with a 0 elsewhere the shape would hold nothing at all.
            guard size <= Tensor.maxElementCount else {
                throw LaifError.runtime("size \(size) in shape \(shape) is more than the \(Tensor.maxElementCount) elements a tensor may have; use smaller sizes")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Tensor.maxElementCount else {
                throw LaifError.runtime("shape \(shape) holds more than the \(Tensor.maxElementCount) elements a tensor may have; use smaller sizes")
            }
            count = product
        }
        return count
    }

    /// A whole number from a laif value, or an error naming `what`.
    ///
    ///     try TensorConversion.int(.number(3), what: "axis")   // 3
    static func int(_ value: Value, what: String) throws -> Int {
        guard case .number(let number) = value else {
            throw LaifError.runtime("\(what) must be a whole number, got \(value.typeName)")
        }
        guard let int = Int(exactly: number) else {
            if Numeric.isWhole(number) {
                throw LaifError.runtime("\(what) is \(ValuePrinter.formatNumber(number)), beyond the whole numbers it can hold (about ±9.2e18)")
            }
            throw LaifError.runtime("\(what) must be a whole number, got \(ValuePrinter.formatNumber(number))")
        }
        return int
    }

    /// A shape from call arguments: sizes given one by one (`zeros(2, 3)`) or as one list
    /// (`zeros([2, 3])`). `allowInferred` accepts one -1 (for reshape).
    ///
    ///     try TensorConversion.shape(from: [.number(2), .number(3)])   // [2, 3]
    static func shape(from arguments: [Value], allowInferred: Bool = false) throws -> [Int] {
        var sizes = arguments
        if arguments.count == 1, case .list(let items) = arguments[0] { sizes = items }
        if arguments.count == 1, let tensor = arguments[0].object(as: TensorValue.self), tensor.tensor.rank == 1 {
            sizes = tensor.tensor.toArray().map { .number(Double($0)) }
        }
        guard sizes.count <= Tensor.maxRank else {
            throw LaifError.runtime("a shape has at most \(Tensor.maxRank) dimensions, got \(sizes.count)")
        }
        var shape: [Int] = []
        for (index, size) in sizes.enumerated() {
            let int = try TensorConversion.int(size, what: "size \(index) of the shape")
            guard int >= 0 || (allowInferred && int == -1) else {
                throw LaifError.runtime("size \(index) of the shape is \(int); sizes must be >= 0\(allowInferred ? " (or -1 once, inferred)" : "")")
            }
            shape.append(int)
        }
        if !allowInferred { _ = try elementCount(shape, what: "shape") }
        return shape
    }

    /// A list of whole numbers (permutation orders, token rows).
    static func ints(_ value: Value, what: String) throws -> [Int] {
        guard case .list(let items) = value else {
            throw LaifError.runtime("\(what) must be a list of whole numbers, got \(value.typeName)")
        }
        return try items.enumerated().map { try int($1, what: "\(what)[\($0)]") }
    }

    /// Nested lists from a tensor; refuses tensors too large for laif lists.
    ///
    ///     try TensorConversion.list(from: Tensor([1, 2]))   // [1, 2]
    static func list(from tensor: Tensor) throws -> Value {
        guard tensor.count <= Limits.maxListLength else {
            throw LaifError.runtime("a tensor of \(tensor.count) elements is too large for a list (limit \(Limits.maxListLength)); slice it first")
        }
        let values = tensor.toArray()
        if tensor.rank == 0 { return .number(Double(values[0])) }
        var position = 0
        func build(_ dim: Int) -> Value {
            if dim == tensor.rank - 1 {
                let row = values[position..<(position + tensor.shape[dim])].map { Value.number(Double($0)) }
                position += tensor.shape[dim]
                return .list(row)
            }
            return .list((0..<tensor.shape[dim]).map { _ in build(dim + 1) })
        }
        return build(0)
    }

    /// A token row: whole numbers that fit `Int32` (the model checks its vocabulary).
    ///
    ///     try TensorConversion.tokens(.list([.number(1), .number(5)]), what: "prompt 0")   // [1, 5]
    static func tokens(_ value: Value, what: String) throws -> [Int32] {
        let source: [Value]
        switch value {
        case .list(let items): source = items
        case .object(let object as TensorValue) where object.tensor.rank == 1:
            source = object.tensor.toArray().map { .number(Double($0)) }
        default:
            throw LaifError.runtime("\(what) must be a list of token ids (whole numbers), got \(value.typeName)")
        }
        return try source.enumerated().map { index, item in
            guard case .number(let number) = item, let token = Int32(exactly: number) else {
                throw LaifError.runtime("\(what) has \(item.typeName == "number" ? ValuePrinter.display(item) : "a " + item.typeName) at position \(index); token ids are whole numbers from 0 to the vocabulary size - 1")
            }
            return token
        }
    }

    /// Several token rows: a list of lists (or a matrix); `single` is true when one flat row
    /// was given (a list of numbers or a vector), which is read as one row.
    static func tokenRows(_ value: Value, what: String) throws -> (rows: [[Int32]], single: Bool) {
        if let tensor = value.object(as: TensorValue.self), tensor.tensor.rank == 2 {
            guard case .list(let rows) = try list(from: tensor.tensor) else { return ([], false) }
            return (try rows.enumerated().map { try tokens($1, what: "\(what)[\($0)]") }, false)
        }
        if let tensor = value.object(as: TensorValue.self), tensor.tensor.rank == 1 {
            return ([try tokens(value, what: what)], true)
        }
        guard case .list(let items) = value else {
            // A world's prompts are objects; their token ids are one property or method away.
            let hint = value.typeName == "prompt" ? "; a prompt's token ids are p.tokens"
                : value.typeName == "prompts" ? "; a prompt set's token ids are ps.tokens()" : ""
            throw LaifError.runtime("\(what) must be a token list or a list of token lists, such as [1, 4, 5] or [[1, 4, 5], [1, 7]], "
                + "got \(value.typeName)\(hint)")
        }
        if let first = items.first, case .number = first {
            return ([try tokens(value, what: "\(what)")], true)
        }
        return (try items.enumerated().map { try tokens($1, what: "\(what)[\($0)]") }, false)
    }
}
