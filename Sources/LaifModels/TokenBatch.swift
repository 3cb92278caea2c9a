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

/// Token rows left-aligned and padded with `padToken` to `length`, row-major `[rows, length]`
/// (causal attention keeps padding from affecting earlier positions).
///
///     paddedTokens([[1, 2, 3], [4]], length: 3, padToken: 0)   // [1, 2, 3, 4, 0, 0]
func paddedTokens(_ rows: [[Int32]], length: Int, padToken: Int32) -> [Int32] {
    var tokens = [Int32](repeating: padToken, count: rows.count * length)
    for (row, sequence) in rows.enumerated() {
        for (position, token) in sequence.prefix(length).enumerated() {
            tokens[row * length + position] = token
        }
    }
    return tokens
}
