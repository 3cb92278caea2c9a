/// Turns source text into tokens. Strings are `"..."` with `{expr}` interpolation and
/// escapes (`\n \t \r \0 \\ \" \' \{ \} \u{41}`), or `'...'` with the same escapes and no
/// interpolation. Comments run from `#` to the end of the line. Numbers are decimal with an
/// optional fraction, exponent and `_` separators.
struct Lexer {
    private enum Nesting { case paren, bracket, brace, interpolation }

    private let scalars: [Unicode.Scalar]
    private let source: SourceText
    private var index = 0
    private var line = 1
    private var column = 1
    private var nesting: [Nesting] = []
    private var tokens: [Token] = []
    private var sawNewline = false
    /// Where the last token ended: "end of input" errors point there, not at an empty line.
    private var endOfLastToken: (line: Int, column: Int) = (1, 1)
    /// Set when the text ended inside a string literal (the error is "unterminated string").
    private var endedInsideString = false

    /// The longest string literal, in UTF-8 bytes (`Limits.maxStringBytes`; tests lower it).
    private let maxStringBytes: Int

    init(text: String, source: SourceText, maxStringBytes: Int = Limits.maxStringBytes) {
        self.scalars = Array(text.unicodeScalars)
        self.source = source
        self.maxStringBytes = maxStringBytes
        line = source.firstLine
        endOfLastToken = (source.firstLine, 1)
        // A UTF-8 byte-order mark some editors write is not part of the program.
        if scalars.first == "\u{FEFF}" { index = 1 }
    }

    /// Lexes the whole text; the last token is always `.endOfInput`.
    static func tokenize(_ text: String, source: SourceText, maxStringBytes: Int = Limits.maxStringBytes) throws -> [Token] {
        var lexer = Lexer(text: text, source: source, maxStringBytes: maxStringBytes)
        return try lexer.run()
    }

    /// Whether `text` ends inside a string literal, so that a line added next would be part
    /// of the string (a notebook's `# %%` line there is text, not a cell marker).
    ///
    ///     Lexer.endsInsideString("let s = \"a\n")   // true
    static func endsInsideString(_ text: String) -> Bool {
        var lexer = Lexer(text: text, source: SourceText(file: "", text: ""))
        _ = try? lexer.run()
        return lexer.endedInsideString
    }

    private mutating func run() throws -> [Token] {
        while true {
            skipSpaceAndComments()
            guard index < scalars.count else { break }
            try lexToken()
            endOfLastToken = (line, column)
        }
        let end = SourceLocation(file: source.file, line: endOfLastToken.line, column: endOfLastToken.column, text: source)
        emit(.endOfInput, at: end)
        return tokens
    }

    private var here: SourceLocation {
        SourceLocation(file: source.file, line: line, column: column, text: source)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        return scalar
    }

    private mutating func emit(_ kind: TokenKind, at location: SourceLocation) {
        let ignoresNewlines = nesting.last == .paren || nesting.last == .bracket
        tokens.append(Token(kind: kind, location: location, newlineBefore: sawNewline && !ignoresNewlines))
        sawNewline = false
    }

    private mutating func skipSpaceAndComments() {
        while let scalar = peek() {
            if scalar == "\n" { sawNewline = true; _ = advance() }
            else if scalar == " " || scalar == "\t" || scalar == "\r" { _ = advance() }
            else if scalar == "#" {
                while let next = peek(), next != "\n" { _ = advance() }
            } else { return }
        }
    }

    private func error(_ message: String, at location: SourceLocation, unexpectedEnd: Bool = false) -> LaifError {
        LaifError(kind: .syntax, message: message, location: location, sourceLine: nil, isUnexpectedEnd: unexpectedEnd)
    }

    private mutating func lexToken() throws {
        let start = here
        let scalar = peek()!
        if scalar.properties.isAlphabetic || scalar == "_" {
            var name = ""
            while let next = peek(), next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next) {
                name.unicodeScalars.append(advance())
            }
            if let keyword = Keyword(rawValue: name) { emit(.keyword(keyword), at: start) }
            else { emit(.identifier(name), at: start) }
            return
        }
        if ("0"..."9").contains(scalar) { return try lexNumber(start: start) }
        if scalar == "\"" || scalar == "'" {
            _ = advance()
            return try lexStringBody(quote: scalar, start: start, isContinuation: false)
        }
        try lexSymbol(start: start)
    }

    private mutating func lexSymbol(start: SourceLocation) throws {
        let first = advance()
        let second = peek()
        func take(_ symbol: Symbol) -> Symbol { _ = advance(); return symbol }
        let symbol: Symbol
        switch first {
        case "(": symbol = .leftParen
        case "[": symbol = .leftBracket
        case "{": symbol = .leftBrace
        case ")": symbol = .rightParen
        case "]": symbol = .rightBracket
        case "}":
            if nesting.last == .interpolation {
                nesting.removeLast()
                return try lexStringBody(quote: "\"", start: start, isContinuation: true)
            }
            symbol = .rightBrace
        case ",": symbol = .comma
        case ".": symbol = .dot
        case ":": symbol = .colon
        case ";": symbol = .semicolon
        case "+": symbol = second == "+" ? take(.concat) : .plus
        case "-": symbol = .minus
        case "*": symbol = second == "*" ? take(.power) : .star
        case "/": symbol = .slash
        case "%": symbol = .percent
        case "@": symbol = .at
        case "=": symbol = second == "=" ? take(.equal) : .assign
        case "!": symbol = second == "=" ? take(.notEqual) : .bang
        case "<": symbol = second == "=" ? take(.lessEqual) : .less
        case ">": symbol = second == "=" ? take(.greaterEqual) : .greater
        case "&" where second == "&": symbol = take(.ampAmp)
        case "|" where second == "|": symbol = take(.pipePipe)
        default:
            let shown = first.properties.isWhitespace || first.value < 32 || first.value == 127
                ? "" : "'\(Character(first))' "
            let code = "U+" + String(first.value, radix: 16, uppercase: true)
            throw error("unexpected character \(shown)(\(code)); remove it or put it inside a string", at: start)
        }
        // An opening bracket's own newline flag depends on the context outside it.
        emit(.symbol(symbol), at: start)
        switch symbol {
        case .leftParen: nesting.append(.paren)
        case .leftBracket: nesting.append(.bracket)
        case .leftBrace: nesting.append(.brace)
        case .rightParen: if nesting.last == .paren { nesting.removeLast() }
        case .rightBracket: if nesting.last == .bracket { nesting.removeLast() }
        case .rightBrace: if nesting.last == .brace { nesting.removeLast() }
        default: break
        }
    }

    private mutating func lexNumber(start: SourceLocation) throws {
        var text = ""
        func digits(_ lexer: inout Lexer) {
            while let next = lexer.peek(), ("0"..."9").contains(next) || next == "_" {
                let scalar = lexer.advance()
                if scalar != "_" { text.unicodeScalars.append(scalar) }
            }
        }
        digits(&self)
        if peek() == ".", let after = peek(1), ("0"..."9").contains(after) {
            text.unicodeScalars.append(advance())
            digits(&self)
        }
        if let e = peek(), e == "e" || e == "E" {
            var offset = 1
            if let sign = peek(1), sign == "+" || sign == "-" { offset = 2 }
            guard let digit = peek(offset), ("0"..."9").contains(digit) else {
                throw error("malformed number: an exponent needs digits, as in 1e-3", at: start)
            }
            for _ in 0..<offset { text.unicodeScalars.append(advance()) }
            digits(&self)
        }
        if let next = peek(), next.properties.isAlphabetic || next == "_" {
            throw error("malformed number: a letter follows '\(text)'; put a space or operator between", at: start)
        }
        guard let value = Double(text), value.isFinite else {
            throw error("number literal \(text.prefix(40)) is out of range (the largest number is about 1.8e308)", at: start)
        }
        emit(.number(value), at: start)
    }

    /// Lexes string text up to the closing quote or an interpolation `{`. `start` is the
    /// location of the opening quote (or of the `}` that ended an interpolation).
    private mutating func lexStringBody(quote: Unicode.Scalar, start: SourceLocation, isContinuation: Bool) throws {
        var text = ""
        var bytes = 0
        while true {
            // Plain text up to the next quote, brace, escape or line end is added as one run,
            // and its size checked once, rather than scalar by scalar.
            let run = index
            while let scalar = peek(), scalar != quote, scalar != "{", scalar != "\\", scalar != "\n" {
                index += 1
                bytes += UTF8.width(scalar)
            }
            if index > run {
                column += index - run
                text.unicodeScalars.append(contentsOf: scalars[run..<index])
            }
            guard bytes <= maxStringBytes else {
                throw error("string literal longer than \(maxStringBytes) bytes; read large text from a file instead", at: start)
            }
            guard let scalar = peek() else {
                endedInsideString = true
                if nesting.contains(.interpolation) {
                    // "a{1" ends up here: the quote meant to close the string opened a new one.
                    throw error("unterminated string inside an interpolation; close the '{' with '}' (or write \\{ for a literal brace)",
                                at: start, unexpectedEnd: true)
                }
                throw error("unterminated string; close it with \(Character(quote))", at: start, unexpectedEnd: true)
            }
            if scalar == quote {
                _ = advance()
                emit(isContinuation ? .stringEnd(text) : .string(text), at: start)
                return
            }
            if scalar == "{" && quote == "\"" {
                _ = advance()
                emit(isContinuation ? .stringMiddle(text) : .stringStart(text), at: start)
                nesting.append(.interpolation)
                return
            }
            if scalar == "\\" {
                let escapeLocation = here
                _ = advance()
                let escaped = try lexEscape(at: escapeLocation)
                bytes += UTF8.width(escaped)
                text.unicodeScalars.append(escaped)
                continue
            }
            // A line end, or a brace in a '...' string.
            _ = advance()
            bytes += UTF8.width(scalar)
            text.unicodeScalars.append(scalar)
        }
    }

    private mutating func lexEscape(at location: SourceLocation) throws -> Unicode.Scalar {
        guard let scalar = peek() else {
            throw error("unterminated string", at: location, unexpectedEnd: true)
        }
        _ = advance()
        switch scalar {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "0": return "\0"
        case "\\", "\"", "'", "{", "}": return scalar
        case "u":
            guard peek() == "{" else { throw error("\\u needs braces, as in \\u{41}", at: location) }
            _ = advance()
            var hex = ""
            while let next = peek(), next != "}", hex.count <= 8 { hex.unicodeScalars.append(advance()) }
            // UInt32(_:radix:) alone would also take a sign ("+41") and any number of digits.
            guard peek() == "}", (1...6).contains(hex.unicodeScalars.count),
                  hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }),
                  let code = UInt32(hex, radix: 16) else {
                throw error("bad unicode escape; write \\u{XXXX} with 1 to 6 hex digits", at: location)
            }
            guard let value = Unicode.Scalar(code) else {
                throw error("\\u{\(hex)} is not a character (surrogates D800-DFFF and codes past 10FFFF are not)", at: location)
            }
            _ = advance()
            return value
        default:
            // A raw line end or control byte in the message broke it over lines.
            if scalar == "\n" || scalar == "\r" {
                throw error("a backslash cannot end a line inside a string; write \\n for a line break, or close the string "
                            + "and join the next one with ++", at: location)
            }
            let shown = scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(Character(scalar))
            throw error("unknown escape '\\\(shown)'; use \\n \\t \\r \\0 \\\\ \\\" \\' \\{ \\} or \\u{XXXX}", at: location)
        }
    }
}
