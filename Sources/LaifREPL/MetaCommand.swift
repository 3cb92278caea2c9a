import Foundation

/// A REPL command that starts with `:` (or `?name`), parsed from one input line. Unique
/// prefixes work: `:h` is `:help`, `:q` is `:quit`.
///
///     try MetaCommand(parsing: ":t 1 + 1")   // .time("1 + 1")
///     try MetaCommand(parsing: "?print")     // .help("print")
public enum MetaCommand: Equatable, Sendable {
    /// `:help [name]` and `?name`: help on one name, or the overview when nil.
    case help(String?)
    /// `:vars`: every global with kind, summary and size.
    case vars
    /// `:time expr`: evaluate and report the wall time.
    case time(String)
    /// `:load file`: run a script in this session.
    case load(String)
    /// `:save file`: write the session's accepted inputs as a runnable script.
    case save(String)
    /// `:reset`: forget every binding.
    case reset
    /// `:quit`: leave (exit code 0).
    case quit

    /// Every meta-command's full spelling, for completion and prefix matching.
    public static let names = [":help", ":vars", ":time", ":load", ":save", ":reset", ":quit"]

    /// One line of help per command, for `:help`.
    public static let summaries: [(String, String)] = [
        (":help [name]", "this list, or the documentation of a builtin (also ?name)"),
        (":vars", "every global: name, kind, summary, bytes"),
        (":time expr", "evaluate expr and show the wall time"),
        (":load file", "run a laif script in this session"),
        (":save file", "write this session's accepted inputs as a runnable script"),
        (":reset", "forget every binding"),
        (":quit", "leave (Ctrl-D too; inside an unfinished entry Ctrl-D drops the entry)"),
    ]

    /// True when `line` is a meta-command rather than code (starts with `:` or `?`).
    ///
    ///     MetaCommand.isMetaCommand("  :vars")   // true
    public static func isMetaCommand(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.hasPrefix(":") || trimmed.hasPrefix("?")
    }

    /// Parses a meta-command line; throws `MetaCommandError` for unknown, ambiguous or
    /// incomplete commands, with the fix in the message.
    ///
    ///     try MetaCommand(parsing: ":load demo.laif")   // .load("demo.laif")
    public init(parsing line: String) throws {
        let trimmed = String(line.drop { $0 == " " || $0 == "\t" }).trimmingSpaces()
        if trimmed.hasPrefix("?") {
            let name = String(trimmed.dropFirst()).trimmingSpaces()
            self = .help(name.isEmpty ? nil : name)
            return
        }
        let word = String(trimmed.prefix { $0 != " " && $0 != "\t" })
        let argument = String(trimmed.dropFirst(word.count)).trimmingSpaces()
        let matches = MetaCommand.names.filter { $0.hasPrefix(word) }
        guard word.count > 1, !matches.isEmpty else {
            throw MetaCommandError("unknown command '\(word)'; the commands are \(MetaCommand.names.joined(separator: " "))")
        }
        guard let command = MetaCommand.resolve(word, among: MetaCommand.names) else {
            throw MetaCommandError("'\(word)' could mean \(matches.joined(separator: " or ")); type more letters")
        }
        func needArgument(_ what: String) throws -> String {
            guard !argument.isEmpty else { throw MetaCommandError("\(command) needs \(what), e.g. \(command) \(what == "an expression" ? "1 + 1" : "session.laif")") }
            return argument
        }
        func noArgument() throws {
            guard argument.isEmpty else { throw MetaCommandError("\(command) takes no argument") }
        }
        switch command {
        case ":help": self = .help(argument.isEmpty ? nil : argument)
        case ":vars": try noArgument(); self = .vars
        case ":time": self = .time(try needArgument("an expression"))
        case ":load": self = .load(MetaCommand.expandingHome(MetaCommand.unquoted(try needArgument("a file"))))
        case ":save": self = .save(MetaCommand.expandingHome(MetaCommand.unquoted(try needArgument("a file"))))
        case ":reset": try noArgument(); self = .reset
        default: try noArgument(); self = .quit
        }
    }

    /// A path as typed after `:load`/`:save`, without one pair of surrounding quotes: laif
    /// writes paths as strings, so `:save "run 1.laif"` means the file run 1.laif, not a
    /// file whose name starts with a quote.
    ///
    ///     MetaCommand.unquoted("\"a b.laif\"")   // "a b.laif"
    static func unquoted(_ path: String) -> String {
        for quote in ["\"", "'"] where path.count >= 2 && path.hasPrefix(quote) && path.hasSuffix(quote) {
            return String(path.dropFirst().dropLast())
        }
        // Completion writes the opening quote of a path with spaces and leaves the closing one
        // to the user: `:load "my run.laif` means the same file.
        for quote in ["\"", "'"] where path.count >= 2 && path.hasPrefix(quote) && !path.dropFirst().contains(quote) {
            return String(path.dropFirst())
        }
        return path
    }

    /// `~` and `~/...` with the home folder ($HOME) in front, as a shell would: the path
    /// completion after `:load` offers them, so `:load` must open them.
    ///
    ///     MetaCommand.expandingHome("~/runs/a.laif", home: "/home/me")   // "/home/me/runs/a.laif"
    static func expandingHome(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        guard let home, !home.isEmpty, path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }

    /// The full command `typed` names: an exact spelling or a unique prefix; nil otherwise.
    ///
    ///     MetaCommand.resolve(":re", among: MetaCommand.names)   // ":reset"
    public static func resolve(_ typed: String, among names: [String]) -> String? {
        if names.contains(typed) { return typed }
        let matches = names.filter { $0.hasPrefix(typed) }
        return matches.count == 1 && typed.count > 1 ? matches[0] : nil
    }
}

/// A meta-command that could not be parsed; the message says how to fix it.
///
///     do { _ = try MetaCommand(parsing: ":x") } catch { print(error) }   // unknown command ':x'; ...
public struct MetaCommandError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The message shown to the user.
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
