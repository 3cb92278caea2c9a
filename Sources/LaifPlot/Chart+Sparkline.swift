/// The eight block characters a sparkline is drawn with, lowest first.
let sparkBlocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

extension Chart {
    /// The first series as a one-line Unicode sparkline of at most `width` characters (longer
    /// series are averaged into buckets); gaps (non-finite values) show as spaces.
    ///
    ///     let chart = try Chart(kind: .line, series: [Series(y: [1, 2, 3, 4, 5, 6, 7, 8])])
    ///     chart.sparkline()   // "▁▂▃▄▅▆▇█"
    public func sparkline(width: Int = 40) -> String {
        let values = Chart.bucketMeans(series[0].y, into: max(width, 1))
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return String(repeating: " ", count: values.count)
        }
        let span = high - low
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            guard span > 0 else { return sparkBlocks[3] }
            // A span past Double's range (data near ±1.8e308) is measured in halves, which stay finite.
            let position = span.isFinite ? (value - low) / span : (value / 2 - low / 2) / (high / 2 - low / 2)
            let scaled = (position * Double(sparkBlocks.count - 1)).rounded()
            let level = scaled.isFinite ? Int(min(max(scaled, 0), Double(sparkBlocks.count - 1))) : 0
            return sparkBlocks[level]
        })
    }

    /// Averages `values` into at most `count` consecutive buckets, skipping non-finite values
    /// (a bucket with none stays NaN).
    static func bucketMeans(_ values: [Double], into count: Int) -> [Double] {
        guard values.count > count else { return values }
        return (0..<count).map { bucket in
            let start = bucket * values.count / count
            let end = (bucket + 1) * values.count / count
            let finite = values[start..<end].filter(\.isFinite)
            // Each value divided first: the sum of values near the largest Double overflows, and
            // a bucket of finite data showed as a gap.
            let share = 1 / Double(finite.count)
            return finite.isEmpty ? .nan : finite.reduce(0) { $0 + $1 * share }
        }
    }
}
