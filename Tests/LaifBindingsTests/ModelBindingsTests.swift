import Foundation
import Testing
@testable import LaifBindings
import LaifLang
import LaifModels
import LaifTensor

private func tinyModel(seed: UInt64 = 1) throws -> LanguageModel {
    var rng = RandomGenerator(seed: seed)
    return try MLPLM(config: MLPConfig(vocabSize: 8, maxLength: 8, context: 2, embedding: 4, hidden: 8), rng: &rng)
}

@Test func derivedModelsExtendTheLineageAndLeaveTheInputAlone() throws {
    let base = ModelValue(model: try tinyModel(), lineage: ["mlp(vocab: 8)"])
    let tuned = base.derived(try tinyModel(seed: 2), step: "sft(epochs: 1)")
    #expect(base.lineage == ["mlp(vocab: 8)"])
    #expect(tuned.lineage == ["mlp(vocab: 8)", "sft(epochs: 1)"])
    #expect(tuned.describe().contains("    2. sft(epochs: 1)"))
    #expect(tuned.summary == "<model mlp, \(ModelValue.grouped(tuned.model.parameterCount)) params, 2 steps>")
    #expect(ModelValue(model: try tinyModel()).describe().contains("lineage (none recorded)"))
}

@Test func groupedNumbersUseThousandsSeparators() {
    #expect(ModelValue.grouped(0) == "0")
    #expect(ModelValue.grouped(999) == "999")
    #expect(ModelValue.grouped(1000) == "1,000")
    #expect(ModelValue.grouped(1_234_567) == "1,234,567")
    #expect(ModelValue.grouped(-45_000) == "-45,000")
}

@Test func modelPropertiesReportTheArchitecture() throws {
    let value = ModelValue(model: try tinyModel())
    guard case .number(let params)? = try value.property("params") else {
        Issue.record("params is not a number")
        return
    }
    #expect(Int(params) == value.model.parameterCount)
    guard case .record(let arch)? = try value.property("arch") else {
        Issue.record("arch is not a record")
        return
    }
    #expect(arch.keys == ["kind", "vocab", "context", "embedding", "hidden", "layers", "max_len"])
    #expect(try value.property("nope") == nil)
}

@Test func saveAndLoadKeepWeightsAndLineage() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let (interpreter, output) = makeTestInterpreter()
    interpreter.setGlobal("folder", .string(folder))
    _ = try interpreter.run("""
        let m = transformer(vocab: 9, d_model: 8, layers: 1, heads: 2, max_len: 6, seed: 4)
        save(m, folder ++ "/a.safetensors")
        let back = load(folder ++ "/a.safetensors")
        print(back.logprob([1, 2], [3, 4]) == m.logprob([1, 2], [3, 4]))
        print(back.lineage[-1])
        """, file: "io.laif")
    #expect(output.text == "true\nload(\"\(folder)/a.safetensors\")\n")
    // The file is a plain laif checkpoint: the model library reads it too.
    let checkpoint = try readCheckpoint(from: folder + "/a.safetensors")
    #expect(checkpoint.model.architecture["d_model"] == "8")
    #expect(checkpoint.metadata["lineage"]?.hasPrefix("transformer(vocab: 9") == true)
    // No temporary files are left beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.safetensors"])
}

@Test func fileProblemsAreIOErrors() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let garbage = folder + "/garbage.safetensors"
    try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: garbage))
    let sources = [
        "load(\"\(folder)/missing.safetensors\")",
        "load(\"\(garbage)\")",
        "load(\"\(folder)\")",
        "load(\"\")",
        "save(mlp(vocab: 4, embedding: 2, hidden: 2), \"\(garbage)/m.safetensors\")",
        "save(mlp(vocab: 4, embedding: 2, hidden: 2), \"\")",
    ]
    for source in sources {
        let error = runError(source)
        #expect(error?.kind == .io, "\(source): \(String(describing: error))")
        #expect(error?.exitCode == 74, "\(source)")
        #expect(error?.location != nil, "\(source)")
    }
}

@Test func samplingIsSeededAndBatchIndependent() throws {
    let source = """
        let m = mlp(vocab: 7, context: 2, embedding: 4, hidden: 8, max_len: 10, seed: 3)
        let prompts = []
        for i in range(70) { prompts = prompts ++ [[i % 7, (i + 1) % 7]] }
        let all = m.sample(prompts, max_new: 3, seed: 11)
        let firstTwo = m.sample([prompts[0], prompts[1]], max_new: 3, seed: 11)
        print(all[0] == firstTwo[0], all[1] == firstTwo[1], len(all))
        """
    // 70 prompts cross the 64-row chunk boundary; chunking must not change what each row draws.
    #expect(try runOutput(source) == "true true 70\n")
    do {
        let (first, _) = makeTestInterpreter()
        let (second, _) = makeTestInterpreter()
        let program = "seed(5)\nlet m = mlp(vocab: 7, embedding: 4, hidden: 8, max_len: 10)\nm.sample([[1, 2], [3]], max_new: 4)"
        let a = try first.run(program, file: "a.laif").map(format)
        let b = try second.run(program, file: "b.laif").map(format)
        #expect(a == b)
        #expect(a != nil)
    }
}

@Test func logitsMatchTheLibrary() throws {
    let (interpreter, _) = makeTestInterpreter()
    let value = try interpreter.run("let m = mlp(vocab: 6, context: 2, embedding: 3, hidden: 5, max_len: 8, seed: 9)\nm", file: "l.laif")
    guard let model = value?.object(as: ModelValue.self) else {
        Issue.record("expected a model")
        return
    }
    let logits = try interpreter.run("m.logits([[1, 2, 3]])", file: "l.laif")
    let expected = try Tensor.withoutGrad { try model.model.logits([1, 2, 3], batch: 1, length: 3) }
    #expect(logits?.object(as: TensorValue.self)?.tensor.toArray() == expected.toArray())
    #expect(logits?.object(as: TensorValue.self)?.tensor.shape == [1, 3, 6])
}

@Test func badModelInputEndsInLocatedErrors() {
    let model = "mlp(vocab: 5, context: 2, embedding: 2, hidden: 4, max_len: 6, seed: 0)"
    let sources = [
        "transformer(vocab: 0)", "transformer(vocab: 5, heads: 5)", "transformer(vocab: 5, layers: -1)",
        "transformer(vocab: 1e300)", "transformer(vocab: 5, d_model: 1.5)", "mlp(vocab: 5, context: 0)",
        "mlp(vocab: 1e9, embedding: 1e9)", "transformer(vocab: 8, d_model: 4096, layers: 1000, heads: 8)",
        "\(model).sample([[9]])", "\(model).sample([[]])", "\(model).sample([[1, 2, 3, 4, 5, 6]])",
        "\(model).sample([[1]], temperature: -1)", "\(model).sample([[1]], top_p: 0)", "\(model).sample([[1]], top_k: -2)",
        "\(model).sample([[1]], max_new: -1)", "\(model).sample([[1]], eos: 1e12)", "\(model).sample(\"abc\")",
        "\(model).sample([[1.5]])", "\(model).logprob([1], [[2]])", "\(model).logprob([[1], [2]], [[3]])",
        "\(model).logprob([1, 2, 3, 4], [1, 2, 3])", "\(model).logits([])",
        "\(model).logits([[1, 2], [3]])", "\(model).logits([1, 2, 3, 4, 5, 6, 7])", "\(model).logits([-1])",
        "save(1, \"x.safetensors\")", "save(\(model), 3)", "load(3)",
    ]
    for source in sources {
        let error = runError(source)
        #expect(error != nil, "\(source) should fail")
        #expect(error?.location != nil, "\(source): error has no location")
        #expect(error?.kind == .runtime, "\(source): \(String(describing: error))")
    }
}

@Test func samplingKnobsAreCheckedInTheLanguagesNames() {
    let model = "mlp(vocab: 5, context: 2, embedding: 2, hidden: 4, max_len: 6, seed: 0)"
    #expect(runError("\(model).sample([[1]], top_p: 2)")?.message.contains("top_p must be in (0, 1] (1 keeps every token), got 2") == true)
    #expect(runError("\(model).sample([[1]], top_k: -1)")?.message.contains("top_k must be >= 0") == true)
    // The model library's Swift names (eosToken, maxLength) used to reach the message.
    #expect(runError("\(model).sample([[1]], eos: 99)")?.message.contains("eos 99 is outside the model's vocabulary 0..<5") == true)
    #expect(runError("\(model).logprob([1, 2, 3, 4], [1, 2, 3])")?.message.contains("the model's max_len 6") == true)
    // 1e300 is finite for laif but not as a Float: the message shows what was typed, and says
    // so (it used to read "temperature must be a finite number >= 0 ..., got 1e+300").
    #expect(runError("\(model).sample([[1]], temperature: 1e300)")?.message
        .contains("temperature 1e+300 is too large for sampling's 32-bit floats (at most 3.4028235e+38); use a temperature like 1") == true)
    // 1e-300 passes top_p's (0, 1] check but is 0 as a Float: the sampler used to refuse "topP ... got 0.0".
    let tiny = runError("\(model).sample([[1]], top_p: 1e-300)")?.message ?? ""
    #expect(tiny.contains("top_p 1e-300 is too small"), "\(tiny)")
    #expect(!tiny.contains("topP"), "\(tiny)")
}

@Test func everyModelBuiltinHasDocsAndAnExample() throws {
    let registry = standardRegistry()
    let builtins = registry.all.filter { $0.topic == "model" } + registry.methods(of: "model")
    #expect(Set(builtins.map(\.qualifiedName)).isSuperset(of: [
        "transformer", "mlp", "save", "load", "model.sample", "model.logprob", "model.token_logprobs", "model.logits",
    ]))
    for builtin in builtins {
        #expect(!builtin.doc.isEmpty && !builtin.example.isEmpty, "\(builtin.qualifiedName)")
        #expect(!Interpreter.isIncomplete(builtin.example), "\(builtin.qualifiedName)")
    }
    // Examples that need no files run as written.
    for builtin in builtins where !builtin.example.contains("safetensors") {
        #expect(throws: Never.self, "\(builtin.qualifiedName): \(builtin.example)") { _ = try runValue(builtin.example) }
    }
}

/// A model that only reports sizes: enough to test memory planning without allocating weights.
private final class SizeOnlyModel: LanguageModel {
    let vocabSize: Int
    let maxLength: Int
    let architecture: [String: String]
    init(vocab: Int, maxLength: Int, dModel: Int) {
        vocabSize = vocab
        self.maxLength = maxLength
        architecture = ["kind": "transformer", "vocab_size": "\(vocab)", "max_length": "\(maxLength)",
                        "d_model": "\(dModel)", "mlp_ratio": "4"]
    }
    func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor { try Tensor.zeros([batch, length, vocabSize]) }
    var parameters: [NamedParameter] { [] }
    func clone() -> LanguageModel { self }
}

@Test func modelCallsAreSplitToBoundMemory() throws {
    let registry = standardRegistry()
    guard let logits = registry.method("logits", of: "model") else {
        Issue.record("no model.logits")
        return
    }
    let (interpreter, _) = makeTestInterpreter()
    let small = ModelValue(model: SizeOnlyModel(vocab: 10, maxLength: 16, dModel: 8))
    let huge = ModelValue(model: SizeOnlyModel(vocab: 1 << 22, maxLength: 4096, dModel: 8))
    interpreter.setGlobal("small", .object(small))
    interpreter.setGlobal("huge", .object(huge))
    #expect(logits.name == "logits")
    #expect(try interpreter.run("small.logits([[1, 2], [3, 4]]).shape", file: "m.laif").map(format) == "[2, 2, 10]")
    // One row of 4096 tokens over a 4M vocabulary would need 2^34 values: refused, not allocated.
    #expect(throws: LaifError.self) { try interpreter.run("huge.sample([[1]])", file: "m.laif") }
    #expect(throws: LaifError.self) { try interpreter.run("huge.logprob([1], range(4095))", file: "m.laif") }
    // A row of two tokens needs 2 x 4M values: it runs (calls are sized by the rows given, not max_len).
    #expect(try interpreter.run("huge.logprob([1], [2]) < 0", file: "m.laif").map(format) == "true")
}

@Test func shortRowsRunOnAModelWithAVeryLongMaxLen() throws {
    // One row of max_len (1e8) tokens would not fit a tensor, but these rows hold two or three
    // tokens: calls used to be sized by max_len and refused them ("one row of 100000000 tokens").
    let model = "mlp(vocab: 4, context: 1, embedding: 1, hidden: 4, max_len: 1e8, seed: 0)"
    let value = try runValue("let m = \(model); [m.logprob([1], [2]) < 0, len(m.token_logprobs([1], [2, 3])), len(m.sample([1], max_new: 2, seed: 1))]")
    #expect(value == "[true, 2, 2]")
    // Asking for max_len tokens is still refused, in the language's words.
    #expect(runError("\(model).sample([1])")?.message.contains("one row of 100000000 tokens") == true)
}

@Test func aDivergedModelsLogProbabilitiesAreAnErrorNotNaN() throws {
    // sample already refused non-finite logits; logprob and token_logprobs returned nan as a score
    // (e.g. after sft(..., lr: 1e38, max_steps: 1), whose last update no later loss checks).
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let broken = try makeLanguageModel(architecture: ["kind": "mlp", "vocab_size": "5", "max_length": "8",
                                                      "context": "2", "embedding": "2", "hidden": "4"])
    for parameter in broken.parameters {
        try parameter.tensor.assign([Float](repeating: .nan, count: parameter.tensor.count))
    }
    try saveCheckpoint(broken, to: folder + "/nan.safetensors")
    let m = "load(\"\(folder)/nan.safetensors\")"
    for source in ["\(m).logprob([1, 2], [3])", "\(m).token_logprobs([1, 2], [3, 4])", "\(m).logprob([[1], [2]], [[3], [4]])"] {
        let error = try #require(runError(source), "\(source) should fail")
        #expect(error.message.contains("row 0: the model gives NaN log-probabilities; its weights have diverged"), "\(error.message)")
        #expect(error.location != nil)
    }
    // Nothing to score is still no score, not an error.
    #expect(try runValue("\(m).token_logprobs([1, 2], [])") == "[]")
}

/// A world's prompt given where token ids are expected says where its ids are (found by this
/// session's tester: "must be a list of token lists ..., got prompt", although a flat list works).
@Test func promptObjectsGivenAsTokensPointToTheirTokens() {
    let setup = "let w = world(tasks: 2, vocab: 8); let m = transformer(w.vocab_size, d_model: 16, layers: 1, heads: 2); let P = w.prompts(2); "
    let one = runError(setup + "m.logprob(P[0], [1])")?.message ?? ""
    #expect(one.contains("prompt must be a token list or a list of token lists") && one.hasSuffix("got prompt; a prompt's token ids are p.tokens"), "\(one)")
    let set = runError(setup + "m.logprob(P, [[1], [2]])")?.message ?? ""
    #expect(set.hasSuffix("got prompts; a prompt set's token ids are ps.tokens()"), "\(set)")
    #expect(runError(setup + "m.logprob(P[0].tokens, [1])") == nil)
}
