/// How many terminal columns text takes, so a caret can be placed under a column counted in
/// Unicode scalars (as the lexer counts): wide East Asian characters and emoji take two
/// columns, combining marks ride on the character before them. Tables that line up columns
/// of user text (`:vars`, help) measure with it too.
public enum DisplayWidth {
    /// The blanks that put a caret under the scalar at `column` (1-based) of `line`: tabs stay
    /// tabs, a wide character gives two spaces.
    ///
    ///     DisplayWidth.caretLead(in: "\"中\" + 1", column: 5)   // "     " (five spaces)
    static func caretLead(in line: Substring, column: Int) -> String {
        var lead = ""
        var scalarsBefore = 0
        for character in line {
            if scalarsBefore >= column - 1 { break }
            scalarsBefore += character.unicodeScalars.count
            lead += character == "\t" ? "\t" : String(repeating: " ", count: columns(of: character))
        }
        return lead
    }

    /// Columns one character takes: 2 for wide characters and emoji, else 1.
    ///
    ///     DisplayWidth.columns(of: "中")   // 2
    public static func columns(of character: Character) -> Int {
        character.unicodeScalars.contains(where: isWide) ? 2 : 1
    }

    /// Columns a whole text takes on one line.
    ///
    ///     DisplayWidth.width(of: "名前 x")   // 6
    public static func width(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The longest start of `text` that fits in `columns` columns.
    ///
    ///     DisplayWidth.prefix(of: "中文字", fitting: 5)   // "中文"
    public static func prefix(of text: String, fitting columns: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            used += self.columns(of: text[index])
            if used > columns { break }
            end = text.index(after: index)
        }
        return text[..<end]
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, the large blocks),
    /// emoji shown as pictures, and the emoji presentation selector.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isEmojiPresentation || scalar.value == 0xFE0F { return true }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
