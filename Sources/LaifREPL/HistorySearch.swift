import CEditLine
import CSupport
import Foundation

/// Ctrl-R: incremental search back through the history, as readline has it. Typed characters
/// narrow the search to entries containing them (newest first); Ctrl-R again goes to the next
/// older match; Backspace takes a character back; Enter runs the match; Ctrl-G or Ctrl-C
/// gives back the line as it was; any other key (an arrow, Ctrl-A, Esc) keeps the match and
/// then does what it does.
///
/// laif searches itself rather than through libedit's em-inc-search-prev, which kept the line
/// being typed in a 1,024-character buffer (Ctrl-G brought a longer one back cut short),
/// took the time of the square of an entry's length (a 20 KB entry froze the REPL for 6 s, and
/// Ctrl-C waited), and typed an arrow key's escape sequence into the line.
///
///     var search = HistorySearch(entries: ["let b = 2", "let a = 1"])
///     search.type("a")   // the match: entry 1, "let a = 1"
struct HistorySearch {
    /// The entries searched, the newest first.
    let entries: [String]
    /// What was typed to search for.
    private(set) var query = ""
    /// The entry matched (an index into `entries`), nil before one is.
    private(set) var match: Int?
    /// Whether the last search found nothing (the last match stays).
    private(set) var failed = false
    /// Where the query starts in the match, in characters (Unicode scalars), for the cursor; it
    /// stays with the match when a longer query fails.
    ///
    ///     search.matchStart   // 4 for "a" in "let a = 1"
    private(set) var matchStart: Int?

    /// A search over `entries`, the newest first.
    ///
    ///     let search = HistorySearch(entries: history.newestFirst())
    init(entries: [String]) {
        self.entries = entries
    }

    /// Adds `text` to the query and searches from the current match on (inclusive).
    ///
    ///     search.type("le")
    mutating func type(_ text: String) {
        query += text
        find(from: match ?? 0)
    }

    /// Takes the last character (Unicode scalar: an accent typed after its letter goes alone)
    /// off the query and searches again from the newest entry.
    ///
    ///     search.deleteLast()
    mutating func deleteLast() {
        guard !query.isEmpty else { return }
        query.unicodeScalars.removeLast()
        guard !query.isEmpty else {
            match = nil
            matchStart = nil
            failed = false
            return
        }
        find(from: 0)
    }

    /// Goes to the next older entry that contains the query.
    ///
    ///     search.older()
    mutating func older() {
        guard !query.isEmpty else { return }
        find(from: (match ?? -1) + 1)
    }

    /// The prompt shown while searching.
    ///
    ///     search.prompt   // "(reverse-i-search)`a': "
    var prompt: String {
        (failed ? "(failed reverse-i-search)`" : "(reverse-i-search)`") + query + "': "
    }

    private mutating func find(from start: Int) {
        var index = start
        while index < entries.count {
            // A long history of long entries takes a while: Ctrl-C stops the search.
            if laif_interrupt_pending() != 0 { break }
            if let offset = HistorySearch.scalarOffset(of: query, in: entries[index]) {
                match = index
                matchStart = offset
                failed = false
                return
            }
            index += 1
        }
        failed = true
    }

    /// Where `query` first occurs in `text`, in Unicode scalars, or nil. Compared as UTF-8
    /// bytes, so "cafe" is found in "cafe\u{301}" (as readline does) where Swift's `contains`,
    /// going by whole characters, does not; a UTF-8 match always starts on a scalar.
    ///
    ///     HistorySearch.scalarOffset(of: "x", in: "中x")   // 1
    static func scalarOffset(of query: String, in text: String) -> Int? {
        let needle = Array(query.utf8), haystack = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty ? 0 : nil }
        let found: Int? = haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard let hayStart = hay.baseAddress, let pinStart = pin.baseAddress else { return nil }
                let first = pin[0]
                for start in 0...(hay.count - pin.count) where hay[start] == first {
                    if memcmp(hayStart + start, pinStart, pin.count) == 0 { return start }
                }
                return nil
            }
        }
        guard let byte = found else { return nil }
        // Scalars before the match: the bytes that start one (not 10xxxxxx continuations).
        return haystack[..<byte].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }
}

extension LineEditor {
    /// The Ctrl-R command (see `HistorySearch`).
    func searchHistoryBackward() -> UInt8 {
        let original = editedLine()
        let originalPrompt = prompt
        var search = HistorySearch(entries: entries.newestFirst())
        let showOriginalLine = { (prompt: String) in
            self.redraw(prompt: prompt, line: original.before + original.after, cursor: original.before.unicodeScalars.count)
        }
        showOriginalLine(search.prompt)
        while true {
            var key: wchar_t = 0
            guard el_wgetc(editLine, &key) == 1 else {
                // Ctrl-C or the end of input: the line as it was (the interrupt then ends it).
                showOriginalLine(originalPrompt)
                return UInt8(CC_REFRESH)
            }
            switch key {
            case 0x12:
                search.older()
            case 0x07:
                showOriginalLine(originalPrompt)
                return UInt8(CC_REFRESH)
            case 0x7F, 0x08:
                search.deleteLast()
            case wchar_t(EditorSignals.redrawKey):
                break   // the redraw below goes by the re-wrapped rows, at the new width
            case 0x0D, 0x0A:
                let (line, _) = shownLine(of: search, otherwise: original)
                redraw(prompt: originalPrompt, line: line, cursor: nil)
                // As libedit's own newline: the output starts below the line, the cursor being
                // at its end.
                write("\n")
                return UInt8(CC_NEWLINE)
            case 0x20...:
                guard let scalar = Unicode.Scalar(UInt32(bitPattern: key)) else { continue }
                search.type(String(scalar))
            default:
                // The match stays, and the key does what it does on it (an arrow's escape
                // sequence goes on from the terminal after the Esc handed back here); Up and
                // Down go on from the match.
                let (line, cursor) = shownLine(of: search, otherwise: original)
                if let match = search.match { historyNavigation.stand(on: match, typed: original.before + original.after) }
                redraw(prompt: originalPrompt, line: line, cursor: cursor)
                el_wpush(editLine, [key, 0])
                return UInt8(CC_REFRESH)
            }
            let (line, cursor) = shownLine(of: search, otherwise: original)
            if search.failed { el_beep(editLine) }
            redraw(prompt: search.prompt, line: line, cursor: cursor)
        }
    }

    /// The line to show for `search`: its match with the cursor at the query, or the original.
    private func shownLine(of search: HistorySearch, otherwise original: (before: String, after: String)) -> (String, Int) {
        guard let match = search.match else {
            return (original.before + original.after, original.before.unicodeScalars.count)
        }
        return (search.entries[match], search.matchStart ?? search.entries[match].unicodeScalars.count)
    }

    /// Draws `prompt` and `line` where the prompt and line are now, the cursor `cursor`
    /// characters into the line (its end when nil).
    func redraw(prompt newPrompt: String, line: String, cursor: Int?) {
        signals.clearFromPromptRow()
        setPrompt(newPrompt)
        replaceLine(with: line, cursor: cursor)
        _ = laif_el_refresh(editLine)
    }

    /// Replaces the whole line being edited with `text`, the cursor `cursor` characters into it
    /// (its end when nil).
    func replaceLine(with text: String, cursor: Int? = nil) {
        let line = editedLine()
        let after = line.after.unicodeScalars.count
        if after > 0 { _ = el_cursor(editLine, Int32(clamping: after)) }
        let all = line.before.unicodeScalars.count + after
        if all > 0 { el_deletestr(editLine, Int32(clamping: all)) }
        insertAtCursor(text)
        let length = text.unicodeScalars.count
        if let cursor, cursor < length { _ = el_cursor(editLine, -Int32(clamping: length - max(0, cursor))) }
    }
}
