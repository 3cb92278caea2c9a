import LaifLang

/// A number as laif prints it (whole numbers without ".0").
///
///     formatLaifNumber(3.0)   // "3"
func formatLaifNumber(_ number: Double) -> String { ValuePrinter.formatNumber(number) }

/// Token ids as a laif list of numbers.
///
///     tokenList([8, 9, 3])   // [8, 9, 3]
func tokenList(_ tokens: [Int32]) -> Value { .list(tokens.map { .number(Double($0)) }) }

/// A whole or fractional index from a subscript, resolved against `count` (negative counts from
/// the end); an error names the type and the valid range.
///
///     let i = try resolveIndex(.number(-1), count: 10, what: "prompt set")   // 9
func resolveIndex(_ value: Value, count: Int, what: String) throws -> Int {
    let article = what.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    guard case .number(let number) = value, let index = Int(exactly: number) else {
        if case .number(let number) = value, Numeric.isWhole(number) {
            throw LaifError.runtime("index \(ValuePrinter.formatNumber(number)) is out of range for \(article) \(what) of \(count)")
        }
        throw LaifError.runtime("\(article) \(what) index must be a whole number, got \(value.summary)")
    }
    let resolved = index < 0 ? index + count : index
    guard resolved >= 0, resolved < count else {
        throw LaifError.runtime("index \(index) is out of range for \(article) \(what) of \(count)")
    }
    return resolved
}

/// The half-open range a slice `a:b` selects from `count` items (negative bounds count from the
/// end, bounds are clamped as in Python).
///
///     try resolveSlice(start: .number(1), end: nil, count: 5, what: "dataset")   // 1..<5
func resolveSlice(start: Value?, end: Value?, count: Int, what: String) throws -> Range<Int> {
    func bound(_ value: Value?, default fallback: Int) throws -> Int {
        guard let value, !value.isNil else { return fallback }
        guard case .number(let number) = value, let index = Int(exactly: number) else {
            throw LaifError.runtime("a \(what) slice bound must be a whole number, got \(value.summary)")
        }
        let resolved = index < 0 ? index + count : index
        return min(max(resolved, 0), count)
    }
    let lower = try bound(start, default: 0)
    let upper = try bound(end, default: count)
    return lower..<max(lower, upper)
}

/// The single index or slice of a one-dimensional subscript; an error for `x[i, j]`.
///
///     let selection = try oneDimensional(indices, what: "dataset")
func oneDimensional(_ indices: [IndexValue], what: String) throws -> IndexValue {
    guard indices.count == 1, let only = indices.first else {
        throw LaifError.runtime("a \(what) takes one index, got \(indices.count)")
    }
    return only
}
