import Foundation
import Testing
@testable import LaifSim

struct JSONLTests {
    let world: World
    let folder: String

    init() throws {
        world = try World(vocab: 30, seed: 4)
        folder = NSTemporaryDirectory() + "laif-sim-jsonl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    @Test func sftDatasetRoundTrips() throws {
        let o = try Oracle(world: world, preset: "claude")
        let d = o.demos(try world.prompts(50, seed: 1))
        let path = folder + "/demos.jsonl"
        try d.writeJSONL(to: path)
        let back = try SFTDataset(jsonlAt: path, world: world)
        #expect(back.examples == d.examples)
        let firstLine = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        #expect(firstLine.hasPrefix("{\"prompt\": \"t"))
        #expect(firstLine.contains("\"completion\": \""))
        #expect(firstLine.contains("<eos>"))
        // The file is plain JSON per line (TRL's prompt/completion shape).
        let obj = try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: String]
        #expect(obj?.keys.sorted() == ["completion", "prompt"])
    }

    @Test func preferencesRoundTrip() throws {
        let ps = try world.prompts(40, seed: 2)
        let pairs = try Oracle(world: world, preset: "gpt-3.5").pairs(ps, against: Oracle(world: world, preset: "davinci"))
        let prefs = try Oracle(world: world, preset: "gpt-4").label(pairs)
        let path = folder + "/prefs.jsonl"
        try prefs.writeJSONL(to: path)
        #expect(try PreferenceDataset(jsonlAt: path, world: world).examples == prefs.examples)
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func windowsLineEndsReadAsLineEnds() throws {
        let d = try Oracle(world: world, preset: "gpt-4").demos(try world.prompts(5, seed: 3))
        let path = folder + "/crlf.jsonl"
        try d.writeJSONL(to: path)
        let unix = try String(contentsOfFile: path, encoding: .utf8)
        try unix.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try SFTDataset(jsonlAt: path, world: world).examples == d.examples)
    }

    @Test func malformedLinesNameTheLineAndLoadNothing() throws {
        let cases: [(String, String)] = [
            ("{\"prompt\": \"t0 a b\", \"completion\": \"c d <eos>\"}\n{\"prompt\": \"t0 a\"\n", ":2:"),
            ("{\"prompt\": \"t0 a b\", \"completion\": \"c d <eos>\"}\n\n{\"prompt\": \"t0 a\"}\n", ":3: missing key \"completion\""),
            ("{\"prompt\": \"t0 a b\", \"completion\": 5}\n", ":1:"),
            ("{\"prompt\": \"a b\", \"completion\": \"c <eos>\"}\n", ":1:"),
            ("{\"prompt\": \"t0 a b\", \"completion\": \"c qqqqq <eos>\"}\n", ":1: unknown token"),
            ("{\"prompt\": \"t0 a b\", \"completion\": \"\(String(repeating: "q", count: 500)) <eos>\"}\n",
             ":1: unknown token \"\(String(repeating: "q", count: 40))…\" (500 characters; this world spells"),
            ("[1, 2]\n", ":1:"),
            // Words after <eos> were trained on as if the reply went on.
            ("{\"prompt\": \"t0 a\", \"completion\": \"b <eos> c <eos>\"}\n",
             ":1: \"completion\" goes on after <eos> (\"c <eos>\"); a reply ends at its first <eos>"),
            // A NUL in a word broke the message; it is shown escaped.
            ("{\"prompt\": \"t0 a\", \"completion\": \"b\\u0000 <eos>\"}\n", ":1: unknown token \"b\\0\" ("),
            // Foundation kept one of the two values without a word.
            ("  {\"prompt\": \"t0 a\", \"prompt\": \"t1 b\", \"completion\": \"c <eos>\"}\n",
             ":1:22: key \"prompt\" appears twice in one object"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let path = folder + "/bad\(i).jsonl"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try SFTDataset(jsonlAt: path, world: world)
                Issue.record("line error expected for case \(i)")
            } catch let e as SimError {
                #expect(e.message.contains(path + expected), "case \(i): \(e.message)")
            }
        }
        let prefPath = folder + "/badpref.jsonl"
        try "{\"prompt\": \"t0 a\", \"chosen\": \"b <eos>\"}\n".write(toFile: prefPath, atomically: true, encoding: .utf8)
        #expect(throws: SimError.self) { try PreferenceDataset(jsonlAt: prefPath, world: world) }
        #expect(throws: SimError.self) { try SFTDataset(jsonlAt: folder + "/missing.jsonl", world: world) }
        #expect(throws: SimError.self) { try SFTDataset(jsonlAt: folder, world: world) }
    }

    @Test func writingMakesMissingFoldersButNotThroughAFile() throws {
        let d = try Oracle(world: world, preset: "gpt-4").demos(try world.prompts(3))
        try d.writeJSONL(to: folder + "/made/for/it/x.jsonl")
        #expect(try SFTDataset(jsonlAt: folder + "/made/for/it/x.jsonl", world: world).count == 3)
        try "x".write(toFile: folder + "/a-file", atomically: true, encoding: .utf8)
        #expect(throws: SimError.self) { try d.writeJSONL(to: folder + "/a-file/x.jsonl") }
    }
}
