import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LaifPlot

/// Parses an SVG document and counts its elements by name (fails on malformed XML).
private func elementCounts(_ svg: String) throws -> [String: Int] {
    final class Counter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let counter = Counter()
    parser.delegate = counter
    guard parser.parse() else {
        throw ChartError("malformed SVG: \(parser.parserError.map { "\($0)" } ?? "unknown")")
    }
    return counter.counts
}

@Test func lineChartIsWellFormedSVGWithOnePolylinePerSeries() throws {
    let chart = try Chart(kind: .line, title: "loss <DPO> & co", xLabel: "step", yLabel: "loss",
                          series: [Series(name: "train", y: [3, 2, 1.5, 1.2]),
                                   Series(name: "eval", y: [3.1, 2.4, 2.0, 1.9])])
    let svg = chart.svg()
    let counts = try elementCounts(svg)
    #expect(counts["svg"] == 1)
    #expect(counts["polyline"] == 2)
    #expect(svg.contains("loss &lt;DPO&gt; &amp; co"))
    #expect(svg.contains(">train<") && svg.contains(">eval<"))
    #expect(svg.contains(">step<") && svg.contains("rotate(-90"))
    #expect(svg == chart.svg(), "same chart, same text")
}

@Test func lineGapsSplitThePolylineAndLonePointsBecomeDots() throws {
    let chart = try Chart(kind: .line, series: [Series(y: [1, 2, .nan, 3, .nan, 4, 5])])
    let counts = try elementCounts(chart.svg())
    #expect(counts["polyline"] == 2)   // [1,2] and [4,5]
    #expect(counts["circle"] == 1)     // the lone 3
    #expect(chart.svg().contains(">series 1<") == false, "unnamed single series has no legend")
}

@Test func barChartDrawsOneRectPerFiniteValueAndIncludesZero() throws {
    let chart = try Chart(kind: .bar, series: [Series(name: "SFT", y: [44.8, 50.8, 47.1]),
                                               Series(name: "DPO", y: [57.5, .nan, 47.6])],
                          categories: ["DeepSeek", "Yi", "LLaMA"])
    let svg = chart.svg()
    let counts = try elementCounts(svg)
    // background + 5 bars + 2 legend swatches
    #expect(counts["rect"] == 1 + 5 + 2)
    #expect(svg.contains(">DeepSeek<") && svg.contains(">LLaMA<"))
    #expect(svg.contains(">0<"), "bar axes start at zero")
}

@Test func barChartDefaultsCategoriesToPositions() throws {
    let chart = try Chart(kind: .bar, series: [Series(y: [1, 2, 3])])
    #expect(chart.categories == ["1", "2", "3"])
}

@Test func badDataThrowsNamedErrors() {
    #expect(throws: ChartError.self) { try Chart(kind: .line, series: []) }
    #expect { try Chart(kind: .line, series: [Series(name: "loss", y: [])]) } throws: { error in
        "\(error)".contains("'loss' is empty")
    }
    #expect { try Chart(kind: .line, series: [Series(name: "a", x: [1, 2], y: [1])]) } throws: { error in
        "\(error)".contains("2 x values but 1 y values")
    }
    #expect { try Chart(kind: .line, series: [Series(x: [1, .infinity], y: [1, 2])]) } throws: { error in
        "\(error)".contains("x[1]")
    }
    // 0/0 is a NaN with its sign bit set, which Swift prints as "-nan"; laif prints "nan".
    #expect { try Chart(kind: .line, series: [Series(x: [0, -.nan], y: [1, 2])]) } throws: { error in
        "\(error)".contains("x[1] = nan;") && !"\(error)".contains("-nan")
    }
    #expect { try Chart(kind: .bar, series: [Series(y: [1, 2])], categories: ["a"]) } throws: { error in
        "\(error)".contains("2 values for 1 categories")
    }
    #expect { try Chart(kind: .bar, series: [Series(name: "a", y: [1, 2]), Series(y: [1])]) } throws: { error in
        "\(error)" == "series #2 has 1 value but series 'a' has 2; give every series one value per bar"
    }
    #expect { try Chart(kind: .line, series: [Series(y: [1])], categories: ["a"]) } throws: { error in
        "\(error)".contains("only apply to bar charts")
    }
    let many = (0...Chart.maximumSeries).map { _ in Series(y: [1]) }
    #expect(throws: ChartError.self) { try Chart(kind: .line, series: many) }
}

@Test func allNaNSeriesStillRenders() throws {
    let chart = try Chart(kind: .line, series: [Series(y: [.nan, .nan])])
    let counts = try elementCounts(chart.svg())
    #expect(counts["polyline"] == nil)
    #expect(chart.sparkline() == "  ")
}

@Test func axisTicksAreRoundAndCoverTheData() {
    let axis = AxisScale(from: 0.13, to: 0.91, targetTicks: 5)
    #expect(axis.lower <= 0.13 && axis.upper >= 0.91)
    #expect(abs(axis.step - 0.2) < 1e-12)
    #expect(axis.ticks.map(axis.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let wide = AxisScale(from: -3, to: 97)
    #expect(wide.step == 20 && wide.lower == -20 && wide.upper == 100)
    #expect(wide.label(-20) == "-20")
    let quarter = AxisScale(from: 0, to: 1.1, targetTicks: 5)
    #expect(quarter.step == 0.25)
    #expect(quarter.label(0.25) == "0.25")
}

@Test func degenerateAndNonFiniteRangesStillGiveAVisibleAxis() {
    let flat = AxisScale(from: 5, to: 5)
    #expect(flat.lower < 5 && flat.upper > 5)
    let reversed = AxisScale(from: 10, to: 0)
    #expect(reversed.lower == 0 && reversed.upper == 10)
    let broken = AxisScale(from: .nan, to: .infinity)
    #expect(broken.lower.isFinite && broken.upper.isFinite && broken.upper > broken.lower)
    #expect(AxisScale(from: 0, to: 1e-12).ticks.count >= 2)
}

@Test func dataNearTheEdgeOfDoubleStillRenders() throws {
    // The range of these values overflows to infinity; it used to trap converting it to Int.
    let extreme = try Chart(kind: .line, series: [Series(y: [.greatestFiniteMagnitude, -.greatestFiniteMagnitude])])
    #expect(extreme.sparkline() == "█▁")
    #expect(try elementCounts(extreme.svg())["polyline"] == 1)
    let wideX = try Chart(kind: .line, series: [Series(x: [1e308, .greatestFiniteMagnitude], y: [1, 2])])
    #expect(try elementCounts(wideX.svg())["polyline"] == 1)
    let axis = AxisScale(from: -.greatestFiniteMagnitude, to: .greatestFiniteMagnitude)
    #expect(axis.lower.isFinite && axis.upper.isFinite && (2...12).contains(axis.ticks.count))
    // The points sit at the axis' edge: 'value - lower' used to overflow to "inf" coordinates.
    let bars = try Chart(kind: .bar, series: [Series(y: [1.7e308, -1.7e308])])
    for svg in [extreme.svg(), wideX.svg(), bars.svg()] {
        #expect(!svg.contains("inf") && !svg.contains("nan"), "\(svg)")
    }
    #expect(axis.fraction(of: .greatestFiniteMagnitude) == 1 && axis.fraction(of: -.greatestFiniteMagnitude) == 0)
    // Bucket means of values near the largest Double overflowed and showed as gaps.
    let nearMax = try Chart(kind: .line, series: [Series(y: (0..<100).map { 1.7e308 - Double($0) * 1e306 })])
    #expect(!nearMax.sparkline(width: 10).contains(" "), "\(nearMax.sparkline(width: 10))")
}

/// XML 1.0 allows no control characters but tab, newline and carriage return, whatever the
/// escaping: a title with \u{1} made an SVG no XML reader opens.
@Test func controlCharactersInLabelsStillGiveValidXML() throws {
    let chart = try Chart(kind: .bar, title: "a\u{1}b\0c\u{FFFE}", xLabel: "x\ty",
                          series: [Series(name: "s\u{1B}", y: [1, 2])], categories: ["\u{7}", "ok"])
    let svg = chart.svg()
    #expect(try elementCounts(svg)["rect"] ?? 0 >= 2)
    #expect(svg.contains("a\u{FFFD}b\u{FFFD}c\u{FFFD}"))
    #expect(escapeXML("tab\tnew\nline") == "tab\tnew\nline")
}

@Test func sparklineSpansTheBlocksAndBucketsLongSeries() throws {
    let ramp = try Chart(kind: .line, series: [Series(y: (1...8).map(Double.init))])
    #expect(ramp.sparkline() == "▁▂▃▄▅▆▇█")
    let flat = try Chart(kind: .line, series: [Series(y: [2, 2, 2])])
    #expect(flat.sparkline() == "▄▄▄")
    let long = try Chart(kind: .line, series: [Series(y: (0..<1000).map(Double.init))])
    let line = long.sparkline(width: 20)
    #expect(line.count == 20)
    #expect(line.first == "▁" && line.last == "█")
    #expect(Chart.bucketMeans([1, 3, 5, 7], into: 2) == [2, 6])
    let gap = try Chart(kind: .line, series: [Series(y: [0, .nan, 1])])
    #expect(gap.sparkline() == "▁ █")
}

@Test func writeSVGCreatesFoldersReplacesAtomicallyAndReportsFailures() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-plot-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("sub/chart.svg").path
    let first = try Chart(kind: .line, series: [Series(y: [1, 2])])
    let second = try Chart(kind: .bar, series: [Series(y: [3, 1])])
    try first.writeSVG(toFile: target)
    try second.writeSVG(toFile: target)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == second.svg())
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sub").path)
    #expect(leftovers == ["chart.svg"], "no temporary files stay behind")
    // A path under a regular file cannot be a folder.
    #expect { try first.writeSVG(toFile: target + "/nested.svg") } throws: { error in
        error is ChartError && "\(error)".contains("cannot create folder") && "\(error)".contains("chart.svg")
    }
}

@Test func wholeStepAxesNeverTickBetweenIntegers() {
    let steps = AxisScale(from: 0, to: 3, targetTicks: 6, wholeSteps: true)
    #expect(steps.ticks == [0, 1, 2, 3])
    #expect(AxisScale(from: 0, to: 3, targetTicks: 6).step == 0.5)
}
