import CSupport

/// Where libedit's drawing of a prompt and its line puts things on a screen of a given width.
///
/// libedit draws row by row: a newline in the line starts a row, a tab runs to the next
/// multiple of 8, a control character shows as two cells (`^A`), a character it cannot print
/// as `\U+XXXX`, and a wide character that does not fit at the end of a row goes to the next
/// one. A modern terminal (tmux, VTE, kitty, iTerm2, ...) re-wraps what it shows when its
/// width changes, so after a resize the cursor is where this layout at the new width says.
///
///     LineLayout.row(after: "laif> " + String(repeating: "x", count: 40), columns: 40)   // 1
enum LineLayout {
    /// The row (0 for the first) of the cursor between `before` and `after` (the rest of the
    /// line), once a terminal has re-wrapped to rows `columns` wide what was drawn at
    /// `drawnColumns` (by default the same width: text the terminal wrapped by itself). A
    /// cursor that ends a full row at the end of a line stays at the end of that row there,
    /// where libedit would have moved it to the start of the next; but where libedit itself
    /// filled a row at the width it drew at, it moved the cursor to the next row by writing a
    /// blank there, which the terminal re-wraps with the line, so the cursor is one row on.
    ///
    ///     LineLayout.rewrappedCursorRow(before: "laif> " + String(repeating: "x", count: 34), after: "", columns: 40)   // 0
    static func rewrappedCursorRow(before: String, after: String, columns: Int, drawnColumns: Int? = nil) -> Int {
        let end = position(after: before, columns: columns)
        let endsLine = after.isEmpty || after.hasPrefix("\n")
        let libeditWrapped = drawnColumns.map { position(after: before, columns: $0).wrapped } ?? false
        return end.wrapped && endsLine && !libeditWrapped ? end.row - 1 : end.row
    }

    /// The row (0 for the first) on which the cursor stands after `text` is drawn from the
    /// start of a row `columns` wide, as libedit draws it: a row filled to its last cell moves
    /// the cursor down.
    ///
    ///     LineLayout.row(after: "ab\ncd", columns: 80)   // 1
    static func row(after text: String, columns: Int) -> Int {
        position(after: text, columns: columns).row
    }

    /// The cursor's row after `text`, and whether it got there by filling the row above.
    private static func position(after text: String, columns: Int) -> (row: Int, wrapped: Bool) {
        let width = max(columns, 1)
        var row = 0
        var column = 0
        var wrapped = false
        func advance(by cells: Int) {
            // libedit pads a row that cannot take a wide character and draws it on the next.
            if column + cells > width {
                row += 1
                column = 0
            }
            column += cells
            wrapped = column >= width
            if wrapped {
                row += 1
                column = 0
            }
        }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                row += 1
                column = 0
                wrapped = false
            case 0x09:
                repeat { advance(by: 1) } while column % 8 != 0
            case 0x00..<0x20, 0x7F:
                advance(by: 1)
                advance(by: 1)
            default:
                let cells = Int(laif_character_width(scalar.value))
                if cells >= 0 {
                    if cells > 0 { advance(by: cells) }
                } else {
                    // "\U+1234" or, beyond the first plane, "\U+12345": one cell per character.
                    for _ in 0..<(scalar.value > 0xFFFF ? 8 : 7) { advance(by: 1) }
                }
            }
        }
        return (row, wrapped)
    }
}
