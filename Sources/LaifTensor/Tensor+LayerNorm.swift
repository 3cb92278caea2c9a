import CSupport

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
        try Tensor.requireMemory(forElements: x.count + 2 * rows, shape: x.shape, op: "layerNorm")
        let out = Tensor(uninitializedShape: x.shape, count: x.count)
        let stats = TensorStorage(uninitializedCount: 2 * Swift.max(rows, 1))   // mean, rstd per row
        let px = x.data, py = out.data, mean = stats.pointer, rstd = stats.pointer + rows
        let gamma = weight?.data, beta = bias?.data
        laif_layer_norm_forward(px, py, mean, rstd, gamma, beta, rows, d, eps)
        let inputs = [x] + [weight, bias].compactMap { $0 }
        if recording(inputs) {
            out.record(inputs) { g in
                withExtendedLifetime(stats) {}
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
                // One pass over the rows computes every gradient (CSupport's kernel): xhat and
                // dxhat live in row-sized scratch, so dy and x are read from memory once.
                let scratch = TensorStorage(uninitializedCount: 2 * d)
                laif_layer_norm_backward(px, g.data, mean, rstd, gamma, inputSlot?.pointer, weightSlot, biasSlot,
                                         rows, d, inputSlot?.accumulate == true ? 1 : 0, scratch.pointer)
            }
        }
        return out
    }
}
