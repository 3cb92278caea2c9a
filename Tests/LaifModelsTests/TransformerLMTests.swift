import Testing
import LaifTensor
@testable import LaifModels

@Suite struct TransformerLMTests {
    let tiny = TransformerConfig(vocabSize: 7, maxLength: 6, dModel: 8, layers: 2, heads: 2)

    func model(_ config: TransformerConfig, seed: UInt64 = 1) throws -> TransformerLM {
        var rng = RandomGenerator(seed: seed)
        return try TransformerLM(config: config, rng: &rng)
    }

    @Test func forwardShape() throws {
        let m = try model(tiny)
        let logits = try m.logits([1, 2, 3, 4, 5, 6, 0, 1], batch: 2, length: 4)
        #expect(logits.shape == [2, 4, 7])
        #expect(logits.toArray().allSatisfy { $0.isFinite })
    }

    @Test func parameterCountMatchesFormula() throws {
        for config in [tiny, TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4),
                       TransformerConfig(vocabSize: 10, maxLength: 5, dModel: 12, layers: 3, heads: 3, mlpRatio: 2)] {
            let m = try model(config)
            #expect(m.parameterCount == config.parameterCount)
        }
        #expect(TransformerConfig(vocabSize: 64, maxLength: 32, dModel: 64, layers: 2, heads: 4).parameterCount == 110_400)
        let names = try model(tiny).parameters.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.first == "tok_emb.weight" && names.last == "head.bias")
        #expect(names.contains("blocks.1.attn.qkv.weight"))
    }

    @Test func futureTokensDoNotChangeEarlierLogits() throws {
        let m = try model(tiny)
        let a: [Int32] = [1, 2, 3, 4, 5, 6]
        var b = a
        b[4] = 0
        let la = try m.logits(a, batch: 1, length: 6).toArray()
        let lb = try m.logits(b, batch: 1, length: 6).toArray()
        let v = 7
        #expect(Array(la[0..<(4 * v)]) == Array(lb[0..<(4 * v)]))
        #expect(la[(4 * v)..<(5 * v)] != lb[(4 * v)..<(5 * v)])
    }

    @Test func sameSeedSameModel() throws {
        let tokens: [Int32] = [1, 2, 3]
        let a = try model(tiny, seed: 5).logits(tokens, batch: 1, length: 3).toArray()
        let b = try model(tiny, seed: 5).logits(tokens, batch: 1, length: 3).toArray()
        let c = try model(tiny, seed: 6).logits(tokens, batch: 1, length: 3).toArray()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func sftStepsReduceLoss() throws {
        let losses = try progressionTrainingLosses(try model(TransformerConfig(vocabSize: 8, maxLength: 8, dModel: 16, layers: 1, heads: 2), seed: 3))
        #expect(losses.last! < 0.5 * losses.first!)
    }

    @Test func trainingIsBitForBitRepeatable() throws {
        func train() throws -> [Float] {
            let m = try model(TransformerConfig(vocabSize: 8, maxLength: 8, dModel: 16, layers: 2, heads: 4), seed: 11)
            let opt = AdamW(parameters: m.parameters.map(\.tensor), lr: 1e-2)
            let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 7, 0, 3, 5, 7, 1, 3, 5, 7, 1]
            for _ in 0..<3 {
                opt.zeroGrad()
                try Tensor.crossEntropy(logits: m.logits(tokens, batch: 2, length: 8), targets: tokens.map { ($0 + 1) % 8 }).backward()
                try opt.step()
            }
            return m.parameters.flatMap { $0.tensor.toArray() }
        }
        #expect(try train() == train())
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let m = try model(TransformerConfig(vocabSize: 5, maxLength: 3, dModel: 4, layers: 1, heads: 2), seed: 7)
        // Larger weights than the 0.02 init so every path carries signal.
        var rng = RandomGenerator(seed: 8)
        for p in m.parameters { try p.tensor.assign(from: Tensor.randn(p.tensor.shape, rng: &rng, std: 0.5)) }
        let tokens: [Int32] = [1, 4, 2, 0, 3, 3], targets: [Int32] = [4, 2, 0, 3, 3, 1]
        func loss() throws -> Tensor { try Tensor.crossEntropy(logits: m.logits(tokens, batch: 2, length: 3), targets: targets) }
        try loss().backward()
        let h: Float = 1e-2
        for p in m.parameters {
            let analytic = p.tensor.grad!.toArray()
            for i in 0..<p.tensor.count {
                let original = p.tensor.toArray()[i]
                var values = p.tensor.toArray()
                values[i] = original + h
                try p.tensor.assign(values)
                let plus = try Tensor.withoutGrad { try Double(loss().item()) }
                values[i] = original - h
                try p.tensor.assign(values)
                let minus = try Tensor.withoutGrad { try Double(loss().item()) }
                values[i] = original
                try p.tensor.assign(values)
                let numeric = (plus - minus) / Double(2 * h)
                #expect(abs(Double(analytic[i]) - numeric) <= 3e-3 + 3e-2 * abs(numeric), "\(p.name)[\(i)]: \(analytic[i]) vs \(numeric)")
            }
        }
    }

    @Test func cloneCopiesWeightsNotStorage() throws {
        let m = try model(tiny)
        let copy = m.clone()
        let tokens: [Int32] = [3, 1, 4]
        #expect(try m.logits(tokens, batch: 1, length: 3).toArray() == copy.logits(tokens, batch: 1, length: 3).toArray())
        try copy.parameters[0].tensor.assign(Array(repeating: 0, count: copy.parameters[0].tensor.count))
        #expect(try m.logits(tokens, batch: 1, length: 3).toArray() != copy.logits(tokens, batch: 1, length: 3).toArray())
    }

    @Test func architectureRoundTrip() throws {
        let m = try model(tiny)
        let rebuilt = try makeLanguageModel(architecture: m.architecture)
        #expect(rebuilt.architecture == m.architecture)
        #expect(rebuilt.parameterCount == m.parameterCount)
        #expect(throws: ModelConfigurationError.self) { try makeLanguageModel(architecture: ["kind": "rnn"]) }
        #expect(throws: ModelConfigurationError.self) { try makeLanguageModel(architecture: ["kind": "transformer", "vocab_size": "x"]) }
        #expect(throws: ModelConfigurationError.self) { try makeLanguageModel(architecture: [:]) }
    }

    @Test func badConfigurationsAndInputsThrow() throws {
        var rng = RandomGenerator(seed: 0)
        for bad in [TransformerConfig(vocabSize: 0, maxLength: 4, dModel: 8, layers: 1, heads: 2),
                    TransformerConfig(vocabSize: 4, maxLength: 4, dModel: 6, layers: 1, heads: 4),
                    TransformerConfig(vocabSize: 4, maxLength: 4, dModel: 8, layers: -1, heads: 2),
                    TransformerConfig(vocabSize: 1 << 40, maxLength: 4, dModel: 8, layers: 1, heads: 2),
                    TransformerConfig(vocabSize: 4, maxLength: 4, dModel: Int.max, layers: 1, heads: 1),
                    TransformerConfig(vocabSize: 4, maxLength: 4, dModel: 8, layers: 1, heads: 2, mlpRatio: Int.max)] {
            #expect(throws: ModelConfigurationError.self) { try TransformerLM(config: bad, rng: &rng) }
        }
        let m = try model(tiny)
        #expect(throws: ModelConfigurationError.self) { try m.logits([1, 2], batch: 1, length: 3) }
        #expect(throws: ModelConfigurationError.self) { try m.logits([1, 2, 9], batch: 1, length: 3) }
        #expect(throws: ModelConfigurationError.self) { try m.logits([Int32](repeating: 1, count: 7), batch: 1, length: 7) }
        #expect(throws: ModelConfigurationError.self) { try m.logits([], batch: 0, length: 3) }
    }
}
