import Testing
import LaifTensor
@testable import LaifModels

/// A transformer with weights drawn at std 0.5, so its log-probs differ clearly between
/// positions and tokens (the default initialisation gives nearly uniform ones).
private func variedTransformer(layers: Int, seed: UInt64 = 5) throws -> TransformerLM {
    var rng = RandomGenerator(seed: seed)
    let model = try TransformerLM(config: TransformerConfig(vocabSize: 11, maxLength: 8, dModel: 16, layers: layers, heads: 2),
                                  rng: &rng)
    for p in model.parameters {
        try p.tensor.assign(from: Tensor.randn(p.tensor.shape, rng: &rng, std: 0.5))
    }
    return model
}

/// Rows of length 7 that share prefixes the ways trainers' batches do: a DPO pair (rows 0
/// and 3: same 3-token prompt, different replies), another pair with a 1-token prompt (1 and
/// 4), an RL group of one prompt's samples (5, 6, 7, padded with 0 and unscored past their
/// end), a row equal to another (2 and 8), and a row sharing nothing.
private let tokens: [Int32] = [
    3, 4, 5, 6, 7, 8, 9,
    2, 1, 1, 1, 1, 1, 1,
    9, 9, 8, 8, 7, 7, 6,
    3, 4, 5, 1, 2, 0, 10,
    2, 5, 6, 7, 0, 0, 0,
    6, 6, 1, 2, 3, 0, 0,
    6, 6, 1, 3, 0, 0, 0,
    6, 6, 2, 0, 0, 0, 0,
    9, 9, 8, 8, 7, 7, 6,
    10, 0, 10, 0, 10, 0, 10,
]
private let targets: [Int32] = [
    -1, -1, 6, 7, 8, 9, 1,
    1, 1, 1, 1, 1, 1, 2,
    9, 8, 8, 7, 7, 6, 5,
    -1, -1, 1, 2, 0, 10, 4,
    5, 6, 7, -1, -1, -1, -1,
    -1, 1, 2, 3, -1, -1, -1,
    -1, 1, 3, -1, -1, -1, -1,
    -1, 2, -1, -1, -1, -1, -1,
    9, 8, 8, 7, 7, 6, 5,
    0, 10, 0, 10, 0, 10, 0,
]

@Suite("Log-probs over shared prefixes")
struct SharedPrefixTests {
    @Test("the layout finds each distinct prefix once and the prefixes that are scored")
    func layout() {
        let small = SharedPrefixLayout(tokens: [1, 2, 3, 1, 2, 4], targets: [-1, 3, 7, -1, 4, 5], batch: 2, length: 3)
        #expect(small.nodeCount == 4)
        #expect(small.nodeOfPosition == [0, 1, 2, 0, 1, 3])
        #expect(small.nodePositions == [0, 1, 2, 2])
        #expect(small.firstPosition == [0, 1, 2, 5])
        #expect(small.scoredNodes == [1, 2, 3])
        #expect(small.scoredRowOfPosition == [0, 0, 1, 0, 0, 2])
        #expect(small.savesWork)
        let distinct = SharedPrefixLayout(tokens: [1, 2, 3, 4], targets: [2, 3, 4, 5], batch: 2, length: 2)
        #expect(distinct.nodeCount == 4 && !distinct.savesWork)
        let batch = SharedPrefixLayout(tokens: tokens, targets: targets, batch: 10, length: 7)
        // Shared: row 3 its pair's 3-token prompt, row 4 its 1-token one, rows 6 and 7 3 and 2
        // tokens of their group's prompt, row 8 all of row 2.
        #expect(batch.nodeCount == 70 - 3 - 1 - 3 - 2 - 7)
        #expect(batch.scoredNodes.count < batch.nodeCount)
    }

    @Test("log-probs equal those of the full logits, for 0, 1 and 2 blocks")
    func matchesFullLogits() throws {
        for layers in [0, 1, 2] {
            let model = try variedTransformer(layers: layers)
            let shared = try model.targetLogProbs(tokens, targets: targets, batch: 10, length: 7)
            let full = try Tensor.tokenLogProbs(logits: model.logits(tokens, batch: 10, length: 7), targets: targets)
            #expect(shared.shape == [10, 7])
            let a = shared.toArray(), b = full.toArray()
            for i in a.indices {
                #expect(abs(a[i] - b[i]) < 1e-5, "layers \(layers), position \(i): \(a[i]) vs \(b[i])")
                if targets[i] < 0 { #expect(a[i] == 0) }
            }
            #expect(b.contains { $0 < -3 } && b.contains { $0 > -1 }, "the test model's log-probs should vary")
        }
    }

    @Test("gradients equal those through the full logits")
    func gradientsMatch() throws {
        let model = try variedTransformer(layers: 2)
        // Distinct weights per position, so every scored position's gradient counts.
        let weights = try Tensor(shape: [10, 7], data: (0..<70).map { Float($0 % 7) * 0.25 - 0.6 })
        func gradients(_ logProbs: () throws -> Tensor) throws -> [[Float]] {
            for p in model.parameters { p.tensor.grad = nil }
            try (logProbs() * weights).sum().backward()
            return model.parameters.map { $0.tensor.grad?.toArray() ?? [] }
        }
        let shared = try gradients { try model.targetLogProbs(tokens, targets: targets, batch: 10, length: 7) }
        let full = try gradients {
            try Tensor.tokenLogProbs(logits: model.logits(tokens, batch: 10, length: 7), targets: targets)
        }
        for (index, (a, b)) in zip(shared, full).enumerated() {
            #expect(a.count == b.count && !a.isEmpty, "\(model.parameters[index].name)")
            let scale = b.map { abs($0) }.max() ?? 0
            for i in a.indices {
                #expect(abs(a[i] - b[i]) <= 1e-5 + 1e-4 * scale, "\(model.parameters[index].name)[\(i)]: \(a[i]) vs \(b[i])")
            }
        }
    }

    @Test("logits at chosen positions equal those rows of the full logits")
    func logitsAtPositions() throws {
        let positions = [6, 13, 0, 27, 27, 69, 40, 62]
        for layers in [0, 1, 2] {
            let model = try variedTransformer(layers: layers)
            let picked = try model.logits(tokens, batch: 10, length: 7, at: positions)
            #expect(picked.shape == [positions.count, 11])
            let full = try model.logits(tokens, batch: 10, length: 7).toArray(), rows = picked.toArray()
            for (i, position) in positions.enumerated() {
                for v in 0..<11 {
                    #expect(abs(rows[i * 11 + v] - full[position * 11 + v]) < 1e-5, "layers \(layers), position \(position)")
                }
            }
        }
        let model = try variedTransformer(layers: 2)
        #expect(try model.logits(tokens, batch: 10, length: 7, at: []).shape == [0, 11])
        for bad in [70, -1] {
            #expect(throws: ModelConfigurationError.self) { try model.logits(tokens, batch: 10, length: 7, at: [3, bad]) }
        }
    }

    @Test("no scored position, or nothing shared, falls back to the full logits")
    func fallbacks() throws {
        let model = try variedTransformer(layers: 1)
        let none = try model.targetLogProbs([1, 2, 1, 2], targets: [-1, -1, -1, -1], batch: 2, length: 2)
        #expect(none.toArray() == [0, 0, 0, 0])
        let distinct: [Int32] = [1, 2, 3, 4], next: [Int32] = [2, 3, 4, 5]
        let plain = try Tensor.tokenLogProbs(logits: model.logits(distinct, batch: 2, length: 2), targets: next)
        #expect(try model.targetLogProbs(distinct, targets: next, batch: 2, length: 2).toArray() == plain.toArray())
    }

    @Test("bad targets and tokens throw errors that say what to give")
    func errors() throws {
        let model = try variedTransformer(layers: 1)
        #expect(throws: ModelConfigurationError.self) {
            try model.targetLogProbs([1, 2, 3], targets: [2, 3], batch: 1, length: 3)
        }
        #expect(throws: TensorError.self) {
            try model.targetLogProbs([1, 1, 2], targets: [1, 11, 3], batch: 1, length: 3)
        }
        #expect(throws: ModelConfigurationError.self) {
            try model.targetLogProbs([1, 12, 2], targets: [1, 2, 3], batch: 1, length: 3)
        }
        do {
            _ = try model.targetLogProbs([1, 2, 3], targets: [2, 3], batch: 1, length: 3)
        } catch {
            #expect("\(error)".contains("give one per position"))
        }
    }
}
