/// The language's syntax reference (Markdown), kept beside the parser it describes; it opens
/// the reference that `laif help --markdown` prints (docs/reference.md). Every ```laif block
/// in it is run by a test.
///
///     print(LanguageGuide.markdown)
public enum LanguageGuide {
    /// The syntax reference as Markdown.
    ///
    ///     LanguageGuide.markdown.hasPrefix("# The laif language")   // true
    public static let markdown = """
    # The laif language

    A small expression language: values, `let`, functions, loops, and builtins from one
    registry (`laif help` lists them). Statements end at a newline or `;`. A trailing `;`
    on the last line silences the REPL echo.

    ## Values

    | Type | Literals | Notes |
    |------|----------|-------|
    | number | `3`, `2.5`, `1e-3`, `1_000` | 64-bit floats; whole numbers print without `.0`; `1 / 0` is `inf`, `0 / 0` is `nan` |
    | string | `"hi {name}"`, `'raw {x}'` | `{expr}` interpolates in `"..."`; escapes `\\n \\t \\r \\0 \\\\ \\" \\' \\{ \\} \\u{41}`; may span lines |
    | bool | `true`, `false` | conditions must be bools: there is no truthiness |
    | nil | `nil` | |
    | list | `[1, "a"]`, `(1, 2)`, `()` | a parenthesised comma list is a list (tuples are lists) |
    | record | `{a: 1, "b c": 2}` | ordered fields; `r.a`, `r["b c"]` |
    | function | `fn (x) { x + 1 }` | closures over their defining scope |

    Lists and records are values: `let b = a` copies, and `b[0] = 1` leaves `a` alone.
    Domain values (tensors, models, worlds, ...) come from the libraries and print themselves.

    ```laif
    let name = "laif"
    let r = {tasks: 4, vocab: [1, 2, 3]}
    assert "{name} has {r.tasks} tasks" == "laif has 4 tasks"
    assert r.vocab[-1] == 3 and r.vocab[1:] == [2, 3]
    ```

    ## Operators, loosest first

    `or` `||` · `and` `&&` · `not` `!` · `== != < <= > >=` (they do not chain) · `++`
    (join lists or strings) · `+ -` · `* / % @` (`%` is floored, `@` multiplies tensors) ·
    prefix `- +` · `**` (right-associative, so `-2 ** 2 == -4`) · calls `f(x)`, indexing
    `xs[i]`, slices `xs[a:b]`, members `x.name`, methods `x.name(...)`.

    Indices are whole numbers; negative ones count from the end; slices clamp like Python's.
    Tensors and other domain values define their own operators (broadcasting arithmetic).

    ## Statements

    ```laif
    let x = 1                    # bind (again: rebinds); `_` ignores
    let (a, [b, c]) = (1, [2, 3])   # destructure lists
    x = x + 1                    # assign an existing name
    let xs = [1, 2]
    xs[0] = 5                    # assign an element (or a field: r.a = 1)
    xs = xs ++ [3]               # append (in place: accumulating in a loop is linear)
    fn add(a, b: 10) { a + b }   # b has a default; the last expression is the result
    assert add(1) == 11 and add(1, b: 2) == 3, "keyword arguments"
    let size = if x > 1 { "big" } else { "small" }   # if is an expression
    for (i, v) in enumerate(xs) { if v > 3 { continue } }
    while x < 10 { x = x * 2
        if x == 8 { break } }
    assert x == 8
    ```

    - `fn name(params) { ... }` declares a function; `fn (params) { ... }` is a function value.
      Parameters with defaults (`b: 10` or `b = 10`) follow those without. Calls pass
      positional arguments first, then `name: value` ones. `return` leaves early.
    - Strings count characters (`len`, `s[i]`, slices, `for`): `"é"` and a `"\\r\\n"` line end are
      one each. Searches (`split`, `replace`, `find`, `contains`, `starts_with`, `ends_with`)
      match code points, as Python does: `"a\\r\\nb".split("\\n")` is `["a\\r", "b"]`.
    - `for pattern in xs` visits list items, string characters, record keys, or a domain
      value's elements; `for i in range(n)` counts without building a list, so it has no
      length limit. `break` and `continue` work in `for` and `while`.
    - `xs = xs ++ more`, `s = s ++ a ++ b` and `s = "{s}{line}\\n"` extend the variable's own
      list or string in place, so building one in a loop takes linear time; other names holding
      the old value still see it unchanged. Only a variable grows in place: `r.l = r.l ++ [v]`
      and `xs[0] = xs[0] ++ [v]` copy each time, so build in a variable and store it once.
    - `assert cond, "message"` stops the script (exit code 1) when `cond` is false.
    - `param name = literal` (top level only) declares a script parameter that
      `laif run file.laif -p name=value` overrides.
    - `# comment` to the end of the line; `# %% Title` starts a notebook cell.
    - Inside `(...)` and `[...]` newlines are ignored; elsewhere an operator at the end of a
      line continues the expression, and so does a `.method` at the start of the next line.

    ## Errors

    Every error reads `file:line:col: message`, shows the line with a caret and the laif
    calls it passed through. Exit codes: 1 assertion, 64 usage, 65 syntax, 70 runtime,
    74 I/O, 130 interrupted. Limits keep runaway scripts safe: brackets and blocks nested
    200 deep, expressions 400 deep (a chain `1 + 1 + ...` too), calls 1000 deep, lists of
    2,000,000 items, strings of 50 MB.
    """

    /// The ```laif code blocks of the guide, in order (tests run them).
    ///
    ///     LanguageGuide.examples.count   // 2
    public static var examples: [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```laif") { current = [] }
            else if line.hasPrefix("```"), let lines = current { blocks.append(lines.joined(separator: "\n")); current = nil }
            else { current?.append(line) }
        }
        return blocks
    }
}
