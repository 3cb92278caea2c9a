/// Conversions from laif numbers (Doubles) that never trap.
enum Numeric {
    /// The Int equal to `value`, or nil for NaN, infinities, fractions and out-of-range values.
    static func exactInt(_ value: Double) -> Int? { Int(exactly: value) }

    /// Floored remainder (the sign follows the divisor, as in Python and Lua); NaN for 0.
    static func remainder(_ a: Double, _ b: Double) -> Double {
        let r = a.truncatingRemainder(dividingBy: b)
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
    }
}
