import Foundation

/// What Tab hands the completer: the line up to the cursor and the word to replace (its
/// last characters).
///
///     let request = CompletionRequest(lineBeforeCursor: "let m = mo", word: "mo")
public struct CompletionRequest: Equatable, Sendable {
    /// The edited line from its start to the cursor.
    public let lineBeforeCursor: String
    /// The word before the cursor, which the candidates replace.
    public let word: String

    /// Makes a request.
    ///
    ///     CompletionRequest(lineBeforeCursor: ":he", word: ":he")
    public init(lineBeforeCursor: String, word: String) {
        self.lineBeforeCursor = lineBeforeCursor
        self.word = word
    }
}

/// Where the completer gets names from; the REPL fills it from the interpreter and registry.
///
///     let source = CompletionSource(names: { ["print", "plot"] }, members: { _ in nil },
///                                   helpNames: { ["print", "plot"] }, metaCommands: [":help", ":quit"])
public struct CompletionSource {
    /// Globals, builtins and keywords.
    public var names: () -> [String]
    /// Members of the global called by the argument (nil when there is no such global).
    public var members: (String) -> [String]?
    /// Everything `?name` and `:help name` can explain.
    public var helpNames: () -> [String]
    /// The meta-commands, with their colon.
    public var metaCommands: [String]
    /// The keyword parameters of the function a call names (`sft`, or `m.replies` for a
    /// method of the global `m`); nil when it names nothing known.
    public var parameters: (String) -> [String]?

    /// Bundles the lookups.
    ///
    ///     CompletionSource(names: { [] }, members: { _ in nil }, helpNames: { [] }, metaCommands: [])
    public init(names: @escaping () -> [String], members: @escaping (String) -> [String]?,
                helpNames: @escaping () -> [String], metaCommands: [String],
                parameters: @escaping (String) -> [String]? = { _ in nil }) {
        self.names = names
        self.members = members
        self.helpNames = helpNames
        self.metaCommands = metaCommands
        self.parameters = parameters
    }
}

/// Decides what Tab means where the cursor is: indentation before any text, a file path
/// inside a string or after `:load`/`:save`, a meta-command after a leading `:`, a help name
/// after `?` or `:help`, a member after `name.`, a keyword argument right after `(` or `,` of
/// a known call, otherwise a global, builtin or keyword.
///
///     let completer = Completer(source: source)
///     completer.complete(CompletionRequest(lineBeforeCursor: "pl", word: "pl")).candidates   // ["plot"]
public struct Completer {
    /// The lookups names come from.
    public let source: CompletionSource
    /// The folder relative paths are completed against.
    public let workingDirectory: String

    /// Makes a completer; `workingDirectory` defaults to the process's current folder.
    ///
    ///     let completer = Completer(source: source, workingDirectory: "/tmp")
    public init(source: CompletionSource, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.source = source
        self.workingDirectory = workingDirectory
    }

    /// The candidates for `request`: names sorted and without duplicates; inside a known call's
    /// argument list its keywords come first; Tab before any text is a tab (indentation).
    ///
    ///     completer.complete(CompletionRequest(lineBeforeCursor: ":h", word: ":h")).candidates   // [":help"]
    public func complete(_ request: CompletionRequest) -> Completions {
        let word = request.word
        let line = request.lineBeforeCursor
        let beforeWord = String(line.dropLast(word.count))
        let trimmedLine = line.drop { $0 == " " || $0 == "\t" }

        if trimmedLine.isEmpty {
            // Tab before any text is indentation (as in Python's REPL): pasted code indented
            // with tabs must not dump every name on the screen, twice per tab.
            return Completions(candidates: ["\t"], appendSpace: false)
        }
        if trimmedLine.hasPrefix(":") {
            // A meta-command line: the command itself, or its argument.
            guard let space = trimmedLine.firstIndex(of: " ") else {
                return Completions(candidates: matching(source.metaCommands, word), appendSpace: true)
            }
            let command = String(trimmedLine[..<space])
            if resolvesTo(command, ":help") { return Completions(candidates: matching(source.helpNames(), word), appendSpace: false) }
            if resolvesTo(command, ":load") || resolvesTo(command, ":save") {
                let argument = String(trimmedLine[space...].drop { $0 == " " })
                // `:load "my run.laif"` is allowed: a leading quote stays in front of every path.
                let quote = argument.first.map { $0 == "\"" || $0 == "'" ? String($0) : "" } ?? ""
                return relativeToWord(paths(String(argument.dropFirst(quote.count)), quote: quote, inLiteral: false),
                                      token: argument, word: word)
            }
            return identifiers(word)
        }
        if let quote = Completer.openQuote(in: line) {
            // Inside a string: the whole string so far is the path, even where libedit's
            // word stops early (at a '-' or a space) or starts before the quote (`xs."`).
            let token = String(line[quote...])
            return relativeToWord(paths(String(token.dropFirst()), quote: String(line[quote]), inLiteral: true), token: token, word: word)
        }
        if word.hasPrefix("?") && beforeWord.allSatisfy({ $0 == " " || $0 == "\t" }) {
            let names = matching(source.helpNames(), String(word.dropFirst())).map { "?" + $0 }
            return Completions(candidates: names, appendSpace: false)
        }
        let argumentStart = beforeWord.last { $0 != " " && $0 != "\t" }
        if argumentStart == "(" || argumentStart == ",", Completer.isIdentifier(word) || word.isEmpty,
           let callee = Completer.openCall(in: beforeWord), let parameters = source.parameters(callee) {
            // An argument of a known call: its keywords first; Tab on nothing offers only them.
            let keywords = matching(parameters, word).map { $0 + ":" }
            if word.isEmpty { return Completions(candidates: keywords, appendSpace: true) }
            let others = identifiers(word).candidates
            return Completions(candidates: keywords + others, appendSpace: others.isEmpty)
        }
        return identifiers(word)
    }

    /// The function whose argument list `text` ends inside (`sft` in `sft(m, lr: 0.1, `, or
    /// `m.replies`), or nil when the innermost open bracket is not a call's.
    ///
    ///     Completer.openCall(in: "let x = sft(m, ")   // "sft"
    static func openCall(in text: String) -> String? {
        var open: [String] = []   // one entry per unclosed bracket: the callee, or "" for [ { and grouping
        var callee = ""           // the dotted name just before the scan position
        var afterBlank = false    // a blank ends the name: the next letter starts a new one
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == " " || character == "\t" { afterBlank = true; continue }
            let continuesName = character.isLetter || character.isNumber || character == "_" || character == "."
            if continuesName && afterBlank { callee = "" }
            afterBlank = false
            switch character {
            case _ where continuesName: callee.append(character)
            case "\"": inString = true; callee = ""
            case "#": return nil
            case "(": open.append(callee); callee = ""
            case "[", "{": open.append(""); callee = ""
            case ")", "]", "}": _ = open.popLast(); callee = ""
            default: callee = ""
            }
        }
        guard let name = open.last, let first = name.first, first.isLetter || first == "_" else { return nil }
        return name
    }

    /// Candidates computed for `token` rewritten as replacements of libedit's `word`, the only
    /// text libedit replaces: `token` may end with the word (the word stopped at a '-'), or the
    /// word with the token (the word began before the quote, as in `xs."`, whose `xs.` must
    /// stay in front of every candidate).
    private func relativeToWord(_ completions: Completions, token: String, word: String) -> Completions {
        let extra = token.count - word.count
        if extra < 0 {
            let lead = String(word.dropLast(token.count))
            return Completions(candidates: completions.candidates.map { lead + $0 }, appendSpace: completions.appendSpace)
        }
        guard extra > 0 else { return completions }
        let candidates = completions.candidates.filter { $0.hasPrefix(token.prefix(extra)) }.map { String($0.dropFirst(extra)) }
        return Completions(candidates: candidates, appendSpace: completions.appendSpace)
    }

    /// True when `command` is a unique-prefix spelling of `full` (":he" of ":help").
    private func resolvesTo(_ command: String, _ full: String) -> Bool {
        MetaCommand.resolve(command, among: source.metaCommands) == full
    }

    /// Globals, builtins and keywords, or members after `name.`; text before the identifier
    /// (an operator glued to it, as in `a/b`) is kept in front of every candidate.
    private func identifiers(_ word: String) -> Completions {
        let tail = word.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        let identifier = String(tail.reversed())
        let lead = String(word.dropLast(identifier.count))
        // No name can follow a string literal's closing quote: `"abc"` + Tab offered `"abc"print`;
        // nor a `?` after text (it asks for help only at the start of a line): `abc?` offered `abc?print`.
        if lead.last == "\"" || lead.last == "'" || lead.contains("?") { return Completions(candidates: [], appendSpace: false) }
        if let dot = identifier.lastIndex(of: ".") {
            let receiver = String(identifier[..<dot])
            let partial = String(identifier[identifier.index(after: dot)...])
            guard Completer.isIdentifier(receiver), let members = source.members(receiver) else {
                return Completions(candidates: [], appendSpace: false)
            }
            // A record field such as "b c" is no name after a dot (`r.b c` does not parse).
            let candidates = matching(members.filter(Completer.isIdentifier), partial).map { lead + receiver + "." + $0 }
            return Completions(candidates: candidates, appendSpace: false)
        }
        let candidates = matching(source.names(), identifier).map { lead + $0 }
        return Completions(candidates: candidates, appendSpace: false)
    }

    /// Files and folders whose path starts with `typed`; folders end in `/` so Tab can go on.
    /// Files and folders completing `typed`. Inside a string literal (`inLiteral`) what was
    /// typed is source text, so its escapes are read first and every name offered is escaped
    /// (`we\{ird}.jsonl`), and `~` is just a name, as `load("~/x")` reads it; after `:load` and
    /// `:save`, `~/` is the home folder, as those commands read it.
    private func paths(_ typed: String, quote: String, inLiteral: Bool) -> Completions {
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folder = expandedFolder(inLiteral ? Completer.unescaped(folderPart) : folderPart, expandingHome: !inLiteral)
        let prefix = inLiteral ? Completer.unescaped(namePart) : namePart
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return Completions(candidates: [], appendSpace: false)
        }
        let candidates = entries
            .filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .map { entry -> String in
                var isFolder: ObjCBool = false
                let full = (folder as NSString).appendingPathComponent(entry)
                let suffix = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) && isFolder.boolValue ? "/" : ""
                return quote + folderPart + (inLiteral ? Completer.escaped(entry) : entry) + suffix
            }
        return Completions(candidates: candidates, appendSpace: false)
    }

    private func expandedFolder(_ folderPart: String, expandingHome: Bool) -> String {
        if folderPart.isEmpty { return workingDirectory }
        let expanded = expandingHome ? MetaCommand.expandingHome(folderPart) : folderPart
        return expanded.hasPrefix("/") ? expanded : (workingDirectory as NSString).appendingPathComponent(expanded)
    }

    /// A file name as it must be written inside a laif string literal.
    ///
    ///     Completer.escaped("we{ird}\"q\".txt")   // we\{ird\}\"q\".txt
    static func escaped(_ name: String) -> String {
        var out = ""
        for character in name {
            if character == "\\" || character == "\"" || character == "'" || character == "{" || character == "}" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The text a partly typed string literal stands for: `\\`, `\"`, `\{`, `\}` read as the
    /// character (a trailing lone backslash is dropped: its escape is not typed yet).
    static func unescaped(_ source: String) -> String {
        var out = ""
        var escaping = false
        for character in source {
            if escaping {
                out.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    private func matching(_ names: [String], _ prefix: String) -> [String] {
        Array(Set(names.filter { $0.hasPrefix(prefix) })).sorted()
    }

    /// Where the string literal the text ends inside starts (its opening quote, `"` or `'`),
    /// or nil when the text does not end inside a string.
    static func openQuote(in text: String) -> String.Index? {
        var open: String.Index?
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = open != nil
            } else if character == "\"" || character == "'" {
                if let start = open {
                    if text[start] == character { open = nil }   // the other quote is text inside
                } else {
                    open = index
                }
            } else if character == "#" && open == nil {
                return nil   // a comment: nothing to complete as a path
            }
            index = text.index(after: index)
        }
        return open
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
