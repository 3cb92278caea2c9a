/// Hard limits that turn runaway input into errors instead of crashes or exhausted memory.
/// They are generous for real scripts and small enough that a debug build's stack holds them.
///
///     Limits.maxListLength   // 2_000_000
public enum Limits {
    /// Deepest nesting of brackets, blocks and prefix operators the parser accepts.
    public static let maxParseNesting = 200
    /// Deepest expression tree (also bounds long operator chains like `1+1+...+1`).
    public static let maxExpressionDepth = 400
    /// Deepest chain of laif function calls (endless recursion ends here).
    public static let maxCallDepth = 1000
    /// Most elements a list may hold (range, concatenation, builtins creating lists); big
    /// numeric data belongs in tensors.
    public static let maxListLength = 2_000_000
    /// Most UTF-8 bytes a string may hold.
    public static let maxStringBytes = 50_000_000
    /// Deepest value nesting printed or compared before giving up with "...".
    public static let maxValueDepth = 100
    /// Stack size of the thread the interpreter runs on.
    static let interpreterStackBytes = 512 << 20
}
