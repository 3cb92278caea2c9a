import LaifTensor
import Testing
@testable import LaifModels

/// A synthetic instruction task: the prompt is BOS, four digits and SEP; the answer is each
/// digit plus one (mod 10), then EOS. Answers are a function of the prompt, so the response
/// loss can fall to zero; a model that learned the rule answers prompts it never saw.
private enum AddOneTask {
    static let bos: Int32 = 10, sep: Int32 = 11, eos: Int32 = 12
    static let vocabSize = 16
    static let digits = 4

    static func prompt(_ values: [Int32]) -> [Int32] { [bos] + values + [sep] }
    static func answer(_ values: [Int32]) -> [Int32] { values.map { ($0 + 1) % 10 } + [eos] }

    static func randomDigits(_ rng: inout RandomGenerator) -> [Int32] {
        (0..<digits).map { _ in Int32(rng.nextInt(below: 10)) }
    }
}

@Suite("Training the transformer")
struct TrainingTests {
    @Test("AdamW drives the response loss to its floor and greedy sampling answers held-out prompts")
    func learnsAddOne() throws {
        var rng = RandomGenerator(seed: 2024)
        let model = try TransformerLM(
            config: TransformerConfig(vocabSize: AddOneTask.vocabSize, maxLength: 16, dModel: 32, layers: 2, heads: 4),
            rng: &rng)
        var heldOut: [[Int32]] = []
        while heldOut.count < 12 {
            let digits = AddOneTask.randomDigits(&rng)
            if !heldOut.contains(digits) { heldOut.append(digits) }
        }
        let heldOutSet = Set(heldOut)

        let optimizer = AdamW(parameters: model.parameters.map(\.tensor), lr: 3e-3, betas: (0.9, 0.98), weightDecay: 0.01)
        let schedule = LearningRateSchedule.cosine(warmup: 20, total: 400, minFactor: 0.1)
        let batch = 32
        let rowLength = 1 + AddOneTask.digits + 1 + AddOneTask.digits + 1  // prompt + answer
        let inputLength = rowLength - 1
        var losses: [Float] = []
        for step in 0..<400 {
            var inputs: [Int32] = []
            var targets: [Int32] = []
            for _ in 0..<batch {
                var digits = AddOneTask.randomDigits(&rng)
                while heldOutSet.contains(digits) { digits = AddOneTask.randomDigits(&rng) }
                let prompt = AddOneTask.prompt(digits)
                let row = prompt + AddOneTask.answer(digits)
                inputs += row.prefix(inputLength)
                // Position t predicts token t + 1; only answer tokens are scored.
                targets += (0..<inputLength).map { t in t + 1 >= prompt.count ? row[t + 1] : -1 }
            }
            optimizer.zeroGrad()
            let logits = try model.logits(inputs, batch: batch, length: inputLength)
            let loss = try Tensor.crossEntropy(logits: logits, targets: targets, ignoreIndex: -1)
            try loss.backward()
            optimizer.learningRate = 3e-3 * schedule.value(at: step)
            try optimizer.step()
            losses.append(try loss.item())
            if losses.count >= 20, losses.suffix(20).reduce(0, +) / 20 < 0.01 { break }
        }
        // The loss started near log(16) (uniform guessing) and fell close to its floor of zero.
        #expect(losses[0] > 2)
        let recent = losses.suffix(20).reduce(0, +) / Float(min(20, losses.count))
        #expect(recent < 0.05, "mean loss of the last 20 steps: \(recent) after \(losses.count) steps")

        var sampler = RandomGenerator(seed: 1)
        let replies = try sample(model: model, prompts: heldOut.map(AddOneTask.prompt),
                                 options: SamplingOptions(greedy: true, maxNewTokens: 8, eosToken: AddOneTask.eos),
                                 rng: &sampler)
        for (digits, reply) in zip(heldOut, replies) {
            #expect(reply == AddOneTask.answer(digits), "prompt \(digits) got \(reply)")
        }
        // The trained model is confident on what it answers: log p(answer | prompt) near 0.
        let logps = try responseLogProbs(model: model, prompts: heldOut.map(AddOneTask.prompt),
                                         responses: heldOut.map(AddOneTask.answer))
        #expect(logps.toArray().allSatisfy { $0 > -0.5 })
    }
}
