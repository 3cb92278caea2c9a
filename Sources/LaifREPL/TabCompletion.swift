import CEditLine
import CSupport
import Foundation

/// Proposals for completing the word before the cursor; every candidate is the full
/// replacement for that word (see `TabCompletion.wordStart`).
///
///     Completions(candidates: ["print", "prompts"], appendSpace: false)
public struct Completions: Equatable, Sendable {
    /// Full replacements for the word, in the order they are listed.
    public var candidates: [String]
    /// Whether a single, final candidate should get a space after it (not for folders).
    public var appendSpace: Bool

    /// Makes a completion answer.
    ///
    ///     let none = Completions(candidates: [], appendSpace: false)
    public init(candidates: [String], appendSpace: Bool) {
        self.candidates = candidates
        self.appendSpace = appendSpace
    }
}

/// The characters that end the word Tab completes. `.`, `:`, `?`, `/` and `"` are NOT
/// among them, so the completer sees `model.tr`, `:he`, `?so` and `"data/tr` whole and can
/// tell member, command, help and path completion apart.
let completionWordBreaks: Set<Unicode.Scalar> = Set(" \t\n(),[]{}=+-*<>;!&|%^~@$`'\\".unicodeScalars)

/// What Tab does, as libedit's readline layer did: a single candidate replaces the word (with
/// a space after a finished name); several put their common start in its place and beep; a
/// Tab right after a Tab (nothing typed between) lists them in columns below the line, asking
/// first when there are more than `queryThreshold`. So after Tab completed a folder, the next
/// Tab lists what is in it.
///
///     TabCompletion.wordStart(in: Array("print(mod".unicodeScalars))   // 6: the word is "mod"
///     TabCompletion.listing(["alpha", "beta", "gamma"], columns: 12)    // ["alpha  gamma", "beta"]
struct TabCompletion {
    /// More candidates than this are listed only after a "y" to "Display all N possibilities?".
    static let queryThreshold = 100

    /// The line (split at the cursor) the last Tab left, so a Tab right after it lists.
    private var lastTabLeft: (before: String, after: String)?

    /// Where the word Tab completes starts in the text before the cursor: after the last break
    /// character that is not escaped by a backslash. A quote or backslash just before the
    /// cursor belongs to the word (`xs."` completes whole).
    ///
    ///     TabCompletion.wordStart(in: Array("let m = mo".unicodeScalars))   // 8
    static func wordStart(in before: [Unicode.Scalar]) -> Int {
        var start = before.count
        if let last = before.last, last == "\\" || last == "'" || last == "\"" { start -= 1 }
        while start > 0 {
            guard completionWordBreaks.contains(before[start - 1]) else {
                start -= 1
                continue
            }
            guard start >= 2, before[start - 2] == "\\" else { break }
            start -= 2
        }
        return start
    }

    /// `candidates` in rows for a screen `columns` wide: down each column, then across, every
    /// column as wide as the widest candidate plus two spaces (no trailing spaces).
    ///
    ///     TabCompletion.listing(["a", "b", "c"], columns: 80)   // ["a  b  c"]
    static func listing(_ candidates: [String], columns: Int) -> [String] {
        guard !candidates.isEmpty else { return [] }
        let widths = candidates.map(displayWidth)
        let cell = (widths.max() ?? 0) + 2
        let perRow = max(1, (max(columns, 1) + 2) / cell)
        let rows = (candidates.count + perRow - 1) / perRow
        return (0..<rows).map { row in
            var text = ""
            for index in stride(from: row, to: candidates.count, by: rows) {
                if index != row { text += String(repeating: " ", count: cell - widths[index - rows]) }
                text += candidates[index]
            }
            return text
        }
    }

    /// The cells `text` takes on a terminal (wide characters two, combining marks none, one
    /// for a character the C library cannot measure).
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let cells = Int(laif_character_width(scalar.value))
            return width + (cells < 0 ? 1 : cells)
        }
    }

    /// Works out what Tab does on `line` (split at the cursor) with `completer`'s answer.
    ///
    ///     var tab = TabCompletion()
    ///     tab.action(for: ("pri", ""), completer: completer)   // .replace(count: 3, with: "print ")
    mutating func action(for line: (before: String, after: String),
                         completer: (CompletionRequest) -> Completions) -> Action {
        let before = Array(line.before.unicodeScalars)
        let start = TabCompletion.wordStart(in: before)
        let word = String(String.UnicodeScalarView(before[start...]))
        let answer = completer(CompletionRequest(lineBeforeCursor: line.before, word: word))
        let repeated = lastTabLeft.map { $0 == line } ?? false
        lastTabLeft = nil
        guard let first = answer.candidates.first else { return .beep }
        let beforeWord = String(String.UnicodeScalarView(before[..<start]))
        if answer.candidates.count == 1 {
            let replacement = first + (answer.appendSpace ? " " : "")
            lastTabLeft = (beforeWord + replacement, line.after)
            return replacement == word ? .nothing : .replace(count: before.count - start, with: replacement)
        }
        let shared = commonPrefix(answer.candidates)
        let extends = shared != word && shared.hasPrefix(word)
        lastTabLeft = extends ? (beforeWord + shared, line.after) : line
        switch (extends, repeated) {
        case (true, true): return .replaceAndList(count: before.count - start, with: shared, candidates: answer.candidates)
        case (true, false): return .replaceAndBeep(count: before.count - start, with: shared)
        case (false, true): return .list(answer.candidates)
        case (false, false): return .beep
        }
    }

    /// What a Tab press does to the line.
    enum Action: Equatable {
        /// Nothing to add: the word is complete.
        case nothing
        /// No candidate, or several with nothing more in common.
        case beep
        /// Replace the `count` characters before the cursor.
        case replace(count: Int, with: String)
        /// Replace, then beep: the candidates share more than was typed, but are several.
        case replaceAndBeep(count: Int, with: String)
        /// Show the candidates below the line.
        case list([String])
        /// Replace, then show the candidates below the line (a Tab right after a Tab).
        case replaceAndList(count: Int, with: String, candidates: [String])
    }
}

extension LineEditor {
    /// The Tab command: completes the word before the cursor (libedit calls this for Tab).
    func completeWordBeforeCursor() -> UInt8 {
        switch tabCompletion.action(for: editedLine(), completer: completer) {
        case .nothing:
            return UInt8(CC_NORM)
        case .beep:
            return UInt8(CC_REFRESH_BEEP)
        case .replace(let count, let replacement):
            return replaceBeforeCursor(count: count, with: replacement) ? UInt8(CC_REFRESH) : UInt8(CC_REFRESH_BEEP)
        case .replaceAndBeep(let count, let replacement):
            _ = replaceBeforeCursor(count: count, with: replacement)
            return UInt8(CC_REFRESH_BEEP)
        case .list(let candidates):
            list(candidates)
            return UInt8(CC_REDISPLAY)
        case .replaceAndList(let count, let replacement, let candidates):
            _ = replaceBeforeCursor(count: count, with: replacement)
            list(candidates)
            return UInt8(CC_REDISPLAY)
        }
    }

    /// Deletes `count` characters before the cursor and inserts `replacement` there; false when
    /// libedit's buffer cannot take it.
    private func replaceBeforeCursor(count: Int, with replacement: String) -> Bool {
        if count > 0 { el_deletestr(editLine, Int32(clamping: count)) }
        return insertAtCursor(replacement)
    }

    /// Writes the candidates below the line (after asking, when there are many); libedit then
    /// draws the prompt and the line again under them.
    private func list(_ candidates: [String]) {
        let line = editedLine()
        let width = screenColumns
        let cursorRow = LineLayout.row(after: prompt + line.before, columns: width)
        let lastRow = LineLayout.row(after: prompt + line.before + line.after, columns: width)
        // From the cursor's row to the row below the line's last one.
        write(String(repeating: "\n", count: max(0, lastRow - cursorRow) + 1))
        // libedit's redisplay first goes up from where it believes the cursor is (its row in
        // the line) to the prompt's row: that many blank rows below the list keep it whole.
        defer { write(String(repeating: "\n", count: max(0, cursorRow))) }
        if candidates.count > TabCompletion.queryThreshold {
            let display = confirm("Display all \(candidates.count) possibilities? (y or n)")
            write("\n")
            guard display else { return }
        }
        for row in TabCompletion.listing(candidates, columns: width) { write(row + "\n") }
    }

    /// Asks `question` and waits for y, Y or space (yes), or n, N or Delete (no); other keys
    /// beep. Ctrl-C or the end of input is a no (a pending interrupt then ends the line). A
    /// resize or `fg` draws the question again.
    private func confirm(_ question: String) -> Bool {
        pendingQuestion = question
        defer { pendingQuestion = nil }
        write(question)
        while true {
            var key: wchar_t = 0
            guard el_wgetc(editLine, &key) == 1 else { return false }
            switch key {
            case wchar_t(UInt8(ascii: "y")), wchar_t(UInt8(ascii: "Y")), wchar_t(UInt8(ascii: " ")):
                return true
            case wchar_t(UInt8(ascii: "n")), wchar_t(UInt8(ascii: "N")), 0x7F, 0x08:
                return false
            case wchar_t(EditorSignals.redrawKey):
                // The terminal re-wrapped the question to its new width: up to its first row,
                // clear from there down, and draw it again.
                signals.forgetResize()
                el_resize(editLine)
                clearUpward(rows: LineLayout.rewrappedCursorRow(before: question, after: "", columns: screenColumns))
                write(question)
            default:
                el_beep(editLine)
            }
        }
    }
}

/// The longest common prefix of `words` (by characters).
///
///     commonPrefix(["model.tokens", "model.train"])   // "model.t"
func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map({ Substring($0) }) else { return "" }
    for word in words.dropFirst() {
        while !word.hasPrefix(prefix) { prefix = prefix.dropLast() }
    }
    return String(prefix)
}
