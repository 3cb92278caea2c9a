/// The extension point: any library value (tensor, model, world, oracle, dataset, log, ...)
/// becomes a laif value by conforming to this protocol and being wrapped in `Value.object`.
/// Only `typeName`, `describe()`, `summary` and `byteSize` are required; the rest have
/// defaults meaning "not supported", which the interpreter turns into clear errors.
/// Methods are registered separately: `registry.registerMethod(typeName: "tensor", ...)`.
///
///     final class Counter: DomainObject {
///         var count = 0
///         var typeName: String { "counter" }
///         func describe() -> String { "counter(\(count))" }
///         var summary: String { describe() }
///         var byteSize: Int { 8 }
///     }
public protocol DomainObject: AnyObject {
    /// The type name scripts see (`type(x)`), and the key for its methods in the registry.
    var typeName: String { get }
    /// Multi-line printing (the REPL echo and `print`).
    func describe() -> String
    /// One line, used inside lists and records and by `:vars`.
    var summary: String { get }
    /// Approximate memory held, in bytes.
    var byteSize: Int { get }

    /// Names `x.name` can read (for completion); methods come from the registry.
    var propertyNames: [String] { get }
    /// The property `name`, or nil when there is none.
    func property(_ name: String) throws -> Value?
    /// `self op other` (`selfIsLeft`) or `other op self`; nil when unsupported. Throw
    /// `LaifError.runtime` for bad shapes and the like.
    func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value?
    /// `-self`, `+self` or `not self`; nil when unsupported.
    func unary(_ op: UnaryOperator) throws -> Value?
    /// `self[i]`, `self[i, j]`, `self[a:b]`; nil when the type cannot be indexed.
    func subscripted(_ indices: [IndexValue]) throws -> Value?
    /// Element count for `len(x)`; nil when it has none.
    var length: Int? { get }
    /// The values `for x in self` visits; nil when it cannot be iterated.
    func elements() throws -> [Value]?
    /// Equality for `==`; defaults to identity.
    func isEqual(to other: DomainObject) -> Bool
}

/// One component inside `[...]` handed to a domain object: a value or a slice whose
/// bounds were written (`a:b`, `:b`, `a:`, `:`).
///
///     IndexValue.slice(start: .number(1), end: nil)   // x[1:]
public enum IndexValue {
    case single(Value)
    case slice(start: Value?, end: Value?)
}

/// Defaults meaning "not supported"; conforming types override what they support.
///
///     final class Token: DomainObject { ... }   // no operators: `t + 1` is a clear error
public extension DomainObject {
    var propertyNames: [String] { [] }
    func property(_ name: String) throws -> Value? { nil }
    func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? { nil }
    func unary(_ op: UnaryOperator) throws -> Value? { nil }
    func subscripted(_ indices: [IndexValue]) throws -> Value? { nil }
    var length: Int? { nil }
    func elements() throws -> [Value]? { nil }
    func isEqual(to other: DomainObject) -> Bool { self === other }
}
