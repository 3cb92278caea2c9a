import Foundation
import LaifPlot
import LaifSupport

/// What happened when one cell ran: its output, time, plots and, if it failed, the error.
///
///     let result = CellResult(cell: cell, output: "3\n", seconds: 0.01, plotFiles: [], failure: nil)
public struct CellResult: Equatable, Sendable {
    /// How the cell ended.
    ///
    ///     let status: CellResult.Status = .skipped
    public enum Status: Equatable, Sendable {
        /// Ran to the end.
        case ok
        /// Raised the error in `failure`.
        case failed
        /// Not run: an earlier cell failed and `--keep-going` was not given.
        case skipped
        /// Not run: the run was interrupted (Ctrl-C) before the cell's turn.
        case skippedByInterrupt
        /// A Markdown cell: prose for the report, never run.
        case prose
    }

    /// The cell that ran.
    public let cell: Cell
    /// Everything the cell printed, plus its final value when not silenced.
    public var output: String
    /// Wall-clock seconds the cell took.
    public var seconds: Double
    /// Plot files the cell wrote, as paths relative to the report's folder.
    public var plotFiles: [String]
    /// The error text when the cell failed.
    public var failure: String?
    /// The exit code the failure maps to (0 when none).
    public var exitCode: Int32
    /// ok, failed, skipped (after a failure or an interrupt), or prose (a Markdown cell).
    public var status: Status

    /// Makes a result; unless given, `status` follows from `failure`, and from the cell
    /// (a Markdown cell is prose).
    ///
    ///     CellResult(cell: cell, output: "", seconds: 0, plotFiles: [], failure: "boom", exitCode: 70).status   // .failed
    public init(cell: Cell, output: String, seconds: Double, plotFiles: [String], failure: String?,
                exitCode: Int32 = 0, status: Status? = nil) {
        self.cell = cell
        self.output = output
        self.seconds = seconds
        self.plotFiles = plotFiles
        self.failure = failure
        self.exitCode = exitCode
        self.status = status ?? (failure != nil ? .failed : cell.isMarkdown ? .prose : .ok)
    }
}

/// One parameter as the run saw it.
///
///     let p = ReportParameter(name: "seed", value: "3", overridden: true)
public struct ReportParameter: Equatable, Sendable {
    /// The parameter's name.
    public let name: String
    /// The value used, as laif prints it.
    public let value: String
    /// True when `-p` replaced the default.
    public let overridden: Bool

    /// Makes a parameter line for the report header.
    ///
    ///     ReportParameter(name: "n", value: "2000", overridden: false)
    public init(name: String, value: String, overridden: Bool) {
        self.name = name
        self.value = value
        self.overridden = overridden
    }
}

/// A finished (or failed) run of a script, ready to render as Markdown.
///
///     let report = RunReport(script: "demo.laif", parameters: [], seed: 0, version: "0.1.0",
///                            started: Date(), wallSeconds: 1.5, cells: results, exitCode: 0)
///     let markdown = report.markdown()
public struct RunReport: Equatable, Sendable {
    /// The script's path as given on the command line.
    public var script: String
    /// Every declared parameter with the value used.
    public var parameters: [ReportParameter]
    /// The interpreter's session seed.
    public var seed: UInt64
    /// laif's version.
    public var version: String
    /// When the run started.
    public var started: Date
    /// Wall-clock seconds for the whole run.
    public var wallSeconds: Double
    /// One result per cell, in order.
    public var cells: [CellResult]
    /// The process exit code of the run.
    public var exitCode: Int32

    /// Collects the parts of a report.
    ///
    ///     RunReport(script: "a.laif", parameters: [], seed: 1, version: "0.1.0", started: Date(),
    ///               wallSeconds: 0.2, cells: [], exitCode: 0)
    public init(script: String, parameters: [ReportParameter], seed: UInt64, version: String,
                started: Date, wallSeconds: Double, cells: [CellResult], exitCode: Int32) {
        self.script = script
        self.parameters = parameters
        self.seed = seed
        self.version = version
        self.started = started
        self.wallSeconds = wallSeconds
        self.cells = cells
        self.exitCode = exitCode
    }

    /// The report as Markdown: title, the first failure (if any) on top, a header table
    /// (script, parameters, seed, version, start, wall time, status), then every cell's
    /// source, output, time and plot links.
    ///
    ///     try report.markdown().write(toFile: "out.md", atomically: true, encoding: .utf8)
    public func markdown() -> String {
        var out = "# laif report: \(markdownEscape(scriptName))\n\n"
        if let failed = cells.firstIndex(where: { $0.status == .failed }), let failure = cells[failed].failure {
            out += "> **Failed** in cell \(failed + 1) \(cellLabel(cells[failed].cell)) (exit code \(cells[failed].exitCode)):\n>\n"
            for line in fenced(failure, language: "text").split(separator: "\n", omittingEmptySubsequences: false) {
                out += "> \(line)\n"
            }
            out += "\n"
        }
        out += "| | |\n|---|---|\n"
        out += "| Script | \(codeSpan(tableEscape(script))) |\n"
        let parameterText = parameters.isEmpty ? "none" : parameters.map { parameter in
            codeSpan(tableEscape("\(parameter.name) = \(parameter.value)")) + (parameter.overridden ? " (set with -p)" : "")
        }.joined(separator: ", ")
        out += "| Parameters | \(parameterText) |\n"
        out += "| Seed | \(seed) |\n"
        out += "| laif version | \(tableEscape(version)) |\n"
        out += "| Started | \(ISO8601DateFormatter().string(from: started)) |\n"
        out += "| Wall time | \(formatSeconds(wallSeconds)) |\n"
        out += "| Status | \(statusText) |\n"
        for (index, result) in cells.enumerated() {
            out += "\n" + cellMarkdown(result, number: index + 1)
        }
        return out
    }

    /// Writes `markdown()` to `path` atomically (temporary file, then rename), making missing
    /// folders; throws `FileIOError` naming the path.
    ///
    ///     try report.write(to: "out/report.md")
    public func write(to path: String) throws {
        try writeFileAtomically(markdown(), to: path, creatingFolders: true, followingSymlinks: true)
    }

    private var scriptName: String { (script as NSString).lastPathComponent }

    private var statusText: String {
        let failed = cells.filter { $0.status == .failed }.count
        let skipped = cells.filter { $0.status == .skipped || $0.status == .skippedByInterrupt }.count
        if exitCode == 0 { return "ok (\(cells.filter { $0.status != .prose }.count) cells)" }
        var parts = ["failed, exit code \(exitCode)"]
        if failed > 0 { parts.append("\(failed) cell\(failed == 1 ? "" : "s") failed") }
        if skipped > 0 { parts.append("\(skipped) skipped") }
        return parts.joined(separator: "; ")
    }

    private func cellLabel(_ cell: Cell) -> String {
        cell.title.isEmpty ? "(line \(cell.firstLine))" : "\"\(markdownEscape(cell.title))\""
    }

    private func cellMarkdown(_ result: CellResult, number: Int) -> String {
        let title = result.cell.title.isEmpty ? "Cell \(number)" : "\(number). \(markdownEscape(result.cell.title))"
        if result.status == .prose {
            // Prose brings its own headings; a title written beside the cell type is one too.
            let heading = result.cell.heading
            return (heading.isEmpty ? "" : "## \(markdownEscape(heading))\n\n") + "\(result.cell.markdownText)\n"
        }
        var out = "## \(title)\n\n"
        switch result.status {
        case .prose: break
        case .ok: out += "_\(formatSeconds(result.seconds))_\n\n"
        case .failed: out += "_failed after \(formatSeconds(result.seconds))_\n\n"
        case .skipped: out += "_skipped: an earlier cell failed_\n\n"
        case .skippedByInterrupt: out += "_skipped: the run was interrupted_\n\n"
        }
        out += fenced(result.cell.source, language: "laif") + "\n"
        if !result.output.isEmpty {
            out += "\nOutput:\n\n" + fenced(result.output.trimmingTrailingNewlines(), language: "text") + "\n"
        }
        if let failure = result.failure {
            out += "\nError:\n\n" + fenced(failure, language: "text") + "\n"
        }
        for (index, file) in result.plotFiles.enumerated() {
            out += "\n![plot \(index + 1)](\(linkDestination(file)))\n"
        }
        return out
    }
}

/// `text` in a code fence longer than any run of backticks inside it, so no output can end
/// the fence early.
func fenced(_ text: String, language: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        run = character == "`" ? run + 1 : 0
        longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return "\(fence)\(language)\n\(text)\n\(fence)"
}

/// `text` as an inline code span (CommonMark): delimited by more backticks than its longest
/// run of backticks, so a backtick in a script name or a parameter value cannot end the span
/// early, and padded with a space on each side, which the reader strips, when it starts or
/// ends with a backtick (or starts and ends with a space, which would be stripped otherwise).
func codeSpan(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        run = character == "`" ? run + 1 : 0
        longest = max(longest, run)
    }
    let delimiter = String(repeating: "`", count: longest + 1)
    let padded = text.first == "`" || text.last == "`"
        || (text.first == " " && text.last == " " && text.contains { $0 != " " })
    let padding = padded ? " " : ""
    return delimiter + padding + text + padding + delimiter
}

/// Characters a link destination keeps as they are: RFC 3986's unreserved ones and `/`.
private let linkSafeCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")

/// `path` percent-encoded for a Markdown link destination. Everything but letters, digits,
/// `-._~` and `/` is encoded: `.urlPathAllowed` keeps `(` and `)`, and a report named
/// `a)b [x].md` gave `![plot 1](a)b%20%5Bx%5D-plot-1.svg)`, a link that ends at the `)`.
func linkDestination(_ path: String) -> String {
    path.addingPercentEncoding(withAllowedCharacters: linkSafeCharacters) ?? path
}

/// Seconds as people read them: "12 ms", "3.40 s", "2 min 5 s".
func formatSeconds(_ seconds: Double) -> String {
    if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
    if seconds < 120 { return String(format: "%.2f s", seconds) }
    return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
}

/// Escapes characters Markdown would read as formatting in a heading or sentence.
func markdownEscape(_ text: String) -> String {
    var out = ""
    for character in text {
        if "\\`*_[]<>#|".contains(character) { out.append("\\") }
        out.append(character == "\n" ? " " : character)
    }
    return out
}

/// Escapes what would break a table cell (pipes and line breaks).
func tableEscape(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}
