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
