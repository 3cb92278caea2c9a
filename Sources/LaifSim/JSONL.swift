import Foundation
import LaifSupport

/// JSONL import and export in TRL's shapes, with token text a person can read
/// (see `TokenLayout` for the spelling):
///
///     {"prompt": "t2 a b c", "completion": "d e f <eos>"}
///     {"prompt": "t2 a b c", "chosen": "d e f <eos>", "rejected": "d e <f0> <eos>"}
///
/// Loading checks every line first and returns nothing unless all lines are good; errors name
/// the file and the line number.
enum JSONL {
    /// One JSON object line with keys in the given order.
    static func line(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(jsonStringLiteral($0.0)): \(jsonStringLiteral($0.1))" }.joined(separator: ", ") + "}"
    }

    /// The largest JSONL file read into memory (1 GiB): far beyond any dataset of this world.
    static let maxJSONLBytes = 1 << 30

    /// Reads a file's non-blank lines as JSON objects with the required string fields.
    static func read(path: String, fields: [String]) throws -> [(line: Int, values: [String])] {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: maxJSONLBytes)
        } catch let error as FileIOError {
            throw SimError("cannot read \(path): \(error.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SimError("\(path): not UTF-8 text; a JSONL file holds one JSON object per line")
        }
        var rows: [(Int, [String])] = []
        for (i, raw) in text.splitLines().enumerated() {
            let lineNumber = i + 1
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(trimmed.utf8))
            } catch {
                throw SimError("\(path):\(lineNumber): not valid JSON; each line must be one object like "
                    + line(fields.map { ($0, "...") }))
            }
            if let column = jsonTrailingCommaColumn(trimmed) {
                let indent = raw.prefix(while: \.isWhitespace).count
                throw SimError("\(path):\(lineNumber):\(column + indent): a comma before a closing bracket is not JSON "
                    + "(Python's json and TRL refuse the file); remove it")
            }
            if let duplicate = jsonDuplicateKey(trimmed) {
                let indent = raw.prefix(while: \.isWhitespace).count
                throw SimError("\(path):\(lineNumber):\(duplicate.column + indent): key \(jsonStringLiteral(duplicate.key)) appears twice in "
                    + "one object; give each key once")
            }
            guard let dict = object as? [String: Any] else {
                throw SimError("\(path):\(lineNumber): expected a JSON object with keys \(fields.joined(separator: ", "))")
            }
            var values: [String] = []
            for key in fields {
                guard let value = dict[key] else {
                    throw SimError("\(path):\(lineNumber): missing key \"\(key)\" (need \(fields.joined(separator: ", ")))")
                }
                guard let s = value as? String else {
                    throw SimError("\(path):\(lineNumber): \"\(key)\" must be a string of tokens like \"a b <eos>\"")
                }
                values.append(s)
            }
            rows.append((lineNumber, values))
        }
        return rows
    }

    /// Writes JSONL text atomically, as a `SimError` naming the path on failure.
    static func write(_ text: String, to path: String) throws {
        do {
            try writeFileAtomically(text, to: path, creatingFolders: true, followingSymlinks: true)
        } catch {
            throw SimError("cannot write \(error)")
        }
    }

    /// A reply's tokens: words the world spells, ending at its one EOS if it has one. Words
    /// after an EOS were loaded and trained on as if the reply went on past its end.
    ///
    ///     try JSONL.reply("a b <eos>", in: w, key: "completion")   // [8, 9, 3]
    static func reply(_ text: String, in world: World, key: String) throws -> [Int32] {
        let tokens = try world.layout.tokens(from: text)
        if let end = tokens.firstIndex(of: TokenLayout.eos), end < tokens.count - 1 {
            throw SimError("\"\(key)\" goes on after <eos> (\"\(world.layout.text(Array(tokens[(end + 1)...])))\"); "
                + "a reply ends at its first <eos>, so drop what follows it")
        }
        return tokens
    }

    /// Runs `body`, prefixing any error with the file and line.
    static func at<T>(_ path: String, _ line: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SimError {
            throw SimError("\(path):\(line): \(e.message)")
        }
    }
}

extension SFTDataset {
    /// The dataset as JSONL text, one `{"prompt", "completion"}` object per line.
    ///
    ///     d.jsonl   // {"prompt": "t2 a b", "completion": "d e <eos>"}\n...
    public var jsonl: String {
        examples.map { JSONL.line([("prompt", $0.prompt.text), ("completion", world.text($0.completion))]) + "\n" }.joined()
    }

    /// Writes the dataset as JSONL (atomically).
    ///
    ///     try gpt35.demos(ps).writeJSONL(to: "demos.jsonl")
    public func writeJSONL(to path: String) throws {
        try JSONL.write(jsonl, to: path)
    }

    /// Reads a `{"prompt", "completion"}` JSONL file over a world; a malformed line is an
    /// error naming its number, and nothing is loaded.
    ///
    ///     let d = try SFTDataset(jsonlAt: "demos.jsonl", world: w)
    public init(jsonlAt path: String, world: World) throws {
        let rows = try JSONL.read(path: path, fields: ["prompt", "completion"])
        let examples = try rows.map { row in
            try JSONL.at(path, row.line) {
                SFTExample(prompt: try world.prompt(text: row.values[0]),
                           completion: try JSONL.reply(row.values[1], in: world, key: "completion"))
            }
        }
        self.init(world: world, examples: examples, source: path)
    }
}

extension PreferenceDataset {
    /// The dataset as JSONL text, one `{"prompt", "chosen", "rejected"}` object per line.
    ///
    ///     prefs.jsonl
    public var jsonl: String {
        examples.map {
            JSONL.line([("prompt", $0.prompt.text), ("chosen", world.text($0.chosen)), ("rejected", world.text($0.rejected))]) + "\n"
        }.joined()
    }

    /// Writes the dataset as JSONL (atomically).
    ///
    ///     try prefs.writeJSONL(to: "prefs.jsonl")
    public func writeJSONL(to path: String) throws {
        try JSONL.write(jsonl, to: path)
    }

    /// Reads a `{"prompt", "chosen", "rejected"}` JSONL file over a world; a malformed line is
    /// an error naming its number, and nothing is loaded.
    ///
    ///     let prefs = try PreferenceDataset(jsonlAt: "prefs.jsonl", world: w)
    public init(jsonlAt path: String, world: World) throws {
        let rows = try JSONL.read(path: path, fields: ["prompt", "chosen", "rejected"])
        let examples = try rows.map { row in
            try JSONL.at(path, row.line) {
                PreferenceExample(prompt: try world.prompt(text: row.values[0]),
                                  chosen: try JSONL.reply(row.values[1], in: world, key: "chosen"),
                                  rejected: try JSONL.reply(row.values[2], in: world, key: "rejected"))
            }
        }
        self.init(world: world, examples: examples, source: path)
    }
}
