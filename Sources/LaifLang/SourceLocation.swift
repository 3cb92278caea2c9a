import LaifSupport

/// The text of one parsed chunk, kept so errors can quote the offending line even when they
/// are raised long after parsing (a function defined in one REPL entry, called in another).
final class SourceText: Sendable {
    let file: String
    let lines: [Substring]
    /// The file's line number of the text's first line (a notebook cell starts part-way down).
    let firstLine: Int

    init(file: String, text: String, firstLine: Int = 1) {
        self.file = file
        self.lines = text.splitLines()
        self.firstLine = firstLine
    }

    /// The file's line `line`, without its newline (nil when out of range).
    func line(_ line: Int) -> String? {
        let index = line - firstLine
        guard index >= 0, index < lines.count else { return nil }
        return String(lines[index])
    }
}

/// A place in a laif source: file name, 1-based line and 1-based column (in characters).
///
///     let here = SourceLocation(file: "demo.laif", line: 3, column: 7)
///     print(here)   // demo.laif:3:7
public struct SourceLocation: Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    /// The source this location points into, so errors can show the line.
    let text: SourceText?

    /// Creates a location; `file` is the name shown in messages.
    ///
    ///     SourceLocation(file: "<repl>", line: 1, column: 1)
    public init(file: String, line: Int, column: Int) {
        self.init(file: file, line: line, column: column, text: nil)
    }

    init(file: String, line: Int, column: Int, text: SourceText?) {
        self.file = file
        self.line = line
        self.column = column
        self.text = text
    }

    /// The source line this location points at, when known.
    ///
    ///     location.sourceLine   // "let x = 1 +"
    public var sourceLine: String? { text?.line(line) }

    /// `file:line:col`, the prefix of every located message.
    public var description: String { "\(file):\(line):\(column)" }

    /// Locations are equal when file, line and column are (the source text is not compared).
    ///
    ///     SourceLocation(file: "a", line: 1, column: 2) == SourceLocation(file: "a", line: 1, column: 2)   // true
    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.column == rhs.column
    }
}
