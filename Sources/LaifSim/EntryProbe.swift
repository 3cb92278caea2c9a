import Foundation
import LaifModels
import LaifTensor

/// What a model believes about one entry: over the prompts that ask it, the mean probability
/// the model gives each content token at that answer position (teacher-forced on the gold
/// prefix). Diagnostics read "in the model's support" from `goldProbability` or from the
/// probability of any token of interest (a critic's belief, a habit).
///
///     let probe = try probeEntries(model: sft, world: w, prompts: test)
///     probe[w.entryIndex(e)].goldProbability   // e.g. 0.31
public struct EntryProbe: Sendable {
    public let entry: Entry
    /// How many answer positions in the prompts ask about this entry (0: no data).
    public let occurrences: Int
    /// Mean probability of each content token (index = content index); sums to at most 1.
    public let contentProbabilities: [Double]
    /// Mean probability of the gold output.
    public let goldProbability: Double

    /// Mean probability of a given token id (0 for a non-content token).
    ///
    ///     probe.probability(of: gpt4.belief(e))
    public func probability(of token: Int32, layout: TokenLayout) -> Double {
        guard let c = layout.contentIndex(token) else { return 0 }
        return contentProbabilities[c]
    }
}

/// Probes a model entry by entry: every prompt is fed with its gold answer (teacher forcing)
/// and the model's next-token distribution is read at each answer position, then averaged per
/// entry. Returns one probe per world entry, indexed like `World.entries`.
///
///     let probes = try probeEntries(model: base, world: w, prompts: try w.prompts(500, seed: 7))
public func probeEntries(model: LanguageModel, world: World, prompts: PromptSet, batchSize: Int = 64) throws -> [EntryProbe] {
    guard model.vocabSize == world.vocabSize else {
        throw SimError("probe: model reads \(model.vocabSize) token ids but the world has \(world.vocabSize); use a model built for this world")
    }
    guard batchSize >= 1 else { throw SimError("probe: batch_size must be >= 1, got \(batchSize)") }
    let v = world.config.vocab
    let vocab = world.vocabSize
    let firstContent = Int(world.layout.contentToken(0))
    var sums = [[Double]](repeating: [Double](repeating: 0, count: v), count: world.entryCount)
    var counts = [Int](repeating: 0, count: world.entryCount)
    var start = 0
    while start < prompts.count {
        let chunk = Array(prompts[start..<min(start + batchSize, prompts.count)])
        let rows = chunk.map { $0.tokens + $0.entries.map(world.goldToken) }
        let length = rows.map(\.count).max() ?? 1
        guard length <= model.maxLength else {
            throw SimError("probe: a prompt with its answer needs \(length) tokens, the model allows \(model.maxLength)")
        }
        var tokens = [Int32](repeating: TokenLayout.pad, count: chunk.count * length)
        for (r, row) in rows.enumerated() { for (j, t) in row.enumerated() { tokens[r * length + j] = t } }
        let probabilities = try Tensor.withoutGrad {
            try model.logits(tokens, batch: chunk.count, length: length).softmax(axis: -1).toArray()
        }
        for (r, prompt) in chunk.enumerated() {
            for (i, e) in prompt.entries.enumerated() {
                // The answer token i is predicted at the position just before it.
                let position = prompt.tokens.count - 1 + i
                let base = (r * length + position) * vocab + firstContent
                let k = world.entryIndex(e)
                for c in 0..<v { sums[k][c] += Double(probabilities[base + c]) }
                counts[k] += 1
            }
        }
        start += batchSize
    }
    return world.entries.enumerated().map { k, e in
        let n = counts[k]
        let mean = sums[k].map { n > 0 ? $0 / Double(n) : 0 }
        return EntryProbe(entry: e, occurrences: n, contentProbabilities: mean,
                          goldProbability: mean[world.table[e.task][e.token]])
    }
}
