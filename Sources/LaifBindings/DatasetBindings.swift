import Foundation
import LaifLang
import LaifSim
import LaifSupport

/// Registers JSONL file I/O for datasets (`save_jsonl`, `load_jsonl`, `.to_jsonl`) and the
/// dataset methods (`preferences.agreement`). Files use TRL's shapes with token text:
/// `{"prompt": "t0 a b", "completion": "c d <eos>"}` and
/// `{"prompt": ..., "chosen": ..., "rejected": ...}`. Every file problem is an I/O error
/// (exit 74) naming the file and, for a bad line, its number.
///
///     let registry = BuiltinRegistry.core()
///     registerDatasetBindings(in: registry)
public func registerDatasetBindings(in registry: BuiltinRegistry) {
    registry.register(DatasetBuiltins.saveJSONL)
    registry.register(DatasetBuiltins.loadJSONL)
    registry.registerMethod(typeName: "dataset", DatasetBuiltins.toJSONL)
    registry.registerMethod(typeName: "preferences", DatasetBuiltins.preferencesToJSONL)
    registry.registerMethod(typeName: "preferences", DatasetBuiltins.agreement)
}

enum DatasetBuiltins {
    /// Writes a dataset or preference set to `path`; an I/O error names the file.
    static func write(_ value: Value, to path: String, _ args: Arguments) throws {
        guard !path.isEmpty else { throw LaifError.io("\(args.builtin.qualifiedName)(): the path is empty; give a file name like \"demos.jsonl\"") }
        do {
            if let data = value.object(as: SFTDatasetObject.self) {
                try data.dataset.writeJSONL(to: path)
            } else if let prefs = value.object(as: PreferenceDatasetObject.self) {
                try prefs.dataset.writeJSONL(to: path)
            } else if value.object(as: PairSetObject.self) != nil {
                throw args.error("unlabelled pairs have no JSONL shape; label them first (critic.label(pairs)) and save the preferences")
            } else {
                throw args.error("can save a dataset or preferences, got \(value.typeName)")
            }
        } catch let error as SimError {
            throw LaifError.io("\(args.builtin.qualifiedName)(): \(error.message)")
        }
    }

    /// `save_jsonl(data, path)`: writes a dataset or preferences as JSONL (atomically).
    ///
    ///     save_jsonl(gpt35.demos(ps), "demos.jsonl")
    static let saveJSONL = Builtin(
        name: "save_jsonl", parameters: [.required("data"), .required("path")],
        doc: "Writes a dataset ({prompt, completion}) or preferences ({prompt, chosen, rejected}) as JSONL, atomically.",
        example: "let w = world(); save_jsonl(oracle(w).demos(w.prompts(3)), \"/tmp/laif-demos.jsonl\")", topic: "world"
    ) { args, _ in
        try write(try args.value("data"), to: try args.string("path"), args)
        return .nil
    }

    /// `data.to_jsonl(path)`: the same as `save_jsonl(data, path)`.
    ///
    ///     demos.to_jsonl("demos.jsonl")
    static let toJSONL = Builtin(
        name: "to_jsonl", parameters: [.required("path")],
        doc: "Writes this dataset as JSONL ({prompt, completion}: TRL's shape, token text), atomically.",
        example: "let w = world(); oracle(w).demos(w.prompts(3)).to_jsonl(\"/tmp/laif-demos.jsonl\")", topic: "world"
    ) { args, _ in
        try write(args.receiver ?? .nil, to: try args.string("path"), args)
        return .nil
    }

    /// `prefs.to_jsonl(path)`: the same as `save_jsonl(prefs, path)`; its own entry so that
    /// `laif help preferences.to_jsonl` describes preferences, not demonstrations.
    ///
    ///     prefs.to_jsonl("prefs.jsonl")
    static let preferencesToJSONL = Builtin(
        name: "to_jsonl", parameters: [.required("path")],
        doc: "Writes these preferences as JSONL ({prompt, chosen, rejected}: TRL's shape, token text), atomically.",
        example: "let w = world(); let p = oracle(w, preset: \"davinci\").pairs(w.prompts(3), against: oracle(w, preset: \"gpt-3.5\")); "
            + "oracle(w).label(p).to_jsonl(\"/tmp/laif-prefs.jsonl\")", topic: "world"
    ) { args, _ in
        try write(args.receiver ?? .nil, to: try args.string("path"), args)
        return .nil
    }

    /// `load_jsonl(path, world:, kind: nil)`: reads a dataset (kind "sft") or preferences
    /// (kind "preferences"); kind nil decides by the first line's keys. Nothing is loaded when
    /// any line is bad; the error names the line.
    ///
    ///     let d = load_jsonl("demos.jsonl", world: w)
    static let loadJSONL = Builtin(
        name: "load_jsonl", parameters: [.required("path"), .required("world"), .optional("kind", .nil)],
        doc: "Reads a JSONL dataset (kind \"sft\") or preferences (\"preferences\") over a world; kind nil reads the first line's keys.",
        example: "let w = world(); save_jsonl(oracle(w).demos(w.prompts(3)), \"/tmp/laif-demos.jsonl\"); load_jsonl(\"/tmp/laif-demos.jsonl\", world: w)",
        topic: "world"
    ) { args, _ in
        let path = try args.string("path")
        let world = try args.world("world").world
        let name = args.builtin.qualifiedName
        let kind: String
        if let given = try args.stringIfGiven("kind") {
            guard ["sft", "preferences"].contains(given) else {
                throw args.error("kind must be \"sft\" or \"preferences\" (or nil to read the file's keys), got \"\(given)\"")
            }
            kind = given
        } else {
            kind = try detectKind(path: path, caller: name)
        }
        do {
            if kind == "preferences" {
                return .object(PreferenceDatasetObject(try PreferenceDataset(jsonlAt: path, world: world)))
            }
            return .object(SFTDatasetObject(try SFTDataset(jsonlAt: path, world: world)))
        } catch let error as SimError {
            throw LaifError.io("\(name)(): \(error.message)")
        }
    }

    /// "preferences" when the first non-blank line has a "chosen" key, else "sft".
    static func detectKind(path: String, caller: String) throws -> String {
        // Read as the loader reads it (same size limit, NUL check, pipes refused without waiting).
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 1 << 30)
        } catch let error as FileIOError {
            throw LaifError.io("\(caller)(): cannot read \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LaifError.io("\(caller)(): \(path): not UTF-8 text; a JSONL file holds one JSON object per line")
        }
        let firstLine = text.splitLines().first { !$0.allSatisfy(\.isWhitespace) }
        guard let firstLine else {
            throw LaifError.io("\(caller)(): \(path) is empty; pass kind: \"sft\" or \"preferences\" to load an empty file")
        }
        if let object = try? JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any] {
            return object["chosen"] != nil ? "preferences" : "sft"
        }
        // A first line that is not valid JSON still says which shape it meant, so the loader's
        // message shows that shape (it used to show the SFT one for a broken preferences file).
        return firstLine.contains("\"chosen\"") ? "preferences" : "sft"
    }

    /// `prefs.agreement(other)`: share of the same pairs on which two labellings chose alike.
    ///
    ///     gpt4.label(pairs).agreement(claude.label(pairs))   # about 0.7
    static let agreement = Builtin(
        name: "agreement", parameters: [.required("other")],
        doc: "Share of pairs on which another labelling of the same pairs chose the same reply.",
        example: "let w = world(); let p = oracle(w, preset: \"davinci\").pairs(w.prompts(5), against: oracle(w, preset: \"gpt-3.5\")); oracle(w).label(p).agreement(oracle(w, preset: \"claude\").label(p))",
        topic: "world"
    ) { args, _ in
        guard let mine = args.receiver?.object(as: PreferenceDatasetObject.self) else { throw args.error("needs a preferences receiver") }
        let other = try args.object("other", as: PreferenceDatasetObject.self, expected: "preferences")
        return .number(try args.simulating { try mine.dataset.agreement(with: other.dataset) })
    }
}
