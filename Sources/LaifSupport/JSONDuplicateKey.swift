import Foundation

/// The first key that an object of the JSON text repeats, with the column (in characters, from
/// 1) where it repeats, or nil.
///
/// Foundation's JSON readers keep one of the two values without a word (JSONDecoder the first,
/// JSONSerialization the last), so `{"seed": 1, "seed": 2}` meant whichever the reader chose.
/// RFC 8259 leaves such objects' meaning open; laif refuses them, as its safetensors reader
/// does. Keys are compared after their escapes are decoded (`"a"` and `"\u0061"` are one key).
/// Readers call this on text their parser accepted.
///
///     jsonDuplicateKey(#"{"a": 1, "b": {"a": 2}, "a": 3}"#)   // ("a", 25)
///     jsonDuplicateKey(#"[{"a": 1}, {"a": 2}]"#)              // nil
public func jsonDuplicateKey(_ text: String) -> (key: String, column: Int)? {
    // One entry per open bracket: the keys an object has so far, nil for an array.
    var open: [Set<String>?] = []
    var expectingKey = false
    var found: (key: String, column: Int)?
    forEachJSONPiece(in: text) { piece in
        switch piece {
        case .string(let raw, let column):
            guard expectingKey, let last = open.indices.last, open[last] != nil else { break }
            expectingKey = false
            let key = decodedJSONString(raw) ?? raw
            if open[last]!.insert(key).inserted == false { found = (key, column) }
        case .symbol("{", _):
            open.append([])
            expectingKey = true
        case .symbol("[", _):
            open.append(nil)
            expectingKey = false
        case .symbol("}", _), .symbol("]", _):
            if !open.isEmpty { open.removeLast() }
            expectingKey = false
        case .symbol(",", _):
            expectingKey = open.last.map { $0 != nil } ?? false
        case .symbol:
            break
        }
        return found == nil
    }
    return found
}

/// The text of a JSON string written between quotes as `raw`, escapes decoded.
private func decodedJSONString(_ raw: String) -> String? {
    try? JSONDecoder().decode([String].self, from: Data("[\"\(raw)\"]".utf8)).first
}
