import Foundation

/// A mean with its standard error, printed as `"56.2 ± 1.6"`.
///
///     let e = Estimate(samples: [1, 0, 1, 1])
///     e.value           // 0.75
///     e.standardError   // 0.25
public struct Estimate: Equatable, Sendable, CustomStringConvertible {
    public let value: Double
    public let standardError: Double
    public let count: Int

    /// An estimate from known numbers.
    ///
    ///     Estimate(value: 56.2, standardError: 1.6, count: 500)
    public init(value: Double, standardError: Double, count: Int) {
        self.value = value
        self.standardError = standardError
        self.count = count
    }

    /// The sample mean and its standard error (sample sd / √n; 0 for fewer than 2 samples).
    ///
    ///     Estimate(samples: [0.2, 0.4]).value   // 0.3
    public init(samples: [Double]) {
        count = samples.count
        guard !samples.isEmpty else { value = 0; standardError = 0; return }
        let mean = samples.reduce(0, +) / Double(samples.count)
        value = mean
        guard samples.count > 1 else { standardError = 0; return }
        let ss = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        standardError = (ss / Double(samples.count - 1) / Double(samples.count)).squareRoot()
    }

    /// The same estimate scaled (e.g. by 100 for percent).
    ///
    ///     e.scaled(by: 100)
    public func scaled(by factor: Double) -> Estimate {
        Estimate(value: value * factor, standardError: standardError * abs(factor), count: count)
    }

    /// The standard error, or nil where it is unknown: from one sample (or none) the spread
    /// cannot be measured, and reading it as 0 made `gain > 2 * se` hold for any gain.
    ///
    ///     Estimate(value: 11.9, standardError: 0, count: 1).knownStandardError   // nil
    public var knownStandardError: Double? {
        count >= 2 || standardError > 0 ? standardError : nil
    }

    /// The value and its standard error to the standard error's first two significant digits
    /// (one to three decimals): `54.5 ± 1.5` for a win rate, `0.581 ± 0.013` for a quality.
    /// From one sample (or none) the error is unknown, not 0: `11.9 ± n/a`.
    public var description: String {
        guard knownStandardError != nil else {
            return "\(formatFixed(value, abs(value) >= 10 ? 1 : 3)) ± n/a"
        }
        let decimals: Int
        if standardError > 0, standardError.isFinite {
            decimals = min(3, max(1, 1 - Int(log10(standardError).rounded(.down))))
        } else {
            decimals = abs(value) >= 10 ? 1 : 3
        }
        return "\(formatFixed(value, decimals)) ± \(formatFixed(standardError, decimals))"
    }
}

/// The sample standard deviation (0 for fewer than 2 values).
func standardDeviation(_ xs: [Double]) -> Double {
    guard xs.count > 1 else { return 0 }
    let mean = xs.reduce(0, +) / Double(xs.count)
    return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
}

/// Logistic regression of (possibly soft) targets on one feature, read at feature 0:
/// σ(intercept). Fitted by Newton's method with a tiny ridge so separable data stays finite.
/// This is the length-controlled win rate's core (AlpacaEval 2 regresses preferences on a
/// length-difference term and reads the model's rate at zero difference).
///
///     logisticInterceptProbability(targets: [0.9, 0.8, 0.3], feature: [1, 0.5, -1])
func logisticInterceptProbability(targets: [Double], feature: [Double]) -> Double {
    let n = Double(targets.count)
    guard n > 0 else { return 0.5 }
    var a = 0.0, b = 0.0
    let ridge = 1e-4 * n
    for _ in 0..<50 {
        var ga = -ridge * a, gb = -ridge * b
        var haa = ridge, hab = 0.0, hbb = ridge
        for (y, x) in zip(targets, feature) {
            let p = sigmoid(a + b * x)
            let w = max(p * (1 - p), 1e-12)
            ga += y - p
            gb += (y - p) * x
            haa += w
            hab += w * x
            hbb += w * x * x
        }
        let det = haa * hbb - hab * hab
        guard det > 0, det.isFinite else { break }
        let da = (hbb * ga - hab * gb) / det
        let db = (haa * gb - hab * ga) / det
        a += da
        b += db
        if abs(da) + abs(db) < 1e-10 { break }
    }
    return sigmoid(a)
}
