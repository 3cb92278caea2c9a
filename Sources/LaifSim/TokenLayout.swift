/// Where each kind of token lives in a world's vocabulary, and how tokens are spelled as text.
///
/// Layout (ids): `PAD 0, BOS 1, SEP 2, EOS 3`, then the `T` task tokens, then the `V` content
/// tokens, then the `F` filler ("verbosity") tokens; `vocabSize = 4 + T + V + F`.
///
/// Spelling (used in JSONL files and printing; parsed back exactly): `<pad> <bos> <sep> <eos>`;
/// tasks `t0 t1 ...`; content tokens `a b ... z aa ab ...` (spreadsheet-column letters);
/// fillers `<f0> <f1> ...`. A prompt reads `"t2 a b c"` (BOS and SEP implied), a reply
/// `"d e f <eos>"`.
///
///     let layout = TokenLayout(tasks: 4, content: 16, fillers: 3)
///     layout.text([layout.taskToken(2), layout.contentToken(0)])   // "t2 a"
public struct TokenLayout: Equatable, Hashable, Sendable {
    public static let pad: Int32 = 0
    public static let bos: Int32 = 1
    public static let sep: Int32 = 2
    public static let eos: Int32 = 3
    static let specialCount = 4

    public let tasks: Int
    public let content: Int
    public let fillers: Int

    /// A layout for `tasks` task tokens, `content` content tokens and `fillers` filler tokens.
    ///
    ///     TokenLayout(tasks: 4, content: 16, fillers: 3).vocabSize   // 27
    public init(tasks: Int, content: Int, fillers: Int) {
        self.tasks = tasks
        self.content = content
        self.fillers = fillers
    }

    /// Number of token ids.
    ///
    ///     layout.vocabSize   // 27 for 4 tasks, 16 content, 3 fillers
    public var vocabSize: Int { Self.specialCount + tasks + content + fillers }

    /// The id of task `t` (0-based).
    ///
    ///     layout.taskToken(0)   // 4
    public func taskToken(_ t: Int) -> Int32 { Int32(Self.specialCount + t) }

    /// The id of content token `c` (0-based).
    ///
    ///     layout.contentToken(0)   // 8 with 4 tasks
    public func contentToken(_ c: Int) -> Int32 { Int32(Self.specialCount + tasks + c) }

    /// The id of filler `f` (0-based).
    ///
    ///     layout.fillerToken(0)
    public func fillerToken(_ f: Int) -> Int32 { Int32(Self.specialCount + tasks + content + f) }

    /// The task index of a token id, or nil if it is not a task token.
    ///
    ///     layout.taskIndex(4)   // 0
    public func taskIndex(_ token: Int32) -> Int? {
        let i = Int(token) - Self.specialCount
        return i >= 0 && i < tasks ? i : nil
    }

    /// The content index of a token id, or nil if it is not a content token.
    ///
    ///     layout.contentIndex(layout.contentToken(3))   // 3
    public func contentIndex(_ token: Int32) -> Int? {
        let i = Int(token) - Self.specialCount - tasks
        return i >= 0 && i < content ? i : nil
    }

    /// Whether a token id is a filler.
    ///
    ///     layout.isFiller(layout.fillerToken(1))   // true
    public func isFiller(_ token: Int32) -> Bool {
        let i = Int(token) - Self.specialCount - tasks - content
        return i >= 0 && i < fillers
    }

    /// The spelling of one token id (`"?123"` for an id outside the vocabulary).
    ///
    ///     layout.word(TokenLayout.eos)   // "<eos>"
    public func word(_ token: Int32) -> String {
        switch token {
        case Self.pad: return "<pad>"
        case Self.bos: return "<bos>"
        case Self.sep: return "<sep>"
        case Self.eos: return "<eos>"
        default: break
        }
        if let t = taskIndex(token) { return "t\(t)" }
        if let c = contentIndex(token) { return Self.letters(c) }
        let f = Int(token) - Self.specialCount - tasks - content
        if f >= 0 && f < fillers { return "<f\(f)>" }
        return "?\(token)"
    }

    /// Tokens spelled as space-separated words.
    ///
    ///     layout.text([8, 9, 3])   // "a b <eos>"
    public func text(_ tokens: [Int32]) -> String {
        tokens.map(word).joined(separator: " ")
    }

    /// Parses space-separated words back into token ids; the error names the bad word.
    ///
    ///     try layout.tokens(from: "a b <eos>")   // [8, 9, 3]
    public func tokens(from text: String) throws -> [Int32] {
        var out: [Int32] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let id = token(forWord: String(word)) else {
                // A long run of junk (a file in another format) is named by its start, not echoed whole.
                // Control characters are shown escaped: a NUL or a line end broke the message.
                let visible = String(word.prefix(40)).unicodeScalars.map {
                    $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0)
                }.joined()
                let shown = word.count > 40 ? "\"\(visible)…\" (\(word.count) characters; " : "\"\(visible)\" ("
                throw SimError("unknown token \(shown)this world spells tasks t0...t\(tasks - 1), "
                    + "content \(Self.letters(0))...\(Self.letters(content - 1)), fillers <f0>...<f\(max(fillers - 1, 0))>, "
                    + "and <pad> <bos> <sep> <eos>)")
            }
            out.append(id)
        }
        return out
    }

    /// The id of one spelled word, or nil.
    ///
    ///     layout.token(forWord: "t1")   // 5
    public func token(forWord word: String) -> Int32? {
        switch word {
        case "<pad>": return Self.pad
        case "<bos>": return Self.bos
        case "<sep>": return Self.sep
        case "<eos>": return Self.eos
        default: break
        }
        if word.hasPrefix("<f"), word.hasSuffix(">"), let f = Int(word.dropFirst(2).dropLast()),
           f >= 0, f < fillers {
            return fillerToken(f)
        }
        if word.first == "t", word.count > 1, let t = Int(word.dropFirst()), t >= 0, t < tasks,
           String(t) == word.dropFirst() {
            return taskToken(t)
        }
        if let c = Self.letterIndex(word), c < content { return contentToken(c) }
        return nil
    }

    /// Spreadsheet-column letters: 0 -> "a", 25 -> "z", 26 -> "aa", 27 -> "ab".
    static func letters(_ index: Int) -> String {
        var n = index + 1
        var chars: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            chars.append(Character(UnicodeScalar(UInt8(97 + r))))
            n = (n - 1) / 26
        }
        return String(chars.reversed())
    }

    /// Inverse of `letters`, or nil if the word is not lowercase letters.
    static func letterIndex(_ word: String) -> Int? {
        guard !word.isEmpty, word.count <= 4 else { return nil }
        var n = 0
        for u in word.utf8 {
            guard u >= 97, u <= 122 else { return nil }
            n = n * 26 + Int(u - 96)
        }
        return n - 1
    }
}
