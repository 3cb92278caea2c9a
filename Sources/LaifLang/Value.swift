import LaifSupport

/// A laif value. Lists and records have value semantics (assigning copies, as in Swift);
/// functions and domain objects are references.
///
///     let v: Value = .list([.number(1), .string("a")])
///     v.typeName   // "list"
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case `nil`
    case list([Value])
    case record(Record)
    /// A function written in laif (a closure over its defining scope).
    case function(Closure)
    /// A builtin function from the registry.
    case builtin(Builtin)
    /// A method bound to its receiver, as in `let f = xs.map`.
    case method(BoundMethod)
    /// A value from a domain library (tensor, model, world, ...): see `DomainObject`.
    case object(DomainObject)

    /// The name scripts see from `type(x)`: number, string, bool, nil, list, record,
    /// function, or the domain object's own type name.
    ///
    ///     Value.number(1).typeName   // "number"
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .nil: return "nil"
        case .list: return "list"
        case .record: return "record"
        case .function, .builtin, .method: return "function"
        case .object(let object): return object.typeName
        }
    }

    /// One line describing the value, for `:vars` and inside containers.
    ///
    ///     Value.list([.number(1)]).summary   // "[1]"
    public var summary: String {
        switch self {
        case .object(let object): return object.summary
        default:
            let text = ValuePrinter.oneLine(self)
            let line = text.splitLines().first.map(String.init) ?? ""
            return line.count > 80 ? String(line.prefix(77)) + "..." : line
        }
    }

    /// Approximate memory the value holds, in bytes.
    ///
    ///     Value.string("abc").byteSize   // 19
    public var byteSize: Int { byteSize(depth: 0) }

    private func byteSize(depth: Int) -> Int {
        guard depth < Limits.maxValueDepth else { return 16 }
        switch self {
        case .number, .bool, .nil: return 16
        case .string(let text): return 16 + text.utf8.count
        case .list(let items): return 32 + items.reduce(0) { $0 + $1.byteSize(depth: depth + 1) }
        case .record(let record):
            return 48 + record.fields.reduce(0) { $0 + 16 + $1.key.utf8.count + $1.value.byteSize(depth: depth + 1) }
        case .function, .builtin, .method: return 64
        case .object(let object): return object.byteSize
        }
    }

    /// The domain object inside, when it is one of type `T`.
    ///
    ///     if let tensor = value.object(as: TensorValue.self) { ... }
    public func object<T>(as type: T.Type) -> T? {
        if case .object(let object) = self { return object as? T }
        return nil
    }

    /// True for `.nil`.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// True for a list.
    ///
    ///     Value.list([]).isList   // true
    var isList: Bool {
        if case .list = self { return true }
        return false
    }

    /// True for a record.
    ///
    ///     Value.record(Record()).isRecord   // true
    var isRecord: Bool {
        if case .record = self { return true }
        return false
    }
}

/// A function written in laif: its syntax and the scope it closes over.
///
///     let f = try interpreter.run("fn (x) { x + 1 }", file: "f")   // .function(closure)
public final class Closure {
    let node: FunctionNode
    /// A variable so `ValueRelease` can ask whether this closure alone holds it, and so
    /// `ScopeCycles` (and this closure's end) can detach it from a scope; otherwise never rebound.
    var scope: Environment

    init(node: FunctionNode, scope: Environment) {
        self.node = node
        self.scope = scope
    }

    // A scope left while this closure held it from outside, and whose own containers hold
    // closures over it, may be held by nothing but them once this closure dies: ask again.
    deinit {
        guard scope.awaitsEscapedClosures else { return }
        // Handed over whole: a reference kept here would stop the scope from ever being free.
        var left = Environment()
        swap(&left, &scope)
        ScopeCycles.releaseLater(consume left)
    }

    /// The function's name (nil for `fn (...) { ... }` values).
    public var name: String? { node.name }

    /// "name(a, b: ...)".
    public var signature: String { node.signature }

    /// Parameter names in order.
    public var parameterNames: [String] { node.parameters.map(\.name) }
}

/// A registry method together with the value it was read from.
///
///     let push = try interpreter.run("[1, 2].map", file: "m")   // .method(...)
public final class BoundMethod {
    /// Never changed while the method is in use; settable only so `ValueRelease` can take a
    /// deeply nested receiver out of a dying method.
    public internal(set) var receiver: Value
    public let method: Builtin

    /// Binds `method` to `receiver`.
    ///
    ///     BoundMethod(receiver: .list([]), method: registry.method("map", of: "list")!)
    public init(receiver: Value, method: Builtin) {
        self.receiver = receiver
        self.method = method
    }
}
