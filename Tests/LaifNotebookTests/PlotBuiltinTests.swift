import Foundation
import LaifLang
import LaifNotebook
import LaifPlot
import Testing

/// `plot(...)` as scripts call it: where charts go, what is printed, and every bad argument.

private func interpreter(output: @escaping (String) -> Void = { _ in }) -> Interpreter {
    Interpreter(registry: .core(), output: output)
}

private func runtimeError(_ source: String, in interpreter: Interpreter = interpreter()) -> LaifError? {
    do {
        _ = try interpreter.run(source, file: "p.laif")
        return nil
    } catch let error as LaifError {
        return error
    } catch {
        return nil
    }
}

@Test func plotHandsTheChartToTheSinkAndPrintsSparklineAndPath() throws {
    var printed = ""
    var charts: [Chart] = []
    let laif = interpreter(output: { printed += $0 })
    laif.plotSink = { chart in
        charts.append(chart)
        return "plots/chart-\(charts.count).svg"
    }
    let value = try laif.run("plot({train: [3, 2, 1], eval: [3, 2.5, 2]}, title: \"loss\", xlabel: \"epoch\")", file: "p")
    #expect(value == nil, "plot returns nil, so the REPL echoes nothing more")
    #expect(printed == "█▅▁  plots/chart-1.svg\n")   // the middle value rounds up to level 4 of 0...7
    let chart = try #require(charts.first)
    #expect(chart.kind == .line && chart.title == "loss" && chart.xLabel == "epoch")
    #expect(chart.series.map(\.name) == ["train", "eval"])
    #expect(chart.series[1].y == [3, 2.5, 2])
}

@Test func plotAcceptsListsOfListsXValuesBarsAndGaps() throws {
    var charts: [Chart] = []
    let laif = interpreter()
    laif.plotSink = { charts.append($0); return "x.svg" }
    _ = try laif.run("plot([[1, 2], [3, 4]], x: [10, 20])", file: "p")
    #expect(charts[0].series.count == 2 && charts[0].series[0].x == [10, 20])
    _ = try laif.run("plot([5, 6], kind: \"bar\", labels: [\"a\", 7])", file: "p")
    #expect(charts[1].kind == .bar && charts[1].categories == ["a", "7"])
    _ = try laif.run("plot([1, nil, 3])", file: "p")
    #expect(charts[2].series[0].y[1].isNaN, "nil is a gap")
}

@Test func nonFiniteValuesAreGapsThatThePrintedLineNames() throws {
    var printed = ""
    var charts: [Chart] = []
    let laif = interpreter(output: { printed += $0 })
    laif.plotSink = { charts.append($0); return "x.svg" }
    // 0/0 used to show only as a blank in the sparkline.
    _ = try laif.run("plot([1, 0/0, 2])", file: "p")
    #expect(printed == "▁ █  x.svg  (not drawn: data[1] = nan)\n")
    let svg = try #require(charts.first).svg()
    #expect(!svg.contains("nan") && svg.contains("<circle"), "the gap leaves two lone points, and no NaN in the file")
    printed = ""
    _ = try laif.run("plot({a: [1, 1/0], b: [-1/0, 0/0]}, kind: \"bar\", labels: [\"x\", \"y\"])", file: "p")
    #expect(printed == "▄   x.svg  (not drawn: field 'a'[1] = inf and 2 more values that are not finite)\n")
    #expect(!charts[1].svg().contains("nan") && !charts[1].svg().contains("inf"))
    printed = ""
    _ = try laif.run("plot([1, nil, 3])", file: "p")
    #expect(printed == "▁ █  x.svg\n", "a nil is a gap asked for: no note")
    let error = runtimeError("plot([1, 2, 3], x: [0, 0/0, 2])", in: laif)
    #expect(error?.message.contains("x[1] = nan; x values must be finite numbers") == true)
    #expect(error?.message.contains("-nan") == false)
}

@Test func plotWritesToFileWhenAsked() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-plotfile-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("sub/c.svg").path
    var printed = ""
    _ = try interpreter(output: { printed += $0 }).run("plot([1, 2], file: \"\(path)\")", file: "p")
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("<svg"))
    #expect(printed.hasSuffix("  \(path)\n"))
}

@Test func plotArgumentErrorsNameTheCallAndTheFix() throws {
    let withSink = interpreter()
    withSink.plotSink = { _ in "x.svg" }
    #expect(runtimeError("plot(\"text\")", in: withSink)?.message.contains("data must be a list of numbers, got string") == true)
    #expect(runtimeError("plot([1, \"a\"])", in: withSink)?.message.contains("data[1] must be a number") == true)
    #expect(runtimeError("plot({a: [1], b: 2})", in: withSink)?.message.contains("field 'b' must be a list") == true)
    #expect(runtimeError("plot([1], kind: \"pie\")", in: withSink)?.message.contains("kind must be \"line\" or \"bar\"") == true)
    #expect(runtimeError("plot([])", in: withSink)?.message.contains("is empty") == true)
    #expect(runtimeError("plot([1, 2], x: [1])", in: withSink)?.message.contains("1 x values but 2 y values") == true)
    // The chart's own message said "2 values for 1 categories": the script wrote labels.
    #expect(runtimeError("plot([1, 2], kind: \"bar\", labels: [\"a\"])", in: withSink)?.message
        .hasPrefix("plot(): series #1 has 2 values but there is 1 label; give one label per bar; signature: plot(") == true)
    #expect(runtimeError("plot({a: [1, 2], b: [3]}, kind: \"bar\", labels: [\"x\", \"y\"])", in: withSink)?.message
        .contains("series 'b' has 1 value but there are 2 labels; give one label per group of bars, and every series one value per label") == true)
    #expect(runtimeError("plot([[1, 2], [3]], kind: \"bar\")", in: withSink)?.message
        .contains("series #2 has 1 value but series #1 has 2; give every series one value per bar") == true)
    #expect(runtimeError("plot([], kind: \"bar\", labels: [\"a\"])", in: withSink)?.message.contains("is empty") == true)
    #expect(runtimeError("plot([1, 2], labels: [\"a\", \"b\"])", in: withSink)?.message.contains("labels name a bar chart's bars; use kind: \"bar\", or drop labels") == true)
    let error = runtimeError("plot([1, 2], kind: \"pie\")", in: withSink)
    #expect(error?.kind == .runtime && error?.exitCode == 70)
    #expect(error?.message.contains("signature: plot(data") == true)
    // No sink and no file: say how to fix it.
    #expect(runtimeError("plot([1])")?.message.contains("pass file:") == true)
    // A sink that cannot write, or an unwritable file, is an I/O error (exit 74).
    let failing = interpreter()
    failing.plotSink = { _ in throw SinkRefused() }
    #expect(runtimeError("plot([1])", in: failing)?.exitCode == 74)
    #expect(runtimeError("plot([1], file: \"/proc/laif-cannot-write/c.svg\")")?.exitCode == 74)
}

@Test func aPlotFolderThatCannotBeWrittenIsNamedWithTheReason() throws {
    // The error said only "could not be written to the plot folder", while PlotFolder knew
    // which folder and why.
    let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("laif-plot-blocker-\(UUID().uuidString)")
    try Data().write(to: blocker)
    defer { try? FileManager.default.removeItem(at: blocker) }
    let folder = blocker.appendingPathComponent("plots")
    let laif = interpreter()
    laif.plotSink = PlotFolder(folder: folder, prefix: "p").write
    let error = try #require(runtimeError("plot([1, 2])", in: laif))
    #expect(error.exitCode == 74)
    #expect(error.message == "plot(): the chart could not be written to the plot folder \(folder.path): "
        + "cannot create folder \(blocker.path): a file of that name is in the way; pass file: \"chart.svg\"")
    // A sink that gives no reason keeps the short message, and never shows an older reason.
    laif.plotSink = { _ in throw SinkRefused() }
    #expect(runtimeError("plot([1])", in: laif)?.message
        == "plot(): the chart could not be written to the plot folder; pass file: \"chart.svg\"")
}

/// A plot sink's failure that says nothing about where or why.
private struct SinkRefused: Error {}
