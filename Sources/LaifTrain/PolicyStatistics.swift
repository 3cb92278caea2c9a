import LaifModels
import LaifSim
import LaifTensor

/// How a model's sampled replies read against a reference model: the KL divergence
/// KL(model ‖ reference) summed over each reply's tokens (exact per position, averaged over
/// the model's own samples), the model's entropy per reply, and the mean reply length.
///
///     let s = try policyStatistics(model: laif, reference: s35, world: w, prompts: test)
///     s.kl   // nats per reply; 0 when the models are the same
public struct PolicyStatistics: Sendable, CustomStringConvertible {
    /// Mean KL(model ‖ reference) per reply, in nats.
    public let kl: Double
    /// Mean summed next-token entropy per reply, in nats.
    public let entropy: Double
    /// Mean tokens per reply (EOS included).
    public let meanLength: Double
    /// Replies measured.
    public let count: Int

    public var description: String {
        "PolicyStatistics(kl \(formatMetric(kl)) nats/reply, entropy \(formatMetric(entropy)), length \(formatMetric(meanLength)), \(count) replies)"
    }
}

/// Samples one reply per prompt from `model` and measures it against `reference` (see
/// `PolicyStatistics`). Both models must read the world's tokens.
///
///     let moved = try policyStatistics(model: tuned, reference: start, world: w, prompts: ps).kl
public func policyStatistics(model: LanguageModel, reference: LanguageModel, world: World, prompts: PromptSet,
                             options: ReplyOptions = ReplyOptions(temperature: 1, seed: 11)) throws -> PolicyStatistics {
    let name = "policy_statistics"
    try requireVocabulary(model, worldVocabulary: world.vocabSize, trainer: name, argument: "model")
    try requireVocabulary(reference, worldVocabulary: world.vocabSize, trainer: name, argument: "reference")
    guard !prompts.isEmpty else { throw TrainingError(trainer: name, argument: "prompts", message: "is empty") }
    let replies = try sampleReplies(model: model, world: world, prompts: prompts, options: options)
    var kl = 0.0, entropy = 0.0, length = 0.0
    try Tensor.withoutGrad {
        var start = 0
        while start < replies.count {
            let end = min(start + 64, replies.count)
            let batch = try SequenceBatch(prompts: prompts.prompts[start..<end].map(\.tokens), responses: Array(replies[start..<end]),
                                          maxLength: model.maxLength, trainer: name, what: "prompts")
            let stats = distributionStatistics(batch: batch, logits: try batch.logits(model).toArray(),
                                               referenceLogits: try batch.logits(reference).toArray(), vocab: world.vocabSize)
            kl += stats.kl.reduce(0, +)
            entropy += stats.entropy.reduce(0, +)
            length += Double(batch.responseLengths.reduce(0, +))
            start = end
        }
    }
    let n = Double(replies.count)
    return PolicyStatistics(kl: kl / n, entropy: entropy / n, meanLength: length / n, count: replies.count)
}
