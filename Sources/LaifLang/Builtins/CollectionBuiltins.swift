/// Free functions over collections: sizes, ranges, keys, sorting, zipping.
enum CollectionBuiltins {
    static func register(in registry: BuiltinRegistry) {
        for builtin in [len, range, keys, sort, zip, enumerate] { registry.register(builtin) }
    }

    /// `len(x)`: items in a list, characters in a string, fields in a record, or a domain
    /// object's length.
    ///
    ///     len("héllo")   # 5
    static let len = Builtin(
        name: "len", parameters: [.required("x")],
        doc: "Length of a list, string (characters), record (fields) or sized domain value.", example: "len([1, 2, 3])"
    ) { args, context in
        let x = try args.value("x")
        switch x {
        case .list(let items): return .number(Double(items.count))
        case .string(let text): return .number(Double(context.interpreter.characterTable(of: text).count))
        case .record(let record): return .number(Double(record.count))
        case .object(let object):
            if let length = object.length { return .number(Double(length)) }
        default: break
        }
        throw args.error("a \(x.typeName) has no length")
    }

    /// `range(stop)`, `range(start, stop)`, `range(start, stop, step)`: numbers from start
    /// (default 0) up to but not including stop.
    ///
    ///     range(2, 10, 3)   # [2, 5, 8]
    static let range = Builtin(
        name: "range", parameters: [.required("start"), .optional("stop", .nil), .optional("step", .number(1))],
        doc: "Numbers from start up to (not including) stop by step; range(n) counts 0..n-1.",
        example: "range(2, 10, 3)", signature: "range(start, stop: nil, step: 1)"
    ) { args, _ in
        let bounds = try rangeBounds(args, limit: Limits.maxListLength)
        var items: [Value] = []
        items.reserveCapacity(bounds.count)
        for i in 0..<bounds.count { items.append(.number(bounds.start + Double(i) * bounds.step)) }
        return .list(items)
    }

    /// First value, step and element count of a range.
    struct RangeBounds {
        let start: Double
        let step: Double
        let count: Int
    }

    /// Checks range arguments; `limit` caps the count (nil: only that it fits an Int, for
    /// `for` loops that never build the list).
    static func rangeBounds(_ args: Arguments, limit: Int?) throws -> RangeBounds {
        var start = try args.number("start")
        var stop: Double
        if args.isNil("stop") { stop = start; start = 0 } else { stop = try args.number("stop") }
        let step = try args.number("step")
        guard start.isFinite, stop.isFinite, step.isFinite else { throw args.error("bounds and step must be finite") }
        guard step != 0 else { throw args.error("step must not be 0") }
        let span = ((stop - start) / step).rounded(.up)
        let count = span > 0 ? span : 0
        let cap = Double(limit ?? (1 << 53))
        guard count <= cap else {
            throw args.error("\(ValuePrinter.formatNumber(count)) elements exceed the \(limit == nil ? "loop" : "list") limit of \(ValuePrinter.formatNumber(cap))")
        }
        // A step finer than the spacing of numbers at the bounds repeats values and overshoots
        // stop: range(9007199254740993, 9007199254740995) gave 2^53 twice and then 2^53 + 4.
        // (Below the larger bound: 2^53 itself is exact, and range(2^53 - 2, 2^53) is fine.)
        let spacing = Swift.max(abs(start), abs(stop)).nextDown.ulp
        guard count == 0 || abs(step) >= spacing else {
            throw args.error("step \(ValuePrinter.formatNumber(step)) is finer than the spacing of numbers near the bounds "
                + "(\(ValuePrinter.formatNumber(spacing))); use a larger step or smaller bounds")
        }
        return RangeBounds(start: start, step: step, count: Int(count))
    }

    /// `keys(r)`: the field names of a record, in order.
    ///
    ///     keys({a: 1, b: 2})   # ["a", "b"]
    static let keys = Builtin(
        name: "keys", parameters: [.required("r")],
        doc: "Field names of a record, in order.", example: "keys({a: 1, b: 2})"
    ) { args, _ in .list(try args.record("r").keys.map(Value.string)) }

    /// `sort(xs, key: nil, reverse: false)`: a sorted copy (numbers or strings, or by key(x)).
    ///
    ///     sort([3, 1, 2], reverse: true)   # [3, 2, 1]
    static let sort = Builtin(
        name: "sort", parameters: [.required("xs"), .optional("key", .nil), .optional("reverse", .bool(false))],
        doc: "A sorted copy of a list (numbers or strings; nan after every number, reversed or not), optionally by key(x) and reversed.",
        example: "sort([3, 1, 2], reverse: true)"
    ) { args, context in
        try sorted(try args.list("xs"), args, context)
    }

    /// Shared by `sort(xs)` and `xs.sort()`: a stable sort by value or by `key`.
    static func sorted(_ items: [Value], _ args: Arguments, _ context: CallContext) throws -> Value {
        let keys: [Value]
        if args.isNil("key") {
            keys = items
        } else {
            let key = try args.callable("key")
            keys = try items.map { try context.call(key, [$0]) }
        }
        let reverse = try args.bool("reverse")
        let interpreter = context.interpreter
        // A lone key is checked as two would be: sort([[1]]) is as wrong as sort([[2], [1]]).
        if keys.count == 1 { _ = try interpreter.compareForOrder(keys[0], keys[0]) }
        // nan is unordered, and a comparison that is false both ways scrambled the numbers around
        // it (sort([3, nan, 1, 2]) came back unchanged): nan goes after every number, reversed
        // or not, as missing values do in a table.
        // Sorting indices keeps equal keys in input order (a stable sort).
        let order = try Array(items.indices).sorted { a, b in
            if case .number(let x) = keys[a], case .number(let y) = keys[b], x.isNaN || y.isNaN {
                return x.isNaN == y.isNaN ? a < b : y.isNaN
            }
            if try interpreter.compareForOrder(keys[a], keys[b]) { return !reverse }
            if try interpreter.compareForOrder(keys[b], keys[a]) { return reverse }
            return a < b
        }
        return .list(order.map { items[$0] })
    }

    /// `zip(a, b)`: pairs `[a[i], b[i]]` up to the shorter length.
    ///
    ///     zip([1, 2], ["x", "y"])   # [[1, "x"], [2, "y"]]
    static let zip = Builtin(
        name: "zip", parameters: [.required("a"), .required("b")],
        doc: "Pairs [a[i], b[i]] up to the shorter list.", example: "zip([1, 2], [\"x\", \"y\"])"
    ) { args, _ in
        .list(Swift.zip(try args.list("a"), try args.list("b")).map { .list([$0, $1]) })
    }

    /// `enumerate(xs)`: pairs `[i, xs[i]]`.
    ///
    ///     for (i, x) in enumerate(["a", "b"]) { print(i, x) }
    static let enumerate = Builtin(
        name: "enumerate", parameters: [.required("xs")],
        doc: "Pairs [index, item] for each item of a list (or character of a string, key of a record).",
        example: "enumerate([\"a\", \"b\"])"
    ) { args, context in
        let items = try context.interpreter.iterationValues(of: try args.value("xs"), at: context.location)
        return .list(items.enumerated().map { .list([.number(Double($0.offset)), $0.element]) })
    }
}
