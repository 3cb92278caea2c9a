/// Methods of records. A field with the same name as a method wins (`r.keys` reads a field
/// named keys if there is one); `keys(r)` always works.
enum RecordMethods {
    static func register(in registry: BuiltinRegistry) {
        for method in [keys, values, has, get, merge, without, len] {
            registry.registerMethod(typeName: "record", method)
        }
    }

    static func record(_ args: Arguments) throws -> Record {
        guard case .record(let record)? = args.receiver else { throw args.error("needs a record receiver") }
        return record
    }

    /// `r.keys()`: field names in order.
    ///
    ///     {a: 1}.keys()   # ["a"]
    static let keys = Builtin(name: "keys", parameters: [], doc: "Field names in order.", example: "{a: 1}.keys()", topic: "record") { args, _ in
        .list(try record(args).keys.map(Value.string))
    }

    /// `r.values()`: field values in order.
    ///
    ///     {a: 1}.values()   # [1]
    static let values = Builtin(name: "values", parameters: [], doc: "Field values in order.", example: "{a: 1}.values()", topic: "record") { args, _ in
        .list(try record(args).fields.map(\.value))
    }

    /// `r.has(name)`: whether the field exists.
    ///
    ///     {a: 1}.has("a")   # true
    static let has = Builtin(name: "has", parameters: [.required("name")], doc: "Whether the record has field name.", example: "{a: 1}.has(\"a\")", topic: "record") { args, _ in
        .bool(try record(args)[try args.string("name")] != nil)
    }

    /// `r.get(name, default: nil)`: the field, or default when missing.
    ///
    ///     {a: 1}.get("b", default: 0)   # 0
    static let get = Builtin(
        name: "get", parameters: [.required("name"), .optional("default", .nil)], doc: "The field, or default when it is missing.",
        example: "{a: 1}.get(\"b\", default: 0)", topic: "record"
    ) { args, _ in try record(args)[try args.string("name")] ?? (try args.value("default")) }

    /// `r.merge(other)`: a copy with other's fields added or replaced.
    ///
    ///     {a: 1}.merge({b: 2})   # {a: 1, b: 2}
    static let merge = Builtin(
        name: "merge", parameters: [.required("other")], doc: "A copy with the other record's fields added or replaced.",
        example: "{a: 1}.merge({b: 2})", topic: "record"
    ) { args, _ in
        var result = try record(args)
        for (key, value) in try args.record("other").fields { result[key] = value }
        return .record(result)
    }

    /// `r.without(name)`: a copy without the field.
    ///
    ///     {a: 1, b: 2}.without("a")   # {b: 2}
    static let without = Builtin(
        name: "without", parameters: [.required("name")], doc: "A copy without field name.",
        example: "{a: 1, b: 2}.without(\"a\")", topic: "record"
    ) { args, _ in
        var result = try record(args)
        result[try args.string("name")] = nil
        return .record(result)
    }

    /// `r.len()`: number of fields.
    ///
    ///     {a: 1}.len()   # 1
    static let len = Builtin(name: "len", parameters: [], doc: "Number of fields.", example: "{a: 1}.len()", topic: "record") { args, _ in
        .number(Double(try record(args).count))
    }
}
