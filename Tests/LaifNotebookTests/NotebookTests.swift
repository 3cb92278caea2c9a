import Testing
@testable import LaifNotebook

@Test func cellsSplitAtPercentMarkersWithTitlesAndScriptLines() {
    let source = "param n = 3\n\n# %% Setup\nlet x = n\n\n  # %%   Second cell  \nprint(x)\n"
    let book = Notebook(source: source, file: "demo.laif")
    #expect(book.cells.map(\.title) == ["", "Setup", "Second cell"])
    #expect(book.cells.map(\.firstLine) == [1, 4, 7])
    #expect(book.cells[0].source == "param n = 3")
    #expect(book.cells[1].source == "let x = n")
    #expect(book.cells[2].source == "print(x)")
}

@Test func emptyPreambleIsDroppedButCommentsAndTitledEmptyCellsStay() {
    #expect(Notebook(source: "\n\n# %% Only\n1", file: "f").cells.map(\.title) == ["Only"])
    let commented = Notebook(source: "# a header comment\n# %% Work\n1", file: "f")
    #expect(commented.cells.count == 2)
    #expect(commented.cells[0].isBlank)
    let titledEmpty = Notebook(source: "# %% Empty\n# %% Next\n1", file: "f")
    #expect(titledEmpty.cells.map(\.title) == ["Empty", "Next"])
    #expect(titledEmpty.cells[0].source.isEmpty)
}

@Test func scriptsWithoutMarkersOrTextAreOneCell() {
    #expect(Notebook(source: "1 + 1", file: "f").cells == [Cell(title: "", source: "1 + 1", firstLine: 1)])
    #expect(Notebook(source: "", file: "f").cells.count == 1)
    #expect(Notebook(source: "#%% not a marker\n1", file: "f").cells.count == 1)
    #expect(Notebook(source: "# %%-points stay a comment\n1", file: "f").cells.count == 1)
    #expect(Notebook(source: "1\n# %%\n2\n# %%\t Tabbed\r\n3", file: "f").cells.map(\.title) == ["", "", "Tabbed"])
}

@Test func windowsLineEndsSplitCellsAndKeepLineNumbers() {
    let book = Notebook(source: "param n = 3\r\n# %% Setup\r\nlet x = n\r\n\r\n# %% Show\r\nprint(x)\r\n", file: "f.laif")
    #expect(book.cells.map(\.title) == ["", "Setup", "Show"])
    #expect(book.cells.map(\.firstLine) == [1, 3, 6])
    #expect(book.cells[1].source == "let x = n")
    #expect(book.cells[2].source == "print(x)")
}

@Test func markdownCellsReadAsProse() {
    #expect(Notebook(source: "# %% Notes [MD]\n# x\n# %% Raw [raw]\nnot code\n# %% [markdown-ish]\n1", file: "f").cells.map(\.isMarkdown)
            == [true, true, false])
    let book = Notebook(source: "# %% [markdown]\n# Results\n#\n# All *good*.\n# %% Code\n1", file: "f")
    #expect(book.cells[0].isMarkdown)
    #expect(book.cells[0].markdownText == "Results\n\nAll *good*.")
    #expect(!book.cells[1].isMarkdown)
}

@Test func markersInsideAStringLiteralAreText() {
    // A line reading `# %%` inside a multi-line string split the script there, and both
    // halves failed to parse (the REPL's :save could write such a script).
    let source = "let doc = \"first\n# %% not a cell\nlast\"\n# %% Next\nprint(doc)\n"
    let book = Notebook(source: source, file: "f")
    #expect(book.cells.map(\.title) == ["", "Next"])
    #expect(book.cells[0].source == "let doc = \"first\n# %% not a cell\nlast\"")
    #expect(book.cells[1].firstLine == 5)
    // A prose cell is not code: an apostrophe there opens no string.
    let prose = Notebook(source: "# %% [raw]\nit's prose\n# %% Code\n1", file: "f")
    #expect(prose.cells.map(\.title) == ["[raw]", "Code"])
    // In code an unterminated quote holds the rest, so the parser reports it where it opened.
    #expect(Notebook(source: "let s = \"open\n# %% Later\n1", file: "f").cells.count == 1)
}
