import Foundation

/// How tensors print, as PyTorch's `set_printoptions`: digits after the point, how many
/// elements print in full before the output is summarised, the edge items kept per dimension
/// when summarising, the line width, and scientific notation (nil: automatic).
///
/// One options object belongs to one registry (and so to one interpreter): every tensor made
/// through that registry's builtins holds it, so `set_printoptions` changes how they all print
/// without any global state.
///
///     let options = TensorPrintOptions()
///     options.precision = 2
public final class TensorPrintOptions {
    /// Digits after the decimal point (0...16).
    public var precision = 4
    /// Tensors with more elements than this print summarised (edges and "...").
    public var threshold = 1000
    /// Elements kept at each end of every dimension when summarising.
    public var edgeItems = 3
    /// Rows longer than this many characters wrap.
    public var lineWidth = 80
    /// true: always scientific; false: never; nil: when the magnitudes call for it.
    public var scientific: Bool?

    /// Options with PyTorch's defaults (precision 4, threshold 1000, 3 edge items, width 80).
    ///
    ///     TensorPrintOptions().threshold   // 1000
    public init() {}
}

/// Renders tensor values the way PyTorch prints them:
/// `tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])`.
///
///     TensorFormatter(options: TensorPrintOptions()).body(shape: [2], values: [1, 2])
///     // "tensor([1.0000, 2.0000])"
struct TensorFormatter {
    let options: TensorPrintOptions
    private static let prefix = "tensor("

    /// The `tensor(...)` text for row-major `values` of `shape`.
    func body(shape: [Int], values: [Float]) -> String {
        if shape.isEmpty {
            let format = elementFormat(for: values)
            return Self.prefix + format.text(values.first ?? 0).trimmingCharacters(in: .whitespaces) + ")"
        }
        if values.isEmpty { return Self.prefix + "[])" }
        let summarise = values.count > options.threshold
        let shown = shownValues(shape: shape, values: values, summarise: summarise)
        let format = elementFormat(for: shown)
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        let layout = Layout(shape: shape, strides: strides, values: values, format: format, summarise: summarise)
        return Self.prefix + block(layout, dim: 0, offset: 0) + ")"
    }

    /// Whether the tensor prints summarised (for the shape header).
    func isSummarised(count: Int) -> Bool { count > options.threshold }

    private struct Layout {
        let shape: [Int]
        let strides: [Int]
        let values: [Float]
        let format: ElementFormat
        let summarise: Bool
    }

    /// Positions printed along a dimension of `size`: all, or the edges around a gap (-1).
    private func positions(size: Int, summarise: Bool) -> [Int] {
        let edge = max(1, options.edgeItems)
        guard summarise, size > 2 * edge else { return Array(0..<size) }
        return Array(0..<edge) + [-1] + Array((size - edge)..<size)
    }

    private func block(_ layout: Layout, dim: Int, offset: Int) -> String {
        let rank = layout.shape.count
        let indices = positions(size: layout.shape[dim], summarise: layout.summarise)
        let indent = Self.prefix.count + dim
        if dim == rank - 1 {
            // PyTorch pads the gap marker to " ..." inside rows.
            let items = indices.map { $0 < 0 ? " ..." : layout.format.text(layout.values[offset + $0]) }
            return "[" + wrapped(items, indent: indent, width: layout.format.width) + "]"
        }
        let separator = "," + String(repeating: "\n", count: rank - dim - 1) + String(repeating: " ", count: indent + 1)
        let parts = indices.map { $0 < 0 ? "..." : block(layout, dim: dim + 1, offset: offset + $0 * layout.strides[dim]) }
        return "[" + parts.joined(separator: separator) + "]"
    }

    /// Joins row items with ", ", starting a new line (indented under the first item) when the
    /// line would pass the line width; `indent` is the column of the row's opening bracket.
    private func wrapped(_ items: [String], indent: Int, width: Int) -> String {
        let perLine = max(1, (options.lineWidth - indent) / (width + 2))
        guard items.count > perLine else { return items.joined(separator: ", ") }
        var lines: [String] = []
        var start = 0
        while start < items.count {
            let end = min(start + perLine, items.count)
            lines.append(items[start..<end].joined(separator: ", "))
            start = end
        }
        return lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1))
    }

    /// The values that will appear (all, or the summarised edges): they decide the format.
    private func shownValues(shape: [Int], values: [Float], summarise: Bool) -> [Float] {
        guard summarise else { return values }
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        var offsets = [0]
        for d in 0..<shape.count {
            let picks = positions(size: shape[d], summarise: true).filter { $0 >= 0 }
            offsets = offsets.flatMap { base in picks.map { base + $0 * strides[d] } }
        }
        return offsets.map { values[$0] }
    }

    /// Fixed or scientific notation with a common width, chosen from the magnitudes shown
    /// (PyTorch's rule: scientific when the largest is at least 1e8, the smallest non-zero is
    /// below 1e-4, or they differ by more than a factor of 1000).
    private func elementFormat(for values: [Float]) -> ElementFormat {
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs(Double($0)) }
        var scientific = false
        if let explicit = options.scientific {
            scientific = explicit
        } else if let largest = magnitudes.max(), let smallest = magnitudes.min() {
            scientific = largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1000
        }
        var format = ElementFormat(precision: options.precision, scientific: scientific, width: 0)
        format.width = values.reduce(0) { max($0, format.raw($1).count) }
        return format
    }
}

/// How one element prints: precision, notation and the common width it is padded to.
struct ElementFormat {
    let precision: Int
    let scientific: Bool
    var width: Int

    /// The element without padding: "1.0000", "-2.5000e-05", "nan", "inf".
    func raw(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return String(format: scientific ? "%.\(precision)e" : "%.\(precision)f", Double(value))
    }

    /// The element right-aligned to the common width.
    func text(_ value: Float) -> String {
        let text = raw(value)
        return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
