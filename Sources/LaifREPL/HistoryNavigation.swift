import CEditLine

/// Where Up and Down are in the history while a line is edited, and the line being typed,
/// which Down past the newest entry brings back. Esc-p and Esc-n step only through entries
/// that start with the text before the cursor.
///
/// laif walks the history itself rather than through libedit's ed-prev-history: libedit
/// 3.1-20221030 keeps the line being edited in a 1,024-character buffer when Up leaves it, so
/// a longer line came back from Down cut short and padded with NUL characters.
///
///     var navigation = HistoryNavigation()
///     navigation.older(than: "draft", in: history.newestFirst())   // the newest entry
///     navigation.newer(in: history.newestFirst())                  // "draft" again
struct HistoryNavigation {
    /// How far back the shown entry is (0: the newest); nil while on the line being typed.
    private var offset: Int?
    /// The line being typed when Up first left it.
    private var typed = ""

    /// The next older of `entries` (the history, newest first) starting with `prefix`, to show
    /// instead of `line`; nil when there is none.
    ///
    ///     navigation.older(than: "", in: history.newestFirst())
    mutating func older(than line: String, in entries: [String], startingWith prefix: String = "") -> String? {
        let start = offset.map { $0 + 1 } ?? 0
        guard start < entries.count, let next = entries[start...].firstIndex(where: { $0.hasPrefix(prefix) }) else {
            return nil
        }
        if offset == nil { typed = line }
        offset = next
        return entries[next]
    }

    /// Stands on the entry `offset` places back (where a search found it), `line` being what
    /// was typed before, so Up and Down go on from there.
    ///
    ///     navigation.stand(on: 3, typed: "")
    mutating func stand(on offset: Int, typed line: String) {
        if self.offset == nil { typed = line }
        self.offset = offset
    }

    /// The next newer of `entries` (newest first) starting with `prefix`, or the line that was
    /// being typed after the newest; nil when already on that line.
    ///
    ///     navigation.newer(in: history.newestFirst())
    mutating func newer(in entries: [String], startingWith prefix: String = "") -> String? {
        guard let current = offset else { return nil }
        let end = min(current, entries.count)
        guard let next = entries[..<end].lastIndex(where: { $0.hasPrefix(prefix) }) else {
            offset = nil
            return typed
        }
        offset = next
        return entries[next]
    }
}

extension LineEditor {
    /// The Up and Down commands (Esc-p and Esc-n with `startingWithTextBeforeCursor`): the
    /// line is replaced by the older or newer history entry, the cursor at its end (or, for
    /// Esc-p and Esc-n, where it was).
    func recallHistory(older: Bool, startingWithTextBeforeCursor: Bool = false) -> UInt8 {
        let line = editedLine()
        let prefix = startingWithTextBeforeCursor ? line.before : ""
        // One walk through libedit's list, not one per entry looked at.
        let all = entries.newestFirst()
        let shown = older
            ? historyNavigation.older(than: line.before + line.after, in: all, startingWith: prefix)
            : historyNavigation.newer(in: all, startingWith: prefix)
        guard let shown else { return UInt8(CC_REFRESH_BEEP) }
        replaceLine(with: shown, cursor: startingWithTextBeforeCursor ? prefix.unicodeScalars.count : nil)
        return UInt8(CC_REFRESH)
    }
}
