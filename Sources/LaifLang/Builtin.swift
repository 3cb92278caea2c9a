/// One declared parameter of a builtin. The interpreter binds call arguments against these,
/// so every builtin reports missing, unknown and surplus arguments the same way.
///
///     [.required("model"), .required("prefs"), .optional("beta", .number(0.1))]
public struct BuiltinParameter {
    /// How the parameter binds.
    ///
    ///     BuiltinParameter(name: "beta", kind: .optional(.number(0.1)))
    public enum Kind {
        /// Must be given (by position or by name).
        case required
        /// May be given; otherwise `defaultValue`.
        case optional(Value)
        /// Collects the remaining positional arguments (`print(values...)`).
        case variadic
        /// Collects keyword arguments no other parameter names (`record(**fields)`).
        case keywords
    }

    public let name: String
    public let kind: Kind

    /// Declares a parameter (the static helpers below read better).
    ///
    ///     BuiltinParameter(name: "n", kind: .required)
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// A parameter that must be given.
    ///
    ///     BuiltinParameter.required("n")
    public static func required(_ name: String) -> BuiltinParameter { .init(name: name, kind: .required) }

    /// A parameter with a default.
    ///
    ///     BuiltinParameter.optional("beta", .number(0.1))
    public static func optional(_ name: String, _ defaultValue: Value) -> BuiltinParameter {
        .init(name: name, kind: .optional(defaultValue))
    }

    /// Collects the remaining positional arguments.
    ///
    ///     BuiltinParameter.variadic("values")
    public static func variadic(_ name: String) -> BuiltinParameter { .init(name: name, kind: .variadic) }

    /// Collects unknown keyword arguments (in call order).
    ///
    ///     BuiltinParameter.keywords("knobs")
    public static func keywords(_ name: String) -> BuiltinParameter { .init(name: name, kind: .keywords) }

    /// How the parameter reads in a signature: `n`, `beta: 0.1`, `values...`, `knobs: ...`.
    var signatureText: String {
        switch kind {
        case .required: return name
        case .optional(let value): return "\(name): \(ValuePrinter.repr(value, maxLength: 24))"
        case .variadic: return "\(name)..."
        case .keywords: return "\(name): ..."
        }
    }
}

/// A function implemented in Swift: its declaration (name, parameters, one-line doc, example,
/// help topic) and the implementation. Methods are builtins registered for a type name.
///
///     Builtin(name: "double", parameters: [.required("x")],
///             doc: "Twice x.", example: "double(21)", topic: "core") { args, _ in
///         .number(try args.number("x") * 2)
///     }
public struct Builtin {
    public let name: String
    public let parameters: [BuiltinParameter]
    /// One line, shown by `laif help` and `?name`.
    public let doc: String
    /// One line of laif showing a use (a test parses every example).
    public let example: String
    /// Help topic: "core", "math", "list", "string", "tensor", "model", "world", "training", "plot".
    public let topic: String
    /// The type this is a method of ("list", "tensor", ...), or nil for a free function.
    public internal(set) var ownerType: String?
    public let implementation: (Arguments, CallContext) throws -> Value
    private let customSignature: String?

    /// Declares a builtin. `signature` defaults to one derived from `parameters`.
    ///
    ///     Builtin(name: "len", parameters: [.required("x")], doc: "Length.", example: "len([1])") { args, _ in ... }
    public init(name: String, parameters: [BuiltinParameter], doc: String, example: String,
                topic: String = "core", signature: String? = nil,
                implementation: @escaping (Arguments, CallContext) throws -> Value) {
        self.name = name
        self.parameters = parameters
        self.doc = doc
        self.example = example
        self.topic = topic
        self.customSignature = signature
        self.implementation = implementation
    }

    /// "dpo(model, prefs, beta: 0.1)", or "list.map(f)" for methods.
    ///
    ///     registry.lookup("range")?.signature   // "range(start, stop: nil, step: 1)"
    public var signature: String {
        if let customSignature { return customSignature }
        let prefix = ownerType.map { "\($0)." } ?? ""
        return "\(prefix)\(name)(\(parameters.map(\.signatureText).joined(separator: ", ")))"
    }

    /// The name as called: "len" or "list.map".
    public var qualifiedName: String { ownerType.map { "\($0).\(name)" } ?? name }
}

/// The arguments of one builtin call, bound to the declared parameters by name. Accessors
/// check types and throw uniform errors naming the call and its signature.
///
///     let n = try args.int("n")          // "range(): argument 'n' must be a whole number ..."
///     let beta = try args.number("beta")
public struct Arguments {
    /// The builtin being called (for messages).
    public let builtin: Builtin
    /// The value a method was called on (`xs` in `xs.map(f)`), nil for free functions.
    public let receiver: Value?
    let bound: [String: Value]
    /// Positional arguments collected by a `.variadic` parameter.
    public let rest: [Value]
    /// Keyword arguments collected by a `.keywords` parameter, in call order.
    public let extraKeywords: [(name: String, value: Value)]

    /// The bound value of parameter `name` (its default when not given), nil if undeclared.
    ///
    ///     args["beta"]   // .number(0.1)
    public subscript(name: String) -> Value? { bound[name] }

    /// An error message prefixed with the call and followed by the signature.
    ///
    ///     throw args.error("n must be positive")   // "range(): n must be positive; signature: range(...)"
    public func error(_ message: String) -> LaifError {
        .runtime("\(builtin.qualifiedName)(): \(message); signature: \(builtin.signature)")
    }

    /// The bound value of parameter `name` (any type); throws when no such parameter is declared.
    ///
    ///     let data = try args.value("data")
    public func value(_ name: String) throws -> Value {
        guard let value = bound[name] else { throw error("internal: no parameter '\(name)'") }
        return value
    }

    private func typeError(_ name: String, _ expected: String, _ value: Value) -> LaifError {
        error("argument '\(name)' must be \(expected), got \(value.typeName)")
    }

    /// The argument as a number.
    ///
    ///     try args.number("beta")
    public func number(_ name: String) throws -> Double {
        let value = try value(name)
        guard case .number(let number) = value else { throw typeError(name, "a number", value) }
        return number
    }

    /// The argument as a whole number that fits an Int (NaN, infinities, fractions and
    /// huge values are errors, never traps).
    ///
    ///     try args.int("steps")
    public func int(_ name: String) throws -> Int {
        let number = try number(name)
        guard let int = Numeric.exactInt(number) else {
            // 1e19 is whole, just far too big: saying "must be a whole number" misled.
            if Numeric.isWhole(number) {
                throw error("argument '\(name)' is \(ValuePrinter.formatNumber(number)), beyond the whole numbers an argument can hold (about ±9.2e18)")
            }
            throw error("argument '\(name)' must be a whole number, got \(ValuePrinter.formatNumber(number))")
        }
        return int
    }

    /// The argument as a string.
    ///
    ///     try args.string("path")
    public func string(_ name: String) throws -> String {
        let value = try value(name)
        guard case .string(let text) = value else { throw typeError(name, "a string", value) }
        return text
    }

    /// The argument as a bool.
    ///
    ///     try args.bool("verbose")
    public func bool(_ name: String) throws -> Bool {
        let value = try value(name)
        guard case .bool(let flag) = value else { throw typeError(name, "a bool", value) }
        return flag
    }

    /// The argument as a list.
    ///
    ///     try args.list("xs")
    public func list(_ name: String) throws -> [Value] {
        let value = try value(name)
        guard case .list(let items) = value else { throw typeError(name, "a list", value) }
        return items
    }

    /// The argument as a record.
    ///
    ///     try args.record("options")
    public func record(_ name: String) throws -> Record {
        let value = try value(name)
        guard case .record(let record) = value else { throw typeError(name, "a record", value) }
        return record
    }

    /// The argument as a domain object of type `T`; `expected` names it in the error.
    ///
    ///     try args.object("model", as: ModelValue.self, expected: "a model")
    public func object<T>(_ name: String, as type: T.Type, expected: String) throws -> T {
        let value = try value(name)
        guard let object = value.object(as: type) else { throw typeError(name, expected, value) }
        return object
    }

    /// The argument as something callable (laif function, builtin or bound method).
    ///
    ///     let f = try args.callable("f")
    public func callable(_ name: String) throws -> Value {
        let value = try value(name)
        switch value {
        case .function, .builtin, .method: return value
        default: throw typeError(name, "a function", value)
        }
    }

    /// True when the argument is nil (not given and defaulting to nil, or passed nil).
    ///
    ///     if args.isNil("stop") { ... }
    public func isNil(_ name: String) -> Bool { bound[name]?.isNil ?? true }
}

/// What a builtin may use of the running interpreter: output, seeds, calling back into laif
/// functions, the interrupt flag, and the call's location.
///
///     let seed = context.nextSeed()
///     let y = try context.call(f, [.number(1)])
public struct CallContext {
    /// The interpreter running the call.
    public let interpreter: Interpreter
    /// Where the call is in the source.
    public let location: SourceLocation

    /// Writes text to the interpreter's output (include the newline).
    ///
    ///     context.write("done\n")
    public func write(_ text: String) { interpreter.output(text) }

    /// The next seed derived from the session seed: same session seed, same sequence.
    ///
    ///     let rngSeed = context.nextSeed()
    public func nextSeed() -> UInt64 { interpreter.nextDerivedSeed() }

    /// Records that this call changed a session setting (the REPL's `:save` then counts a
    /// failed entry that made the change as one it cannot replay).
    ///
    ///     context.noteSettingChanged()
    public func noteSettingChanged() { interpreter.noteSettingChanged() }

    /// Calls a laif callable with positional arguments.
    ///
    ///     try context.call(f, [.number(2)])
    public func call(_ callee: Value, _ arguments: [Value], keywords: [(String, Value)] = []) throws -> Value {
        try interpreter.callValue(callee, positional: arguments, keywords: keywords, at: location)
    }

    /// Throws `.interrupted` when Ctrl-C (or `shouldInterrupt`) asks to stop; long builtins
    /// call it between steps.
    ///
    ///     for step in 0..<steps { try context.checkInterrupt(); ... }
    public func checkInterrupt() throws { try interpreter.checkInterrupt(at: location) }
}
