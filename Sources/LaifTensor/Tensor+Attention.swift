import CSupport

/// Fused multi-head causal self-attention.
extension Tensor {
    /// softmax(Q K^T / sqrt(d_head) + causal mask) V for every head, reading Q, K and V straight
    /// out of the packed projection `qkv` `[B, T, 3D]` (Q = columns 0..<D, K = D..<2D,
    /// V = 2D..<3D; head h uses columns h*d_head..<(h+1)*d_head of each) and writing `[B, T, D]`
    /// with heads side by side. One fused CSupport kernel per direction
    /// (`laif_causal_attention_forward`/`_backward`) works on the causal half of each score block
    /// only, with no [T, T] mask tensor and no per-head sgemm calls; only the probabilities are kept.
    ///
    ///     let y = try Tensor.causalSelfAttention(qkv: try Tensor.linear(h, weight: wQKV, bias: bQKV), heads: 4)
    public static func causalSelfAttention(qkv: Tensor, heads: Int) throws -> Tensor {
        guard qkv.rank == 3, heads > 0, qkv.shape[2] % (3 * heads) == 0, qkv.shape[2] > 0 else {
            throw TensorError(op: "causalSelfAttention",
                              message: "qkv must be [B, T, 3D] with D divisible by heads \(heads), got shape \(qkv.shape)")
        }
        return try fusedAttention(qkv, rows: nil, batch: qkv.shape[0], length: qkv.shape[1], heads: heads)
    }

    /// The same attention over rows gathered from `nodes` `[n, 3D]`: row t of sequence b is
    /// node `rows[b * length + t]`, so sequences that share a prefix read (and add their
    /// gradients into) the same projections. Equal, bit for bit, to gathering the rows into
    /// `[batch, length, 3D]` with `embedding` and calling `causalSelfAttention(qkv:heads:)`, without
    /// building that tensor. Returns `[batch, length, D]`.
    ///
    ///     let y = try Tensor.causalSelfAttention(nodes: nodeQKV, rows: layout.nodeOfPosition, batch: 64, length: 32, heads: 4)
    public static func causalSelfAttention(nodes: Tensor, rows: [Int32], batch: Int, length: Int, heads: Int) throws -> Tensor {
        guard nodes.rank == 2, heads > 0, nodes.shape[1] % (3 * heads) == 0, nodes.shape[1] > 0 else {
            throw TensorError(op: "causalSelfAttention",
                              message: "nodes must be [n, 3D] with D divisible by heads \(heads), got shape \(nodes.shape)")
        }
        guard batch >= 0, length >= 0, rows.count == batch * length else {
            throw TensorError(op: "causalSelfAttention",
                              message: "got \(rows.count) rows for batch \(batch) x length \(length); give one node per position")
        }
        if let bad = rows.firstIndex(where: { $0 < 0 || Int($0) >= nodes.shape[0] }) {
            throw TensorError(op: "causalSelfAttention",
                              message: "row \(rows[bad]) at position \(bad) is outside the \(nodes.shape[0]) nodes")
        }
        return try fusedAttention(nodes, rows: rows, batch: batch, length: length, heads: heads)
    }

    /// Both attention ops after their checks: `source` is `[B, T, 3D]` read in place (`rows`
    /// nil) or `[n, 3D]` read through `rows`. Keeps every block of probabilities when a backward
    /// pass will need them, else reuses one.
    private static func fusedAttention(_ source: Tensor, rows: [Int32]?, batch b: Int, length t: Int,
                                       heads: Int) throws -> Tensor {
        let d = source.shape[source.rank - 1] / 3, dh = d / heads
        let blockCount = laif_attention_probs_count(t)
        let probsCount = try elementCount([b, heads, blockCount], op: "causalSelfAttention")
        let out = Tensor(uninitializedShape: [b, t, d], count: b * t * d)
        guard b * t > 0 else { return out }
        let recordingGraph = recording(source)
        let probs = TensorStorage(uninitializedCount: recordingGraph ? probsCount : blockCount)
        let scratch = TensorStorage(uninitializedCount: rows == nil ? laif_attention_scratch_count(t, dh)
                                                                    : laif_attention_gathered_scratch_count(t, heads, dh))
        let scale = 1 / Float(dh).squareRoot(), keep: Int32 = recordingGraph ? 1 : 0
        if let rows {
            rows.withUnsafeBufferPointer { r in
                laif_causal_attention_forward_gathered(source.data, r.baseAddress, out.data, probs.pointer, b, t, heads, dh,
                                                       scale, keep, scratch.pointer)
            }
        } else {
            laif_causal_attention_forward(source.data, out.data, probs.pointer, b, t, heads, dh, scale, keep, scratch.pointer)
        }
        guard recordingGraph else { return out }
        out.record([source]) { g in
            let (slot, accumulate) = source.gradientSlot()
            if let rows {
                // The gathered kernel adds onto the nodes; a fresh gradient starts from zero.
                if !accumulate { slot.initialize(repeating: 0, count: source.count) }
                rows.withUnsafeBufferPointer { r in
                    laif_causal_attention_backward_gathered(source.data, r.baseAddress, probs.pointer, g.data, slot, b, t,
                                                            heads, dh, scale, scratch.pointer)
                }
            } else {
                laif_causal_attention_backward(source.data, probs.pointer, g.data, slot, b, t, heads, dh, scale,
                                               accumulate ? 1 : 0, scratch.pointer)
            }
        }
        return out
    }
}
