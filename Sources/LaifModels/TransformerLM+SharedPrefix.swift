import LaifTensor

/// The transformer's cheaper paths for callers that read only some positions: log-probs of
/// given next tokens (trainers) and logits at chosen positions (sampling). Both run each
/// distinct prefix of the batch once and the last block and the LM head only where something
/// is read (see `SharedPrefixLayout`). The values are those of the full forward pass: every
/// row-wise layer computes a row the same way whichever other rows it runs with.
extension TransformerLM {
    /// log p(next token) at every position, `[batch, length]` (0 where the target is -1): a DPO
    /// pair's prompt runs once for both replies, an RL group's prompt once for its k samples,
    /// and the last block and the LM head skip prompt and padding positions.
    ///
    ///     let lp = try model.targetLogProbs([3, 4, 5,  3, 4, 6], targets: [-1, 5, 9,  -1, 6, 2], batch: 2, length: 3)
    public func targetLogProbs(_ tokens: [Int32], targets: [Int32], batch: Int, length: Int) throws -> Tensor {
        try validateTokens(tokens, batch: batch, length: length, vocabSize: config.vocabSize,
                           maxLength: config.maxLength, model: "TransformerLM")
        guard targets.count == tokens.count else {
            throw ModelConfigurationError(context: "TransformerLM.targetLogProbs", message:
                "got \(targets.count) targets for \(tokens.count) tokens; give one per position (-1 where nothing is scored)")
        }
        let layout = SharedPrefixLayout(tokens: tokens, targets: targets, batch: batch, length: length)
        guard layout.savesWork, !layout.scoredNodes.isEmpty else {
            return try targetLogProbsFromAllLogits(tokens, targets: targets, batch: batch, length: length)
        }
        let logits = try Tensor.embedding(scoredLogits(layout), ids: layout.scoredRowOfPosition, idsShape: [batch, length])
        return try Tensor.tokenLogProbs(logits: logits, targets: targets)
    }

    /// Logits at the given positions only, `[positions.count, vocabSize]`: row i holds the
    /// logits at `positions[i]`, counted row-major over `[batch, length]` (row * length + t).
    /// Sampling reads each row's last position.
    ///
    ///     let next = try model.logits(tokens, batch: 2, length: 4, at: [3, 6])   // [2, vocab]
    public func logits(_ tokens: [Int32], batch: Int, length: Int, at positions: [Int]) throws -> Tensor {
        try validateTokens(tokens, batch: batch, length: length, vocabSize: config.vocabSize,
                           maxLength: config.maxLength, model: "TransformerLM")
        try validatePositions(positions, batch: batch, length: length, model: "TransformerLM")
        var read = [Int32](repeating: -1, count: tokens.count)
        for position in positions { read[position] = 0 }
        let layout = SharedPrefixLayout(tokens: tokens, targets: read, batch: batch, length: length)
        guard layout.savesWork, !positions.isEmpty else {
            return try logitsFromAllLogits(tokens, batch: batch, length: length, at: positions)
        }
        return try Tensor.embedding(scoredLogits(layout), ids: positions.map { layout.scoredRowOfPosition[$0] })
    }

    /// The LM head's logits at the layout's scored nodes, `[scored nodes, vocabSize]`.
    private func scoredLogits(_ layout: SharedPrefixLayout) throws -> Tensor {
        var x = try tokenEmbedding(layout.nodeTokens) + positionEmbedding(layout.nodePositions)
        if blocks.isEmpty { x = try Tensor.embedding(x, ids: layout.scoredNodes) }
        for (i, block) in blocks.enumerated() { x = try block(x, layout: layout, onlyScored: i == blocks.count - 1) }
        return try head(finalNorm(x))
    }
}

extension TransformerBlock {
    /// The block over a prefix layout's nodes (`x` is `[nodes, D]`): attention runs on the rows'
    /// positions, each reading its node's projections, and everything else once per node. With
    /// `onlyScored` the result holds just the scored nodes' rows, in `scoredNodes` order.
    func callAsFunction(_ x: Tensor, layout: SharedPrefixLayout, onlyScored: Bool) throws -> Tensor {
        let width = x.shape[x.rank - 1]
        let attention = try Tensor.causalSelfAttention(nodes: qkv(ln1(x)), rows: layout.nodeOfPosition, batch: layout.batch,
                                                       length: layout.length, heads: heads)
            .reshape([layout.batch * layout.length, width])
        let nodeAttention = try Tensor.embedding(attention, ids: onlyScored ? layout.scoredFirstPositions : layout.firstPosition)
        let residual = onlyScored ? try Tensor.embedding(x, ids: layout.scoredNodes) : x
        let h = try proj(nodeAttention, residual: residual)
        return try fc2(fc1(ln2(h)).gelu(), residual: h)
    }
}
