import Foundation
import LaifModels
import LaifTensor

/// Prompt + response rows laid out for one forward pass: left-aligned, padded with PAD (0),
/// with a target at every position that predicts a response token and -1 elsewhere (prompt
/// and padding are not scored). Position `prompt.count - 1 + j` predicts response token j.
struct SequenceBatch {
    let tokens: [Int32]
    let targets: [Int32]
    let batch: Int
    let length: Int
    let promptLengths: [Int]
    let responseLengths: [Int]

    /// Builds the batch; rows longer than the model's context throw, naming the row.
    init(prompts: [[Int32]], responses: [[Int32]], maxLength: Int, trainer: String, what: String,
         extraPosition: Bool = false) throws {
        batch = prompts.count
        var longest = 0
        for (row, (p, r)) in zip(prompts, responses).enumerated() {
            guard p.count + r.count <= maxLength else {
                throw TrainingError(trainer: trainer, argument: what,
                                    message: "row \(row) has \(p.count) prompt + \(r.count) reply tokens, more than the model's max length \(maxLength); use shorter replies or a longer model")
            }
            longest = max(longest, p.count + r.count)
        }
        // Without `extraPosition` the last token is only a target, so the model reads one fewer.
        length = max(extraPosition ? longest : longest - 1, 1)
        var tokens = [Int32](repeating: 0, count: batch * length)
        var targets = [Int32](repeating: -1, count: batch * length)
        for (row, (p, r)) in zip(prompts, responses).enumerated() {
            let full = p + r
            for (i, t) in full.prefix(length).enumerated() { tokens[row * length + i] = t }
            for (j, t) in r.enumerated() { targets[row * length + p.count - 1 + j] = t }
        }
        self.tokens = tokens
        self.targets = targets
        promptLengths = prompts.map(\.count)
        responseLengths = responses.map(\.count)
    }

    /// The tokens and targets of the sequences in `range`, each `range.count × length`.
    func rows(_ range: Range<Int>) -> (tokens: [Int32], targets: [Int32]) {
        let span = (range.lowerBound * length)..<(range.upperBound * length)
        return (Array(tokens[span]), Array(targets[span]))
    }

    /// Logits `[batch, length, vocab]` of `model` on the rows.
    func logits(_ model: LanguageModel) throws -> Tensor {
        try model.logits(tokens, batch: batch, length: length)
    }

    /// Per-token log-probs `[batch, length]` of the response tokens (0 elsewhere).
    func tokenLogProbs(_ logits: Tensor) throws -> Tensor {
        try Tensor.tokenLogProbs(logits: logits, targets: targets)
    }

    /// Summed response log-prob per row, `[batch]`.
    func sequenceLogProbs(_ model: LanguageModel) throws -> Tensor {
        try model.targetLogProbs(tokens, targets: targets, batch: batch, length: length).sum(axis: 1)
    }

    /// 1 where a response token is scored, 0 elsewhere, `[batch, length]`.
    func responseMask() throws -> Tensor {
        try Tensor(shape: [batch, length], data: targets.map { $0 >= 0 ? 1 : 0 })
    }

    /// The flat index into `[batch, length]` of response token j of `row`.
    func position(row: Int, token j: Int) -> Int { row * length + promptLengths[row] - 1 + j }
}

/// Per-row statistics of a model's next-token distributions along the scored positions:
/// summed entropy and summed KL to a reference's distributions (nats), computed from logits.
func distributionStatistics(batch: SequenceBatch, logits: [Float], referenceLogits: [Float]?, vocab: Int)
    -> (entropy: [Double], kl: [Double]) {
    var entropy = [Double](repeating: 0, count: batch.batch)
    var kl = [Double](repeating: 0, count: batch.batch)
    var p = [Double](repeating: 0, count: vocab)
    var q = [Double](repeating: 0, count: vocab)
    for row in 0..<batch.batch {
        for j in 0..<batch.responseLengths[row] {
            let base = batch.position(row: row, token: j) * vocab
            logSoftmax(logits, base, vocab, into: &p)
            var h = 0.0
            for v in 0..<vocab { h -= exp(p[v]) * p[v] }
            entropy[row] += h
            if let ref = referenceLogits {
                logSoftmax(ref, base, vocab, into: &q)
                var d = 0.0
                for v in 0..<vocab { d += exp(p[v]) * (p[v] - q[v]) }
                kl[row] += max(d, 0)
            }
        }
    }
    return (entropy, kl)
}

private func logSoftmax(_ x: [Float], _ base: Int, _ n: Int, into out: inout [Double]) {
    var m = -Double.infinity
    for v in 0..<n { m = max(m, Double(x[base + v])) }
    var s = 0.0
    for v in 0..<n { s += exp(Double(x[base + v]) - m) }
    let l = m + log(s)
    for v in 0..<n { out[v] = Double(x[base + v]) - l }
}
