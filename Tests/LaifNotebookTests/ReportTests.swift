import Foundation
import Testing
@testable import LaifNotebook

private func sampleReport(failing: Bool) -> RunReport {
    let setup = Cell(title: "Setup", source: "let x = 1\nx", firstLine: 2)
    let broken = Cell(title: "Broken | cell", source: "x / \"a\"", firstLine: 5)
    let later = Cell(title: "Later", source: "print(2)", firstLine: 7)
    var cells = [CellResult(cell: setup, output: "1\n", seconds: 0.004, plotFiles: ["r-plot-1.svg"], failure: nil)]
    if failing {
        cells.append(CellResult(cell: broken, output: "```tricky```\n", seconds: 0.5,
                                plotFiles: [], failure: "f.laif:5:3: cannot apply '/'", exitCode: 70))
        cells.append(CellResult(cell: later, output: "", seconds: 0, plotFiles: [], failure: nil, status: .skipped))
    }
    return RunReport(script: "dir/f.laif", parameters: [ReportParameter(name: "n", value: "3", overridden: true),
                                                        ReportParameter(name: "tag", value: "\"a|b\"", overridden: false)],
                     seed: 42, version: "9.9.9", started: Date(timeIntervalSince1970: 0), wallSeconds: 150,
                     cells: cells, exitCode: failing ? 70 : 0)
}

@Test func reportHeaderNamesScriptParametersSeedVersionAndTime() {
    let markdown = sampleReport(failing: false).markdown()
    #expect(markdown.hasPrefix("# laif report: f.laif\n"))
    #expect(markdown.contains("| Script | `dir/f.laif` |"))
    #expect(markdown.contains("`n = 3` (set with -p), `tag = \"a\\|b\"`"))
    #expect(markdown.contains("| Seed | 42 |"))
    #expect(markdown.contains("| laif version | 9.9.9 |"))
    #expect(markdown.contains("| Started | 1970-01-01T00:00:00Z |"))
    #expect(markdown.contains("| Wall time | 2 min 30 s |"))
    #expect(markdown.contains("| Status | ok (1 cells) |"))
    #expect(!markdown.contains("Failed"))
    #expect(markdown.contains("## 1. Setup\n\n_4 ms_\n\n```laif\nlet x = 1\nx\n```"))
    #expect(markdown.contains("Output:\n\n```text\n1\n```"))
    #expect(markdown.contains("![plot 1](r-plot-1.svg)"))
}

@Test func failedReportsPutTheFailureOnTopAndMarkSkippedCells() throws {
    let markdown = sampleReport(failing: true).markdown()
    let failureAt = try #require(markdown.range(of: "> **Failed** in cell 2 \"Broken \\| cell\" (exit code 70)"))
    let headerAt = try #require(markdown.range(of: "| Script |"))
    #expect(failureAt.lowerBound < headerAt.lowerBound, "the failure comes before the header table")
    #expect(markdown.contains("> f.laif:5:3: cannot apply '/'"))
    #expect(markdown.contains("| Status | failed, exit code 70; 1 cell failed; 1 skipped |"))
    #expect(markdown.contains("_failed after 500 ms_"))
    #expect(markdown.contains("_skipped: an earlier cell failed_"))
    // Output holding a fence gets a longer fence, so it cannot close the block early.
    #expect(markdown.contains("````text\n```tricky```\n````"))
}

@Test func markdownCellsRenderAsProse() {
    let cell = Cell(title: "[markdown]", source: "# Some *notes*", firstLine: 1)
    let report = RunReport(script: "f.laif", parameters: [], seed: 0, version: "v", started: Date(), wallSeconds: 0,
                           cells: [CellResult(cell: cell, output: "", seconds: 0, plotFiles: [], failure: nil)], exitCode: 0)
    #expect(report.markdown().contains("\nSome *notes*\n"))
    #expect(!report.markdown().contains("markdown\\]"), "the cell type is no heading")
    #expect(!report.markdown().contains("```laif"))
    let titled = Cell(title: "Results [md]", source: "# More", firstLine: 1)
    let titledReport = RunReport(script: "f.laif", parameters: [], seed: 0, version: "v", started: Date(), wallSeconds: 0,
                                 cells: [CellResult(cell: titled, output: "", seconds: 0, plotFiles: [], failure: nil)], exitCode: 0)
    #expect(titledReport.markdown().contains("## Results\n\nMore\n"))
}

@Test func reportWritesAtomicallyAndFailsWithThePath() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("laif-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("out/r.md").path
    try sampleReport(failing: false).write(to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == sampleReport(failing: false).markdown())
    #expect { try sampleReport(failing: false).write(to: path + "/under-a-file.md") } throws: { error in
        "\(error)".contains("r.md")
    }
}

@Test func durationsReadNaturally() {
    #expect(formatSeconds(0.0123) == "12 ms")
    #expect(formatSeconds(3.4) == "3.40 s")
    #expect(formatSeconds(125) == "2 min 5 s")
    #expect(fenced("a", language: "x") == "```x\na\n```")
}

@Test func backticksInTheScriptNameOrAParameterKeepTheirCodeSpans() {
    // A single backtick ended the span early: | Script | `we`ird\|name.laif` |.
    let report = RunReport(script: "we`ird|name.laif", parameters: [ReportParameter(name: "tag", value: "\"``x\"", overridden: true),
                                                                    ReportParameter(name: "q", value: "`", overridden: false)],
                           seed: 0, version: "v", started: Date(), wallSeconds: 0, cells: [], exitCode: 0)
    let markdown = report.markdown()
    #expect(markdown.contains("| Script | ``we`ird\\|name.laif`` |"))
    #expect(markdown.contains("| Parameters | ```tag = \"``x\"``` (set with -p), `` q = ` `` |"))
    #expect(codeSpan("plain") == "`plain`")
    #expect(codeSpan("`a") == "`` `a ``")
    #expect(codeSpan(" a ") == "`  a  `")
    #expect(codeSpan("  ") == "`  `")
}

@Test func plotLinksEncodeWhatCouldEndTheLink() {
    // `(` and `)` were kept: a report named "a)b [x].md" linked `![plot 1](a)b%20%5Bx%5D-plot-1.svg)`.
    let cell = Cell(title: "Chart", source: "plot([1])", firstLine: 1)
    let result = CellResult(cell: cell, output: "", seconds: 0, plotFiles: ["a)b [x]-plot-1.svg", "(c)\\<d>é-plot-2.svg"],
                            failure: nil)
    let report = RunReport(script: "f.laif", parameters: [], seed: 0, version: "v", started: Date(), wallSeconds: 0,
                           cells: [result], exitCode: 0)
    let markdown = report.markdown()
    #expect(markdown.contains("![plot 1](a%29b%20%5Bx%5D-plot-1.svg)"))
    #expect(markdown.contains("![plot 2](%28c%29%5C%3Cd%3E%C3%A9-plot-2.svg)"))
    #expect(linkDestination("out/r-plot-1.svg") == "out/r-plot-1.svg")
}
