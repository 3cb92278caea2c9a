import LaifTensor

/// The summed log-probability of each response given its prompt, `[batch]`, differentiable
/// (DPO backpropagates through it). Prompt tokens are conditioned on but not scored; rows of
/// different lengths are left-aligned and padded, and padding is not scored either. An empty
/// response scores 0.
///
///     let logps = try responseLogProbs(model: model, prompts: [[1, 4, 5]], responses: [[6, 7, 2]])
///     // shape [1]: log p(6 | 1 4 5) + log p(7 | 1 4 5 6) + log p(2 | 1 4 5 6 7)
public func responseLogProbs(model: LanguageModel, prompts: [[Int32]], responses: [[Int32]]) throws -> Tensor {
    let scored = try scoredTokenLogProbs(model: model, prompts: prompts, responses: responses, function: "responseLogProbs")
    guard let perToken = scored.perToken else { return try Tensor.zeros([prompts.count]) }
    return try perToken.sum(axis: 1, keepDims: false)
}

/// The log-probability of every response token given its prompt and the response tokens
/// before it: one array per row, as long as that response. Not differentiable (no graph is
/// recorded); use `responseLogProbs` for training.
///
///     let perToken = try tokenLogProbs(model: model, prompts: [[1, 4]], responses: [[6, 2]])
///     // [[log p(6 | 1 4), log p(2 | 1 4 6)]]
public func tokenLogProbs(model: LanguageModel, prompts: [[Int32]], responses: [[Int32]]) throws -> [[Float]] {
    try Tensor.withoutGrad {
        let scored = try scoredTokenLogProbs(model: model, prompts: prompts, responses: responses, function: "tokenLogProbs")
        guard let perToken = scored.perToken else { return responses.map { _ in [] } }
        let values = perToken.toArray()
        return zip(prompts, responses).enumerated().map { row, pair in
            // The logit at position t predicts token t + 1: response token j sits at prompt.count + j.
            let start = row * scored.length + pair.0.count - 1
            return Array(values[start..<(start + pair.1.count)])
        }
    }
}

/// Runs the model once on prompt + response rows and returns `[batch, length]` log-probs of
/// each next token, with prompt and padding positions masked to 0 (target -1). Returns nil
/// when no row has anything to predict (every row a one-token prompt with an empty response).
private func scoredTokenLogProbs(
    model: LanguageModel, prompts: [[Int32]], responses: [[Int32]], function: String
) throws -> (perToken: Tensor?, length: Int) {
    guard prompts.count == responses.count else {
        throw InferenceError(function: function, message:
            "got \(prompts.count) prompts but \(responses.count) responses; give one response per prompt")
    }
    try validateTokenRows(prompts, what: "prompt", vocabSize: model.vocabSize, allowEmpty: false, function: function)
    try validateTokenRows(responses, what: "response", vocabSize: model.vocabSize, allowEmpty: true, function: function)
    let rows = zip(prompts, responses).map { $0 + $1 }
    for (row, tokens) in rows.enumerated() where tokens.count > model.maxLength {
        throw InferenceError(function: function, message:
            "row \(row) has \(prompts[row].count) prompt + \(responses[row].count) response tokens, more than the model's maxLength \(model.maxLength)")
    }
    // The last token of the longest row is only a target, so the model reads one token fewer.
    let length = (rows.map(\.count).max() ?? 0) - 1
    guard length > 0 else { return (nil, 0) }
    var targets = [Int32](repeating: -1, count: rows.count * length)
    for (row, prompt) in prompts.enumerated() {
        for (j, token) in responses[row].enumerated() {
            targets[row * length + prompt.count - 1 + j] = token
        }
    }
    let tokens = paddedTokens(rows, length: length, padToken: 0)
    return (try model.targetLogProbs(tokens, targets: targets, batch: rows.count, length: length), length)
}
