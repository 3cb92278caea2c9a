import Foundation
import LaifLang
import LaifTensor

/// Operators on tensors: arithmetic with numbers and tensors in both orders (broadcasting),
/// `@`, `**` by a number, element-wise comparisons, whole-tensor `==`/`!=`, and `-t`.
extension TensorValue {
    /// `self op other` (or `other op self`); nil hands the operator back to the interpreter,
    /// which reports the unsupported combination.
    ///
    ///     try t.binary(.add, .number(1), selfIsLeft: true)   // t + 1
    public func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        let operand: Tensor
        switch other {
        case .number(let number): operand = Tensor(scalar: Float(number))
        case .bool(let flag): operand = Tensor(scalar: flag ? 1 : 0)
        case .object(let object as TensorValue): operand = object.tensor
        default:
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        let (a, b) = selfIsLeft ? (tensor, operand) : (operand, tensor)
        let described = "'\(op.symbol)' on shapes \(a.shape) and \(b.shape)"
        switch op {
        case .add, .subtract, .multiply, .divide:
            // The core allocates the broadcast result unchecked: bound its size first.
            _ = try TensorValue.broadcastShape(a.shape, b.shape, described: described)
            return wrap(try operation(described) {
                switch op {
                case .add: return try a + b
                case .subtract: return try a - b
                case .multiply: return try a * b
                default: return try a / b
                }
            })
        case .matmul:
            guard a.rank >= 1, b.rank >= 1 else {
                throw LaifError.runtime("'@' multiplies tensors of rank 1 or more, got shapes \(a.shape) and \(b.shape); use '*' to scale by a number")
            }
            return wrap(try operation(described) { try a.matmul(b) })
        case .power:
            if selfIsLeft {
                guard operand.count == 1 else {
                    throw LaifError.runtime("'**' raises a tensor to a number (t ** 2), got an exponent of shape \(operand.shape); for element-wise powers use exp(b * log(a))")
                }
                let exponent = operand.toArray()[0]
                return wrap(try operation(described) { exponent == 2 ? try tensor.square() : try tensor.pow(exponent) })
            }
            guard case .number(let base) = other, base > 0 else {
                throw LaifError.runtime("'**' with a tensor exponent needs a positive number as the base (2 ** t)")
            }
            return wrap(try operation(described) { try (tensor * Float(Foundation.log(base))).exp() })
        case .less: return wrap(try compare(a, b, described) { $0 < $1 })
        case .lessEqual: return wrap(try compare(a, b, described) { $0 <= $1 })
        case .greater: return wrap(try compare(a, b, described) { $0 > $1 })
        case .greaterEqual: return wrap(try compare(a, b, described) { $0 >= $1 })
        case .equal: return .bool(a.shape == b.shape && a.toArray() == b.toArray())
        case .notEqual: return .bool(!(a.shape == b.shape && a.toArray() == b.toArray()))
        case .remainder, .concat: return nil
        }
    }

    /// `-t` and `+t`.
    ///
    ///     try t.unary(.negate)   // -t
    public func unary(_ op: UnaryOperator) throws -> Value? {
        switch op {
        case .negate: return wrap(try tensorCall { try -tensor })
        case .plus: return .object(self)
        case .not: return nil
        }
    }

    /// Runs a core operation, naming the operator and shapes in its error.
    private func operation(_ described: String, _ body: () throws -> Tensor) throws -> Tensor {
        do {
            return try body()
        } catch let error as TensorError {
            throw LaifError.runtime("\(described): \(error.message)")
        }
    }

    /// 1 where `predicate(a, b)` holds and 0 elsewhere, over the broadcast shape.
    private func compare(_ a: Tensor, _ b: Tensor, _ described: String, _ predicate: (Float, Float) -> Bool) throws -> Tensor {
        let shape = try TensorValue.broadcastShape(a.shape, b.shape, described: described)
        let left = try operation(described) { a.shape == shape ? a : try a.expand(to: shape) }.toArray()
        let right = try operation(described) { b.shape == shape ? b : try b.expand(to: shape) }.toArray()
        var result = [Float](repeating: 0, count: left.count)
        for i in 0..<left.count where predicate(left[i], right[i]) { result[i] = 1 }
        return try tensorCall { try Tensor(shape: shape, data: result) }
    }

    /// The NumPy broadcast of two shapes (trailing dimensions equal or 1).
    ///
    ///     try TensorValue.broadcastShape([2, 3], [3], described: "'<'")   // [2, 3]
    static func broadcastShape(_ a: [Int], _ b: [Int], described: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw LaifError.runtime("\(described): shapes cannot be broadcast (trailing dimensions must be equal or 1)")
            }
            out[i] = da == 1 ? db : da
        }
        _ = try TensorConversion.elementCount(out, what: "the broadcast result")
        return out
    }
}
