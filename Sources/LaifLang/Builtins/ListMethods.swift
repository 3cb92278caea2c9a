/// Methods of lists. Lists are values: every method returns a new list and leaves the
/// receiver unchanged (`xs = xs ++ [x]` appends).
enum ListMethods {
    static func register(in registry: BuiltinRegistry) {
        for method in [len, map, filter, reduce, sort, reverse, contains, indexOf, join, sum, first, last] {
            registry.registerMethod(typeName: "list", method)
        }
    }

    static func items(_ args: Arguments) throws -> [Value] {
        guard case .list(let items)? = args.receiver else { throw args.error("needs a list receiver") }
        return items
    }

    /// `xs.len()`: number of items.
    ///
    ///     [1, 2].len()   # 2
    static let len = Builtin(name: "len", parameters: [], doc: "Number of items.", example: "[1, 2].len()", topic: "list") { args, _ in
        .number(Double(try items(args).count))
    }

    /// `xs.map(f)`: `[f(x) for x in xs]`.
    ///
    ///     [1, 2].map(fn (x) { x * 10 })   # [10, 20]
    static let map = Builtin(
        name: "map", parameters: [.required("f")], doc: "A new list of f(x) for each item.",
        example: "[1, 2].map(fn (x) { x * 10 })", topic: "list"
    ) { args, context in
        let f = try args.callable("f")
        return .list(try items(args).map { try context.call(f, [$0]) })
    }

    /// `xs.filter(f)`: the items for which f(x) is true.
    ///
    ///     [1, 2, 3].filter(fn (x) { x > 1 })   # [2, 3]
    static let filter = Builtin(
        name: "filter", parameters: [.required("f")], doc: "The items for which f(x) returns true.",
        example: "[1, 2, 3].filter(fn (x) { x > 1 })", topic: "list"
    ) { args, context in
        let f = try args.callable("f")
        return .list(try items(args).filter { item in
            guard case .bool(let keep) = try context.call(f, [item]) else {
                throw args.error("f must return a bool")
            }
            return keep
        })
    }

    /// `xs.reduce(f, initial)`: folds f(acc, x) from the left.
    ///
    ///     [1, 2, 3].reduce(fn (a, x) { a + x }, 0)   # 6
    static let reduce = Builtin(
        name: "reduce", parameters: [.required("f"), .required("initial")], doc: "Fold f(accumulator, item) from the left, starting at initial.",
        example: "[1, 2, 3].reduce(fn (a, x) { a + x }, 0)", topic: "list"
    ) { args, context in
        let f = try args.callable("f")
        return try items(args).reduce(try args.value("initial")) { try context.call(f, [$0, $1]) }
    }

    /// `xs.sort(key: nil, reverse: false)`: a sorted copy.
    ///
    ///     ["b", "a"].sort()   # ["a", "b"]
    static let sort = Builtin(
        name: "sort", parameters: [.optional("key", .nil), .optional("reverse", .bool(false))],
        doc: "A sorted copy (numbers or strings; nan after every number, reversed or not), optionally by key(x) and reversed.",
        example: "[\"b\", \"a\"].sort()", topic: "list"
    ) { args, context in try CollectionBuiltins.sorted(try items(args), args, context) }

    /// `xs.reverse()`: the items in reverse order.
    ///
    ///     [1, 2].reverse()   # [2, 1]
    static let reverse = Builtin(name: "reverse", parameters: [], doc: "The items in reverse order.", example: "[1, 2].reverse()", topic: "list") { args, _ in
        .list(try items(args).reversed())
    }

    /// `xs.contains(x)`: whether some item equals x.
    ///
    ///     [1, 2].contains(2)   # true
    static let contains = Builtin(
        name: "contains", parameters: [.required("x")], doc: "Whether some item equals x.", example: "[1, 2].contains(2)", topic: "list"
    ) { args, context in
        let x = try args.value("x")
        for item in try items(args) where try context.interpreter.valuesEqual(item, x, depth: 0, at: context.location) {
            return .bool(true)
        }
        return .bool(false)
    }

    /// `xs.index_of(x)`: the first index of x, or nil.
    ///
    ///     ["a", "b"].index_of("b")   # 1
    static let indexOf = Builtin(
        name: "index_of", parameters: [.required("x")], doc: "The first index of an item equal to x, or nil.",
        example: "[\"a\", \"b\"].index_of(\"b\")", topic: "list"
    ) { args, context in
        let x = try args.value("x")
        for (index, item) in try items(args).enumerated()
        where try context.interpreter.valuesEqual(item, x, depth: 0, at: context.location) {
            return .number(Double(index))
        }
        return .nil
    }

    /// `xs.join(sep: "")`: the items as text, separated by sep.
    ///
    ///     [1, 2].join(", ")   # "1, 2"
    static let join = Builtin(
        name: "join", parameters: [.optional("sep", .string(""))], doc: "The items as text (as print shows them) separated by sep.",
        example: "[1, 2].join(\", \")", topic: "list"
    ) { args, context in
        let pieces = try items(args).map(ValuePrinter.display)
        let separator = try args.string("sep")
        // Sized before joining: a million copies of one large string share its storage until
        // joined, and joining them first would try to allocate all of it.
        var bytes = separator.utf8.count * max(pieces.count - 1, 0)
        for piece in pieces where bytes <= Limits.maxStringBytes { bytes += piece.utf8.count }
        guard bytes <= Limits.maxStringBytes else {
            throw LaifError(kind: .runtime, message: "string longer than \(Limits.maxStringBytes) bytes", location: context.location)
        }
        return .string(pieces.joined(separator: separator))
    }

    /// `xs.sum()`: the sum of the numbers.
    ///
    ///     [1, 2].sum()   # 3
    static let sum = Builtin(name: "sum", parameters: [], doc: "Sum of the items (numbers).", example: "[1, 2].sum()", topic: "list") { args, _ in
        .number(try MathBuiltins.numbers(in: try items(args), args).reduce(0, +))
    }

    /// `xs.first()`: the first item, or nil when empty.
    ///
    ///     [1, 2].first()   # 1
    static let first = Builtin(name: "first", parameters: [], doc: "The first item, or nil when empty.", example: "[1, 2].first()", topic: "list") { args, _ in
        try items(args).first ?? .nil
    }

    /// `xs.last()`: the last item, or nil when empty.
    ///
    ///     [1, 2].last()   # 2
    static let last = Builtin(name: "last", parameters: [], doc: "The last item, or nil when empty.", example: "[1, 2].last()", topic: "list") { args, _ in
        try items(args).last ?? .nil
    }
}
