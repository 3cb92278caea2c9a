/// Fused multi-head causal self-attention.
extension Tensor {
    /// softmax(Q K^T / sqrt(d_head) + causal mask) V for every head, reading Q, K and V straight
    /// out of the packed projection `qkv` `[B, T, 3D]` (Q = columns 0..<D, K = D..<2D,
    /// V = 2D..<3D; head h uses columns h*d_head..<(h+1)*d_head of each) and writing `[B, T, D]`
    /// with heads side by side. Scores are one sgemm per (batch, head) on strided pointers; the
    /// mask is applied inside the softmax (no [T, T] mask tensor); only the probabilities are kept.
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
                causalSoftmaxRows(p, t)
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
                        // dS = P * (dP - rowsum(dP * P)); masked entries have P = 0.
                        // Masked entries of P are 0: they add nothing and get 0. Rows are cut at
                        // the first multiple of 8 past the diagonal, as in the forward pass.
                        for i in 0..<t {
                            let pr = p + i * t, dr = ds + i * t
                            let w = Swift.min(t, (i + 8) & ~7)
                            let dot = VectorKernels.dot(pr, dr, w)
                            for j in 0..<w { dr[j] = pr[j] * (dr[j] - dot) }
                            for j in w..<t { dr[j] = 0 }
                        }
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

    /// In-place softmax of each row i of a `[t, t]` score block over columns 0...i; columns
    /// after i become 0. Each row is processed over its first `w` columns, i+1 rounded up to
    /// a multiple of 8 (whole vectors, no ragged tails, about half the exps of a full row);
    /// masked columns inside that span are set to -infinity, whose exp is exactly 0.
    @inline(__always)
    static func causalSoftmaxRows(_ p: UnsafeMutablePointer<Float>, _ t: Int) {
        for i in 0..<t {
            let row = p + i * t
            let w = Swift.min(t, (i + 8) & ~7)
            for j in (i + 1)..<w { row[j] = -Float.infinity }
            let m = VectorKernels.max(row, w)
            let inv = 1 / VectorKernels.expShiftedInPlace(row, w, shift: m)
            for j in 0..<w { row[j] *= inv }
            for j in w..<t { row[j] = 0 }
        }
    }
}
