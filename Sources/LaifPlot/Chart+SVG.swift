import Foundation

/// Colours for series, in order; chosen to stay distinct for colour-blind readers and in print.
let seriesPalette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                     "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

extension Chart {
    /// The chart as a standalone SVG document: axes with ticks and tick labels, axis captions,
    /// title, and a legend when any series is named. The same chart always gives the same text.
    ///
    ///     let chart = try Chart(kind: .line, series: [Series(name: "loss", y: [3, 2, 1])])
    ///     let text = chart.svg()   // "<svg xmlns=..."; `writeSVG(toFile:)` saves it
    public func svg(width: Int = 640, height: Int = 400) -> String {
        let layout = SVGLayout(chart: self, width: Double(max(width, 200)), height: Double(max(height, 150)))
        var out = SVGWriter()
        out.open(width: layout.width, height: layout.height)
        out.rect(x: 0, y: 0, width: layout.width, height: layout.height, fill: "white")
        if !title.isEmpty {
            out.text(title, x: layout.width / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        }
        drawYAxis(layout, into: &out)
        switch kind {
        case .line:
            drawXAxisNumeric(layout, into: &out)
            drawLines(layout, into: &out)
        case .bar:
            drawXAxisCategories(layout, into: &out)
            drawBars(layout, into: &out)
        }
        // The frame goes on last so bars and lines never paint over the axes.
        out.line(x1: layout.left, y1: layout.bottom, x2: layout.right, y2: layout.bottom, stroke: "#333")
        out.line(x1: layout.left, y1: layout.top, x2: layout.left, y2: layout.bottom, stroke: "#333")
        if !xLabel.isEmpty {
            out.text(xLabel, x: (layout.left + layout.right) / 2, y: layout.height - 10, anchor: "middle", size: 12)
        }
        if !yLabel.isEmpty {
            let middle = (layout.top + layout.bottom) / 2
            out.text(yLabel, x: 16, y: middle, anchor: "middle", size: 12, rotate: -90)
        }
        if layout.hasLegend { drawLegend(layout, into: &out) }
        out.close()
        return out.text
    }

    private func drawYAxis(_ layout: SVGLayout, into out: inout SVGWriter) {
        for tick in layout.yScale.ticks {
            let y = layout.yPosition(tick)
            out.line(x1: layout.left, y1: y, x2: layout.right, y2: y, stroke: "#e5e5e5")
            out.line(x1: layout.left - 5, y1: y, x2: layout.left, y2: y, stroke: "#333")
            out.text(layout.yScale.label(tick), x: layout.left - 8, y: y + 4, anchor: "end", size: 11)
        }
    }

    private func drawXAxisNumeric(_ layout: SVGLayout, into out: inout SVGWriter) {
        guard let xScale = layout.xScale else { return }
        for tick in xScale.ticks {
            let x = layout.xPosition(tick)
            out.line(x1: x, y1: layout.bottom, x2: x, y2: layout.bottom + 5, stroke: "#333")
            out.text(xScale.label(tick), x: x, y: layout.bottom + 18, anchor: "middle", size: 11)
        }
    }

    private func drawXAxisCategories(_ layout: SVGLayout, into out: inout SVGWriter) {
        let groupWidth = (layout.right - layout.left) / Double(categories.count)
        // Label every k-th group so labels about 60 px wide never overlap.
        let every = max(1, Int((60 / groupWidth).rounded(.up)))
        for (index, name) in categories.enumerated() where index % every == 0 {
            let x = layout.left + groupWidth * (Double(index) + 0.5)
            out.line(x1: x, y1: layout.bottom, x2: x, y2: layout.bottom + 5, stroke: "#333")
            out.text(name, x: x, y: layout.bottom + 18, anchor: "middle", size: 11)
        }
    }

    private func drawLines(_ layout: SVGLayout, into out: inout SVGWriter) {
        for (index, one) in series.enumerated() {
            let colour = seriesPalette[index % seriesPalette.count]
            var run: [(Double, Double)] = []
            func flush() {
                if run.count == 1 {
                    out.circle(x: run[0].0, y: run[0].1, radius: 2.5, fill: colour)
                } else if run.count > 1 {
                    out.polyline(run, stroke: colour)
                }
                run.removeAll()
            }
            for (x, y) in zip(one.x, one.y) {
                if y.isFinite { run.append((layout.xPosition(x), layout.yPosition(y))) } else { flush() }
            }
            flush()
        }
    }

    private func drawBars(_ layout: SVGLayout, into out: inout SVGWriter) {
        let groupWidth = (layout.right - layout.left) / Double(categories.count)
        let barWidth = groupWidth * 0.8 / Double(series.count)
        let zero = layout.yPosition(min(max(0, layout.yScale.lower), layout.yScale.upper))
        for (seriesIndex, one) in series.enumerated() {
            let colour = seriesPalette[seriesIndex % seriesPalette.count]
            for (group, value) in one.y.enumerated() where value.isFinite {
                let x = layout.left + groupWidth * (Double(group) + 0.1) + barWidth * Double(seriesIndex)
                let y = layout.yPosition(value)
                out.rect(x: x, y: min(y, zero), width: barWidth, height: abs(zero - y), fill: colour)
            }
        }
    }

    private func drawLegend(_ layout: SVGLayout, into out: inout SVGWriter) {
        let x = layout.right + 12
        for (index, one) in series.enumerated() {
            let y = layout.top + 8 + Double(index) * 18
            let colour = seriesPalette[index % seriesPalette.count]
            out.rect(x: x, y: y - 8, width: 12, height: 10, fill: colour)
            let name = one.name.isEmpty ? "series \(index + 1)" : one.name
            out.text(name, x: x + 18, y: y + 1, anchor: "start", size: 11)
        }
    }
}

/// Where the plot area sits and how data maps into it.
struct SVGLayout {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double
    let hasLegend: Bool
    let xScale: AxisScale?
    let yScale: AxisScale

    init(chart: Chart, width: Double, height: Double) {
        self.width = width
        self.height = height
        hasLegend = chart.series.contains { !$0.name.isEmpty }
        let longestName = chart.series.map(\.name.count).max() ?? 0
        left = chart.yLabel.isEmpty ? 56 : 72
        right = width - (hasLegend ? min(Double(longestName) * 7 + 40, width * 0.35) : 20)
        top = chart.title.isEmpty ? 16 : 36
        bottom = height - (chart.xLabel.isEmpty ? 30 : 44)
        let values = chart.finiteYValues
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if chart.kind == .bar {
            // Bars grow from zero, so zero must be on the axis.
            low = min(low, 0)
            high = max(high, 0)
        }
        yScale = AxisScale(from: low, to: high)
        if chart.kind == .line {
            let xs = chart.series.flatMap(\.x)
            xScale = AxisScale(from: xs.min() ?? 0, to: xs.max() ?? 1, targetTicks: 6,
                               wholeSteps: xs.allSatisfy { $0 == $0.rounded() })
        } else {
            xScale = nil
        }
    }

    func xPosition(_ value: Double) -> Double {
        guard let xScale else { return left }
        return left + xScale.fraction(of: value) * (right - left)
    }

    func yPosition(_ value: Double) -> Double {
        bottom - yScale.fraction(of: value) * (bottom - top)
    }
}

/// Accumulates SVG elements with fixed-precision coordinates (so output is reproducible).
struct SVGWriter {
    private(set) var text = ""

    mutating func open(width: Double, height: Double) {
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        text += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\">\n"
    }

    mutating func close() { text += "</svg>\n" }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String) {
        text += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(fill)\"/>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String) {
        text += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\"/>\n"
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        text += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\"/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String) {
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        text += "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"1.8\" points=\"\(list)\"/>\n"
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String, size: Int,
                       weight: String = "normal", rotate: Double? = nil) {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\""
        if weight != "normal" { attributes += " font-weight=\"\(weight)\"" }
        if let rotate { attributes += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        text += "<text \(attributes)>\(escapeXML(content))</text>\n"
    }

    private func n(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// Escapes the five XML special characters so any label is safe inside an SVG, and writes
/// U+FFFD for characters XML 1.0 does not allow at all (controls other than tab, newline and
/// carriage return; U+FFFE and U+FFFF), which no escape can carry: a title with \u{1} made a
/// file no XML reader opens.
func escapeXML(_ raw: String) -> String {
    var out = ""
    out.reserveCapacity(raw.count)
    for scalar in raw.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            let allowed = scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF
            out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
        }
    }
    return out
}
