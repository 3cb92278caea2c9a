/// Recursive-descent parser: tokens to statements. Statements end at a newline, a `;`, a `}`
/// or the end of input. Inside `(...)` and `[...]` newlines are ignored; a binary operator at
/// the end of a line continues the expression on the next line, and so does a leading `.`.
struct Parser {
    var tokens: [Token]
    var position = 0
    var nesting = 0
    var loopDepth = 0
    var functionDepth = 0
    /// True while parsing a parameter's default value: it runs at call time, outside any loop
    /// or function of its own, so `break`, `continue` and `return` there have nowhere to go.
    var inParameterDefault = false
    var blockDepth = 0

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole chunk; its first line is line `firstLine` of `file` in messages.
    ///
    ///     let program = try Parser.parse("let x = 1", file: "demo.laif")
    static func parse(_ text: String, file: String, firstLine: Int = 1) throws -> [Stmt] {
        let source = SourceText(file: file, text: text, firstLine: firstLine)
        let tokens = try Lexer.tokenize(text, source: source)
        var parser = Parser(tokens: tokens)
        return try parser.parseProgram()
    }

    mutating func parseProgram() throws -> [Stmt] {
        var statements: [Stmt] = []
        while !check(.endOfInput) {
            if match(.semicolon) { continue }
            statements.append(try parseStatementWithTerminator())
        }
        return statements
    }

    // MARK: Token helpers

    var current: Token { tokens[position] }
    var previous: Token { tokens[max(0, position - 1)] }

    func check(_ kind: TokenKind) -> Bool { current.kind == kind }
    func check(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }
    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    func peekKind(_ offset: Int) -> TokenKind {
        let i = position + offset
        return i < tokens.count ? tokens[i].kind : .endOfInput
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func match(_ symbol: Symbol) -> Bool {
        if check(symbol) { advance(); return true }
        return false
    }

    mutating func match(_ keyword: Keyword) -> Bool {
        if check(keyword) { advance(); return true }
        return false
    }

    func error(_ message: String, at token: Token) -> LaifError {
        LaifError(kind: .syntax, message: message, location: token.location, sourceLine: nil,
                  isUnexpectedEnd: token.kind == .endOfInput)
    }

    /// "expected X, found Y" at the current token.
    func expected(_ what: String) -> LaifError {
        error("expected \(what), found \(current.display)", at: current)
    }

    @discardableResult
    mutating func consume(_ symbol: Symbol, _ what: String) throws -> Token {
        guard check(symbol) else { throw expected(what) }
        return advance()
    }

    mutating func consumeIdentifier(_ what: String) throws -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else {
            if case .keyword(let keyword) = current.kind {
                throw error("'\(keyword.rawValue)' is a reserved word and cannot be used as \(what)", at: current)
            }
            throw expected(what)
        }
        let token = advance()
        return (name, token.location)
    }

    /// Guards recursion so deeply nested input ends in an error, not a stack overflow.
    mutating func enterNesting() throws {
        nesting += 1
        if nesting > Limits.maxParseNesting {
            throw error("nesting deeper than \(Limits.maxParseNesting) levels; split the expression with let", at: current)
        }
    }

    func makeExpr(_ kind: ExprKind, _ location: SourceLocation, children: [Int]) throws -> Expr {
        let depth = 1 + (children.max() ?? 0)
        if depth > Limits.maxExpressionDepth {
            throw LaifError(kind: .syntax,
                            message: "expression nested deeper than \(Limits.maxExpressionDepth) levels; split it with let",
                            location: location, sourceLine: nil, isUnexpectedEnd: false)
        }
        return Expr(kind: kind, location: location, depth: depth)
    }

    func makeStmt(_ kind: StmtKind, _ location: SourceLocation, children: [Int]) throws -> Stmt {
        let depth = 1 + (children.max() ?? 0)
        if depth > Limits.maxExpressionDepth {
            throw LaifError(kind: .syntax,
                            message: "statement nested deeper than \(Limits.maxExpressionDepth) levels; split it into functions",
                            location: location, sourceLine: nil, isUnexpectedEnd: false)
        }
        return Stmt(kind: kind, location: location, depth: depth)
    }

    static func depth(of statements: [Stmt]) -> Int { statements.map(\.depth).max() ?? 0 }
}
