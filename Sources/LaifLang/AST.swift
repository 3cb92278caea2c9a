/// Binary operators, named for their meaning; domain objects receive them to implement
/// arithmetic on their own values (tensors broadcast, `@` multiplies matrices).
///
///     BinaryOperator.matmul.symbol   // "@"
public enum BinaryOperator: String, Sendable {
    case add, subtract, multiply, divide, remainder, power, matmul, concat
    case equal, notEqual, less, lessEqual, greater, greaterEqual

    /// The operator as written in source.
    ///
    ///     BinaryOperator.add.symbol   // "+"
    public var symbol: String {
        switch self {
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .remainder: return "%"
        case .power: return "**"
        case .matmul: return "@"
        case .concat: return "++"
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        }
    }
}

/// Prefix operators: `-x`, `+x`, `not x` (also `!x`).
///
///     UnaryOperator.negate.symbol   // "-"
public enum UnaryOperator: String, Sendable {
    case negate, plus, not

    /// The operator as written in source.
    public var symbol: String {
        switch self {
        case .negate: return "-"
        case .plus: return "+"
        case .not: return "not"
        }
    }
}

/// An expression with its location (the location of its operator or first token).
struct Expr {
    let kind: ExprKind
    let location: SourceLocation
    /// Height of this expression tree (a literal is 1); bounded by `Limits.maxExpressionDepth`.
    let depth: Int
}

/// One argument at a call site: positional (`label == nil`) or keyword (`beta: 0.1`).
struct Argument {
    let label: String?
    let value: Expr
    let location: SourceLocation
}

/// One part of an interpolated string.
enum StringPart {
    case text(String)
    case expression(Expr)
}

/// A slice or a plain index inside `[...]`.
enum IndexExpr {
    case single(Expr)
    case slice(start: Expr?, end: Expr?)
}

/// A parameter of a laif `fn`: `a` or `b: 1` (default evaluated at call time).
struct ParameterNode {
    let name: String
    let defaultValue: Expr?
    let location: SourceLocation
}

/// A function literal's shape, shared by `fn name(...) {}` statements and `fn (...) {}` values.
final class FunctionNode {
    let name: String?
    let parameters: [ParameterNode]
    let body: [Stmt]
    let location: SourceLocation
    /// `namesUsedByInnerFunctions`, once worked out.
    var cachedInnerNames: Set<String>?

    init(name: String?, parameters: [ParameterNode], body: [Stmt], location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
    }

    /// "f(a, b: 1)" for messages and printing.
    var signature: String {
        let params = parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name): ..." }
        return "\(name ?? "fn")(\(params.joined(separator: ", ")))"
    }
}

indirect enum ExprKind {
    case number(Double)
    case string(String)
    case interpolation([StringPart])
    case bool(Bool)
    case nilLiteral
    case variable(String)
    case list([Expr])
    case record([(key: String, value: Expr)])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case call(callee: Expr, arguments: [Argument])
    case methodCall(receiver: Expr, name: String, arguments: [Argument])
    case member(Expr, String)
    case index(Expr, [IndexExpr])
    case function(FunctionNode)
    case conditional(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
    case block([Stmt])
}

/// Left side of `let`: a name or a (nested) list pattern `(a, b)` / `[a, b]`; `_` ignores.
indirect enum Pattern {
    case name(String, SourceLocation)
    case list([Pattern], SourceLocation)

    var names: [String] {
        switch self {
        case .name(let name, _): return name == "_" ? [] : [name]
        case .list(let items, _): return items.flatMap(\.names)
        }
    }
}

/// A statement with its location.
struct Stmt {
    let kind: StmtKind
    let location: SourceLocation
    let depth: Int
}

enum StmtKind {
    /// `expr` or `expr;` (silenced: the chunk does not echo it).
    case expression(Expr, silenced: Bool)
    case letBinding(Pattern, Expr)
    case assignment(target: Expr, value: Expr)
    case function(FunctionNode)
    case forLoop(Pattern, Expr, body: [Stmt])
    case whileLoop(Expr, body: [Stmt])
    case breakLoop
    case continueLoop
    case returnValue(Expr?)
    case assertion(Expr, message: Expr?)
    case parameter(name: String, defaultValue: Expr)
}
