import Foundation
import LaifLang

/// Help as the terminal shows it (`:help`, `?name`, `laif help`), read from the builtin
/// registry so it never drifts from what the interpreter knows.
///
///     print(HelpText.overview(registry: .core()))
///     print(HelpText.entry(for: "len", registry: .core()) ?? "no help")
public enum HelpText {
    /// Meta-commands, then every builtin grouped by topic, then the types with methods.
    ///
    ///     HelpText.overview(registry: registry)   // "Commands:\n  :help [name] ..."
    public static func overview(registry: BuiltinRegistry, includeCommands: Bool = true) -> String {
        var out = ""
        if includeCommands {
            out += "Commands:\n"
            let width = MetaCommand.summaries.map(\.0.count).max() ?? 0
            for (usage, summary) in MetaCommand.summaries {
                out += "  " + usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + summary + "\n"
            }
            out += "\n" + keys + "\n"
        }
        out += "Builtins by topic:\n"
        for topic in registry.topics {
            let names = registry.all.filter { $0.topic == topic }.map(\.name)
            guard !names.isEmpty else { continue }
            out += wrapped("  \(topic): ", names)
        }
        let types = registry.typesWithMethods
        if !types.isEmpty {
            out += "\nMethods (x.name(...)):\n"
            for type in types {
                out += wrapped("  \(type): ", registry.methods(of: type).map(\.name))
            }
        }
        out += "\nType ?name or :help name (laif help NAME) for one builtin; type.method for a method;\na type's name (list, oracle, model) for its values' methods.\n"
        return out
    }

    /// The REPL's editing keys (emacs keys otherwise; `bind -v` in ~/.editrc for vi's).
    static let keys = """
        Keys:
          Tab             complete a name, member, command, topic or path; twice: list
          Up, Down        history (an entry of several lines comes back whole)
          Esc-p, Esc-n    history entries that start with the text before the cursor
          Ctrl-R          search the history as you type (Ctrl-G: back to the line)
          Ctrl-C          drop the line, or interrupt what runs
          Ctrl-D          leave (inside an unfinished entry: drop it)

        """

    /// Help on one name: a builtin, `type.method`, a method name, a topic, a meta-command, a
    /// keyword, or (with an interpreter) a global with the names of its methods; when the name
    /// is also a type with methods (`oracle`, `list`, `model`), its values' methods follow. Nil
    /// when nothing matches.
    ///
    ///     HelpText.entry(for: "list.map", registry: registry)   // "list.map(f)\n    A new list of f(x) ..."
    ///     HelpText.entry(for: "list", registry: registry)       // "Methods of list values ..."
    public static func entry(for rawName: String, registry: BuiltinRegistry, interpreter: Interpreter? = nil) -> String? {
        let name = rawName.trimmingSpaces()
        let typeMethods = registry.methods(of: name)
        let methodsOfType = typeMethods.isEmpty ? nil : methodListing(of: name, typeMethods)
        switch (entryForName(name, registry: registry, interpreter: interpreter), methodsOfType) {
        case let (entry?, methods?): return entry + "\n" + methods
        case let (entry, methods): return entry ?? methods
        }
    }

    /// `entry(for:)` without the type's methods.
    private static func entryForName(_ name: String, registry: BuiltinRegistry, interpreter: Interpreter?) -> String? {
        if let builtin = registry.lookup(name) { return describe(builtin) }
        if let dot = name.firstIndex(of: ".") {
            let receiver = String(name[..<dot]), methodName = String(name[name.index(after: dot)...])
            if let method = registry.method(methodName, of: receiver) { return describe(method) }
            // `?xs.map` for a global xs: the method of its type, as `?xs` lists it.
            if let interpreter, let value = interpreter.global(receiver),
               let method = registry.method(methodName, of: value.typeName) {
                return describe(method)
            }
        }
        let methods = registry.typesWithMethods.compactMap { registry.method(name, of: $0) }
        if !methods.isEmpty { return methods.map(describe).joined(separator: "\n") }
        let inTopic = registry.all.filter { $0.topic == name }
        if !inTopic.isEmpty { return "Topic \(name):\n" + inTopic.map(listed).joined() }
        let command = name.hasPrefix(":") ? name : ":" + name
        if let summary = MetaCommand.summaries.first(where: { $0.0.hasPrefix(command + " ") || $0.0 == command }) {
            return "\(summary.0)\n    \(summary.1)\n"
        }
        if Interpreter.keywords.contains(name) { return "'\(name)' is a keyword of the language; see the README's tour.\n" }
        if let interpreter, let value = interpreter.global(name) {
            let methods = registry.methods(of: value.typeName).map { name + "." + $0.name }
            return "\(name): \(value.typeName), \(value.byteSize) bytes\n    \(value.summary)\n"
                + (methods.isEmpty ? "" : wrapped("    methods: ", methods))
        }
        return nil
    }

    /// A builtin as a topic or type listing shows it: signature, then the doc indented below.
    static func listed(_ builtin: Builtin) -> String {
        wrappedSignature(builtin.signature, indent: "  ") + "\n"
            + wrappedWords(builtin.doc.split(separator: " ").map(String.init), firstIndent: "      ", indent: "      ") + "\n"
    }

    /// The methods of one type's values (`laif help list`, and after `laif help oracle`'s builtin).
    static func methodListing(of type: String, _ methods: [Builtin]) -> String {
        "Methods of \(type) values (x.name(...)):\n" + methods.map(listed).joined()
    }

    /// One builtin: signature, doc, example. Signature and doc are wrapped at 80 columns (a
    /// terminal would break them mid-word); the example stays one line, ready to copy.
    static func describe(_ builtin: Builtin) -> String {
        let doc = wrappedWords(builtin.doc.split(separator: " ").map(String.init), firstIndent: "    ", indent: "    ")
        return "\(wrappedSignature(builtin.signature))\n\(doc)\n    example: \(builtin.example)\n"
    }

    /// A signature broken after its commas into lines of at most 80 columns, continuation
    /// lines lined up under the first parameter (at most 40 columns in), all after `indent`.
    ///
    ///     HelpText.wrappedSignature("len(x)")   // "len(x)"
    static func wrappedSignature(_ signature: String, indent: String = "") -> String {
        let open = signature.firstIndex(of: "(").map { signature.distance(from: signature.startIndex, to: $0) + 1 } ?? 4
        let parameters = signature.components(separatedBy: ", ")
        return wrappedWords(parameters.dropLast().map { $0 + "," } + parameters.suffix(1), firstIndent: indent,
                            indent: indent + String(repeating: " ", count: min(open, 40)))
    }

    /// `words` joined by spaces into lines of at most 80 columns (a longer word gets a line
    /// of its own); the first line starts with `firstIndent`, the others with `indent`.
    ///
    ///     HelpText.wrappedWords(["a", "b"], firstIndent: "  ", indent: "  ")   // "  a b"
    static func wrappedWords(_ words: [String], firstIndent: String, indent: String) -> String {
        var lines = [firstIndent]
        var lineIsEmpty = true
        for word in words {
            if !lineIsEmpty && lines[lines.count - 1].count + 1 + word.count > 80 {
                lines.append(indent)
                lineIsEmpty = true
            }
            lines[lines.count - 1] += (lineIsEmpty ? "" : " ") + word
            lineIsEmpty = false
        }
        return lines.joined(separator: "\n")
    }

    /// `prefix` then `names` separated by commas, wrapped at 80 columns under the prefix.
    static func wrapped(_ prefix: String, _ names: [String]) -> String {
        var out = prefix
        var column = prefix.count
        let indent = String(repeating: " ", count: prefix.count)
        for (index, name) in names.enumerated() {
            let piece = name + (index < names.count - 1 ? "," : "")
            if column + piece.count + 1 > 80 && column > prefix.count {
                out += "\n" + indent
                column = indent.count
            } else if column > prefix.count {
                out += " "
                column += 1
            }
            out += piece
            column += piece.count
        }
        return out + "\n"
    }

    /// Rows as aligned columns (the first row is the header).
    ///
    ///     HelpText.table([["name", "kind"], ["x", "number"]])
    public static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        // Padded by terminal columns, not characters, so a wide character does not push its row out.
        let widths = (0..<columns).map { column in
            rows.map { column < $0.count ? DisplayWidth.width(of: $0[column]) : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - DisplayWidth.width(of: cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A duration as people read it: "850 µs", "12.3 ms", "4.21 s".
    ///
    ///     HelpText.formatDuration(0.0123)   // "12.3 ms"
    public static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1e-3 { return String(format: "%.0f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }
}
