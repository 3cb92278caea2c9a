import LaifLang
import LaifSupport

/// One cell of a script: the lines after a `# %% Title` marker up to the next marker.
///
///     let cell = Notebook(source: "# %% Setup\nlet x = 1\n", file: "a.laif").cells[0]
///     cell.title       // "Setup"
///     cell.firstLine   // 2
public struct Cell: Equatable, Sendable {
    /// The text after `# %%` (empty for the untitled cell before the first marker).
    public let title: String
    /// The cell's code, without its marker line.
    public let source: String
    /// The 1-based line of the script on which `source` starts.
    public let firstLine: Int

    /// Makes a cell by hand (tests, tools); scripts get theirs from `Notebook(source:file:)`.
    ///
    ///     let cell = Cell(title: "Setup", source: "let x = 1", firstLine: 2)
    public init(title: String, source: String, firstLine: Int) {
        self.title = title
        self.source = source
        self.firstLine = firstLine
    }

    /// True for a prose cell: `# %% [markdown]`, `[md]` or `[raw]` after the marker, alone or
    /// after a title (`# %% Results [markdown]`), as Jupytext writes them. Its lines are
    /// comments shown as text in reports, and it never runs.
    ///
    ///     Cell(title: "[markdown]", source: "# Notes", firstLine: 2).isMarkdown           // true
    ///     Cell(title: "Results [md]", source: "# Notes", firstLine: 2).isMarkdown         // true
    public var isMarkdown: Bool { Cell.isProse(title: title) }

    /// Whether a marker's title makes its cell prose (see `isMarkdown`), before the cell exists.
    static func isProse(title: String) -> Bool {
        title.split(separator: " ").contains { proseTypes.contains($0.lowercased()) }
    }

    /// The title without its cell type: what a report shows as the cell's heading.
    ///
    ///     Cell(title: "Results [markdown]", source: "", firstLine: 2).heading   // "Results"
    public var heading: String {
        title.split(separator: " ").filter { !Cell.proseTypes.contains($0.lowercased()) }.joined(separator: " ")
    }

    /// Jupytext's cell types that hold no code.
    private static let proseTypes: Set<String> = ["[markdown]", "[md]", "[raw]"]

    /// True when the cell holds nothing but blank lines and comments.
    ///
    ///     Cell(title: "", source: "\n# just a note\n", firstLine: 1).isBlank   // true
    public var isBlank: Bool {
        source.splitLines().allSatisfy { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return trimmed.isEmpty || trimmed.hasPrefix("#")
        }
    }

    /// The prose of a Markdown cell: each line with its leading `#` and one space removed.
    ///
    ///     Cell(title: "[markdown]", source: "# Hello\n#\n# world", firstLine: 1).markdownText   // "Hello\n\nworld"
    public var markdownText: String {
        source.splitLines().map { line -> String in
            var text = line.drop { $0 == " " || $0 == "\t" }
            if text.hasPrefix("#") { text = text.dropFirst() }
            if text.hasPrefix(" ") { text = text.dropFirst() }
            return String(text)
        }.joined(separator: "\n").trimmingTrailingNewlines()
    }
}

/// A script split into cells at `# %% Title` comment lines (the "percent" format that
/// Jupytext, VS Code and Spyder understand). Code before the first marker forms an untitled
/// cell; a script without markers is one cell.
///
///     let book = Notebook(source: "param n = 3\n# %% Work\nprint(n)\n", file: "demo.laif")
///     book.cells.map(\.title)   // ["", "Work"]
public struct Notebook: Equatable, Sendable {
    /// The file name used in messages.
    public let file: String
    /// The whole script.
    public let source: String
    /// The cells in order; never empty.
    public let cells: [Cell]

    /// Splits `source` into cells; splitting never fails (a marker is just a comment).
    ///
    ///     Notebook(source: "1 + 1", file: "x.laif").cells.count   // 1
    public init(source: String, file: String) {
        self.file = file
        self.source = source
        var cells: [Cell] = []
        var title = ""
        var firstLine = 1
        var lines: [Substring] = []
        let all = source.splitLines()
        func finish() {
            let text = lines.joined(separator: "\n").trimmingTrailingNewlines()
            // An empty untitled preamble is no cell; titled cells always count.
            if !title.isEmpty || !text.trimmingWhitespace().isEmpty {
                cells.append(Cell(title: title, source: text, firstLine: firstLine))
            }
        }
        for (index, line) in all.enumerated() {
            // A marker line inside a code cell's open string literal is the string's text.
            if let markerTitle = Notebook.markerTitle(line),
               Cell.isProse(title: title) || !Interpreter.endsInsideString(lines.joined(separator: "\n") + "\n") {
                finish()
                title = markerTitle
                firstLine = index + 2
                lines = []
            } else {
                lines.append(line)
            }
        }
        finish()
        if cells.isEmpty { cells = [Cell(title: "", source: "", firstLine: 1)] }
        self.cells = cells
    }

    /// The title of a `# %%` marker line, or nil when `line` is not a marker. As in Jupytext's
    /// percent format the marker ends at a blank or the line's end, so a comment such as
    /// `# %%-points` stays a comment.
    static func markerTitle(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("# %%") else { return nil }
        let rest = trimmed.dropFirst(4)
        guard rest.first.map({ $0 == " " || $0 == "\t" || $0 == "\r" }) ?? true else { return nil }
        return String(rest).trimmingWhitespace()
    }
}

extension String {
    /// The string without trailing newlines and carriage returns.
    func trimmingTrailingNewlines() -> String {
        var text = self[...]
        while let last = text.last, last == "\n" || last == "\r" { text = text.dropLast() }
        return String(text)
    }

    /// The string without leading and trailing spaces, tabs and line ends.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        // Index to index: reversing the text twice took seconds on a script with a long string.
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
