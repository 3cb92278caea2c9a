import Foundation

/// Reads the history file format libedit writes (`_HiStOrY_V2_`, then one entry per line in
/// vis(3) encoding: `\040` for a space, `\012` for a newline inside an entry, `\134` for a
/// backslash, `\^A` and `\M-x` forms for control and high bytes).
///
/// laif reads the file itself rather than through libedit's loader: on a malformed escape
/// (a backslash before a control byte) libedit 3.1-20221030 read past its buffer and put
/// stale heap bytes into the entry, which the next save wrote back to the file; and an entry
/// that is not UTF-8 stopped Up and Ctrl-R from going past it. Such lines are left out here,
/// and so is an entry holding a NUL, which libedit would cut short there.
///
///     HistoryFileFormat.entries(in: Data("_HiStOrY_V2_\nlet\\040x\\040=\\0401\n".utf8))
///     // (entries: ["let x = 1"], skipped: 0)
enum HistoryFileFormat {
    /// The entries in file order (oldest first) after the header line, and how many lines
    /// were left out because they are not valid vis encoding of UTF-8 text without NULs; nil
    /// when the first line is not the header, so the file is no libedit history. Lines may
    /// end in CRLF.
    ///
    ///     HistoryFileFormat.entries(in: Data("_HiStOrY_V2_\n\\\u{1}\n".utf8))?.skipped   // 1
    static func entries(in data: Data) -> (entries: [String], skipped: Int)? {
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let header = lines.first, isHeader(header) else { return nil }
        lines.removeFirst()
        if lines.last?.isEmpty == true { lines.removeLast() }   // the newline that ends the file
        var entries: [String] = []
        var skipped = 0
        for line in lines {
            let text = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if let entry = decode(text) { entries.append(entry) } else { skipped += 1 }
        }
        return (entries, skipped)
    }

    /// Whether `line` (without its newline) is libedit's header line, exactly (a CR before the
    /// newline allowed).
    ///
    ///     HistoryFileFormat.isHeader(Array("_HiStOrY_V2_".utf8)[...])   // true
    static func isHeader(_ line: ArraySlice<UInt8>) -> Bool {
        let text = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        return text.elementsEqual(HistoryFile.libeditHeader.utf8)
    }

    /// One line's entry, or nil when an escape is malformed (a backslash before a control byte,
    /// a space or a non-ASCII byte; `\^` or `\M` not followed by their forms; an octal
    /// escape past 255) or the bytes are not UTF-8. Unknown escapes of printable ASCII stand
    /// for the character, and a lone backslash at the end is dropped, as libedit reads them.
    ///
    ///     HistoryFileFormat.decode(Array("a\\012b".utf8)[...])   // "a\nb"
    static func decode(_ line: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var index = line.startIndex
        func next() -> UInt8? {
            guard index < line.endIndex else { return nil }
            defer { index += 1 }
            return line[index]
        }
        while let byte = next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            // A lone backslash at the end is dropped, as libedit's reader drops it.
            guard let escaped = next() else { break }
            switch escaped {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                // One to three octal digits.
                var value = Int(escaped - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard index < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) else { break }
                    value = value * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                }
                guard value <= 0xFF else { return nil }
                out.append(UInt8(value))
            case UInt8(ascii: "^"):
                guard let control = next(), let decoded = controlByte(control) else { return nil }
                out.append(decoded)
            case UInt8(ascii: "M"):
                // \M-x is x with the high bit set; \M^x is a control byte with it.
                switch next() {
                case UInt8(ascii: "-")?:
                    guard let plain = next() else { return nil }
                    out.append(plain | 0x80)
                case UInt8(ascii: "^")?:
                    guard let control = next(), let decoded = controlByte(control) else { return nil }
                    out.append(decoded | 0x80)
                default:
                    return nil
                }
            case UInt8(ascii: "$"):
                break   // vis's marker for a hidden character: nothing
            default:
                if let decoded = cStyle[escaped] {
                    out.append(decoded)
                } else if (0x21...0x7E).contains(escaped) {
                    out.append(escaped)   // `\q` is q, as libedit reads it
                } else {
                    return nil   // a backslash before a control byte, a space or a non-ASCII byte
                }
            }
        }
        // libedit keeps entries as C strings: one with a NUL would be cut there and saved so.
        guard !out.contains(0) else { return nil }
        return String(validating: out, as: UTF8.self)
    }

    /// `\^@` ... `\^_` and `\^?`.
    private static func controlByte(_ letter: UInt8) -> UInt8? {
        if letter == UInt8(ascii: "?") { return 0x7F }
        guard (0x40...0x5F).contains(letter) || (0x60...0x7E).contains(letter) else { return nil }
        return letter & 0x1F
    }

    /// The C-style escapes vis writes with VIS_CSTYLE (libedit does not, but another tool may).
    private static let cStyle: [UInt8: UInt8] = [
        UInt8(ascii: "\\"): UInt8(ascii: "\\"), UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09,
        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "b"): 0x08, UInt8(ascii: "a"): 0x07, UInt8(ascii: "v"): 0x0B,
        UInt8(ascii: "f"): 0x0C, UInt8(ascii: "s"): 0x20, UInt8(ascii: "E"): 0x1B,
    ]
}
