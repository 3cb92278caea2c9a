import LaifTensor

/// Checks token rows against a vocabulary: each row non-empty (when required) and every id in
/// `0..<vocabSize`. `what` names the rows in messages ("prompt", "response").
func validateTokenRows(
    _ rows: [[Int32]], what: String, vocabSize: Int, allowEmpty: Bool, function: String
) throws {
    for (row, tokens) in rows.enumerated() {
        if tokens.isEmpty && !allowEmpty {
            throw InferenceError(function: function, message:
                "\(what) \(row) is empty; give at least one token (for example a BOS or task token)")
        }
        if let bad = tokens.firstIndex(where: { $0 < 0 || Int($0) >= vocabSize }) {
            throw InferenceError(function: function, message:
                "\(what) \(row) has token \(tokens[bad]) at position \(bad), outside the model's vocabulary 0..<\(vocabSize)")
        }
    }
}

/// Runs the model on rows left-aligned and padded with `padToken` to `length` (causal
/// attention keeps padding from affecting earlier positions), and checks the logits' shape.
func batchedLogits(
    model: LanguageModel, rows: [[Int32]], length: Int, padToken: Int32, function: String
) throws -> Tensor {
    var tokens = [Int32](repeating: padToken, count: rows.count * length)
    for (row, sequence) in rows.enumerated() {
        for (position, token) in sequence.prefix(length).enumerated() {
            tokens[row * length + position] = token
        }
    }
    let logits = try model.logits(tokens, batch: rows.count, length: length)
    guard logits.shape == [rows.count, length, model.vocabSize] else {
        throw InferenceError(function: function, message:
            "the model returned logits of shape \(logits.shape), expected [\(rows.count), \(length), \(model.vocabSize)]")
    }
    return logits
}
