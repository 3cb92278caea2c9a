/// Conversions from laif numbers (Doubles) that never trap.
public enum Numeric {
    /// The Int equal to `value`, or nil for NaN, infinities, fractions and out-of-range values.
    static func exactInt(_ value: Double) -> Int? { Int(exactly: value) }

    /// Whether `value` is a finite whole number, however large: when `exactInt` fails on one,
    /// the number is out of range rather than "not a whole number", and errors say so.
    ///
    ///     Numeric.isWhole(1e19)   // true (though no Int holds it)
    ///     Numeric.isWhole(2.5)    // false
    public static func isWhole(_ value: Double) -> Bool { value.isFinite && value == value.rounded() }

    /// Floored remainder (the sign follows the divisor, as in Python and Lua); NaN for 0.
    static func remainder(_ a: Double, _ b: Double) -> Double {
        let r = a.truncatingRemainder(dividingBy: b)
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
    }
}
