import Foundation
import Testing
import LaifBindings
import LaifLang
import LaifSim

/// Datasets in the language: JSONL files in TRL's shapes, errors with line numbers and the I/O
/// exit code, rows and slices.
struct DatasetBindingsTests {
    let setup = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 3], seed: 1)
        let ps = w.prompts(5, seed: 0)
        let d = oracle(w, preset: "gpt-3.5").demos(ps)
        let prefs = oracle(w).label(oracle(w, preset: "davinci").pairs(ps, against: oracle(w, preset: "gpt-3.5")))

        """

    @Test func savedFilesAreTRLShapedJSONL() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run(setup + "save_jsonl(d, \"\(folder)/d.jsonl\")\nprefs.to_jsonl(\"\(folder)/p.jsonl\")", file: "t")
        let demos = try String(contentsOfFile: folder + "/d.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(demos.count == 5)
        let first = try JSONSerialization.jsonObject(with: Data(demos[0].utf8)) as? [String: String]
        #expect(first?.keys.sorted() == ["completion", "prompt"])
        #expect(first?["prompt"] == "t1 c a")
        let prefs = try String(contentsOfFile: folder + "/p.jsonl", encoding: .utf8).split(separator: "\n")
        let row = try JSONSerialization.jsonObject(with: Data(prefs[0].utf8)) as? [String: String]
        #expect(row?.keys.sorted() == ["chosen", "prompt", "rejected"])
        // Written atomically: nothing but the two files is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["d.jsonl", "p.jsonl"])
    }

    @Test func roundTripKeepsEveryRow() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try runValue(setup + """
            save_jsonl(d, "\(folder)/d.jsonl")
            save_jsonl(prefs, "\(folder)/p.jsonl")
            let d2 = load_jsonl("\(folder)/d.jsonl", world: w)
            let p2 = load_jsonl("\(folder)/p.jsonl", world: w)
            let same = true
            for i in range(len(d)) { if d[i] != d2[i] { same = false } }
            for i in range(len(prefs)) { if prefs[i] != p2[i] { same = false } }
            [same, len(d2), len(p2), d2.quality == d.quality, p2.gold_accuracy == prefs.gold_accuracy]
            """) == "[true, 5, 5, true, true]")
    }

    @Test func aBadLineIsAnIOErrorNamingTheLine() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/bad.jsonl"
        try Data("{\"prompt\": \"t0 a\", \"completion\": \"b <eos>\"}\n{\"prompt\": \"t0 a\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(runError("load_jsonl(\"\(path)\", world: world(tasks: 2, vocab: 6))"))
        #expect(error.kind == .io)
        #expect(error.exitCode == 74)
        #expect(error.message == "load_jsonl(): \(path):2: missing key \"completion\" (need prompt, completion)")

        try Data("{\"prompt\": \"t0 a\", \"completion\": \"b <eos>\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: path))
        let syntax = try #require(runError("load_jsonl(\"\(path)\", world: world(tasks: 2, vocab: 6))"))
        #expect(syntax.message.hasPrefix("load_jsonl(): \(path):2: not valid JSON"))

        // Foundation reads a comma before a closing bracket; Python's json and TRL do not.
        try Data("{\"prompt\": \"t0 a\", \"completion\": \"b <eos>\"}\n  {\"prompt\": \"t0 a\", \"completion\": \"b <eos>\",}\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let comma = try #require(runError("load_jsonl(\"\(path)\", world: world(tasks: 2, vocab: 6))"))
        #expect(comma.kind == .io)
        #expect(comma.message == "load_jsonl(): \(path):2:45: a comma before a closing bracket is not JSON "
            + "(Python's json and TRL refuse the file); remove it")

        // A broken first line of a preferences file is shown against the preferences shape.
        try Data("{\"prompt\": \"t0 a\", \"chosen\": \"a <eos>\", \"rejected\": \"b <eos>\"\n".utf8).write(to: URL(fileURLWithPath: path))
        let broken = try #require(runError("load_jsonl(\"\(path)\", world: world(tasks: 2, vocab: 6))"))
        #expect(broken.message.contains("\"chosen\": \"...\", \"rejected\": \"...\""), "\(broken.message)")

        try Data("{\"prompt\": \"t0 a\", \"completion\": \"zz <eos>\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let token = try #require(runError("load_jsonl(\"\(path)\", world: world(tasks: 2, vocab: 6))"))
        #expect(token.message.hasPrefix("load_jsonl(): \(path):1: unknown token \"zz\""))
    }

    @Test func fileProblemsAreIOErrors() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = try #require(runError("load_jsonl(\"\(folder)/none.jsonl\", world: world())"))
        #expect(missing.kind == .io)
        #expect(missing.message.contains("No such file or directory"), "\(missing.message)")
        // A pipe nobody writes to used to hang the loader; it is refused as not a file.
        #expect(mkfifo(folder + "/fifo", 0o600) == 0)
        #expect(runError("load_jsonl(\"\(folder)/fifo\", world: world())")?.message.contains("not a regular file") == true)
        // Missing folders are made (as for reports, plots and logs); a file in the way is an error.
        #expect(runError(setup + "save_jsonl(d, \"\(folder)/new/deeper/d.jsonl\")") == nil)
        #expect(FileManager.default.fileExists(atPath: folder + "/new/deeper/d.jsonl"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain"))
        let blocked = try #require(runError(setup + "save_jsonl(d, \"\(folder)/plain/d.jsonl\")"))
        #expect(blocked.kind == .io)
        #expect(blocked.message.contains("plain"))
        let empty = try #require(runError(setup + "save_jsonl(d, \"\")"))
        #expect(empty.kind == .io)
        try Data("\n\n".utf8).write(to: URL(fileURLWithPath: folder + "/empty.jsonl"))
        let blank = try #require(runError("load_jsonl(\"\(folder)/empty.jsonl\", world: world())"))
        #expect(blank.kind == .io)
        #expect(blank.message.contains("is empty; pass kind:"))
        #expect(try runValue("len(load_jsonl(\"\(folder)/empty.jsonl\", world: world(), kind: \"sft\"))") == "0")
    }

    @Test func onlyDatasetsCanBeSaved() throws {
        let pairs = try #require(runError(setup + "save_jsonl(oracle(w).pairs(ps, against: oracle(w)), \"/tmp/x.jsonl\")"))
        #expect(pairs.message.contains("unlabelled pairs have no JSONL shape; label them first"))
        let number = try #require(runError("save_jsonl(3, \"/tmp/x.jsonl\")"))
        #expect(number.message.hasPrefix("save_jsonl(): can save a dataset or preferences, got number"))
        let kind = try #require(runError("load_jsonl(\"/tmp/x.jsonl\", world: world(), kind: \"dpo\")"))
        #expect(kind.message.hasPrefix("load_jsonl(): kind must be \"sft\" or \"preferences\""))
    }

    @Test func rowsSlicesAndJoins() throws {
        #expect(try runValue(setup + "[len(d[1:]), len(d ++ d[:2]), d[-1] == d[4], len(prefs[:] ++ prefs)]") == "[4, 7, true, 10]")
        let mixed = try #require(runError(setup + "let v = world(); d ++ oracle(v).demos(v.prompts(1))"))
        #expect(mixed.message == "cannot join datasets of two different worlds; build both from one world")
        let index = try #require(runError(setup + "d[5]"))
        #expect(index.message == "index 5 is out of range for a dataset of 5")
        let agreement = try #require(runError(setup + "prefs.agreement(prefs[:2])"))
        #expect(agreement.message.hasPrefix("preferences.agreement(): agreement: the two preference sets differ in size (5 vs 2)")
            || agreement.message.hasPrefix("preferences.agreement(): the two preference sets differ in size (5 vs 2)"))
    }
}
