import Foundation

/// Methods of strings (strings are values; every method returns a new one).
enum StringMethods {
    static func register(in registry: BuiltinRegistry) {
        for method in [len, upper, lower, strip, split, replace, startsWith, endsWith, contains, find, repeatText, chars] {
            registry.registerMethod(typeName: "string", method)
        }
    }

    static func text(_ args: Arguments) throws -> String {
        guard case .string(let text)? = args.receiver else { throw args.error("needs a string receiver") }
        return text
    }

    /// `s.len()`: number of characters.
    ///
    ///     "abc".len()   # 3
    static let len = Builtin(name: "len", parameters: [], doc: "Number of characters.", example: "\"abc\".len()", topic: "string") { args, context in
        .number(Double(context.interpreter.characterTable(of: try text(args)).count))
    }

    /// `s.upper()`: upper-case copy.
    ///
    ///     "ab".upper()   # "AB"
    static let upper = Builtin(name: "upper", parameters: [], doc: "Upper-case copy.", example: "\"ab\".upper()", topic: "string") { args, _ in
        .string(try text(args).uppercased())
    }

    /// `s.lower()`: lower-case copy.
    ///
    ///     "AB".lower()   # "ab"
    static let lower = Builtin(name: "lower", parameters: [], doc: "Lower-case copy.", example: "\"AB\".lower()", topic: "string") { args, _ in
        .string(try text(args).lowercased())
    }

    /// `s.strip()`: without leading and trailing whitespace.
    ///
    ///     "  a ".strip()   # "a"
    static let strip = Builtin(name: "strip", parameters: [], doc: "Copy without leading and trailing whitespace.", example: "\"  a \".strip()", topic: "string") { args, _ in
        .string(try text(args).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `s.split(sep: nil)`: pieces between separators (runs of whitespace when sep is nil).
    ///
    ///     "a,b".split(",")   # ["a", "b"]
    static let split = Builtin(
        name: "split", parameters: [.optional("sep", .nil)], doc: "Pieces between occurrences of sep (whitespace runs when sep is nil).",
        example: "\"a,b\".split(\",\")", topic: "string"
    ) { args, _ in
        let value = try text(args)
        if args.isNil("sep") {
            let pieces = value.split(whereSeparator: { $0.isWhitespace })
            try checkedListCount(pieces.count, args)
            return .list(pieces.map { .string(String($0)) })
        }
        let sep = try args.string("sep")
        guard !sep.isEmpty else { throw args.error("sep must not be empty; use s.chars() for characters") }
        try checkedListCount(value.forEachLiteralOccurrence(of: sep, limit: Limits.maxListLength) + 1, args)
        let pieces = value.literalPieces(separatedBy: sep)
        return .list(pieces.map(Value.string))
    }

    /// `s.replace(old, new)`: every occurrence of old replaced by new.
    ///
    ///     "a-b".replace("-", "+")   # "a+b"
    static let replace = Builtin(
        name: "replace", parameters: [.required("old"), .required("new")], doc: "Copy with every occurrence of old replaced by new.",
        example: "\"a-b\".replace(\"-\", \"+\")", topic: "string"
    ) { args, context in
        let old = try args.string("old")
        let new = try args.string("new")
        guard !old.isEmpty else { throw args.error("old must not be empty") }
        let value = try text(args)
        // Size the result before building it, so a huge one is refused, not allocated.
        let occurrences = value.forEachLiteralOccurrence(of: old)
        let growth = (new.utf8.count - old.utf8.count).multipliedReportingOverflow(by: occurrences)
        let size = value.utf8.count.addingReportingOverflow(growth.partialValue)
        guard !growth.overflow, !size.overflow, size.partialValue <= Limits.maxStringBytes else {
            throw args.error("the result would exceed \(Limits.maxStringBytes) bytes")
        }
        return .string(value.literalReplacing(old, with: new))
    }

    /// `s.starts_with(prefix)`.
    ///
    ///     "abc".starts_with("ab")   # true
    static let startsWith = Builtin(
        name: "starts_with", parameters: [.required("prefix")], doc: "Whether the string starts with prefix.",
        example: "\"abc\".starts_with(\"ab\")", topic: "string"
    ) { args, _ in .bool(try text(args).hasLiteralPrefix(try args.string("prefix"))) }

    /// `s.ends_with(suffix)`.
    ///
    ///     "abc".ends_with("bc")   # true
    static let endsWith = Builtin(
        name: "ends_with", parameters: [.required("suffix")], doc: "Whether the string ends with suffix.",
        example: "\"abc\".ends_with(\"bc\")", topic: "string"
    ) { args, _ in .bool(try text(args).hasLiteralSuffix(try args.string("suffix"))) }

    /// `s.contains(part)`.
    ///
    ///     "abc".contains("b")   # true
    static let contains = Builtin(
        name: "contains", parameters: [.required("part")], doc: "Whether part occurs in the string.",
        example: "\"abc\".contains(\"b\")", topic: "string"
    ) { args, _ in
        let part = try args.string("part")
        let value = try text(args)
        return .bool(part.isEmpty || value.forEachLiteralOccurrence(of: part, limit: 1) > 0)
    }

    /// `s.find(part)`: the character index of the first occurrence, or nil.
    ///
    ///     "abc".find("c")   # 2
    static let find = Builtin(
        name: "find", parameters: [.required("part")], doc: "Character index of the first occurrence of part, or nil.",
        example: "\"abc\".find(\"c\")", topic: "string"
    ) { args, _ in
        let value = try text(args), part = try args.string("part")
        if part.isEmpty { return .number(0) }   // the empty string occurs at the start, as `contains` agrees
        var first: Int?
        value.forEachLiteralOccurrence(of: part, limit: 1) { first = $0 }
        guard let first else { return .nil }
        return .number(Double(value.characterIndex(ofUTF8Offset: first)))
    }

    /// `s.repeat(n)`: the string n times.
    ///
    ///     "ab".repeat(3)   # "ababab"
    static let repeatText = Builtin(
        name: "repeat", parameters: [.required("n")], doc: "The string repeated n times.", example: "\"ab\".repeat(3)", topic: "string"
    ) { args, _ in
        let value = try text(args)
        let n = try args.int("n")
        guard n >= 0 else { throw args.error("n must not be negative") }
        let (bytes, overflow) = value.utf8.count.multipliedReportingOverflow(by: n)
        guard !overflow, bytes <= Limits.maxStringBytes else {
            throw args.error("the result would exceed \(Limits.maxStringBytes) bytes")
        }
        return .string(String(repeating: value, count: n))
    }

    /// `s.chars()`: the characters as a list of strings.
    ///
    ///     "ab".chars()   # ["a", "b"]
    static let chars = Builtin(name: "chars", parameters: [], doc: "The characters as a list of one-character strings.", example: "\"ab\".chars()", topic: "string") { args, _ in
        let value = try text(args)
        try checkedListCount(value.count, args)
        return .list(value.map { .string(String($0)) })
    }
}
