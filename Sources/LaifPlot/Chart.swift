import LaifSupport

/// One named sequence of points in a chart.
///
/// Line charts read `x` and `y` pairwise; bar charts read `y` as one value per category and
/// ignore `x`. Non-finite `y` values are drawn as gaps (a break in the line, a missing bar).
///
///     let loss = Series(name: "loss", x: [0, 1, 2], y: [2.3, 1.1, 0.7])
public struct Series: Equatable, Sendable {
    /// Legend label; may be empty for a chart with one series.
    public var name: String
    /// Horizontal positions (line charts).
    public var x: [Double]
    /// Values.
    public var y: [Double]

    /// Makes a series; `x` defaults to 0, 1, 2, ... when omitted.
    ///
    ///     let s = Series(name: "reward", y: [0.1, 0.4, 0.3])   // x = [0, 1, 2]
    public init(name: String = "", x: [Double]? = nil, y: [Double]) {
        self.name = name
        self.x = x ?? y.indices.map(Double.init)
        self.y = y
    }

    /// How a message names this series when it is at `index` in a chart: by its name, or by
    /// its position when it has none ("#1" is the first).
    ///
    ///     Series(name: "loss", y: [1]).label(at: 0)   // "'loss'"
    public func label(at index: Int) -> String { name.isEmpty ? "#\(index + 1)" : "'\(name)'" }
}

/// What went wrong when building a chart; `description` names the series and the fix.
///
///     do { _ = try Chart(kind: .line, series: []) } catch { print(error) }   // "no data; pass ..."
public struct ChartError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The message shown to the user.
    public let description: String

    /// Makes an error with a ready message; a NaN in it reads "nan" as laif prints it, never
    /// the "-nan" Swift prints for the NaN that 0/0 gives.
    ///
    ///     throw ChartError("series 'loss' is empty; pass at least one value")
    public init(_ description: String) { self.description = plainNaN(description) }
}

/// A line or bar chart: data plus labels, rendered to SVG (`svg()`) or to a Unicode
/// sparkline (`sparkline()`). The value is plain data, so the language can build one and
/// hand it to whoever writes files.
///
///     let chart = try Chart(kind: .line, title: "DPO loss", xLabel: "step", yLabel: "loss",
///                           series: [Series(name: "loss", y: [0.69, 0.52, 0.41])])
///     let svgText = chart.svg()
public struct Chart: Equatable, Sendable {
    /// The chart's shape.
    ///
    ///     let kind = Chart.Kind(rawValue: "bar")   // .bar
    public enum Kind: String, CaseIterable, Sendable {
        /// Points joined by lines, one polyline per series.
        case line
        /// Grouped vertical bars, one group per category, one bar per series.
        case bar
    }

    /// The most points a series may hold; more would make an SVG no viewer opens quickly.
    public static let maximumPoints = 100_000
    /// The most series one chart may hold.
    public static let maximumSeries = 64

    /// Line or bar.
    public let kind: Kind
    /// Heading drawn above the plot area; may be empty.
    public let title: String
    /// Caption under the horizontal axis; may be empty.
    public let xLabel: String
    /// Caption beside the vertical axis; may be empty.
    public let yLabel: String
    /// The data, drawn in this order with the palette's colours.
    public let series: [Series]
    /// Bar charts: one label per bar group. Line charts: empty.
    public let categories: [String]

    /// Checks the data and makes a chart; throws `ChartError` naming the bad series.
    ///
    /// For bar charts `categories` defaults to "1", "2", ... and every series must have one
    /// value per category.
    ///
    ///     let bars = try Chart(kind: .bar, title: "win rate", series: [Series(name: "SFT", y: [44.8, 50.8])],
    ///                          categories: ["DeepSeek", "Yi"])
    public init(kind: Kind, title: String = "", xLabel: String = "", yLabel: String = "",
                series: [Series], categories: [String] = []) throws {
        guard !series.isEmpty else {
            throw ChartError("no data; pass a list of numbers or a record of named lists")
        }
        guard series.count <= Chart.maximumSeries else {
            throw ChartError("\(series.count) series is too many; draw at most \(Chart.maximumSeries) per chart")
        }
        for (index, one) in series.enumerated() {
            let label = one.label(at: index)
            guard !one.y.isEmpty else {
                throw ChartError("series \(label) is empty; pass at least one value")
            }
            guard one.y.count <= Chart.maximumPoints else {
                throw ChartError("series \(label) has \(one.y.count) points; thin it to at most \(Chart.maximumPoints)")
            }
            if kind == .line {
                guard one.x.count == one.y.count else {
                    throw ChartError("series \(label) has \(one.x.count) x values but \(one.y.count) y values; pass equally many")
                }
                if let bad = one.x.firstIndex(where: { !$0.isFinite }) {
                    throw ChartError("series \(label) has x[\(bad)] = \(one.x[bad]); x values must be finite numbers")
                }
            }
        }
        var labels = categories
        if kind == .bar {
            let count = series[0].y.count
            for (index, one) in series.enumerated() where one.y.count != (labels.isEmpty ? count : labels.count) {
                // Without categories there are none to count: the first series sets the number of bars.
                if labels.isEmpty {
                    let values = one.y.count == 1 ? "1 value" : "\(one.y.count) values"
                    throw ChartError("series \(one.label(at: index)) has \(values) but series \(series[0].label(at: 0)) has \(count); give every series one value per bar")
                }
                throw ChartError("series \(one.label(at: index)) has \(one.y.count) values for \(labels.count) categories; pass one value per category")
            }
            if labels.isEmpty { labels = (1...count).map(String.init) }
        } else if !categories.isEmpty {
            throw ChartError("categories only apply to bar charts; use kind: \"bar\" or drop them")
        }
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.categories = labels
    }

    /// The finite y values of every series, in order (what the axes and sparklines scale to).
    var finiteYValues: [Double] { series.flatMap { $0.y.filter(\.isFinite) } }
}
