/// Expression grammar, lowest precedence first:
/// `or`/`||` < `and`/`&&` < `not`/`!` < comparisons (do not chain) < `++` < `+ -` <
/// `* / % @` < prefix `- +` < `**` (right-associative) < calls, indexing, `.member`.
extension Parser {
    mutating func parseExpression() throws -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        return try parseOr()
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while check(.or) || check(.pipePipe) {
            let op = advance()
            let right = try parseAnd()
            left = try makeExpr(.or(left, right), op.location, children: [left.depth, right.depth])
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while check(.and) || check(.ampAmp) {
            let op = advance()
            let right = try parseNot()
            left = try makeExpr(.and(left, right), op.location, children: [left.depth, right.depth])
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if check(.not) || check(.bang) {
            try enterNesting()
            defer { nesting -= 1 }
            let op = advance()
            let operand = try parseNot()
            return try makeExpr(.unary(.not, operand), op.location, children: [operand.depth])
        }
        return try parseComparison()
    }

    static let comparisons: [Symbol: BinaryOperator] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
        .greater: .greater, .greaterEqual: .greaterEqual,
    ]

    mutating func parseComparison() throws -> Expr {
        let left = try parseConcat()
        guard case .symbol(let symbol) = current.kind, let op = Parser.comparisons[symbol] else { return left }
        let opToken = advance()
        let right = try parseConcat()
        if case .symbol(let next) = current.kind, Parser.comparisons[next] != nil {
            throw error("comparisons do not chain; write 'a < b and b < c'", at: current)
        }
        return try makeExpr(.binary(op, left, right), opToken.location, children: [left.depth, right.depth])
    }

    mutating func parseConcat() throws -> Expr {
        var left = try parseAdditive()
        while check(.concat) {
            let op = advance()
            let right = try parseAdditive()
            left = try makeExpr(.binary(.concat, left, right), op.location, children: [left.depth, right.depth])
        }
        return left
    }

    mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        // A `-` or `+` opening a line is a sign starting the next statement (`print(x)` then
        // `-1`), not a subtraction continuing this one; a trailing operator still continues.
        while (check(.plus) || check(.minus)) && !current.newlineBefore {
            let op = advance()
            let right = try parseMultiplicative()
            let kind: BinaryOperator = op.isSymbol(.plus) ? .add : .subtract
            left = try makeExpr(.binary(kind, left, right), op.location, children: [left.depth, right.depth])
        }
        return left
    }

    mutating func parseMultiplicative() throws -> Expr {
        var left = try parseUnary()
        while true {
            let kind: BinaryOperator
            switch current.kind {
            case .symbol(.star): kind = .multiply
            case .symbol(.slash): kind = .divide
            case .symbol(.percent): kind = .remainder
            case .symbol(.at): kind = .matmul
            default: return left
            }
            let op = advance()
            let right = try parseUnary()
            left = try makeExpr(.binary(kind, left, right), op.location, children: [left.depth, right.depth])
        }
    }

    mutating func parseUnary() throws -> Expr {
        if check(.minus) || check(.plus) {
            try enterNesting()
            defer { nesting -= 1 }
            let op = advance()
            let operand = try parseUnary()
            // Fold `-3` into a literal so `param x = -3` and printing stay simple.
            if op.isSymbol(.minus), case .number(let value) = operand.kind {
                return try makeExpr(.number(-value), op.location, children: [])
            }
            let kind: UnaryOperator = op.isSymbol(.minus) ? .negate : .plus
            return try makeExpr(.unary(kind, operand), op.location, children: [operand.depth])
        }
        return try parsePower()
    }

    mutating func parsePower() throws -> Expr {
        let base = try parsePostfix()
        guard check(.power) else { return base }
        try enterNesting()
        defer { nesting -= 1 }
        let op = advance()
        let exponent = try parseUnary()
        return try makeExpr(.binary(.power, base, exponent), op.location, children: [base.depth, exponent.depth])
    }

    mutating func parsePostfix() throws -> Expr {
        var expr = try parsePrimary()
        while true {
            if check(.leftParen) && !current.newlineBefore {
                let open = advance()
                let arguments = try parseArguments()
                expr = try makeExpr(.call(callee: expr, arguments: arguments), open.location,
                                    children: [expr.depth] + arguments.map(\.value.depth))
            } else if check(.leftBracket) && !current.newlineBefore {
                let open = advance()
                let indices = try parseIndices()
                var depths = [expr.depth]
                for index in indices {
                    switch index {
                    case .single(let e): depths.append(e.depth)
                    case .slice(let a, let b): depths += [a?.depth ?? 0, b?.depth ?? 0]
                    }
                }
                expr = try makeExpr(.index(expr, indices), open.location, children: depths)
            } else if check(.dot) {
                advance()
                let (name, location) = try parseMemberName()
                if check(.leftParen) && !current.newlineBefore {
                    advance()
                    let arguments = try parseArguments()
                    expr = try makeExpr(.methodCall(receiver: expr, name: name, arguments: arguments), location,
                                        children: [expr.depth] + arguments.map(\.value.depth))
                } else {
                    expr = try makeExpr(.member(expr, name), location, children: [expr.depth])
                }
            } else {
                return expr
            }
        }
    }

    /// After `.`: a name; keywords are allowed too (`r.in`), they cannot be confused there.
    mutating func parseMemberName() throws -> (String, SourceLocation) {
        if case .keyword(let keyword) = current.kind {
            let token = advance()
            return (keyword.rawValue, token.location)
        }
        return try consumeIdentifier("a member name after '.'")
    }

    /// Arguments after `(`, through `)`: positional ones first, then `name: value` ones.
    mutating func parseArguments() throws -> [Argument] {
        var arguments: [Argument] = []
        while !check(.rightParen) {
            let start = current
            var label: String?
            if case .identifier(let name) = current.kind, peekKind(1) == .symbol(.colon) {
                label = name
                advance(); advance()
                if arguments.contains(where: { $0.label == name }) {
                    throw error("keyword argument '\(name)' given twice", at: start)
                }
            } else if arguments.last?.label != nil {
                throw error("positional argument after a keyword argument; put positional ones first", at: start)
            }
            let value = try parseExpression()
            arguments.append(Argument(label: label, value: value, location: start.location))
            if !match(.comma) { break }
        }
        try consume(.rightParen, "')' to close the argument list")
        return arguments
    }

    /// Inside `[...]` after an indexed value: comma-separated components, each `i`, `a:b`,
    /// `a:`, `:b` or `:` (lists and strings take one; domain objects such as tensors more).
    mutating func parseIndices() throws -> [IndexExpr] {
        var indices: [IndexExpr] = []
        repeat {
            var start: Expr?
            if !check(.colon) { start = try parseExpression() }
            if match(.colon) {
                var end: Expr?
                if !check(.rightBracket) && !check(.comma) { end = try parseExpression() }
                indices.append(.slice(start: start, end: end))
            } else if let start {
                indices.append(.single(start))
            } else {
                throw expected("an index")
            }
        } while match(.comma)
        try consume(.rightBracket, "']' to close the index")
        return indices
    }

    mutating func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return try makeExpr(.number(value), token.location, children: [])
        case .string(let text):
            advance()
            return try makeExpr(.string(text), token.location, children: [])
        case .stringStart(let text):
            return try parseInterpolation(first: text)
        case .keyword(.true), .keyword(.false):
            advance()
            return try makeExpr(.bool(token.isKeyword(.true)), token.location, children: [])
        case .keyword(.nil):
            advance()
            return try makeExpr(.nilLiteral, token.location, children: [])
        case .identifier(let name):
            advance()
            return try makeExpr(.variable(name), token.location, children: [])
        case .symbol(.leftParen):
            return try parseParenthesized()
        case .symbol(.leftBracket):
            advance()
            let items = try parseList(closer: .rightBracket)
            return try makeExpr(.list(items), token.location, children: items.map(\.depth))
        case .symbol(.leftBrace):
            return try parseRecord()
        case .keyword(.fn):
            advance()
            if case .identifier(let name) = current.kind {
                throw error("a named function is a statement; write 'fn \(name)(...) { ... }' on its own line, or 'fn (...) { ... }' for a value", at: current)
            }
            let node = try parseFunctionRest(name: nil, location: token.location)
            return try makeExpr(.function(node), token.location, children: [Parser.depth(of: node.body)])
        case .keyword(.if):
            return try parseIf()
        case .endOfInput:
            throw error("expected an expression, found end of input", at: token)
        default:
            var after = position > 0 ? " after \(previous.display)" : ""
            if position > 0, case .stringStart = previous.kind { after = " inside {...} in a string" }
            if position > 0, case .stringMiddle = previous.kind { after = " inside {...} in a string" }
            // `x += 1` reads as x + (= 1): say what laif writes instead.
            if position > 0, case .symbol(.assign) = token.kind, case .symbol(let symbol) = previous.kind,
               [.plus, .minus, .star, .slash, .percent, .power, .concat].contains(symbol) {
                let operand = symbol == .concat ? "[1]" : "1"
                throw error("laif has no '\(symbol.rawValue)='; write the variable out, e.g. x = x \(symbol.rawValue) \(operand)", at: previous)
            }
            throw error("expected an expression\(after), found \(token.display)", at: token)
        }
    }

    /// `(e)` is grouping; `(a, b)` and `()` are lists (laif's tuples are lists).
    mutating func parseParenthesized() throws -> Expr {
        let open = advance()
        if match(.rightParen) { return try makeExpr(.list([]), open.location, children: []) }
        let first = try parseExpression()
        if match(.rightParen) { return first }
        try consume(.comma, "')' or ','")
        var items = [first]
        items += try parseList(closer: .rightParen)
        return try makeExpr(.list(items), open.location, children: items.map(\.depth))
    }

    mutating func parseList(closer: Symbol) throws -> [Expr] {
        var items: [Expr] = []
        while !check(closer) {
            items.append(try parseExpression())
            if !match(.comma) { break }
        }
        try consume(closer, "'\(closer.rawValue)' to close the list")
        return items
    }

    /// `{a: 1, "b c": 2}`; keys are names, keywords or strings.
    mutating func parseRecord() throws -> Expr {
        let open = advance()
        try enterNesting()
        defer { nesting -= 1 }
        var fields: [(key: String, value: Expr)] = []
        while !check(.rightBrace) {
            let keyToken = current
            let key: String
            switch current.kind {
            case .identifier(let name): key = name
            case .string(let text): key = text
            case .keyword(let keyword): key = keyword.rawValue
            default: throw expected("a field name in the record")
            }
            advance()
            if fields.contains(where: { $0.key == key }) {
                throw error("field '\(key)' appears twice in the record", at: keyToken)
            }
            try consume(.colon, "':' after the field name")
            fields.append((key, try parseExpression()))
            if !match(.comma) { break }
        }
        try consume(.rightBrace, "'}' to close the record")
        return try makeExpr(.record(fields), open.location, children: fields.map(\.value.depth))
    }

    /// `if cond { ... } else if cond { ... } else { ... }`, an expression.
    mutating func parseIf() throws -> Expr {
        let start = advance()
        try enterNesting()
        defer { nesting -= 1 }
        let condition = try parseExpression()
        guard check(.leftBrace) else { throw expected("'{' after the if condition") }
        let then = try parseBlock()
        var otherwise: [Stmt]?
        if match(.else) {
            if check(.if) {
                let nested = try parseIf()
                otherwise = [try makeStmt(.expression(nested, silenced: false), nested.location, children: [nested.depth])]
            } else {
                guard check(.leftBrace) else { throw expected("'{' or 'if' after else") }
                otherwise = try parseBlock()
            }
        }
        return try makeExpr(.conditional(condition: condition, then: then, otherwise: otherwise), start.location,
                            children: [condition.depth, Parser.depth(of: then), Parser.depth(of: otherwise ?? [])])
    }

    mutating func parseInterpolation(first: String) throws -> Expr {
        let start = advance()
        var parts: [StringPart] = first.isEmpty ? [] : [.text(first)]
        var depths: [Int] = []
        while true {
            switch current.kind {
            case .stringMiddle, .stringEnd:
                throw error("empty interpolation '{}'; put an expression inside, or write \\{ for a literal brace", at: current)
            default:
                break
            }
            let expr = try parseExpression()
            parts.append(.expression(expr))
            depths.append(expr.depth)
            switch current.kind {
            case .stringMiddle(let text):
                advance()
                if !text.isEmpty { parts.append(.text(text)) }
            case .stringEnd(let text):
                advance()
                if !text.isEmpty { parts.append(.text(text)) }
                return try makeExpr(.interpolation(parts), start.location, children: depths)
            default:
                throw expected("'}' to close the interpolation")
            }
        }
    }
}
