/// Where Up and Down are in the history while a line is edited, and the line being typed,
/// which Down past the newest entry brings back.
///
/// laif walks the history itself rather than through libedit's ed-prev-history: libedit
/// 3.1-20221030 keeps the line being edited in a 1,024-character buffer when Up leaves it, so
/// a longer line came back from Down cut short and padded with NUL characters.
///
/// ```swift
/// var navigation = HistoryNavigation()
/// navigation.older(than: "draft", in: history)   // the newest entry
/// navigation.newer(in: history)                  // "draft" again
/// ```
struct HistoryNavigation {
    /// How far back the shown entry is (0: the newest); nil while on the line being typed.
    private var offset: Int?
    /// The line being typed when Up first left it.
    private var typed = ""

    /// The next older entry to show instead of `line`, or nil when there is none.
    ///
    /// ```swift
    /// navigation.older(than: "", in: history)
    /// ```
    mutating func older(than line: String, in history: EditHistory) -> String? {
        let next = offset.map { $0 + 1 } ?? 0
        guard let entry = history.entry(back: next) else { return nil }
        if offset == nil { typed = line }
        offset = next
        return entry
    }

    /// The next newer entry, or the line that was being typed after the newest; nil when
    /// already on that line.
    ///
    /// ```swift
    /// navigation.newer(in: history)
    /// ```
    mutating func newer(in history: EditHistory) -> String? {
        guard let current = offset else { return nil }
        guard current > 0, let entry = history.entry(back: current - 1) else {
            offset = nil
            return typed
        }
        offset = current - 1
        return entry
    }
}
