extension Parser {
    /// A statement and what must follow it: `;`, a newline, `}` or the end of input.
    mutating func parseStatementWithTerminator() throws -> Stmt {
        let statement = try parseStatement()
        if match(.semicolon) {
            if case .expression(let expr, _) = statement.kind {
                return Stmt(kind: .expression(expr, silenced: true), location: statement.location, depth: statement.depth)
            }
            return statement
        }
        if current.newlineBefore || check(.rightBrace) || check(.endOfInput) { return statement }
        throw error("expected a newline or ';' after the statement, found \(current.display)", at: current)
    }

    mutating func parseStatement() throws -> Stmt {
        let start = current
        switch current.kind {
        case .keyword(.let): return try parseLet()
        case .keyword(.fn):
            if case .identifier = peekKind(1) { return try parseFunctionStatement() }
        case .keyword(.for): return try parseFor()
        case .keyword(.while): return try parseWhile()
        case .keyword(.break), .keyword(.continue):
            advance()
            guard loopDepth > 0 else {
                if inParameterDefault { throw error("\(start.display) cannot leave a parameter's default value", at: start) }
                throw error("\(start.display) outside a loop", at: start)
            }
            return try makeStmt(start.isKeyword(.break) ? .breakLoop : .continueLoop, start.location, children: [])
        case .keyword(.return):
            advance()
            guard functionDepth > 0 else {
                if inParameterDefault { throw error("'return' cannot leave a parameter's default value", at: start) }
                throw error("'return' outside a function", at: start)
            }
            var value: Expr?
            if !(current.newlineBefore || check(.semicolon) || check(.rightBrace) || check(.endOfInput)) {
                value = try parseExpression()
            }
            return try makeStmt(.returnValue(value), start.location, children: [value?.depth ?? 0])
        case .keyword(.assert): return try parseAssert()
        case .keyword(.param): return try parseParam()
        case .symbol(.leftBrace) where !looksLikeRecord():
            let body = try parseBlock()
            let block = try makeExpr(.block(body), start.location, children: [Parser.depth(of: body)])
            return try makeStmt(.expression(block, silenced: false), start.location, children: [block.depth])
        default: break
        }
        let expr = try parseExpression()
        if check(.assign) {
            let equals = advance()
            switch expr.kind {
            case .variable, .index, .member: break
            default:
                throw error("cannot assign to this expression; assign to a name, an element xs[i] or a field r.a", at: equals)
            }
            let value = try parseExpression()
            return try makeStmt(.assignment(target: expr, value: value), equals.location, children: [expr.depth, value.depth])
        }
        return try makeStmt(.expression(expr, silenced: false), expr.location, children: [expr.depth])
    }

    /// At `{`: a record literal (`{}`, `{a: ...}`, `{"a": ...}`) rather than a block.
    func looksLikeRecord() -> Bool {
        switch peekKind(1) {
        case .symbol(.rightBrace): return true
        case .identifier, .string, .keyword:
            return peekKind(2) == .symbol(.colon)
        default: return false
        }
    }

    mutating func parseBlock() throws -> [Stmt] {
        try enterNesting()
        defer { nesting -= 1 }
        try consume(.leftBrace, "'{'")
        var statements: [Stmt] = []
        while !check(.rightBrace) {
            if check(.endOfInput) { throw expected("'}' to close the block") }
            if match(.semicolon) { continue }
            statements.append(try parseStatementWithTerminator())
        }
        advance()
        return statements
    }

    mutating func parseLet() throws -> Stmt {
        let start = advance()
        let pattern = try parsePattern()
        try consume(.assign, "'=' after the name in let")
        let value = try parseExpression()
        return try makeStmt(.letBinding(pattern, value), start.location, children: [value.depth])
    }

    /// `name`, `_`, `(a, b)` or `[a, (b, c)]`.
    mutating func parsePattern() throws -> Pattern {
        let start = current
        if check(.leftParen) || check(.leftBracket) {
            try enterNesting()
            defer { nesting -= 1 }
            let closer: Symbol = check(.leftParen) ? .rightParen : .rightBracket
            advance()
            var items: [Pattern] = []
            while !check(closer) {
                items.append(try parsePattern())
                if !match(.comma) { break }
            }
            try consume(closer, "'\(closer.rawValue)' to close the pattern")
            return .list(items, start.location)
        }
        let (name, location) = try consumeIdentifier("a name to bind")
        return .name(name, location)
    }

    mutating func parseFunctionStatement() throws -> Stmt {
        let start = advance()
        let (name, _) = try consumeIdentifier("a function name")
        let node = try parseFunctionRest(name: name, location: start.location)
        return try makeStmt(.function(node), start.location, children: [Parser.depth(of: node.body) + 1])
    }

    /// Parameters and body after `fn` or `fn name`.
    mutating func parseFunctionRest(name: String?, location: SourceLocation) throws -> FunctionNode {
        try consume(.leftParen, "'(' to start the parameter list")
        var parameters: [ParameterNode] = []
        var seenDefault = false
        while !check(.rightParen) {
            let (paramName, paramLocation) = try consumeIdentifier("a parameter name")
            if parameters.contains(where: { $0.name == paramName }) {
                throw error("parameter '\(paramName)' appears twice", at: previous)
            }
            var defaultValue: Expr?
            if match(.colon) || match(.assign) {
                defaultValue = try parseParameterDefault()
                seenDefault = true
            } else if seenDefault {
                throw error("parameter '\(paramName)' needs a default because an earlier one has one", at: previous)
            }
            parameters.append(ParameterNode(name: paramName, defaultValue: defaultValue, location: paramLocation))
            if !match(.comma) { break }
        }
        try consume(.rightParen, "')' to close the parameter list")
        let saved = (loops: loopDepth, inDefault: inParameterDefault)
        loopDepth = 0
        inParameterDefault = false
        functionDepth += 1
        defer { loopDepth = saved.loops; inParameterDefault = saved.inDefault; functionDepth -= 1 }
        let body = try parseBlock()
        return FunctionNode(name: name, parameters: parameters, body: body, location: location)
    }

    /// A parameter's default, parsed outside the loops and functions around the definition.
    mutating func parseParameterDefault() throws -> Expr {
        let saved = (loops: loopDepth, functions: functionDepth, inDefault: inParameterDefault)
        loopDepth = 0
        functionDepth = 0
        inParameterDefault = true
        defer { loopDepth = saved.loops; functionDepth = saved.functions; inParameterDefault = saved.inDefault }
        return try parseExpression()
    }

    mutating func parseFor() throws -> Stmt {
        let start = advance()
        let pattern = try parsePattern()
        guard match(.in) else { throw expected("'in' after the loop variable") }
        let sequence = try parseExpression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock()
        return try makeStmt(.forLoop(pattern, sequence, body: body), start.location,
                            children: [sequence.depth, Parser.depth(of: body)])
    }

    mutating func parseWhile() throws -> Stmt {
        let start = advance()
        let condition = try parseExpression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock()
        return try makeStmt(.whileLoop(condition, body: body), start.location,
                            children: [condition.depth, Parser.depth(of: body)])
    }

    mutating func parseAssert() throws -> Stmt {
        let start = advance()
        let condition = try parseExpression()
        var message: Expr?
        if match(.comma) { message = try parseExpression() }
        return try makeStmt(.assertion(condition, message: message), start.location,
                            children: [condition.depth, message?.depth ?? 0])
    }

    /// `param name = literal`: only at top level, only a literal (number, string, bool, nil,
    /// or a list/record of literals) so runners can list parameters without running anything.
    mutating func parseParam() throws -> Stmt {
        let start = advance()
        guard functionDepth == 0, loopDepth == 0, nesting == 0 else {
            throw error("'param' is allowed only at the top level of a script", at: start)
        }
        let (name, _) = try consumeIdentifier("a parameter name")
        try consume(.assign, "'=' after the parameter name")
        let value = try parseExpression()
        guard Parser.isLiteral(value) else {
            throw LaifError(kind: .syntax, message: "a param default must be a literal (number, string, bool, nil, list or record of literals)",
                            location: value.location, sourceLine: nil, isUnexpectedEnd: false)
        }
        return try makeStmt(.parameter(name: name, defaultValue: value), start.location, children: [value.depth])
    }

    static func isLiteral(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .number, .string, .bool, .nilLiteral: return true
        case .unary(.negate, let inner), .unary(.plus, let inner):
            if case .number = inner.kind { return true }
            return false
        case .list(let items): return items.allSatisfy(isLiteral)
        case .record(let fields): return fields.allSatisfy { isLiteral($0.value) }
        default: return false
        }
    }
}
