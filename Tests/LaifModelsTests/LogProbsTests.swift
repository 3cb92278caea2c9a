import Foundation
import LaifTensor
import Testing
@testable import LaifModels

/// A bigram test model with varied, seeded weights and position biases.
private func variedModel(vocab: Int = 7, maxLength: Int = 9, seed: UInt64 = 3) throws -> BigramTestModel {
    var rng = RandomGenerator(seed: seed)
    let table = (0..<vocab).map { _ in (0..<vocab).map { _ in Float(rng.normal()) } }
    let bias = (0..<maxLength).map { _ in (0..<vocab).map { _ in Float(rng.normal() * 0.5) } }
    return try BigramTestModel(table: table, positionBias: bias, maxLength: maxLength)
}

/// log p(response | prompt) by the test model's definition, token by token.
private func manualLogProbs(_ model: BigramTestModel, prompt: [Int32], response: [Int32]) -> [Double] {
    let sequence = prompt + response
    return response.indices.map { j in
        let position = prompt.count + j - 1
        return model.logProb(of: response[j], after: sequence[position], at: position)
    }
}

private let prompts: [[Int32]] = [[1, 2, 3], [4], [0, 6], [5, 5, 5, 5]]
private let responses: [[Int32]] = [[4, 0], [1, 2, 3, 6, 2], [], [3]]

@Suite("Response log-probabilities")
struct LogProbsTests {
    @Test("per-token log-probs equal a manual softmax computation, row by row")
    func matchesManual() throws {
        let model = try variedModel()
        let perToken = try tokenLogProbs(model: model, prompts: prompts, responses: responses)
        #expect(perToken.map(\.count) == responses.map(\.count))
        for row in prompts.indices {
            let expected = manualLogProbs(model, prompt: prompts[row], response: responses[row])
            for (got, want) in zip(perToken[row], expected) {
                #expect(abs(Double(got) - want) < 1e-5, "row \(row): \(got) vs \(want)")
            }
        }
    }

    @Test("summed log-probs equal the per-token sums; an empty response scores 0")
    func sumsMatchPerToken() throws {
        let model = try variedModel()
        let sums = try responseLogProbs(model: model, prompts: prompts, responses: responses)
        #expect(sums.shape == [prompts.count])
        let perToken = try tokenLogProbs(model: model, prompts: prompts, responses: responses)
        for (sum, tokens) in zip(sums.toArray(), perToken) {
            #expect(abs(sum - tokens.reduce(0, +)) < 1e-5)
        }
        #expect(sums.toArray()[2] == 0)
    }

    @Test("prompt tokens are conditioned on but never scored")
    func promptNotScored() throws {
        let model = try variedModel()
        let before = try responseLogProbs(model: model, prompts: [[1, 2, 3]], responses: [[4, 0]]).toArray()
        // Row 1 of the table predicts the prompt's own token 2: it must not matter.
        var table = model.table.toArray()
        for j in 0..<7 { table[1 * 7 + j] += Float(j) * 3 }
        try model.table.assign(table)
        let after = try responseLogProbs(model: model, prompts: [[1, 2, 3]], responses: [[4, 0]]).toArray()
        #expect(before == after)
        // Changing the row that predicts the first response token does matter.
        for j in 0..<7 { table[3 * 7 + j] += Float(j) }
        try model.table.assign(table)
        let changed = try responseLogProbs(model: model, prompts: [[1, 2, 3]], responses: [[4, 0]]).toArray()
        #expect(changed != before)
    }

    @Test("a row scores the same alone as in a padded batch")
    func paddingIsInvisible() throws {
        let model = try variedModel()
        let batch = try responseLogProbs(model: model, prompts: prompts, responses: responses).toArray()
        for row in prompts.indices {
            let alone = try responseLogProbs(model: model, prompts: [prompts[row]], responses: [responses[row]]).toArray()
            #expect(abs(alone[0] - batch[row]) < 1e-6)
        }
    }

    @Test("gradients flow to the weights: d/dW of the summed log-prob is onehot - softmax")
    func gradient() throws {
        let model = try variedModel()
        let total = try responseLogProbs(model: model, prompts: prompts, responses: responses).sum()
        try total.backward()
        let grad = try #require(model.table.grad).toArray()
        var expected = [Double](repeating: 0, count: 49)
        for row in prompts.indices {
            let sequence = prompts[row] + responses[row]
            for j in responses[row].indices {
                let position = prompts[row].count + j - 1
                let previous = Int(sequence[position])
                for k in 0..<7 {
                    let p = Foundation.exp(model.logProb(of: Int32(k), after: Int32(previous), at: position))
                    expected[previous * 7 + k] += (k == Int(responses[row][j]) ? 1 : 0) - p
                }
            }
        }
        for (g, e) in zip(grad, expected) { #expect(abs(Double(g) - e) < 1e-5) }
        #expect(model.calls.last?.recording == true)
    }

    @Test("tokenLogProbs records no graph")
    func perTokenWithoutGrad() throws {
        let model = try variedModel()
        _ = try tokenLogProbs(model: model, prompts: prompts, responses: responses)
        #expect(model.calls.count == 1 && model.calls[0].recording == false)
        #expect(model.calls[0].batch == 4 && model.calls[0].length == 5)  // longest row 6 tokens
    }

    @Test("nothing to score gives zeros without running the model")
    func degenerate() throws {
        let model = try variedModel()
        #expect(try responseLogProbs(model: model, prompts: [[1], [2]], responses: [[], []]).toArray() == [0, 0])
        #expect(try tokenLogProbs(model: model, prompts: [[1]], responses: [[]]) == [[]])
        #expect(try responseLogProbs(model: model, prompts: [], responses: []).shape == [0])
        #expect(model.calls.isEmpty)
    }

    @Test("bad inputs are refused, naming the row")
    func errors() throws {
        let model = try variedModel(maxLength: 5)
        func expectError(_ fragments: [String], _ body: () throws -> Void) {
            do { try body(); Issue.record("expected an InferenceError") } catch let error as InferenceError {
                for fragment in fragments { #expect(error.description.contains(fragment), "\(error)") }
            } catch { Issue.record("unexpected \(error)") }
        }
        expectError(["responseLogProbs", "2 prompts but 1 responses"]) {
            _ = try responseLogProbs(model: model, prompts: [[1], [2]], responses: [[3]])
        }
        expectError(["tokenLogProbs", "prompt 0 is empty"]) { _ = try tokenLogProbs(model: model, prompts: [[]], responses: [[3]]) }
        expectError(["response 1 has token 7 at position 0"]) {
            _ = try responseLogProbs(model: model, prompts: [[1], [2]], responses: [[3], [7]])
        }
        expectError(["row 0 has 2 prompt + 4 response tokens", "maxLength 5"]) {
            _ = try responseLogProbs(model: model, prompts: [[1, 2]], responses: [[3, 4, 5, 6]])
        }
    }
}

@Suite("Response log-probabilities on a transformer")
struct TransformerLogProbsTests {
    @Test("batched, padded scores equal a manual log-softmax of each row's own logits")
    func matchesPerRowSoftmax() throws {
        var rng = RandomGenerator(seed: 5)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: 9, maxLength: 10, dModel: 16, layers: 2, heads: 2), rng: &rng)
        let prompts: [[Int32]] = [[1, 2, 3], [4], [0, 6, 8, 8, 2], [7, 7]]
        let responses: [[Int32]] = [[4, 0, 5], [1, 2, 3, 6, 2, 8], [3], []]
        let perToken = try tokenLogProbs(model: model, prompts: prompts, responses: responses)
        let sums = try responseLogProbs(model: model, prompts: prompts, responses: responses).toArray()
        for row in prompts.indices {
            let sequence = prompts[row] + responses[row]
            let logits = try Tensor.withoutGrad {
                try model.logits(sequence, batch: 1, length: sequence.count).toArray()
            }
            var manualSum = 0.0
            for (j, token) in responses[row].enumerated() {
                let position = prompts[row].count - 1 + j
                let scores = (0..<9).map { Double(logits[position * 9 + $0]) }
                let top = scores.max()!
                let logSum = top + Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - top) })
                let expected = scores[Int(token)] - logSum
                manualSum += expected
                #expect(abs(Double(perToken[row][j]) - expected) < 1e-4, "row \(row) token \(j)")
            }
            #expect(abs(Double(sums[row]) - manualSum) < 1e-4)
        }
    }
}
