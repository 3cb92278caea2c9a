/// Fused layer normalisation over the last dimension.
extension Tensor {
    /// (x - mean) / sqrt(var + eps) * weight + bias over the last dimension, with the biased
    /// variance (as PyTorch). `weight` and `bias` are `[D]` or nil. Only per-row mean and
    /// 1/std are kept for the backward pass.
    ///
    ///     let h = try Tensor.layerNorm(x, weight: gamma, bias: beta)   // x [B, T, D]
    public static func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws -> Tensor {
        guard x.rank >= 1, let d = x.shape.last, d > 0 else {
            throw TensorError(op: "layerNorm", message: "input of shape \(x.shape) needs a non-empty last dimension")
        }
        for p in [weight, bias] {
            if let p = p, p.shape != [d] {
                throw TensorError.shapes("layerNorm", x.shape, p.shape, "do not fit: weight and bias must be [\(d)]")
            }
        }
        let rows = x.count / d
        let out = Tensor(uninitializedShape: x.shape, count: x.count)
        let stats = TensorStorage(uninitializedCount: 2 * Swift.max(rows, 1))   // mean, rstd per row
        let px = x.data, py = out.data, mean = stats.pointer, rstd = stats.pointer + rows
        let gamma = weight?.data, beta = bias?.data
        let invD = 1 / Float(d)
        for r in 0..<rows {
            let row = px + r * d, yr = py + r * d
            let mu = VectorKernels.sum(row, d) * invD
            let v = VectorKernels.squaredDeviation(row, d, from: mu)
            let inv = 1 / (v * invD + eps).squareRoot()
            mean[r] = mu
            rstd[r] = inv
            switch (gamma, beta) {
            case let (g?, b?): for j in 0..<d { yr[j] = (row[j] - mu) * inv * g[j] + b[j] }
            case let (g?, nil): for j in 0..<d { yr[j] = (row[j] - mu) * inv * g[j] }
            case let (nil, b?): for j in 0..<d { yr[j] = (row[j] - mu) * inv + b[j] }
            case (nil, nil): for j in 0..<d { yr[j] = (row[j] - mu) * inv }
            }
        }
        let inputs = [x] + [weight, bias].compactMap { $0 }
        if recording(inputs) {
            out.record(inputs) { g in
                withExtendedLifetime(stats) {}
                let dy = g.data
                // One pass over the rows computes every gradient: xhat and dxhat live in
                // row-sized scratch buffers, so dy and x are read from memory once.
                let scratchStorage = TensorStorage(uninitializedCount: 2 * d)
                let xhat = scratchStorage.pointer, dxhat = scratchStorage.pointer + d
                var weightSlot: UnsafeMutablePointer<Float>?
                if let weight = weight, weight.requiresGrad {
                    let (slot, accumulate) = weight.gradientSlot()
                    if !accumulate { slot.initialize(repeating: 0, count: d) }
                    weightSlot = slot
                }
                var biasSlot: UnsafeMutablePointer<Float>?
                if let bias = bias, bias.requiresGrad {
                    let (slot, accumulate) = bias.gradientSlot()
                    if !accumulate { slot.initialize(repeating: 0, count: d) }
                    biasSlot = slot
                }
                let inputSlot = x.requiresGrad ? x.gradientSlot() : nil
                for r in 0..<rows {
                    let row = px + r * d, gr = dy + r * d
                    let mu = mean[r], inv = rstd[r]
                    for j in 0..<d { xhat[j] = (row[j] - mu) * inv }
                    if let ws = weightSlot { for j in 0..<d { ws[j] += gr[j] * xhat[j] } }
                    if let bs = biasSlot { for j in 0..<d { bs[j] += gr[j] } }
                    guard let (slot, accumulate) = inputSlot else { continue }
                    // dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma
                    let dh: UnsafePointer<Float>
                    if let gm = gamma {
                        for j in 0..<d { dxhat[j] = gr[j] * gm[j] }
                        dh = UnsafePointer(dxhat)
                    } else {
                        dh = UnsafePointer(gr)
                    }
                    let a = VectorKernels.sum(dh, d) * invD
                    let b = VectorKernels.dot(dh, xhat, d) * invD
                    let dx = slot + r * d
                    if accumulate {
                        for j in 0..<d { dx[j] += inv * (dh[j] - a - xhat[j] * b) }
                    } else {
                        for j in 0..<d { dx[j] = inv * (dh[j] - a - xhat[j] * b) }
                    }
                }
            }
        }
        return out
    }
}
