import LaifSupport
import Testing

@Test func pathsSplitAtTheLastSlash() {
    #expect(splitFolderAndName("out/plots/a.svg") == ("out/plots", "a.svg"))
    #expect(splitFolderAndName("r.md") == (".", "r.md"))
    #expect(splitFolderAndName("x") == (".", "x"))   // NSString's split traps on one character
    #expect(splitFolderAndName("/r.md") == ("/", "r.md"))
    #expect(splitFolderAndName("./r.md") == (".", "r.md"))
}
