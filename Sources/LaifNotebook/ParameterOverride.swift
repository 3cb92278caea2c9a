import Foundation
import LaifLang
import LaifSupport

/// One `-p name=value` from the command line, before it is checked against the script.
///
///     let override = try ParameterOverride(parsing: "seed=3")
///     override.name   // "seed"
///     override.text   // "3"
public struct ParameterOverride: Equatable, Sendable {
    /// The parameter's name.
    public let name: String
    /// The value as typed, not yet converted.
    public let text: String

    /// Splits `name=value` at the first `=`; throws a usage error (exit 64) for anything else.
    ///
    ///     try ParameterOverride(parsing: "family=mistral")
    public init(parsing argument: String) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw LaifError.usage("-p \(argument): expected name=value, e.g. -p seed=3")
        }
        let name = String(argument[..<equals]).trimmingWhitespace()
        guard ParameterOverride.isIdentifier(name) else {
            throw LaifError.usage("-p \(argument): '\(name)' is not a parameter name (letters, digits, _)")
        }
        self.name = name
        self.text = String(argument[argument.index(after: equals)...])
    }

    /// Converts the text to the type of the parameter's default: numbers must parse as
    /// finite numbers, bools as true/false, strings take the text as is (surrounding quotes
    /// optional), lists and records take JSON. Throws a usage error naming the parameter.
    ///
    ///     try ParameterOverride(parsing: "n=200").value(like: .number(2000))   // .number(200)
    public func value(like defaultValue: Value) throws -> Value {
        let trimmed = text.trimmingWhitespace()
        switch defaultValue {
        case .number:
            guard let number = Numeric.decimal(trimmed) else {
                throw mismatch("a number", example: "\(name)=3")
            }
            return .number(number)
        case .bool:
            switch trimmed.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw mismatch("true or false", example: "\(name)=true")
            }
        case .string:
            if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
                return .string(String(trimmed.dropFirst().dropLast()))
            }
            return .string(text)
        case .list, .record:
            try requireShallowJSON(trimmed)
            let kind = defaultValue.typeName
            guard let value = ParameterOverride.value(fromJSON: trimmed), value.typeName == kind else {
                throw mismatch("a \(kind) written as JSON", example: kind == "list" ? "\(name)='[1, 2, 3]'" : "\(name)='{\"a\": 1}'")
            }
            try requireDistinctKeys(trimmed)
            return value
        case .nil:
            // A parameter declared `= nil` accepts any JSON value, or else the text as a string.
            try requireShallowJSON(trimmed)
            if let value = ParameterOverride.value(fromJSON: trimmed) {
                try requireDistinctKeys(trimmed)
                return value
            }
            return .string(text)
        default:
            throw LaifError.usage("-p \(name): parameter '\(name)' has a default of type \(defaultValue.typeName), which cannot be set from the command line")
        }
    }

    private func mismatch(_ expected: String, example: String) -> LaifError {
        LaifError.usage("-p \(name)=\(text): parameter '\(name)' expects \(expected), e.g. -p \(example)")
    }

    /// JSON that repeats a key in one object is refused: the decoder kept the first value
    /// without a word. Asked only of text that parsed as JSON (other text is no object at all,
    /// and a `nil` default takes it as a string).
    private func requireDistinctKeys(_ json: String) throws {
        guard let duplicate = jsonDuplicateKey(json) else { return }
        throw LaifError.usage("-p \(name): key \(jsonStringLiteral(duplicate.key)) appears twice in one object (column \(duplicate.column)); "
            + "give each key once")
    }

    /// JSON nested deeper than a script may write its literals is refused by name: past 512
    /// levels JSONDecoder gives up with an error that says nothing about depth, so the value
    /// would be reported as "not JSON" (or, for a `nil` default, silently taken as a string).
    private func requireShallowJSON(_ json: String) throws {
        let depth = ParameterOverride.jsonNestingDepth(json)
        guard depth <= Limits.maxParseNesting else {
            throw LaifError.usage("-p \(name): parameter '\(name)' is nested \(depth) levels deep; at most \(Limits.maxParseNesting) are supported, as for a literal in a script")
        }
    }

    /// The deepest nesting of `[` and `{` in JSON text, not counting brackets inside strings.
    ///
    ///     ParameterOverride.jsonNestingDepth("[[1], {\"a\": \"[\"}]")   // 2
    static func jsonNestingDepth(_ json: String) -> Int {
        var depth = 0, deepest = 0
        forEachJSONPiece(in: json) { piece in
            switch piece {
            case .symbol("[", _), .symbol("{", _):
                depth += 1
                deepest = max(deepest, depth)
            case .symbol("]", _), .symbol("}", _):
                depth = max(depth - 1, 0)
            default:
                break
            }
            return true
        }
        return deepest
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    /// Parses JSON text into a laif value (object keys sorted, so results are stable).
    static func value(fromJSON text: String) -> Value? {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        return json.value
    }
}

/// JSON as JSONDecoder sees it; decoding tries bool before number so `true` never becomes 1.
private enum JSONValue: Decodable {
    case bool(Bool), number(Double), string(String), null, list([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let list = try? container.decode([JSONValue].self) { self = .list(list) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var value: Value? {
        switch self {
        case .bool(let bool): return .bool(bool)
        case .number(let number): return number.isFinite ? .number(number) : nil
        case .string(let text): return .string(text)
        case .null: return .nil
        case .list(let items):
            let values = items.compactMap(\.value)
            return values.count == items.count ? .list(values) : nil
        case .object(let fields):
            var pairs: [(String, Value)] = []
            for key in fields.keys.sorted() {
                guard let value = fields[key]?.value else { return nil }
                pairs.append((key, value))
            }
            return .record(Record(pairs))
        }
    }
}
