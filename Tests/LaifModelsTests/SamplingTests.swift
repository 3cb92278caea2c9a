import Foundation
import LaifSupport
import LaifTensor
import Testing
@testable import LaifModels

/// A tiny differentiable test model whose logits are known exactly:
/// logits[b, t] = table[token[b, t]] + positionBias[t]. It records every call's batch size,
/// length and whether gradients were being recorded.
final class BigramTestModel: LanguageModel {
    let vocabSize: Int
    let maxLength: Int
    let table: Tensor         // [vocab, vocab]
    let positionBias: Tensor  // [maxLength, vocab]
    private(set) var calls: [(batch: Int, length: Int, recording: Bool)] = []

    init(table: [[Float]], positionBias: [[Float]]? = nil, maxLength: Int) throws {
        vocabSize = table.count
        self.maxLength = maxLength
        self.table = try Tensor(shape: [vocabSize, vocabSize], data: table.flatMap { $0 })
        let bias = positionBias ?? Array(repeating: Array(repeating: 0, count: vocabSize), count: maxLength)
        self.positionBias = try Tensor(shape: [maxLength, vocabSize], data: bias.flatMap { $0 })
        self.table.requiresGrad = true
    }

    func logits(_ tokens: [Int32], batch: Int, length: Int) throws -> Tensor {
        calls.append((batch, length, Tensor.isGradEnabled))
        let byToken = try Tensor.embedding(table, ids: tokens, idsShape: [batch, length])
        let byPosition = try Tensor.embedding(positionBias, ids: (0..<length).map { Int32($0) }, idsShape: [length])
        return try byToken + byPosition
    }

    var parameters: [NamedParameter] {
        [NamedParameter(name: "table", tensor: table), NamedParameter(name: "position_bias", tensor: positionBias)]
    }

    var architecture: [String: String] { ["kind": "bigram-test"] }

    func clone() -> LanguageModel {
        let rows = (0..<vocabSize).map { Array(table.toArray()[($0 * vocabSize)..<(($0 + 1) * vocabSize)]) }
        let bias = (0..<maxLength).map { Array(positionBias.toArray()[($0 * vocabSize)..<(($0 + 1) * vocabSize)]) }
        return try! BigramTestModel(table: rows, positionBias: bias, maxLength: maxLength)
    }

    /// log p(next | previous token at position) by the definition above, in Double.
    func logProb(of next: Int32, after previous: Int32, at position: Int) -> Double {
        let row = (0..<vocabSize).map { j in
            Double(table.toArray()[Int(previous) * vocabSize + j]) + Double(positionBias.toArray()[position * vocabSize + j])
        }
        let top = row.max()!
        let logSum = top + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) })
        return row[Int(next)] - logSum
    }
}

/// A model over 6 tokens that, greedily, counts up: token t is followed by t + 1, and 4 by
/// the EOS token 5. A very strong preference makes sampling at temperature 1 deterministic too.
private func countingModel(maxLength: Int = 12, strength: Float = 50) throws -> BigramTestModel {
    let table: [[Float]] = (0..<6).map { t in
        (0..<6).map { j in j == min(t + 1, 5) ? strength : 0 }
    }
    return try BigramTestModel(table: table, maxLength: maxLength)
}

private func expectInferenceError(
    containing fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected an InferenceError", sourceLocation: sourceLocation)
    } catch let error as InferenceError {
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected InferenceError, got \(error)", sourceLocation: sourceLocation)
    }
}

private func softmax(_ logits: [Double]) -> [Double] {
    let top = logits.max()!
    let exps = logits.map { Foundation.exp($0 - top) }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}

@Suite("Next-token distribution")
struct NextTokenDistributionTests {
    @Test("temperature divides the logits before the softmax")
    func temperature() throws {
        let logits: [Float] = [2, 0.5, -1, 0]
        for temperature: Float in [0.5, 1, 2.5] {
            let p = try nextTokenProbabilities(logits: logits, options: SamplingOptions(temperature: temperature))
            let expected = softmax(logits.map { Double($0) / Double(temperature) })
            for (a, b) in zip(p, expected) { #expect(abs(a - b) < 1e-12) }
        }
    }

    @Test("top-k keeps the k most likely tokens, renormalised")
    func topK() throws {
        let logits: [Float] = [0.1, 3, -2, 2, 1]
        let p = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topK: 2))
        let kept = softmax([3, 2])
        #expect(abs(p[1] - kept[0]) < 1e-12 && abs(p[3] - kept[1]) < 1e-12)
        #expect(p[0] == 0 && p[2] == 0 && p[4] == 0)
        #expect(try nextTokenProbabilities(logits: logits, options: SamplingOptions(topK: 99)) ==
            nextTokenProbabilities(logits: logits, options: SamplingOptions()))
    }

    @Test("top-p keeps the smallest most-likely set reaching p")
    func topP() throws {
        // Probabilities 0.5, 0.3, 0.15, 0.05 (as logs).
        let logits = [0.5, 0.3, 0.15, 0.05].map { Float(Foundation.log($0)) }
        let p75 = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topP: 0.75))
        #expect(abs(p75[0] - 0.5 / 0.8) < 1e-6 && abs(p75[1] - 0.3 / 0.8) < 1e-6 && p75[2] == 0 && p75[3] == 0)
        let p85 = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topP: 0.85))
        #expect(abs(p85[2] - 0.15 / 0.95) < 1e-6 && p85[3] == 0)
        let p50 = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topP: 0.45))
        #expect(p50 == [1, 0, 0, 0])
        let tiny = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topP: 1e-6))
        #expect(tiny == [1, 0, 0, 0])
        // top-k applies first, then top-p within the renormalised kept set (0.53, 0.32, 0.16).
        let both = try nextTokenProbabilities(logits: logits, options: SamplingOptions(topK: 3, topP: 0.8))
        #expect(both[2] == 0 && abs(both[0] - 0.625) < 1e-6)
    }

    @Test("greedy (or temperature 0) is one-hot at the argmax, lowest id on ties")
    func greedy() throws {
        #expect(try nextTokenProbabilities(logits: [1, 3, 3, 0], options: SamplingOptions(greedy: true)) == [0, 1, 0, 0])
        #expect(try nextTokenProbabilities(logits: [1, 3, 2, 0], options: SamplingOptions(temperature: 0)) == [0, 1, 0, 0])
    }

    @Test("-infinity logits get zero probability; NaN, +infinity or all -infinity throw")
    func nonFinite() throws {
        let p = try nextTokenProbabilities(logits: [0, -.infinity, 0], options: SamplingOptions())
        #expect(p == [0.5, 0, 0.5])
        expectInferenceError(containing: ["non-finite", "token 1"]) {
            _ = try nextTokenProbabilities(logits: [0, .nan], options: SamplingOptions())
        }
        expectInferenceError(containing: ["non-finite"]) {
            _ = try nextTokenProbabilities(logits: [.infinity, 0], options: SamplingOptions(greedy: true))
        }
        expectInferenceError(containing: ["-infinity"]) {
            _ = try nextTokenProbabilities(logits: [-.infinity, -.infinity], options: SamplingOptions())
        }
        expectInferenceError(containing: ["no logits"]) { _ = try nextTokenProbabilities(logits: [], options: SamplingOptions()) }
    }

    /// Temperatures and top-p values given in Double are checked before Float conversion, with
    /// one wording for every caller (the language's model.sample and the simulation's replies).
    @Test func doubleSamplingKnobsAreCheckedBeforeFloatConversion() {
        #expect(SamplingOptions.problem(temperature: 0.7, topP: 0.9) == nil)
        #expect(SamplingOptions.problem(temperature: 0, topP: 1) == nil)
        #expect(SamplingOptions.problem(temperature: -1, topP: 1) == "temperature must be a finite number >= 0 (0 means greedy), got -1.0")
        #expect(SamplingOptions.problem(temperature: .nan, topP: 1)?.hasPrefix("temperature must be a finite number") == true)
        #expect(SamplingOptions.problem(temperature: 1e300, topP: 1)?.hasPrefix("temperature 1e+300 is too large for sampling's 32-bit floats") == true)
        #expect(SamplingOptions.problem(temperature: 1, topP: 0) == "top_p must be in (0, 1] (1 keeps every token), got 0.0")
        #expect(SamplingOptions.problem(temperature: 1, topP: 1.5)?.hasPrefix("top_p must be in (0, 1]") == true)
        #expect(SamplingOptions.problem(temperature: 1, topP: 1e-300)?.hasSuffix("use a top_p like 0.9") == true)
        #expect(SamplingOptions.problem(temperature: -2, topP: 1, format: { _ in "minus two" })?.hasSuffix("got minus two") == true)
    }

    @Test("invalid options are refused with the fix", arguments: [
        (SamplingOptions(temperature: -0.5), "temperature must be"),
        (SamplingOptions(temperature: .nan), "temperature must be"),
        (SamplingOptions(topK: -1), "topK must be >= 0"),
        (SamplingOptions(topP: 0), "topP must be in (0, 1]"),
        (SamplingOptions(topP: 1.5), "topP must be in (0, 1]"),
        (SamplingOptions(maxNewTokens: -1), "maxNewTokens must be >= 0"),
        (SamplingOptions(batchSize: 0), "batchSize must be >= 1"),
        (SamplingOptions(eosToken: 6), "eosToken 6 is outside"),
        (SamplingOptions(eosToken: -2), "eosToken -2 is outside"),
    ] as [(SamplingOptions, String)])
    func invalidOptions(options: SamplingOptions, fragment: String) throws {
        let model = try countingModel()
        var rng = RandomGenerator(seed: 0)
        expectInferenceError(containing: ["sample:", fragment]) {
            _ = try sample(model: model, prompts: [[0]], options: options, rng: &rng)
        }
    }
}

@Suite("Sampling")
struct SamplingTests {
    @Test("greedy decoding follows the model and stops right after EOS")
    func greedyStopsAtEOS() throws {
        let model = try countingModel()
        var rng = RandomGenerator(seed: 0)
        let out = try sample(model: model, prompts: [[0], [2, 3], [4]],
                             options: SamplingOptions(greedy: true, eosToken: 5), rng: &rng)
        #expect(out == [[1, 2, 3, 4, 5], [4, 5], [5]])
        // Without stopping, generation runs to the model's maxLength.
        let long = try sample(model: model, prompts: [[3]],
                              options: SamplingOptions(greedy: true, eosToken: 5, stopAtEOS: false), rng: &rng)
        #expect(long == [[4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]])
    }

    @Test("maxNewTokens and the model's maxLength bound each response")
    func lengthBounds() throws {
        let model = try countingModel(maxLength: 4)
        var rng = RandomGenerator(seed: 0)
        let out = try sample(model: model, prompts: [[0], [0, 1, 2], [0, 1]],
                             options: SamplingOptions(greedy: true, maxNewTokens: 2, eosToken: 5), rng: &rng)
        #expect(out == [[1, 2], [3], [2, 3]])
        let none = try sample(model: model, prompts: [[0, 1, 2, 3]], options: SamplingOptions(maxNewTokens: 0), rng: &rng)
        #expect(none == [[]])
        #expect(try sample(model: model, prompts: [], rng: &rng) == [])
    }

    @Test("bad prompts are refused, naming the row")
    func badPrompts() throws {
        let model = try countingModel(maxLength: 4)
        var rng = RandomGenerator(seed: 0)
        expectInferenceError(containing: ["prompt 1 has 4 tokens", "maxLength 4"]) {
            _ = try sample(model: model, prompts: [[0], [0, 1, 2, 3]], rng: &rng)
        }
        expectInferenceError(containing: ["prompt 0 has 5 tokens"]) {
            _ = try sample(model: model, prompts: [[0, 1, 2, 3, 4]], options: SamplingOptions(maxNewTokens: 0), rng: &rng)
        }
        expectInferenceError(containing: ["prompt 1 is empty"]) { _ = try sample(model: model, prompts: [[0], []], rng: &rng) }
        expectInferenceError(containing: ["prompt 0 has token 9 at position 1", "0..<6"]) {
            _ = try sample(model: model, prompts: [[0, 9]], rng: &rng)
        }
        expectInferenceError(containing: ["token -1"]) { _ = try sample(model: model, prompts: [[-1]], rng: &rng) }
    }

    @Test("finished rows leave the batch and only the needed length is computed, without gradients")
    func batchShrinks() throws {
        let model = try countingModel()
        var rng = RandomGenerator(seed: 0)
        _ = try sample(model: model, prompts: [[3], [0], [4, 5, 4]],
                       options: SamplingOptions(greedy: true, eosToken: 5), rng: &rng)
        // Responses: [4, 5], [1, 2, 3, 4, 5], [5] -> five steps; row 2 ends after one, row 0
        // after two; each call is only as long as its longest remaining row.
        #expect(model.calls.map(\.batch) == [3, 2, 1, 1, 1])
        #expect(model.calls.map(\.length) == [3, 2, 3, 4, 5])
        #expect(model.calls.allSatisfy { !$0.recording })
        #expect(Tensor.isGradEnabled)
    }

    @Test("left alignment keeps each row's positions (position-dependent logits)")
    func positionsAreTrue() throws {
        // Token 0 always prefers 1, except at position 2 where a bias makes it prefer 3.
        var bias = Array(repeating: [Float](repeating: 0, count: 4), count: 6)
        bias[2][3] = 10
        let table: [[Float]] = [[0, 5, 0, 0], [5, 0, 0, 0], [5, 0, 0, 0], [5, 0, 0, 0]]
        let model = try BigramTestModel(table: table, positionBias: bias, maxLength: 6)
        var rng = RandomGenerator(seed: 0)
        let out = try sample(model: model, prompts: [[0, 1, 0], [0], [2, 0]],
                             options: SamplingOptions(greedy: true, maxNewTokens: 1), rng: &rng)
        // The last prompt token sits at position 2, 0 and 1: only the first row sees the bias.
        #expect(out == [[3], [1], [1]])
    }

    @Test("same seed, same samples; batching and batch order do not change a row's result")
    func determinism() throws {
        let table: [[Float]] = (0..<6).map { t in (0..<6).map { j in Float((t * 7 + j * 3) % 5) * 0.4 } }
        let model = try BigramTestModel(table: table, maxLength: 10)
        let prompts: [[Int32]] = [[0], [1, 2], [3, 4, 5], [2], [5, 5]]
        let options = SamplingOptions(temperature: 1.3, topK: 4, topP: 0.95, eosToken: 5)
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 42)
        let first = try sample(model: model, prompts: prompts, options: options, rng: &a)
        let second = try sample(model: model, prompts: prompts, options: options, rng: &b)
        var oneByOne = options
        oneByOne.batchSize = 1
        let third = try sample(model: model, prompts: prompts, options: oneByOne, rng: &c)
        #expect(first == second && first == third)
        var d = RandomGenerator(seed: 43)
        let other = try sample(model: model, prompts: prompts, options: options, rng: &d)
        #expect(other != first)
        // The caller's generator advanced by one draw per prompt.
        var e = RandomGenerator(seed: 42)
        for _ in prompts { _ = e.fork() }
        #expect(a.nextUInt64() == e.nextUInt64())
    }

    @Test("sampled frequencies match the model's distribution")
    func frequencies() throws {
        // After token 0 the model's next-token distribution is softmax([0, 1, 2, -inf-ish]).
        let table: [[Float]] = [[0, 1, 2, -30], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
        let model = try BigramTestModel(table: table, maxLength: 4)
        var rng = RandomGenerator(seed: 7)
        let n = 4000
        let out = try sample(model: model, prompts: Array(repeating: [0], count: n),
                             options: SamplingOptions(maxNewTokens: 1, batchSize: 1000), rng: &rng)
        var counts = [0, 0, 0, 0]
        for response in out { counts[Int(response[0])] += 1 }
        let expected = softmax([0, 1, 2, -30])
        for token in 0..<3 {
            let share = Double(counts[token]) / Double(n)
            let standardError = (expected[token] * (1 - expected[token]) / Double(n)).squareRoot()
            #expect(abs(share - expected[token]) < 5 * standardError, "token \(token): \(share) vs \(expected[token])")
        }
        #expect(counts[3] == 0)
        // top-k 1 is greedy.
        let greedyish = try sample(model: model, prompts: Array(repeating: [0], count: 50),
                                   options: SamplingOptions(topK: 1, maxNewTokens: 1), rng: &rng)
        #expect(greedyish.allSatisfy { $0 == [2] })
    }
}

/// Greedy decoding the slow way: the whole sequence through the model for every new token,
/// and the argmax of its last position (lowest id on ties), until `eos` or a length bound.
private func greedyOnWholeSequences(_ model: LanguageModel, prompt: [Int32], maxNew: Int, eos: Int32? = nil) throws -> [Int32] {
    var sequence = prompt
    var reply: [Int32] = []
    let vocab = model.vocabSize
    while reply.count < maxNew, sequence.count < model.maxLength {
        let logits = try Tensor.withoutGrad { try model.logits(sequence, batch: 1, length: sequence.count).toArray() }
        let last = Array(logits[((sequence.count - 1) * vocab)..<(sequence.count * vocab)])
        let token = Int32(last.firstIndex(of: last.max()!)!)
        reply.append(token)
        sequence.append(token)
        if token == eos { break }
    }
    return reply
}

@Suite("Sampling from a transformer")
struct TransformerSamplingTests {
    @Test("a cancellation check stops sampling between batches; one that never fires changes nothing")
    func cancellationStopsBetweenBatches() throws {
        var weights = RandomGenerator(seed: 8)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: 11, maxLength: 12, dModel: 16, layers: 1, heads: 2), rng: &weights)
        let prompts: [[Int32]] = (0..<20).map { [Int32($0 % 10), 3] }
        let options = SamplingOptions(maxNewTokens: 4, batchSize: 4)
        var rng = RandomGenerator(seed: 0)
        let plain = try sample(model: model, prompts: prompts, options: options, rng: &rng)
        var checks = 0
        #expect(throws: OperationCancelled.self) {
            var rng = RandomGenerator(seed: 0)
            try Cancellation.whenever({ checks += 1; return checks == 3 }) {
                _ = try sample(model: model, prompts: prompts, options: options, rng: &rng)
            }
        }
        #expect(checks == 3)   // before the first batch, then before each of its tokens
        rng = RandomGenerator(seed: 0)
        var quietChecks = 0
        let unstopped = try Cancellation.whenever({ quietChecks += 1; return false }) {
            try sample(model: model, prompts: prompts, options: options, rng: &rng)
        }
        #expect(unstopped == plain)
        #expect(quietChecks == 5 * (1 + 4))   // 5 batches of 4 prompts, 4 new tokens each
    }

    @Test("a long generation stops between tokens, not only between batches")
    func cancellationStopsWithinABatch() throws {
        // One prompt and a long budget: before, Ctrl-C waited for the whole generation.
        var weights = RandomGenerator(seed: 8)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: 11, maxLength: 200, dModel: 8, layers: 1, heads: 2), rng: &weights)
        var checks = 0
        #expect(throws: OperationCancelled.self) {
            var rng = RandomGenerator(seed: 0)
            try Cancellation.whenever({ checks += 1; return checks == 10 }) {
                _ = try sample(model: model, prompts: [[1]], options: SamplingOptions(maxNewTokens: 150), rng: &rng)
            }
        }
        #expect(checks == 10)
    }

    @Test("batched greedy decoding equals a one-row-at-a-time argmax loop")
    func batchedGreedyMatchesManual() throws {
        var weights = RandomGenerator(seed: 8)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: 11, maxLength: 12, dModel: 16, layers: 2, heads: 2), rng: &weights)
        let prompts: [[Int32]] = [[1, 2, 3], [4], [0, 6, 9, 9, 2, 10], [7, 7]]
        var rng = RandomGenerator(seed: 0)
        let replies = try sample(model: model, prompts: prompts,
                                 options: SamplingOptions(greedy: true, maxNewTokens: 7, eosToken: 10), rng: &rng)
        for (row, prompt) in prompts.enumerated() {
            #expect(replies[row] == (try greedyOnWholeSequences(model, prompt: prompt, maxNew: 7, eos: 10)), "row \(row)")
        }
    }
}

@Suite("Sampling from a context-window MLP")
struct MLPSamplingTests {
    @Test("sampling feeds only the window, and gets the tokens the whole sequence gives")
    func windowedSamplingMatchesWholeSequences() throws {
        var weights = RandomGenerator(seed: 4)
        let model = try MLPLM(config: MLPConfig(vocabSize: 7, maxLength: 40, context: 3, embedding: 4, hidden: 12), rng: &weights)
        #expect(model.nextTokenContext == 3)
        let prompts: [[Int32]] = [[1, 2], [3, 4, 5, 6, 0], [2]]
        var rng = RandomGenerator(seed: 0)
        let replies = try sample(model: model, prompts: prompts, options: SamplingOptions(greedy: true, maxNewTokens: 30), rng: &rng)
        for (row, prompt) in prompts.enumerated() {
            #expect(replies[row] == (try greedyOnWholeSequences(model, prompt: prompt, maxNew: 30)), "row \(row)")
        }
        var transformerWeights = RandomGenerator(seed: 4)
        let transformer = try TransformerLM(config: TransformerConfig(vocabSize: 7, maxLength: 8, dModel: 8, layers: 1, heads: 2),
                                            rng: &transformerWeights)
        #expect(transformer.nextTokenContext == nil)
    }
}
