/// A piece of JSON text outside whitespace, as the checks that read JSON text by hand see it
/// (`jsonTrailingCommaColumn`, `jsonDuplicateKey`, `-p`'s nesting depth): a whole string, or one
/// other character. Columns count characters from 1.
public enum JSONPiece {
    /// A string with its text between the quotes, escapes as written, and the opening quote's column.
    case string(raw: String, column: Int)
    /// A bracket, comma, colon, or a character of a number or literal.
    case symbol(Character, column: Int)
}

/// Calls `visit` with each piece of `text` in order until it returns false; an unterminated
/// string at the end is no piece. Brackets and commas inside strings stay inside them, also
/// after an escaped quote.
///
///     forEachJSONPiece(in: #"{"a,": 1}"#) { print($0); return true }   // {, "a,", :, 1, }
public func forEachJSONPiece(in text: String, _ visit: (JSONPiece) -> Bool) {
    var stringStart: Int?, raw = "", escaped = false
    for (offset, character) in text.enumerated() {
        if let start = stringStart {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                stringStart = nil
                if !visit(.string(raw: raw, column: start + 1)) { return }
                continue
            }
            raw.append(character)
            continue
        }
        switch character {
        case "\"":
            stringStart = offset
            raw = ""
        case " ", "\t", "\n", "\r":
            break
        default:
            if !visit(.symbol(character, column: offset + 1)) { return }
        }
    }
}
