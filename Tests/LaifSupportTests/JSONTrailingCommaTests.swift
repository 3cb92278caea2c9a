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
