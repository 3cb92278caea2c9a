import CEditLine
import Foundation

/// The entries Up and Down walk through: one libedit history list, kept to a number of the
/// newest entries. `HistoryFile` fills and saves it; `LineEditor` hands it to libedit (for
/// Ctrl-R) and walks it itself (for Up and Down).
///
///     let history = EditHistory(limit: 1000)
///     history.enter("let x = 1")
///     history.newestFirst()   // ["let x = 1"]
final class EditHistory {
    /// libedit's list; lives as long as this object.
    let list: OpaquePointer

    /// An empty list keeping at most `limit` entries, or nil when libedit has no memory for one.
    ///
    ///     let history = EditHistory(limit: 1000)
    init?(limit: Int) {
        guard let list = laif_history_open(Int32(clamping: limit)) else { return nil }
        self.list = list
    }

    deinit { history_end(list) }

    /// Adds `entry` as the newest entry (the oldest goes when the list is full).
    ///
    ///     history.enter("print(1)")
    func enter(_ entry: String) {
        _ = laif_history_enter(list, entry)
    }

    /// Every entry, the newest first.
    ///
    ///     history.newestFirst().first   // the last entry made
    func newestFirst() -> [String] {
        var all: [String] = []
        var text = laif_history_step(list, 1)
        while let entry = text {
            all.append(String(cString: entry))
            text = laif_history_step(list, 0)
        }
        return all
    }

    /// Writes every entry to `path` in libedit's format (first line `_HiStOrY_V2_`); false when
    /// it cannot be written, errno saying why.
    ///
    ///     if !history.save(to: "/tmp/h.tmp") { print(String(cString: strerror(errno))) }
    func save(to path: String) -> Bool {
        laif_history_save(list, path) >= 0
    }

    /// Drops every entry.
    ///
    ///     history.clear()
    func clear() {
        laif_history_clear(list)
    }
}
