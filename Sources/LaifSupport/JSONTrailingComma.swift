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
    var pendingComma: Int?, found: Int?
    forEachJSONPiece(in: text) { piece in
        switch piece {
        case .symbol(",", let column):
            pendingComma = column
        case .symbol("}", _), .symbol("]", _):
            found = pendingComma
        default:
            pendingComma = nil
        }
        return found == nil
    }
    return found
}
