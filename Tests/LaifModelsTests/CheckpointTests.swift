import Foundation
import LaifTensor
import Testing
@testable import LaifModels

private func tinyTransformer(seed: UInt64 = 11) throws -> TransformerLM {
    var rng = RandomGenerator(seed: seed)
    return try TransformerLM(config: TransformerConfig(vocabSize: 12, maxLength: 10, dModel: 16, layers: 2, heads: 2), rng: &rng)
}

private func tinyMLP(seed: UInt64 = 12) throws -> MLPLM {
    var rng = RandomGenerator(seed: seed)
    return try MLPLM(config: MLPConfig(vocabSize: 12, maxLength: 10, context: 3, embedding: 8, hidden: 16), rng: &rng)
}

private let probeTokens: [Int32] = [1, 5, 7, 2, 0, 11, 3, 3, 9, 4, 6, 8, 10, 1]

private func probeLogits(_ model: LanguageModel) throws -> [Float] {
    try Tensor.withoutGrad { try model.logits(probeTokens, batch: 2, length: 7).toArray() }
}

/// Rewrites a saved checkpoint through `edit` to build broken variants.
private func rewrite(_ path: String, to newPath: String, _ edit: (SafetensorsFile) throws -> SafetensorsFile) throws {
    try edit(try SafetensorsFile(contentsOfFile: path)).write(toFile: newPath)
}

private func copying(_ file: SafetensorsFile, metadata: [String: String]? = nil,
                     replacing name: String? = nil, with replacement: SafetensorsTensor? = nil,
                     dropping dropped: String? = nil, adding extra: (String, SafetensorsTensor)? = nil) throws -> SafetensorsFile {
    var out = SafetensorsFile(metadata: metadata ?? file.metadata)
    for tensorName in file.tensorNames where tensorName != dropped {
        try out.add(tensorName, tensorName == name ? replacement! : file[tensorName]!)
    }
    if let extra { try out.add(extra.0, extra.1) }
    return out
}

private func expectCheckpointError(
    containing fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a CheckpointError", sourceLocation: sourceLocation)
    } catch let error as CheckpointError {
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected CheckpointError, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("a transformer round trip gives identical logits, architecture and metadata")
    func transformerRoundTrip() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("t.safetensors")
        let model = try tinyTransformer()
        try saveCheckpoint(model, to: path, metadata: ["step": "300", "trainer": "sft"])
        let checkpoint = try readCheckpoint(from: path)
        #expect(checkpoint.metadata == ["step": "300", "trainer": "sft"])
        #expect(checkpoint.model.architecture == model.architecture)
        #expect(checkpoint.model.parameters.map(\.name) == model.parameters.map(\.name))
        #expect(try probeLogits(checkpoint.model) == probeLogits(model))
        // A differently initialised model differs, so the equality above is not vacuous.
        #expect(try probeLogits(tinyTransformer(seed: 99)) != probeLogits(model))
        #expect(try folder.contents() == ["t.safetensors"])
        // The header carries the architecture for other tools.
        let raw = try SafetensorsFile(contentsOfFile: path)
        #expect(raw.metadata["arch.kind"] == "transformer")
        #expect(raw.metadata[CheckpointLayout.formatKey] == CheckpointLayout.formatVersion)
    }

    @Test("an MLP round trip gives identical logits")
    func mlpRoundTrip() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("m.safetensors")
        let model = try tinyMLP()
        try saveCheckpoint(model, to: path)
        let loaded = try loadCheckpoint(from: path)
        #expect(loaded is MLPLM)
        #expect(try probeLogits(loaded) == probeLogits(model))
    }

    @Test("metadata keys reserved for laif are refused")
    func reservedMetadata() throws {
        let folder = try ModelIOScratchFolder()
        let model = try tinyMLP()
        expectCheckpointError(containing: ["\"arch.kind\" is reserved"]) {
            try saveCheckpoint(model, to: folder.file("x.safetensors"), metadata: ["arch.kind": "mlp"])
        }
        expectCheckpointError(containing: ["\"laif.format\" is reserved"]) {
            try saveCheckpoint(model, to: folder.file("x.safetensors"), metadata: ["laif.format": "x"])
        }
        #expect(try folder.contents().isEmpty)
    }

    @Test("missing, extra or mis-shaped tensors are errors naming the tensor")
    func weightMismatches() throws {
        let folder = try ModelIOScratchFolder()
        let good = folder.file("good.safetensors")
        let model = try tinyTransformer()
        try saveCheckpoint(model, to: good)
        let bad = folder.file("bad.safetensors")
        // A matrix, so flattening it gives a different shape with the same values.
        let matrix = try #require(model.parameters.dropFirst(2).first { $0.tensor.rank == 2 })
        let victim = matrix.name
        let shape = matrix.tensor.shape

        try rewrite(good, to: bad) { try copying($0, dropping: victim) }
        expectCheckpointError(containing: [bad, "missing tensor \"\(victim)\"", "\(shape)"]) { _ = try loadCheckpoint(from: bad) }

        try rewrite(good, to: bad) { try copying($0, adding: ("stray.weight", try SafetensorsTensor(shape: [1], values: [0]))) }
        expectCheckpointError(containing: ["\"stray.weight\" is not a parameter"]) { _ = try loadCheckpoint(from: bad) }

        let wrong = [shape.reduce(1, *)]
        try rewrite(good, to: bad) {
            try copying($0, replacing: victim, with: try SafetensorsTensor(shape: wrong, values: $0[victim]!.values))
        }
        expectCheckpointError(containing: ["tensor \"\(victim)\" has shape \(wrong) in the file but \(shape) in the model"]) {
            _ = try loadCheckpoint(from: bad)
        }
    }

    @Test("architecture metadata must be present, known and consistent")
    func architectureProblems() throws {
        let folder = try ModelIOScratchFolder()
        let good = folder.file("good.safetensors")
        let bad = folder.file("bad.safetensors")
        try saveCheckpoint(try tinyMLP(), to: good)

        try rewrite(good, to: bad) { try copying($0, metadata: ["note": "no architecture"]) }
        expectCheckpointError(containing: ["no architecture metadata", "not a laif checkpoint"]) { _ = try loadCheckpoint(from: bad) }

        try rewrite(good, to: bad) { file in
            var metadata = file.metadata
            metadata["arch.kind"] = "lstm"
            return try copying(file, metadata: metadata)
        }
        expectCheckpointError(containing: ["does not describe a model", "lstm"]) { _ = try loadCheckpoint(from: bad) }

        try rewrite(good, to: bad) { file in
            var metadata = file.metadata
            metadata["arch.hidden"] = "32"  // the weights were saved with hidden 16
            return try copying(file, metadata: metadata)
        }
        expectCheckpointError(containing: ["has shape", "in the file but"]) { _ = try loadCheckpoint(from: bad) }

        try rewrite(good, to: bad) { file in
            var metadata = file.metadata
            metadata["laif.format"] = "checkpoint-9"
            return try copying(file, metadata: metadata)
        }
        expectCheckpointError(containing: ["\"checkpoint-9\"", "newer laif"]) { _ = try loadCheckpoint(from: bad) }
    }

    @Test("architecture metadata asking for more parameters than the limit is refused before allocating")
    func oversizedArchitecture() throws {
        let folder = try ModelIOScratchFolder()
        let good = folder.file("good.safetensors")
        let bad = folder.file("bad.safetensors")
        try saveCheckpoint(try tinyTransformer(), to: good)
        // Every weight is within the per-tensor limit, but 1024 layers of them need ~3 TB:
        // this used to abort the process in the allocator.
        try rewrite(good, to: bad) { file in
            var metadata = file.metadata
            metadata["arch.d_model"] = "8192"
            metadata["arch.heads"] = "8"
            metadata["arch.layers"] = "1024"
            return try copying(file, metadata: metadata)
        }
        expectCheckpointError(containing: ["does not describe a model", "parameters, more than the limit of 268435456"]) {
            _ = try loadCheckpoint(from: bad)
        }
        let wideMLP = ["kind": "mlp", "vocab_size": "16", "max_length": "16", "context": "4", "embedding": "8",
                       "hidden": "16384", "hidden_layers": "1024"]
        #expect(throws: ModelConfigurationError.self) { _ = try makeLanguageModel(architecture: wideMLP) }
    }

    @Test("architecture metadata far bigger than the file's weights is refused before building")
    func architectureBiggerThanWeights() throws {
        let folder = try ModelIOScratchFolder()
        let good = folder.file("good.safetensors")
        let bad = folder.file("bad.safetensors")
        let model = try tinyTransformer()
        try saveCheckpoint(model, to: good)
        // Found by fuzzing: a few-KB file claiming d_model 4096 built and initialised a
        // 200M-parameter model (about 30 s and 1 GB in a debug build) before the first
        // shape check failed. Here 2 layers of d_model 2048: 100M parameters.
        try rewrite(good, to: bad) { file in
            var metadata = file.metadata
            metadata["arch.d_model"] = "2048"
            return try copying(file, metadata: metadata)
        }
        let stored = model.parameters.reduce(0) { $0 + $1.tensor.shape.reduce(1, *) }
        let clock = ContinuousClock()
        let start = clock.now
        expectCheckpointError(containing: [bad, "describes a model of", "but the file holds only \(stored) values"]) {
            _ = try loadCheckpoint(from: bad)
        }
        #expect(clock.now - start < .seconds(5))
    }

    @Test("a truncated or corrupt checkpoint is a clear safetensors error")
    func truncatedCheckpoint() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("c.safetensors")
        try saveCheckpoint(try tinyTransformer(), to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        do {
            _ = try loadCheckpoint(from: path)
            Issue.record("loaded a truncated checkpoint")
        } catch let error as SafetensorsError {
            #expect(error.kind == .truncated && error.description.contains(path) && error.description.contains("truncated"))
        }
        bytes[9] = UInt8(ascii: "!")
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: SafetensorsError.self) { _ = try loadCheckpoint(from: path) }
        #expect(throws: SafetensorsError.self) { _ = try loadCheckpoint(from: folder.file("absent.safetensors")) }
    }

    @Test("Python's safetensors loads a laif checkpoint with the same weights",
          .enabled(if: PythonSafetensors.isAvailable, PythonSafetensors.skipReason))
    func pythonLoadsCheckpoint() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("py.safetensors")
        let model = try tinyTransformer()
        try saveCheckpoint(model, to: path, metadata: ["step": "7"])
        let script = """
        import json, sys
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file
        tensors = load_file(sys.argv[1])
        with safe_open(sys.argv[1], framework="np") as f:
            metadata = f.metadata()
        print(json.dumps({"metadata": metadata,
                          "sums": {k: float(v.astype(np.float64).sum()) for k, v in tensors.items()},
                          "shapes": {k: list(v.shape) for k, v in tensors.items()}}))
        """
        let loaded = try PythonSafetensors.runJSON(script, [path])
        let metadata = try #require(loaded["metadata"] as? [String: String])
        #expect(metadata["arch.kind"] == "transformer" && metadata["step"] == "7")
        let sums = try #require(loaded["sums"] as? [String: Double])
        let shapes = try #require(loaded["shapes"] as? [String: [Int]])
        #expect(Set(sums.keys) == Set(model.parameters.map(\.name)))
        for parameter in model.parameters {
            let sum = parameter.tensor.toArray().reduce(0.0) { $0 + Double($1) }
            #expect(abs((sums[parameter.name] ?? .nan) - sum) < 1e-9 * max(1, abs(sum)) + 1e-9, "\(parameter.name)")
            #expect(shapes[parameter.name] == parameter.tensor.shape)
        }
    }
}
