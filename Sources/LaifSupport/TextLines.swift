/// Line splitting that agrees with the lexer's line numbers on files saved with Windows line
/// ends. Swift reads "\r\n" as one `Character`, so `split(separator: "\n")` finds no line end at
/// all in such a file; every reader of scripts and JSONL files splits here instead.
extension StringProtocol {
    /// The lines of the text without their ends, split at "\n" and "\r\n"; a text ending in a
    /// line end has an empty last line (as `split(separator:omittingEmptySubsequences: false)`).
    ///
    ///     "let x = 1\r\nprint(x)\n".splitLines()   // ["let x = 1", "print(x)", ""]
    public func splitLines() -> [SubSequence] {
        split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}
