import CEditLine
import Foundation

/// The entries Up and Down walk through: one libedit history list, kept to a number of the
/// newest entries. `HistoryFile` loads and saves it; `LineEditor` hands it to libedit.
///
///     let history = EditHistory(limit: 1000)
///     history.enter("let x = 1")
///     history.count   // 1
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

    /// The number of entries held.
    ///
    ///     history.count   // 0 for a new list
    var count: Int { Int(laif_history_count(list)) }

    /// Adds `entry` as the newest entry (the oldest goes when the list is full).
    ///
    ///     history.enter("print(1)")
    func enter(_ entry: String) {
        _ = laif_history_enter(list, entry)
    }

    /// Adds the entries of the libedit history file at `path` after those held; false when it
    /// cannot be read.
    ///
    ///     history.load(from: "/home/me/.laif_history")
    @discardableResult
    func load(from path: String) -> Bool {
        laif_history_load(list, path) >= 0
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
