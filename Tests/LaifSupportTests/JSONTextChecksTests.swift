import LaifSupport
import Testing

@Test func commasClosingObjectsOrArraysAreFoundWithTheirColumn() {
    #expect(jsonTrailingCommaColumn(#"{"a": "x",}"#) == 10)
    #expect(jsonTrailingCommaColumn(#"{"a": [1, 2, ], "b": "y"}"#) == 12)
    #expect(jsonTrailingCommaColumn("{\"a\": \"x\" ,\n\t }") == 11)
    #expect(jsonTrailingCommaColumn(#"{"é": "ü",}"#) == 10, "columns count characters, not bytes")
}

@Test func validJSONAndCommasInsideStringsPass() {
    #expect(jsonTrailingCommaColumn(#"{"a": "x", "b": [1, 2]}"#) == nil)
    #expect(jsonTrailingCommaColumn(#"{"a": "x,}", "b": ",]"}"#) == nil)
    #expect(jsonTrailingCommaColumn(#"{"a": "quote \" ,}", "b": "back\\", "c": 1}"#) == nil)
    #expect(jsonTrailingCommaColumn(#"[]"#) == nil)
    #expect(jsonTrailingCommaColumn("") == nil)
}

@Test func keysAnObjectRepeatsAreFoundWithTheirColumn() {
    let repeated = jsonDuplicateKey(#"{"a": 1, "b": {"a": 2}, "a": 3}"#)
    #expect(repeated?.key == "a")
    #expect(repeated?.column == 25)
    #expect(jsonDuplicateKey(#"{"\u00e9": 1, "é": 2}"#)?.key == "é", "escapes are decoded before keys compare")
    #expect(jsonDuplicateKey(#"[{"a": 1}, {"a": 2}]"#) == nil, "two objects may share a key")
    #expect(jsonDuplicateKey(#"{"a": "a", "b": ["a", "a"], "c": {"d": "a"}}"#) == nil, "values are not keys")
    #expect(jsonDuplicateKey(#"{"a \" b": 1, "a \" c": 2}"#) == nil)
    #expect(jsonDuplicateKey("") == nil)
}

@Test func piecesKeepStringsWholeAndSkipWhitespace() {
    var pieces: [String] = []
    forEachJSONPiece(in: "{\"a,\\\"]\": [1,\n 2]} \"open") { piece in
        switch piece {
        case .string(let raw, let column): pieces.append("s\(column):\(raw)")
        case .symbol(let character, let column): pieces.append("\(column)\(character)")
        }
        return true
    }
    #expect(pieces == ["1{", "s2:a,\\\"]", "9:", "11[", "121", "13,", "162", "17]", "18}"], "an unterminated string is no piece")
}
