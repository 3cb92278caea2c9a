import LaifModels
import LaifSim
import LaifTensor

/// How an RL trainer samples its replies.
struct RolloutSettings {
    let temperature: Double
    let maxNewTokens: Int?

    func samplingOptions(world: World) -> SamplingOptions {
        let budget = maxNewTokens ?? (2 * world.config.promptLength.upperBound + 4)
        return SamplingOptions(temperature: Float(temperature), greedy: temperature == 0, maxNewTokens: budget,
                               eosToken: TokenLayout.eos)
    }

    func validate(trainer: String) throws {
        try requireFinite(temperature, 0...100, trainer: trainer, argument: "temperature")
        if let m = maxNewTokens { try requireCount(m, atLeast: 1, atMost: 4096, trainer: trainer, argument: "max_new") }
    }
}

/// Hands out prompts for RL steps: a seeded shuffle of the prompt set, walked in order and
/// reshuffled once used up, so every prompt is seen once per pass.
struct PromptCycler {
    let prompts: [Prompt]
    private var order: [Int] = []
    private var cursor = 0
    private var rng: RandomGenerator

    init(_ prompts: PromptSet, seed: UInt64) {
        self.prompts = prompts.prompts
        rng = RandomGenerator(seed: seed)
    }

    mutating func next(_ count: Int) -> [Prompt] {
        var out: [Prompt] = []
        while out.count < count {
            if cursor >= order.count {
                order = shuffledIndices(prompts.count, rng: &rng)
                cursor = 0
            }
            out.append(prompts[order[cursor]])
            cursor += 1
        }
        return out
    }
}

/// One batch of sampled replies with everything RL needs about them, computed without
/// gradients: the reward's scores, per-token log-probs under the policy and the reference,
/// and the policy's entropy and exact KL to the reference along each reply.
struct Rollout {
    let prompts: [Prompt]
    let responses: [[Int32]]
    let batch: SequenceBatch
    let scores: [Double]
    /// `[batch * length]` per-token log-probs (0 off the reply).
    let policyLogProbs: [Float]
    let referenceLogProbs: [Float]
    let entropy: [Double]
    let exactKL: [Double]

    init(policy: LanguageModel, reference: LanguageModel, reward: ResponseScorer, prompts: [Prompt],
         options: SamplingOptions, rng: inout RandomGenerator, trainer: String) throws {
        self.prompts = prompts
        responses = try sample(model: policy, prompts: prompts.map(\.tokens), options: options, rng: &rng)
        scores = try reward.scores(prompts: prompts, responses: responses)
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError(trainer: trainer, argument: "reward", message: "gave a non-finite score (\(scores[bad])) to reply \(bad)")
        }
        batch = try SequenceBatch(prompts: prompts.map(\.tokens), responses: responses, maxLength: policy.maxLength,
                                  trainer: trainer, what: "prompts")
        let b = batch
        let (policyLogits, referenceLogits) = try Tensor.withoutGrad {
            (try b.logits(policy), try b.logits(reference))
        }
        policyLogProbs = try Tensor.withoutGrad { try b.tokenLogProbs(policyLogits).toArray() }
        referenceLogProbs = try Tensor.withoutGrad { try b.tokenLogProbs(referenceLogits).toArray() }
        let stats = distributionStatistics(batch: b, logits: policyLogits.toArray(), referenceLogits: referenceLogits.toArray(),
                                           vocab: policy.vocabSize)
        entropy = stats.entropy
        exactKL = stats.kl
    }

    /// Summed log-prob of each reply from per-token values.
    func sequenceSums(_ perToken: [Float]) -> [Double] {
        (0..<batch.batch).map { row in
            (0..<batch.responseLengths[row]).reduce(0.0) { $0 + Double(perToken[batch.position(row: row, token: $1)]) }
        }
    }

    var meanLength: Double { Double(batch.responseLengths.reduce(0, +)) / Double(max(batch.batch, 1)) }
}

func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
