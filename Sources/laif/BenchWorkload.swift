import LaifModels
import LaifTensor
import LaifTrain

/// One benchmark configuration of `laif bench`, mirroring ../shared/bench/torch_ref.py:
/// the same model sizes, synthetic data, loss and AdamW step, so steps/s compare directly.
struct BenchWorkload {
    static let vocab = 64, dModel = 64, layers = 2, heads = 4
    static let mlpContext = 8, mlpEmbedding = 32, mlpHidden = 256
    static let promptLength = 8
    static let dpoBeta: Float = 0.1

    enum Model: String, CaseIterable { case transformer, mlp }
    enum Mode: String, CaseIterable { case sft, dpo }

    let model: Model
    let mode: Mode
    let batch: Int
    let length: Int
    let policy: LanguageModel
    let reference: LanguageModel?
    let optimizer: AdamW
    /// Pre-generated batches (8, cycled) so data generation is not timed: token rows of
    /// length+1 each; DPO batches hold chosen rows then rejected rows.
    let batches: [[Int32]]

    init(model: Model, mode: Mode, batch: Int, length: Int) throws {
        self.model = model
        self.mode = mode
        self.batch = batch
        self.length = length
        var rng = RandomGenerator(seed: 0)
        switch model {
        case .transformer:
            policy = try TransformerLM(config: TransformerConfig(vocabSize: Self.vocab, maxLength: length, dModel: Self.dModel,
                                                                 layers: Self.layers, heads: Self.heads), rng: &rng)
        case .mlp:
            policy = try MLPLM(config: MLPConfig(vocabSize: Self.vocab, maxLength: length, context: Self.mlpContext,
                                                 embedding: Self.mlpEmbedding, hidden: Self.mlpHidden), rng: &rng)
        }
        reference = mode == .dpo ? policy.clone() : nil
        optimizer = AdamW(parameters: policy.parameters.map(\.tensor), lr: 1e-3, weightDecay: 0.01)
        var data = RandomGenerator(seed: 0)
        var batches: [[Int32]] = []
        for _ in 0..<8 {
            let chosen = Self.progressions(&data, rows: batch, length: length + 1)
            if mode == .sft {
                batches.append(chosen)
            } else {
                var rejected = chosen
                for r in 0..<batch {
                    for t in Self.promptLength...length { rejected[r * (length + 1) + t] = Int32(data.nextInt(below: Self.vocab)) }
                }
                batches.append(chosen + rejected)
            }
        }
        self.batches = batches
    }

    /// Arithmetic progressions mod vocab (start in 0..<V, step in 1..<8): learnable after 2 tokens.
    static func progressions(_ rng: inout RandomGenerator, rows: Int, length: Int) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(rows * length)
        for _ in 0..<rows {
            let start = rng.nextInt(below: vocab), step = 1 + rng.nextInt(below: 7)
            for t in 0..<length { out.append(Int32((start + step * t) % vocab)) }
        }
        return out
    }

    /// Splits rows of length+1 into model inputs (all but last) and next-token targets.
    func inputsAndTargets(_ rows: [Int32], count: Int, maskPrompt: Bool) -> ([Int32], [Int32]) {
        var inputs: [Int32] = [], targets: [Int32] = []
        inputs.reserveCapacity(count * length)
        targets.reserveCapacity(count * length)
        for r in 0..<count {
            let row = rows[(r * (length + 1))..<((r + 1) * (length + 1))]
            inputs += row.dropLast()
            for (t, token) in row.dropFirst().enumerated() {
                targets.append(maskPrompt && t < Self.promptLength - 1 ? -1 : token)
            }
        }
        return (inputs, targets)
    }

    /// Sequence positions the policy processes per step.
    var tokensPerStep: Int { (mode == .dpo ? 2 : 1) * batch * length }

    /// Matmul FLOPs of one step with torch_ref.py's formulas (forward; backward = 2x forward).
    var matmulFlopsPerStep: Double {
        let rows = mode == .dpo ? 2 * batch : batch
        let forward: Double
        switch model {
        case .transformer:
            let d = Self.dModel, v = Self.vocab
            let perTokenLayer = 2 * d * 3 * d + 2 * d * d + 2 * 2 * d * 4 * d + 2 * 2 * length * d
            forward = Double(rows * length) * Double(Self.layers * perTokenLayer + 2 * d * v)
        case .mlp:
            forward = Double(rows * length) * 2 * Double(Self.mlpContext * Self.mlpEmbedding * Self.mlpHidden
                                                        + Self.mlpHidden * Self.mlpHidden + Self.mlpHidden * Self.vocab)
        }
        return mode == .dpo ? 4 * forward : 3 * forward
    }

    /// One training step (forward, backward, AdamW); returns the loss. SFT runs in micro-batches,
    /// as the SFT trainer does; DPO's log-probs go through `targetLogProbs`, as in the trainers:
    /// each pair's prompt runs once for both rows.
    func step(_ index: Int) throws -> Float {
        let rows = batches[index % batches.count]
        switch mode {
        case .sft:
            // In micro-batches, as the SFT trainer runs it (see MicroBatching).
            let (inputs, targets) = inputsAndTargets(rows, count: batch, maskPrompt: false)
            optimizer.zeroGrad()
            let loss = try MicroBatching.accumulateGradients(over: MicroBatching.ranges(sequences: batch, length: length)) { part in
                let span = (part.lowerBound * length)..<(part.upperBound * length)
                return try Tensor.crossEntropy(logits: policy.logits(Array(inputs[span]), batch: part.count, length: length),
                                               targets: Array(targets[span]), divisor: batch * length)
            }
            try optimizer.step()
            return loss
        case .dpo:
            let pairs = 2 * batch
            let (inputs, targets) = inputsAndTargets(rows, count: pairs, maskPrompt: true)
            let referenceLogProbs = try Tensor.withoutGrad {
                try reference!.targetLogProbs(inputs, targets: targets, batch: pairs, length: length).sum(axis: 1)
            }
            let policyLogProbs = try policy.targetLogProbs(inputs, targets: targets, batch: pairs, length: length).sum(axis: 1)
            let ratio = try policyLogProbs - referenceLogProbs
            let margin = try ratio.slice(axis: 0, 0..<batch) - ratio.slice(axis: 0, batch..<pairs)
            let loss = try -((margin * Self.dpoBeta).logSigmoid().mean())
            optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
            return try loss.item()
        }
    }
}
