/// How the REPL echoes a value: strings quoted, lists and records readably, domain objects
/// through their own `describe()`.
///
///     format(.list([.number(1), .string("a")]))   // [1, "a"]
public func format(_ value: Value) -> String { ValuePrinter.repr(value) }

/// Turns values into text. `repr` is the echo form (strings quoted, valid laif where
/// possible); `display` is what `print` and interpolation show (strings as they are).
/// Lists past `maxListItems` are summarised with their length, nesting past
/// `Limits.maxValueDepth` prints as `...`.
///
///     ValuePrinter.display(.string("hi"))   // hi
///     ValuePrinter.repr(.string("hi"))      // "hi"
public enum ValuePrinter {
    /// Lists longer than this print their first and last few items and their length.
    public static let maxListItems = 100

    /// Ends text cut short at the string limit.
    static let cutMarker = " ... (cut: longer than \(Limits.maxStringBytes) bytes)"

    /// Records, and lists holding containers, whose one-line form is wider than this print
    /// one item per line (lists of plain values stay on one line).
    public static let lineWidth = 100

    /// The echo form of a value (long lists and records spread over several lines).
    ///
    ///     ValuePrinter.repr(.number(3))   // 3
    public static func repr(_ value: Value) -> String {
        pretty(value, indent: 0, depth: 0)
    }

    /// The echo form on one line, whatever its length (for summaries and signatures).
    ///
    ///     ValuePrinter.oneLine(.record(Record([("a", .number(1))])))   // {a: 1}
    public static func oneLine(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, quoted: true, depth: 0, topLevel: false)
        return out
    }

    /// The echo form cut to `maxLength` characters (for signatures and summaries).
    static func repr(_ value: Value, maxLength: Int) -> String {
        let text = oneLine(value)
        return text.count > maxLength ? String(text.prefix(maxLength - 3)) + "..." : text
    }

    /// The `print` form: strings unquoted at the top level, everything else as `repr`.
    ///
    ///     ValuePrinter.display(.list([.string("a")]))   // ["a"]
    public static func display(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return repr(value)
    }

    /// Positions shown of a list of `count` items: all, or the first and last ten around a
    /// gap (-1).
    private static func shownPositions(_ count: Int) -> [Int] {
        count > maxListItems ? Array(0..<10) + [-1] + Array((count - 10)..<count) : Array(0..<count)
    }

    private static func pretty(_ value: Value, indent: Int, depth: Int) -> String {
        if case .object(let object) = value, depth == 0 { return object.describe() }
        let flat = oneLine(value)
        guard indent + flat.count > lineWidth, depth < Limits.maxValueDepth else { return flat }
        let pad = String(repeating: " ", count: indent + 2)
        switch value {
        case .list(let items) where items.contains(where: isContainer):
            var lines: [String] = []
            for index in shownPositions(items.count) {
                lines.append(pad + (index < 0 ? "..." : pretty(items[index], indent: indent + 2, depth: depth + 1)))
            }
            let count = items.count > maxListItems ? " (\(items.count) items)" : ""
            return "[\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "]" + count
        case .record(let record):
            let lines = record.fields.map { field in
                pad + key(field.key) + ": " + pretty(field.value, indent: indent + 2, depth: depth + 1)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        default:
            return flat
        }
    }

    private static func isContainer(_ value: Value) -> Bool {
        switch value {
        case .list, .record, .object: return true
        default: return false
        }
    }

    private static func key(_ name: String) -> String { isIdentifier(name) ? name : quote(name) }

    /// Integers print without ".0" ("3"), others in shortest round-trip form ("0.1",
    /// "1e-05"); "inf", "-inf", "nan".
    ///
    ///     ValuePrinter.formatNumber(2.0)   // 2
    public static func formatNumber(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(), abs(number) < 1e16, let int = Int(exactly: number) {
            return String(int)
        }
        return "\(number)"
    }

    /// A string literal that reads back as the same string.
    ///
    ///     ValuePrinter.quote("a\"b")   // "a\"b"
    public static func quote(_ text: String) -> String {
        // Most strings need no escape: copy them whole instead of scalar by scalar.
        var bytes = text
        let needsEscape = bytes.withUTF8 { buffer in buffer.contains { escapedBytes[Int($0)] } }
        if !needsEscape { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "{": out += "\\{"
            case "}": out += "\\}"
            case "\0": out += "\\0"
            default:
                if scalar.value < 32 || scalar.value == 127 {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The UTF-8 bytes `quote` writes as escapes: controls, DEL, `"`, `\\`, `{` and `}`.
    private static let escapedBytes: [Bool] = (0..<256).map { byte in
        byte < 32 || byte == 127 || [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}")].contains(UInt8(byte))
    }

    static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return key.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
            && Keyword(rawValue: key) == nil
    }

    /// Whether `out` has passed the string limit; the first time, it gets `cutMarker`.
    private static func isCut(_ out: inout String) -> Bool {
        guard out.utf8.count > Limits.maxStringBytes else { return false }
        if !out.hasSuffix(cutMarker) { out += cutMarker }
        return true
    }

    private static func write(_ value: Value, into out: inout String, quoted: Bool, depth: Int, topLevel: Bool) {
        guard depth <= Limits.maxValueDepth else { out += "..."; return }
        // Text past the string limit is refused by whoever asked for it (str, interpolation,
        // join); stopping here keeps a list of huge strings from being written out in full first,
        // and what `print` shows says where it stopped.
        guard !isCut(&out) else { return }
        switch value {
        case .number(let number): out += formatNumber(number)
        case .string(let text): out += quoted ? quote(text) : text
        case .bool(let flag): out += flag ? "true" : "false"
        case .nil: out += "nil"
        case .list(let items):
            out += "["
            for (position, index) in shownPositions(items.count).enumerated() {
                if isCut(&out) { return }
                if position > 0 { out += ", " }
                if index < 0 { out += "..."; continue }
                write(items[index], into: &out, quoted: true, depth: depth + 1, topLevel: false)
            }
            out += "]"
            if items.count > maxListItems { out += " (\(items.count) items)" }
        case .record(let record):
            out += "{"
            for (position, field) in record.fields.enumerated() {
                if isCut(&out) { return }
                if position > 0 { out += ", " }
                out += key(field.key) + ": "
                write(field.value, into: &out, quoted: true, depth: depth + 1, topLevel: false)
            }
            out += "}"
        case .function(let closure): out += "<fn \(closure.signature)>"
        case .builtin(let builtin): out += "<builtin \(builtin.signature)>"
        case .method(let bound): out += "<method \(bound.method.signature)>"
        case .object(let object): out += topLevel ? object.describe() : object.summary
        }
    }
}
