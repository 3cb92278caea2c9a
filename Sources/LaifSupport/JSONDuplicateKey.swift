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
    var stringStart: Int?, rawString = "", escaped = false
    for (offset, character) in text.enumerated() {
        if let start = stringStart {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                stringStart = nil
                if expectingKey, let last = open.indices.last, open[last] != nil {
                    expectingKey = false
                    let key = decodedJSONString(rawString) ?? rawString
                    if open[last]!.insert(key).inserted == false { return (key, start + 1) }
                }
                continue
            }
            rawString.append(character)
            continue
        }
        switch character {
        case "\"":
            stringStart = offset
            rawString = ""
        case "{":
            open.append([])
            expectingKey = true
        case "[":
            open.append(nil)
            expectingKey = false
        case "}", "]":
            if !open.isEmpty { open.removeLast() }
            expectingKey = false
        case ",":
            expectingKey = open.last.map { $0 != nil } ?? false
        default:
            break
        }
    }
    return nil
}

/// The text of a JSON string written between quotes as `raw`, escapes decoded.
private func decodedJSONString(_ raw: String) -> String? {
    try? JSONDecoder().decode([String].self, from: Data("[\"\(raw)\"]".utf8)).first
}
