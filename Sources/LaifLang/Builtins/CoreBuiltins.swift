import Foundation

extension BuiltinRegistry {
    /// The standard language builtins: output, conversion, collections, math, seeds, timing,
    /// and the methods of lists, strings and records. Domain libraries add theirs on top
    /// (see LaifBindings).
    ///
    ///     let interpreter = Interpreter(registry: .core(), output: { print($0, terminator: "") })
    public static func core() -> BuiltinRegistry {
        let registry = BuiltinRegistry()
        CoreBuiltins.register(in: registry)
        MathBuiltins.register(in: registry)
        CollectionBuiltins.register(in: registry)
        ListMethods.register(in: registry)
        StringMethods.register(in: registry)
        RecordMethods.register(in: registry)
        registerPlotBuiltins(in: registry)
        return registry
    }
}

/// Builds a list result, refusing more than `Limits.maxListLength` elements.
func checkedListCount(_ count: Int, _ args: Arguments) throws {
    guard count <= Limits.maxListLength else {
        throw args.error("\(count) elements exceed the list limit of \(Limits.maxListLength)")
    }
}

/// Output, conversion, type inspection, seeds, randomness and timing.
enum CoreBuiltins {
    static func register(in registry: BuiltinRegistry) {
        for builtin in [print, str, repr, fixed, type, number, error, seed, random, randomInt, clock, time] {
            registry.register(builtin)
        }
    }

    /// `print(values..., sep: " ", end: "\n")`: writes the values (strings unquoted).
    ///
    ///     print("loss", 0.25)   # loss 0.25
    static let print = Builtin(
        name: "print", parameters: [.variadic("values"), .optional("sep", .string(" ")), .optional("end", .string("\n"))],
        doc: "Write values to the output, separated by sep and followed by end.",
        example: "print(\"loss\", 0.25, sep: \": \")"
    ) { args, context in
        let text = args.rest.map(ValuePrinter.display).joined(separator: try args.string("sep")) + (try args.string("end"))
        context.write(text)
        return .nil
    }

    /// `str(x)`: the text `print` would show for x.
    ///
    ///     str(3) ++ "!"   # "3!"
    static let str = Builtin(
        name: "str", parameters: [.required("x")],
        doc: "The text print shows for x (strings unchanged).", example: "str(3) ++ \" items\""
    ) { args, context in
        let text = ValuePrinter.display(try args.value("x"))
        try context.interpreter.checkStringSize(text, at: context.location)
        return .string(text)
    }

    /// `repr(x)`: the text the REPL echoes for x (strings quoted).
    ///
    ///     repr("a")   # "\"a\""
    static let repr = Builtin(
        name: "repr", parameters: [.required("x")],
        doc: "The text the REPL echoes for x (strings quoted).", example: "repr(\"a\")"
    ) { args, context in
        let text = ValuePrinter.repr(try args.value("x"))
        try context.interpreter.checkStringSize(text, at: context.location)
        return .string(text)
    }

    /// `fixed(x, digits: 2)`: x as text with exactly `digits` decimals (for tables and reports).
    ///
    ///     fixed(2 / 3, digits: 3)   # "0.667"
    static let fixed = Builtin(
        name: "fixed", parameters: [.required("x"), .optional("digits", .number(2))],
        doc: "x as text with exactly digits decimals (0 to 20).", example: "fixed(2 / 3, digits: 3)"
    ) { args, _ in
        let x = try args.number("x")
        let digits = try args.int("digits")
        guard (0...20).contains(digits) else { throw args.error("digits must be from 0 to 20, got \(digits)") }
        guard x.isFinite else { return .string(ValuePrinter.formatNumber(x)) }
        return .string(String(format: "%.\(digits)f", x))
    }

    /// `type(x)`: the type name of x as a string.
    ///
    ///     type([1])   # "list"
    static let type = Builtin(
        name: "type", parameters: [.required("x")],
        doc: "The type name of x: number, string, bool, nil, list, record, function, or a domain type.",
        example: "type([1, 2])"
    ) { args, _ in .string(try args.value("x").typeName) }

    /// `number(s)`: parses a string as a number (numbers pass through).
    ///
    ///     number("2.5") * 2   # 5
    static let number = Builtin(
        name: "number", parameters: [.required("x")],
        doc: "Parse a string as a number (a number is returned unchanged).", example: "number(\"2.5\")"
    ) { args, _ in
        let value = try args.value("x")
        switch value {
        case .number: return value
        case .string(let text):
            guard let parsed = Numeric.decimal(text) else {
                throw args.error("cannot read \(ValuePrinter.quote(String(text.prefix(40)))) as a number")
            }
            return .number(parsed)
        case .bool(let flag): return .number(flag ? 1 : 0)
        default: throw args.error("cannot convert a \(value.typeName) to a number")
        }
    }

    /// `error(message)`: stops with a runtime error carrying message.
    ///
    ///     if n < 0 { error("n must be positive") }
    static let error = Builtin(
        name: "error", parameters: [.required("message")],
        doc: "Stop with a runtime error carrying message.", example: "error(\"bad input\")"
    ) { args, context in
        throw LaifError(kind: .runtime, message: ValuePrinter.display(try args.value("message")), location: context.location)
    }

    /// `seed(n)`: sets the session seed (every derived seed follows from it); `seed()`
    /// returns the current one.
    ///
    ///     seed(42)
    static let seed = Builtin(
        name: "seed", parameters: [.optional("n", .nil)],
        doc: "Set the session seed that every random choice derives from; seed() returns it.",
        example: "seed(42)"
    ) { args, context in
        if args.isNil("n") { return .number(Double(context.interpreter.seed)) }
        let n = try args.number("n")
        guard n >= 0, n < 0x1p64, n == n.rounded() else {
            throw args.error("n must be a whole number from 0 to 2^64-1, got \(ValuePrinter.formatNumber(n))")
        }
        context.interpreter.seed = UInt64(n)
        return .nil
    }

    /// `random()`: a uniform number in [0, 1), determined by the session seed.
    ///
    ///     random() < 1   # true
    static let random = Builtin(
        name: "random", parameters: [],
        doc: "A uniform number in [0, 1) drawn from the session seed.", example: "random()"
    ) { _, context in .number(Double(context.nextSeed() >> 11) * 0x1p-53) }

    /// `random_int(low, high)`: a uniform whole number in [low, high).
    ///
    ///     random_int(0, 6)
    static let randomInt = Builtin(
        name: "random_int", parameters: [.required("low"), .required("high")],
        doc: "A uniform whole number in [low, high) drawn from the session seed.", example: "random_int(0, 6)"
    ) { args, context in
        let low = try args.int("low"), high = try args.int("high")
        guard low < high else { throw args.error("need low < high, got \(low) and \(high)") }
        // laif numbers are doubles: whole numbers are exact only up to 2^53.
        let exact = 1 << 53
        // A range test, not abs(): abs(Int.min) traps.
        guard (-exact...exact).contains(low), (-exact...exact).contains(high) else {
            throw args.error("low and high must be within -\(exact)...\(exact), where whole numbers are exact; got \(low) and \(high)")
        }
        let span = UInt64(high - low)
        return .number(Double(low + Int(context.nextSeed() % span)))
    }

    /// `clock()`: seconds on a monotonic clock, for measuring durations.
    ///
    ///     let t0 = clock()
    static let clock = Builtin(
        name: "clock", parameters: [],
        doc: "Seconds on a monotonic clock (differences measure durations).", example: "let t0 = clock()"
    ) { _, _ in .number(Double(DispatchTime.now().uptimeNanoseconds) / 1e9) }

    /// `time(f)`: calls f() and returns `{value, seconds}`.
    ///
    ///     time(fn () { sum(range(1000)) }).seconds
    static let time = Builtin(
        name: "time", parameters: [.required("f")],
        doc: "Call f() and return {value: result, seconds: elapsed}.",
        example: "time(fn () { sum(range(1000)) }).seconds"
    ) { args, context in
        let f = try args.callable("f")
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try context.call(f, [])
        let seconds = Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
        return .record(Record([("value", value), ("seconds", .number(seconds))]))
    }
}
