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

    /// The number a text writes as laif's literals do (digits, `_` between them, a fraction,
    /// an exponent), with an optional sign and surrounding blanks; nil for anything else.
    /// Why not `Double(_:)` alone: it also reads "0x10", "inf" and "nan", which no laif
    /// literal is, and not "1_000", which is one. `number()` and `-p` overrides read numbers
    /// through here, so they agree with the language.
    ///
    ///     Numeric.decimal(" 1_000.5 ")   // 1000.5
    ///     Numeric.decimal("0x10")        // nil
    public static func decimal(_ text: String) -> Double? {
        var cleaned = ""
        var previous: Character?
        for character in text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed() {
            switch character {
            case "0"..."9", ".", "e", "E", "+", "-": cleaned.append(character)
            case "_" where previous.map { $0.isASCII && ($0.isNumber || $0 == "_") } ?? false: break
            default: return nil
            }
            previous = character
        }
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// Floored remainder (the sign follows the divisor, as in Python and Lua); NaN for 0.
    static func remainder(_ a: Double, _ b: Double) -> Double {
        let r = a.truncatingRemainder(dividingBy: b)
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
    }
}
