/// Where the characters of a string start, so `s[i]`, `s[a:b]` and `len(s)` do not walk the
/// whole string each time.
///
/// Laif counts characters (grapheme clusters), which take a varying number of UTF-8 bytes, so
/// finding character i means walking from the start. Indexing built an array of every
/// character on each access and `len(s)` counted them all, so `for i in range(len(s)) { s[i] }`
/// was quadratic: 20,000 characters took 5.9 s. A table counts once, finds where characters
/// start on the first index, and then answers in constant time; the interpreter keeps the
/// tables of the last few long strings it measured (see `Interpreter.characterTable(of:)`).
///
///     let table = CharacterTable("héllo")
///     table.count                        // 5
///     table.text[table.index(of: 1)]     // "é"
final class CharacterTable {
    let text: String
    /// Number of characters.
    let count: Int
    /// Start of every `landmarkStride`-th character; nil when every character is one byte, so
    /// character i starts at byte i. Found on the first index: `len(s)` needs only the count.
    private lazy var landmarks: [String.Index]? = Self.landmarks(of: text, count: count)
    /// Characters between landmarks: at most this many steps from a landmark to any character.
    static let landmarkStride = 32

    /// Counts the characters of `text`.
    ///
    ///     CharacterTable("a\r\nb").count   // 3
    init(_ text: String) {
        self.text = text
        count = text.count
    }

    /// A table for `text` whose character count is already known.
    ///
    ///     CharacterTable("abc", count: 3)
    init(_ text: String, count: Int) {
        self.text = text
        self.count = count
    }

    /// Where the last character starts, as a UTF-8 offset (nil for an empty string): what
    /// `Interpreter.rememberAppended` needs once text is appended to this string.
    ///
    ///     CharacterTable("abé").lastCharacterByteOffset   // 2
    var lastCharacterByteOffset: Int? {
        guard count > 0 else { return nil }
        return text.utf8.distance(from: text.startIndex, to: text.index(before: text.endIndex))
    }

    /// Where every `landmarkStride`-th character of `text` starts; nil when the string has as
    /// many characters as bytes (none spans two bytes, not even "\r\n").
    ///
    ///     CharacterTable.landmarks(of: "héllo", count: 5)   // [start]
    private static func landmarks(of text: String, count: Int) -> [String.Index]? {
        guard count != text.utf8.count else { return nil }
        var landmarks: [String.Index] = []
        landmarks.reserveCapacity(count / landmarkStride + 1)
        var position = 0
        var index = text.startIndex
        while index < text.endIndex {
            if position % landmarkStride == 0 { landmarks.append(index) }
            text.formIndex(after: &index)
            position += 1
        }
        return landmarks
    }

    /// Where character `position` starts (`count` gives the end of the string).
    ///
    ///     CharacterTable("héllo").index(of: 2)   // the index of "l"
    func index(of position: Int) -> String.Index {
        precondition(position >= 0 && position <= count, "character position \(position) outside 0...\(count)")
        if position == count { return text.endIndex }
        guard let landmarks else { return text.utf8.index(text.startIndex, offsetBy: position) }
        var index = landmarks[position / Self.landmarkStride]
        for _ in 0..<position % Self.landmarkStride { text.formIndex(after: &index) }
        return index
    }

    /// Character `position` as a string.
    ///
    ///     CharacterTable("héllo").character(1)   // "é"
    func character(_ position: Int) -> String {
        String(text[index(of: position)])
    }

    /// The characters in `range` as a string.
    ///
    ///     CharacterTable("héllo").characters(1..<3)   // "él"
    func characters(_ range: Range<Int>) -> String {
        String(text[index(of: range.lowerBound)..<index(of: range.upperBound)])
    }
}

extension Interpreter {
    /// Strings shorter than this many UTF-8 bytes get a fresh table each time: walking them is
    /// cheap, and small strings have no storage whose address could name them.
    static let cachedCharacterTableBytes = 64
    /// Tables kept at once, so a loop comparing two or three strings character by character
    /// does not rebuild them in turn.
    static let cachedCharacterTableCount = 4

    /// The character table of `text`, from the cache when `text` is a string indexed lately.
    ///
    ///     characterTable(of: "héllo").count   // 5
    func characterTable(of text: String) -> CharacterTable {
        guard text.utf8.count >= Self.cachedCharacterTableBytes, let storage = text.storage else {
            return CharacterTable(text)
        }
        // A cached table keeps its string alive, so its storage cannot be freed and reused: the
        // same address with the same length is the same string.
        if let hit = cachedCharacterTable(of: storage) { return hit }
        let table = CharacterTable(text)
        characterTablesBuilt += 1
        remember(table)
        return table
    }

    /// Keeps `table` among the cached ones (the oldest leaves when the cache is full).
    private func remember(_ table: CharacterTable) {
        if characterTables.count >= Self.cachedCharacterTableCount { characterTables.removeFirst() }
        characterTables.append(table)
    }

    /// The cached table of the string stored at `storage`, if any.
    func cachedCharacterTable(of storage: StringStorage) -> CharacterTable? {
        characterTables.first { $0.text.storage == storage }
    }

    /// Caches the table of `text`, made by appending to a string of `before.count` characters
    /// whose last one started at byte `before.byteOffset`, counting only from that character on.
    /// Appending can join text to the last character (a combining accent, the second half of a
    /// flag) but cannot move an earlier boundary, so a loop like
    /// `while len(s) < n { s = s ++ "ab" }` counts each piece once instead of the whole string.
    ///
    ///     rememberAppended(to: "ab" + String(repeating: "c", count: 70), before: (byteOffset: 1, count: 2))
    func rememberAppended(to text: String, before: (byteOffset: Int, count: Int)) {
        guard text.utf8.count >= Self.cachedCharacterTableBytes, text.storage != nil else { return }
        let lastStart = text.utf8.index(text.startIndex, offsetBy: before.byteOffset)
        remember(CharacterTable(text, count: before.count - 1 + text[lastStart...].count))
    }

    /// Drops the cached table of the string stored at `storage`, so the cache no longer
    /// shares it: a string about to be extended in place is not copied for a table that
    /// would be stale anyway.
    ///
    ///     forgetCharacterTable(of: storage)   // before `s = s ++ t` appends to s
    func forgetCharacterTable(of storage: StringStorage) {
        characterTables.removeAll { $0.text.storage == storage }
    }
}

extension String {
    /// Where the string's UTF-8 bytes are stored and how many there are, when they are stored
    /// contiguously in memory the string refers to (not for small strings, which are held
    /// inline and have no address). Two strings with equal storages share their bytes.
    ///
    ///     ("x" + String(repeating: "y", count: 100)).storage   // (some address, 101)
    var storage: StringStorage? {
        guard utf8.count > 15,
              let address = utf8.withContiguousStorageIfAvailable({ UInt(bitPattern: $0.baseAddress) }) ?? nil else { return nil }
        return StringStorage(address: address, byteCount: utf8.count)
    }
}

/// A string's storage address and length: see `String.storage`.
struct StringStorage: Equatable {
    let address: UInt
    let byteCount: Int
}
