import LaifLang
import LaifTensor

/// `t[i]`, `t[i, j]`, `t[:, 1]`, `t[1:3]`, `t[-1]`: whole-number indices pick (and drop) a
/// dimension, negative ones count from the end; slices keep it and clamp as in Python.
/// Unindexed trailing dimensions are kept whole. Indexing every dimension gives a number.
extension TensorValue {
    /// What one index component does to its dimension.
    private enum Pick {
        case one(Int)
        case range(Range<Int>)
    }

    /// The indexed part of the tensor (a copy).
    ///
    ///     try t.subscripted([.single(.number(0))])   // the first row
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        let shape = tensor.shape
        guard indices.count <= shape.count else {
            throw LaifError.runtime("too many indices: \(indices.count) for a tensor of shape \(shape) (rank \(shape.count))")
        }
        var picks: [Pick] = []
        for (dim, index) in indices.enumerated() {
            picks.append(try pick(index, size: shape[dim], dim: dim))
        }
        for dim in indices.count..<shape.count { picks.append(.range(0..<shape[dim])) }
        return wrap(try gather(picks))
    }

    private func pick(_ index: IndexValue, size: Int, dim: Int) throws -> Pick {
        switch index {
        case .single(let value):
            guard case .number(let number) = value else {
                throw LaifError.runtime("tensor index \(dim) must be a whole number or a slice a:b, got \(value.typeName)")
            }
            guard let int = Int(exactly: number) else {
                if Numeric.isWhole(number) {
                    throw LaifError.runtime("index \(ValuePrinter.formatNumber(number)) is out of range for dimension \(dim) of size \(size) (valid: \(-size) to \(size - 1))")
                }
                throw LaifError.runtime("tensor index \(ValuePrinter.formatNumber(number)) (dimension \(dim)) is not a whole number")
            }
            let position = int < 0 ? int + size : int
            guard position >= 0, position < size else {
                throw LaifError.runtime("index \(int) is out of range for dimension \(dim) of size \(size) (valid: \(-size) to \(size - 1))")
            }
            return .one(position)
        case .slice(let start, let end):
            let lower = try bound(start, size: size, dim: dim, fallback: 0)
            let upper = try bound(end, size: size, dim: dim, fallback: size)
            return .range(lower..<max(lower, upper))
        }
    }

    /// A slice bound clamped to `0...size` (negative counts from the end).
    private func bound(_ value: Value?, size: Int, dim: Int, fallback: Int) throws -> Int {
        guard let value, !value.isNil else { return fallback }
        guard case .number(let number) = value else {
            throw LaifError.runtime("slice bounds must be whole numbers, got \(value.typeName) (dimension \(dim))")
        }
        guard !number.isNaN, number == number.rounded() else {
            throw LaifError.runtime("slice bound \(ValuePrinter.formatNumber(number)) (dimension \(dim)) is not a whole number")
        }
        let clamped = Int(min(max(number, -Double(size)), Double(size)))
        return clamped < 0 ? clamped + size : clamped
    }

    /// Copies the picked elements; `.one` dimensions are dropped from the result's shape.
    private func gather(_ picks: [Pick]) throws -> Tensor {
        let shape = tensor.shape
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        var base = 0
        var loopSizes: [Int] = []
        var loopStrides: [Int] = []
        var outShape: [Int] = []
        for (dim, pick) in picks.enumerated() {
            switch pick {
            case .one(let position):
                base += position * strides[dim]
            case .range(let range):
                base += range.lowerBound * strides[dim]
                loopSizes.append(range.count)
                loopStrides.append(strides[dim])
                outShape.append(range.count)
            }
        }
        let count = outShape.reduce(1, *)
        let source = tensor.toArray()
        var values = [Float](repeating: 0, count: count)
        if count > 0 {
            var counter = [Int](repeating: 0, count: loopSizes.count)
            var offset = base
            for i in 0..<count {
                values[i] = source[offset]
                var d = loopSizes.count - 1
                while d >= 0 {
                    counter[d] += 1
                    offset += loopStrides[d]
                    if counter[d] < loopSizes[d] { break }
                    offset -= loopStrides[d] * loopSizes[d]
                    counter[d] = 0
                    d -= 1
                }
            }
        }
        return try tensorCall { try Tensor(shape: outShape, data: values) }
    }
}
