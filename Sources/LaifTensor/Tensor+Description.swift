import Foundation

/// Printing in PyTorch's style: nested brackets, 4 decimals, long tensors summarised.
extension Tensor: CustomStringConvertible {
    /// `tensor([[1.0000, 2.0000], [3.0000, 4.0000]], shape [2, 2])`; past 1000 elements only
    /// the first and last 3 entries of each dimension are shown, with `...` between.
    ///
    ///     print(try Tensor(literal: [1, 2.5]))   // tensor([1.0000, 2.5000], shape [2])
    public var description: String {
        let summarise = count > 1000
        var text = "tensor("
        if shape.isEmpty {
            text += Tensor.format(data[0])
        } else {
            appendNested(to: &text, dimension: 0, offset: 0, summarise: summarise)
        }
        text += ", shape \(shape)"
        if requiresGrad { text += ", requiresGrad" }
        return text + ")"
    }

    private static func format(_ v: Float) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v != 0 && (Swift.abs(v) >= 1e6 || Swift.abs(v) < 1e-4) { return String(format: "%.4e", Double(v)) }
        return String(format: "%.4f", Double(v))
    }

    private func appendNested(to text: inout String, dimension: Int, offset: Int, summarise: Bool) {
        let size = shape[dimension]
        let stride = shape[(dimension + 1)...].reduce(1, *)
        let indices: [Int?] = summarise && size > 6 ? [0, 1, 2, nil, size - 3, size - 2, size - 1] : (0..<size).map { $0 }
        text += "["
        for (k, index) in indices.enumerated() {
            if k > 0 { text += dimension == shape.count - 1 ? ", " : ",\n" + String(repeating: " ", count: 8 + dimension) }
            guard let i = index else { text += "..."; continue }
            if dimension == shape.count - 1 {
                text += Tensor.format(data[offset + i])
            } else {
                appendNested(to: &text, dimension: dimension + 1, offset: offset + i * stride, summarise: summarise)
            }
        }
        text += "]"
    }
}
