import Foundation

/// A linear axis: a data range widened to "nice" round ticks (1, 2, 2.5 or 5 times a power
/// of ten), so tick labels read like a person chose them.
///
///     let axis = AxisScale(from: 0.13, to: 0.91, targetTicks: 5)
///     axis.ticks          // [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
///     axis.label(0.4)     // "0.4"
public struct AxisScale: Equatable, Sendable {
    /// Lowest value on the axis (the first tick).
    public let lower: Double
    /// Highest value on the axis (the last tick).
    public let upper: Double
    /// Distance between ticks.
    public let step: Double

    /// Widens `[low, high]` to round ticks, about `targetTicks` of them. A degenerate range
    /// (one value, or no finite values) becomes a unit-wide range around it. With
    /// `wholeSteps` (data such as step counts) ticks never fall between whole numbers.
    ///
    ///     AxisScale(from: 5, to: 5).ticks   // 4.4, 4.6, ..., 5.6: one value still gets a visible range
    public init(from low: Double, to high: Double, targetTicks: Int = 5, wholeSteps: Bool = false) {
        // Data beyond ±2.2e307 is drawn at the edge of a ±2.2e307 axis: wider, the rounded
        // bounds or their difference would overflow to infinity.
        let limit = Double.greatestFiniteMagnitude / 8
        var low = low.isFinite ? min(max(low, -limit), limit) : 0
        var high = high.isFinite ? min(max(high, -limit), limit) : 1
        if low > high { swap(&low, &high) }
        if high - low < max(abs(high), abs(low), 1) * 1e-12 {
            let pad = max(abs(low) * 0.1, 0.5)
            low -= pad
            high += pad
        }
        var step = AxisScale.niceStep(for: (high - low) / Double(max(targetTicks, 2)))
        if wholeSteps { step = max(step, 1) }
        self.lower = (low / step).rounded(.down) * step
        self.upper = (high / step).rounded(.up) * step
        self.step = step
    }

    /// The tick positions from `lower` to `upper`.
    ///
    ///     AxisScale(from: 0, to: 10).ticks   // [0, 2, 4, 6, 8, 10]
    public var ticks: [Double] {
        let intervals = ((upper - lower) / step).rounded()
        let count = intervals.isFinite && intervals >= 0 ? Int(min(intervals, 1_000)) + 1 : 1
        return (0..<count).map { lower + Double($0) * step }
    }

    /// Where `value` falls on the axis, 0 at `lower` and 1 at `upper`; a value past either end
    /// is put at that end.
    ///
    ///     AxisScale(from: 0, to: 10).fraction(of: 5)   // 0.5
    public func fraction(of value: Double) -> Double {
        guard !value.isNaN else { return value }
        // Data beyond the widest axis (+-2.2e307) sits at its edge; unclamped, value - lower
        // overflowed to infinity and the SVG got "inf" coordinates.
        return (min(max(value, lower), upper) - lower) / (upper - lower)
    }

    /// A tick label with as many decimals as the step needs ("0.25", "1e+06" for huge values).
    ///
    ///     AxisScale(from: 0, to: 1).label(0.2)   // "0.2"
    public func label(_ value: Double) -> String {
        let magnitude = max(abs(lower), abs(upper))
        if magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0) {
            return String(format: "%.2g", value)
        }
        let decimals = max(0, Int((-log10(step)).rounded(.up)) + (AxisScale.isHalfStep(step) ? 1 : 0))
        let cleaned = abs(value) < step * 1e-9 ? 0 : value   // no "-0"
        return String(format: "%.\(min(decimals, 6))f", cleaned)
    }

    /// The smallest of 1, 2, 2.5, 5 (times a power of ten) at least `rough`.
    static func niceStep(for rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * power >= rough * (1 - 1e-9) {
            return factor * power
        }
        return 10 * power
    }

    /// Steps such as 0.25 or 2.5 need one decimal more than their power of ten suggests.
    private static func isHalfStep(_ step: Double) -> Bool {
        let power = pow(10, (log10(step)).rounded(.down))
        return abs(step / power - 2.5) < 1e-9
    }
}
