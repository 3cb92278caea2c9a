/// Reserved words of the language.
enum Keyword: String, CaseIterable {
    case `let`, fn, `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
    case `true`, `false`, `nil`, and, or, not, assert, param
}

/// Punctuation and operators, spelled as in source.
enum Symbol: String, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}", comma = ",", dot = ".", colon = ":", semicolon = ";"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", power = "**", at = "@"
    case concat = "++", equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
    case greater = ">", greaterEqual = ">=", assign = "=", bang = "!", ampAmp = "&&", pipePipe = "||"
}

/// What a token is. Interpolated strings arrive as `stringStart`, the tokens of the first
/// expression, `stringMiddle`, ..., `stringEnd`.
enum TokenKind: Equatable {
    case number(Double)
    case string(String)
    case stringStart(String)
    case stringMiddle(String)
    case stringEnd(String)
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case endOfInput
}

/// One token with its place in the source. `newlineBefore` is true when a line break
/// separates it from the previous token outside parentheses and brackets: the parser uses it
/// to end statements and to keep `f\n(x)` from becoming a call.
struct Token {
    let kind: TokenKind
    let location: SourceLocation
    let newlineBefore: Bool

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .number: return "number"
        case .string, .stringStart: return "string"
        case .stringMiddle, .stringEnd: return "'}' (the end of an interpolation)"
        case .identifier(let name): return "'\(name)'"
        case .keyword(let keyword): return "'\(keyword.rawValue)'"
        case .symbol(let symbol): return "'\(symbol.rawValue)'"
        case .endOfInput: return "end of input"
        }
    }

    func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }
    func isKeyword(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }
}
