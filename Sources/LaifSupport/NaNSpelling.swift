import Foundation

/// `text` with every "-nan" written as "nan". Swift prints a NaN whose sign bit is set (which
/// is what 0/0 gives on x86) as "-nan", while laif prints every NaN as `nan`; messages that
/// interpolate a number use this so a user's `0/0` reads the same in both.
///
///     plainNaN("temperature must be finite, got -nan")   // "... got nan"
public func plainNaN(_ text: String) -> String {
    guard text.contains("-nan") else { return text }
    var out = ""
    var rest = Substring(text)
    while let range = rest.range(of: "-nan") {
        let before = rest[..<range.lowerBound]
        let after = rest[range.upperBound...]
        // Only a number: "-nan" not glued to a word on either side ("e-nano" stays).
        let startsToken = before.last.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
        let endsToken = after.first.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
        out += before
        out += startsToken && endsToken ? "nan" : "-nan"
        rest = after
    }
    return out + rest
}
