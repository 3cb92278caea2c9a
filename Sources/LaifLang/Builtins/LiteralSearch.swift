import CSupport
import Foundation

/// Substring search on the text's Unicode scalars, as Python matches code points. Swift compares
/// strings by `Character`, and "\r\n" is one character: "l1\r\nl2".split("\n") found no "\n"
/// while contains("\n") (Foundation's search) found one, and replace("\r", "") left Windows
/// line ends in place. Every string method that looks for a part goes through here, so they
/// agree. Matching the UTF-8 bytes is the same as matching scalars: a valid UTF-8 pattern
/// can only match valid UTF-8 text at a scalar boundary.
extension String {
    /// Calls `body` with the byte offset (into `utf8`) of each non-overlapping occurrence of
    /// `part` from the left, at most `limit` times; returns how many it found.
    ///
    ///     "a\r\nb\r\n".forEachLiteralOccurrence(of: "\n") { print($0) }   // 2, 5; returns 2
    @discardableResult
    func forEachLiteralOccurrence(of part: String, limit: Int = .max, _ body: (Int) -> Void = { _ in }) -> Int {
        let needle = Array(part.utf8)
        guard !needle.isEmpty else { return 0 }
        var text = self
        return text.withUTF8 { bytes -> Int in
            guard bytes.count >= needle.count, let base = bytes.baseAddress else { return 0 }
            var found = 0
            var start = 0
            let last = bytes.count - needle.count
            while start <= last, found < limit {
                // glibc's memmem takes time linear in the text and the part (the two-way
                // algorithm); checking each place the first byte occurs took n × m steps, over a
                // minute for a 2-million-byte part in a 4-million-byte text.
                let hit = laif_find_bytes(base + start, bytes.count - start, needle, needle.count)
                guard hit >= 0 else { break }
                let offset = start + hit
                body(offset)
                found += 1
                start = offset + needle.count
            }
            return found
        }
    }

    /// The text between the occurrences of `separator` (one more piece than occurrences).
    ///
    ///     "l1\r\nl2".literalPieces(separatedBy: "\n")   // ["l1\r", "l2"]
    func literalPieces(separatedBy separator: String) -> [String] {
        let width = separator.utf8.count
        var pieces: [String] = []
        var start = 0
        forEachLiteralOccurrence(of: separator) { offset in
            pieces.append(utf8Text(from: start, to: offset))
            start = offset + width
        }
        pieces.append(utf8Text(from: start, to: utf8.count))
        return pieces
    }

    /// The text with every occurrence of `old` replaced by `new`.
    ///
    ///     "a\r\nb".literalReplacing("\r", with: "")   // "a\nb"
    func literalReplacing(_ old: String, with new: String) -> String {
        var result = ""
        var start = 0
        forEachLiteralOccurrence(of: old) { offset in
            result += utf8Text(from: start, to: offset)
            result += new
            start = offset + old.utf8.count
        }
        return result + utf8Text(from: start, to: utf8.count)
    }

    /// Whether the text begins with `prefix`, scalar by scalar.
    ///
    ///     "\r\nx".hasLiteralPrefix("\r")   // true
    func hasLiteralPrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// Whether the text ends with `suffix`, scalar by scalar.
    ///
    ///     "x\r\n".hasLiteralSuffix("\n")   // true
    func hasLiteralSuffix(_ suffix: String) -> Bool { utf8.reversed().starts(with: suffix.utf8.reversed()) }

    /// The index of the character that holds byte `offset` of `utf8` (a match may start inside
    /// a character such as "\r\n", which then counts as where it starts).
    ///
    ///     "a\r\nb".characterIndex(ofUTF8Offset: 2)   // 1
    func characterIndex(ofUTF8Offset offset: Int) -> Int {
        let target = utf8.index(utf8.startIndex, offsetBy: offset)
        var count = 0
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if next > target { break }
            index = next
            count += 1
        }
        return count
    }

    /// The text between two byte offsets of `utf8` that fall on scalar boundaries.
    private func utf8Text(from start: Int, to end: Int) -> String {
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        let upper = utf8.index(lower, offsetBy: end - start)
        return String(unicodeScalars[lower..<upper])
    }
}
