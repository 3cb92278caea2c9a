import LaifModels
import LaifTensor

/// One report from a running pretraining (for progress bars; libraries never print).
///
///     baseModel(..., progress: { p in print(p.step, p.loss); return true })
public struct PretrainingProgress: Sendable {
    /// Steps done and planned.
    public let step: Int
    public let totalSteps: Int
    /// Mean next-token cross-entropy of the step's batch.
    public let loss: Float
}

/// Thrown when a progress callback asks to stop.
///
///     catch is PretrainingCancelled { ... }
public struct PretrainingCancelled: Error, CustomStringConvertible, Sendable {
    public let step: Int
    public var description: String { "pretraining stopped at step \(step) (interrupted)" }
}

/// Pretrains a fresh transformer of `size` on `corpus` (next-token cross-entropy over every
/// position; AdamW, betas (0.9, 0.98); linear warmup then cosine decay), drawing the initial
/// weights and the batch order from `seed`. The callback may return false to stop.
///
///     let (model, loss) = try pretrain(corpus: docs, vocabSize: w.vocabSize, size: .tiny,
///                                      recipe: .tiny, seed: 1, progress: nil)
func pretrain(corpus: [[Int32]], vocabSize: Int, size: StudentSize, recipe: PretrainingRecipe, seed: UInt64,
              progress: ((PretrainingProgress) -> Bool)?) throws -> (LanguageModel, Float?) {
    guard recipe.documentLength <= size.maxLength else {
        throw SimError("base_model: document_length \(recipe.documentLength) exceeds the student's max length \(size.maxLength); shorten the documents or lengthen the model")
    }
    var rng = RandomGenerator(seed: seed)
    let model = try TransformerLM(config: TransformerConfig(vocabSize: vocabSize, maxLength: size.maxLength,
                                                            dModel: size.dModel, layers: size.layers, heads: size.heads),
                                  rng: &rng)
    let parameters = model.parameters.map(\.tensor)
    let optimizer = AdamW(parameters: parameters, lr: Float(recipe.learningRate), betas: (0.9, 0.98),
                          eps: 1e-8, weightDecay: Float(recipe.weightDecay))
    let schedule = LearningRateSchedule.cosine(warmup: recipe.warmup, total: recipe.steps, minFactor: Float(recipe.minFactor))
    let length = recipe.documentLength
    let batch = min(recipe.batchSize, corpus.count)
    var order: [Int] = []
    var cursor = 0
    var lastLoss: Float?
    var tokens = [Int32](repeating: 0, count: batch * length)
    var targets = [Int32](repeating: -1, count: batch * length)
    for step in 0..<recipe.steps {
        // Epoch-wise reshuffle, so every document is seen once per epoch.
        if cursor + batch > order.count {
            order = Array(0..<corpus.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
            cursor = 0
        }
        for b in 0..<batch {
            let doc = corpus[order[cursor + b]]
            for j in 0..<length {
                tokens[b * length + j] = doc[j]
                targets[b * length + j] = j + 1 < length ? doc[j + 1] : -1
            }
        }
        cursor += batch
        optimizer.zeroGrad()
        let logits = try model.logits(tokens, batch: batch, length: length)
        let loss = try Tensor.crossEntropy(logits: logits, targets: targets, ignoreIndex: -1)
        try loss.backward()
        optimizer.learningRate = Float(recipe.learningRate) * schedule.value(at: step)
        try optimizer.step()
        let value = try loss.item()
        guard value.isFinite else {
            throw SimError("base_model: pretraining diverged at step \(step) (loss \(value)); lower the learning rate")
        }
        lastLoss = value
        if let progress, !progress(PretrainingProgress(step: step + 1, totalSteps: recipe.steps, loss: value)) {
            throw PretrainingCancelled(step: step + 1)
        }
    }
    optimizer.zeroGrad()
    return (model, lastLoss)
}
