import Testing
import LaifTensor
@testable import LaifModels

@Suite struct MLPLMTests {
    let tiny = MLPConfig(vocabSize: 6, maxLength: 8, context: 3, embedding: 4, hidden: 10)

    func model(_ config: MLPConfig, seed: UInt64 = 1) throws -> MLPLM {
        var rng = RandomGenerator(seed: seed)
        return try MLPLM(config: config, rng: &rng)
    }

    @Test func forwardShapeAndParameterCount() throws {
        let m = try model(tiny)
        #expect(try m.logits([1, 2, 3, 4, 5, 0], batch: 2, length: 3).shape == [2, 3, 6])
        #expect(m.parameterCount == tiny.parameterCount)
        let reference = MLPConfig(vocabSize: 64, maxLength: 32, context: 8, embedding: 32, hidden: 256)
        #expect(try model(reference).parameterCount == reference.parameterCount)
        #expect(reference.parameterCount == 150_112)   // torch_ref.py's TinyMLP
        _ = MLPConfig(vocabSize: Int.max, maxLength: 1, context: Int.max, embedding: 2, hidden: 2).parameterCount   // no trap
    }

    /// The protocol's plain `logits(at:)`: the rows asked for, and positions off the grid refused.
    @Test func logitsAtPositionsAreThoseRows() throws {
        let m = try model(tiny)
        let tokens: [Int32] = [1, 2, 3, 4, 5, 0]
        let full = try m.logits(tokens, batch: 2, length: 3).toArray()
        let picked = try m.logits(tokens, batch: 2, length: 3, at: [5, 0]).toArray()
        #expect(picked == Array(full[30..<36]) + Array(full[0..<6]))
        #expect(throws: ModelConfigurationError.self) { try m.logits(tokens, batch: 2, length: 3, at: [6]) }
        #expect(throws: ModelConfigurationError.self) { try m.logits(tokens, batch: 2, length: 3, at: [-1]) }
    }

    @Test func onlyTheContextWindowMatters() throws {
        let m = try model(tiny)
        let a: [Int32] = [1, 2, 3, 4, 5, 0, 1, 2]
        var b = a
        b[5] = 3          // inside the window of positions 5...7, outside it for 0...4
        var c = a
        c[0] = 5          // outside the window (context 3) of positions 3...7
        let la = try m.logits(a, batch: 1, length: 8).toArray()
        let lb = try m.logits(b, batch: 1, length: 8).toArray()
        let lc = try m.logits(c, batch: 1, length: 8).toArray()
        #expect(Array(la[0..<30]) == Array(lb[0..<30]))
        #expect(la[30..<36] != lb[30..<36])
        #expect(Array(la[18...]) == Array(lc[18...]))
        #expect(la[0..<6] != lc[0..<6])
    }

    @Test func sftStepsReduceLoss() throws {
        let losses = try progressionTrainingLosses(try model(MLPConfig(vocabSize: 8, maxLength: 8, context: 2, embedding: 8, hidden: 32), seed: 2))
        #expect(losses.last! < 0.5 * losses.first!)
    }

    @Test func cloneAndRebuild() throws {
        let m = try model(tiny)
        let copy = m.clone()
        #expect(try m.logits([1, 2], batch: 1, length: 2).toArray() == copy.logits([1, 2], batch: 1, length: 2).toArray())
        let rebuilt = try makeLanguageModel(architecture: m.architecture)
        #expect(rebuilt.architecture == m.architecture)
        #expect(rebuilt.parameterCount == m.parameterCount)
    }

    @Test func badConfigurationsAndInputsThrow() throws {
        var rng = RandomGenerator(seed: 0)
        for bad in [MLPConfig(vocabSize: 6, maxLength: 8, context: 0, embedding: 4, hidden: 10),
                    MLPConfig(vocabSize: 6, maxLength: 8, context: 3, embedding: 4, hidden: 10, hiddenLayers: 0),
                    MLPConfig(vocabSize: 6, maxLength: 8, context: 1 << 30, embedding: 1 << 30, hidden: 10),
                    MLPConfig(vocabSize: Int.max, maxLength: 8, context: 3, embedding: 4, hidden: 10)] {
            #expect(throws: ModelConfigurationError.self) { try MLPLM(config: bad, rng: &rng) }
        }
        let m = try model(tiny)
        #expect(throws: ModelConfigurationError.self) { try m.logits([6], batch: 1, length: 1) }
        #expect(throws: ModelConfigurationError.self) { try m.logits([1, 2, 3], batch: 2, length: 2) }
    }
}
