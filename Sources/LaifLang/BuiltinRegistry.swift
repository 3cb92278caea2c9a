/// The one registry of builtins and methods, with their docs: the interpreter resolves names
/// in it, and `laif help`, `?name` and completion read it.
///
///     let registry = BuiltinRegistry.core()
///     registry.lookup("range")?.doc
public final class BuiltinRegistry {
    private var functions: [String: Builtin] = [:]
    private var order: [String] = []
    private var methodTable: [String: [String: Builtin]] = [:]
    private var methodOrder: [(type: String, name: String)] = []

    /// An empty registry (see `core()` for the standard one).
    ///
    ///     let registry = BuiltinRegistry()
    public init() {}

    /// Adds (or replaces) a free function.
    ///
    ///     registry.register(Builtin(name: "twice", ...))
    public func register(_ builtin: Builtin) {
        var builtin = builtin
        builtin.ownerType = nil
        if functions.updateValue(builtin, forKey: builtin.name) == nil { order.append(builtin.name) }
    }

    /// Adds (or replaces) a method of values whose `typeName` is `typeName`
    /// ("list", "string", "record", "number", or a domain type like "tensor").
    ///
    ///     registry.registerMethod(typeName: "tensor", Builtin(name: "sum", ...))
    public func registerMethod(typeName: String, _ method: Builtin) {
        var method = method
        method.ownerType = typeName
        if methodTable[typeName, default: [:]].updateValue(method, forKey: method.name) == nil {
            methodOrder.append((typeName, method.name))
        }
    }

    /// The free function `name`.
    ///
    ///     registry.lookup("print")
    public func lookup(_ name: String) -> Builtin? { functions[name] }

    /// The method `name` of type `typeName`.
    ///
    ///     registry.method("map", of: "list")
    public func method(_ name: String, of typeName: String) -> Builtin? { methodTable[typeName]?[name] }

    /// Every free function, in registration order.
    public var all: [Builtin] { order.compactMap { functions[$0] } }

    /// Every method of every type, in registration order.
    public var allMethods: [Builtin] { methodOrder.compactMap { methodTable[$0.type]?[$0.name] } }

    /// Help topics in first-registration order (functions, then methods).
    ///
    ///     registry.topics   // ["core", "math", "list", ...]
    public var topics: [String] {
        var seen: [String] = []
        for builtin in all + allMethods where !seen.contains(builtin.topic) { seen.append(builtin.topic) }
        return seen
    }

    /// Methods of `typeName`, sorted by name.
    ///
    ///     registry.methods(of: "list").map(\.name)
    public func methods(of typeName: String) -> [Builtin] {
        (methodTable[typeName] ?? [:]).values.sorted { $0.name < $1.name }
    }

    /// Types that have methods, sorted.
    public var typesWithMethods: [String] { methodTable.keys.sorted() }
}
