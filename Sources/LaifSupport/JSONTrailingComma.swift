/// The column of the first comma that closes a JSON object or array (`{"a": 1,}`), or nil.
///
/// Foundation's JSONSerialization accepts such commas; RFC 8259, Python's json and so TRL's
/// datasets refuse them, so a JSONL file that laif loaded could fail in the tools it is shared
/// with. Readers that parse with JSONSerialization call this on text it accepted. Commas
/// inside strings do not count; the column counts characters from 1.
///
///     jsonTrailingCommaColumn(#"{"a": "x",}"#)    // 10
///     jsonTrailingCommaColumn(#"{"a": "x,}"}"#)   // nil
public func jsonTrailingCommaColumn(_ text: String) -> Int? {
    var inString = false, escaped = false
    var pendingComma: Int?
    for (offset, character) in text.enumerated() {
        if inString {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inString = false
            }
            continue
        }
        switch character {
        case "\"":
            inString = true
            pendingComma = nil
        case ",":
            pendingComma = offset + 1
        case "}", "]":
            if let column = pendingComma { return column }
        case " ", "\t", "\n", "\r":
            break
        default:
            pendingComma = nil
        }
    }
    return nil
}
