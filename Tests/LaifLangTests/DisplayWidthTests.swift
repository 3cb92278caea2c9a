import LaifLang
import Testing

@Test func wideCharactersAndEmojiTakeTwoColumns() {
    #expect(DisplayWidth.width(of: "abc") == 3)
    #expect(DisplayWidth.width(of: "名前 x") == 6)
    #expect(DisplayWidth.width(of: "e\u{301}") == 1, "a combining mark rides on its letter")
    #expect(DisplayWidth.width(of: "🙂!") == 3)
}

@Test func prefixesFitAColumnCountWithoutSplittingAWideCharacter() {
    #expect(DisplayWidth.prefix(of: "中文字", fitting: 5) == "中文")
    #expect(DisplayWidth.prefix(of: "中文字", fitting: 6) == "中文字")
    #expect(DisplayWidth.prefix(of: "ab中", fitting: 3) == "ab")
    #expect(DisplayWidth.prefix(of: "abc", fitting: 0) == "")
}
