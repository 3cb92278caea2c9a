import CSupport

/// Fused multi-head causal self-attention.
extension Tensor {
    /// softmax(Q K^T / sqrt(d_head) + causal mask) V for every head, reading Q, K and V straight
    /// out of the packed projection `qkv` `[B, T, 3D]` (Q = columns 0..<D, K = D..<2D,
    /// V = 2D..<3D; head h uses columns h*d_head..<(h+1)*d_head of each) and writing `[B, T, D]`
    /// with heads side by side. Scores are one sgemm per (batch, head) on strided pointers; the
    /// mask is applied inside the softmax (CSupport's `laif_causal_softmax_rows`, no [T, T] mask
    /// tensor); only the probabilities are kept.
    ///
    ///     let y = try Tensor.causalSelfAttention(qkv: try Tensor.linear(h, weight: wQKV, bias: bQKV), heads: 4)
    public static func causalSelfAttention(qkv: Tensor, heads: Int) throws -> Tensor {
        guard qkv.rank == 3, heads > 0, qkv.shape[2] % (3 * heads) == 0, qkv.shape[2] > 0 else {
            throw TensorError(op: "causalSelfAttention",
                              message: "qkv must be [B, T, 3D] with D divisible by heads \(heads), got shape \(qkv.shape)")
        }
        let b = qkv.shape[0], t = qkv.shape[1], d = qkv.shape[2] / 3, dh = d / heads
        let probsCount = try elementCount([b, heads, t, t], op: "causalSelfAttention")
        let out = Tensor(uninitializedShape: [b, t, d], count: b * t * d)
        guard b * t > 0 else { return out }
        let recordingGraph = recording(qkv)
        // Without a backward pass one [T, T] block is reused; with one every block is kept.
        let probs = TensorStorage(uninitializedCount: recordingGraph ? probsCount : t * t)
        let scale = 1 / Float(dh).squareRoot()
        let ld = 3 * d
        let x = qkv.data, y = out.data
        for bi in 0..<b {
            for h in 0..<heads {
                let q = x + bi * t * ld + h * dh, k = q + d, v = q + 2 * d
                let p = probs.pointer + (recordingGraph ? (bi * heads + h) * t * t : 0)
                sgemm(transA: false, transB: true, m: t, n: t, k: dh, alpha: scale,
                      a: q, lda: ld, b: k, ldb: ld, beta: 0, c: p, ldc: t)
                laif_causal_softmax_rows(p, t)
                sgemm(transA: false, transB: false, m: t, n: dh, k: t, alpha: 1,
                      a: p, lda: t, b: v, ldb: ld, beta: 0, c: y + bi * t * d + h * dh, ldc: d)
            }
        }
        if recordingGraph {
            out.record([qkv]) { g in
                let (slot, accumulate) = qkv.gradientSlot()
                let beta: Float = accumulate ? 1 : 0
                let scratch = TensorStorage(uninitializedCount: t * t)
                let ds = scratch.pointer
                for bi in 0..<b {
                    for h in 0..<heads {
                        let offset = bi * t * ld + h * dh
                        let q = x + offset, k = q + d, v = q + 2 * d
                        let dq = slot + offset, dk = dq + d, dv = dq + 2 * d
                        let p = probs.pointer + (bi * heads + h) * t * t
                        let dy = g.data + bi * t * d + h * dh
                        // dP = dY V^T;  dV = P^T dY
                        sgemm(transA: false, transB: true, m: t, n: t, k: dh, alpha: 1,
                              a: dy, lda: d, b: v, ldb: ld, beta: 0, c: ds, ldc: t)
                        sgemm(transA: true, transB: false, m: t, n: dh, k: t, alpha: 1,
                              a: p, lda: t, b: dy, ldb: d, beta: beta, c: dv, ldc: ld)
                        // dS = P * (dP - rowsum(dP * P)); masked entries have P = 0 and get 0.
                        laif_causal_softmax_backward_rows(p, ds, t)
                        // dQ = scale dS K;  dK = scale dS^T Q
                        sgemm(transA: false, transB: false, m: t, n: dh, k: t, alpha: scale,
                              a: ds, lda: t, b: k, ldb: ld, beta: beta, c: dq, ldc: ld)
                        sgemm(transA: true, transB: false, m: t, n: dh, k: t, alpha: scale,
                              a: ds, lda: t, b: q, ldb: ld, beta: beta, c: dk, ldc: ld)
                    }
                }
            }
        }
        return out
    }
}
