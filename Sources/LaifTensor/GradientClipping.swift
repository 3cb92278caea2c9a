/// Scales all gradients together so their global L2 norm is at most `maxNorm`, and returns the
/// norm before clipping (accumulated in Double). Tensors without a gradient are skipped.
///
///     let norm = clipGradNorm(params, maxNorm: 1.0)
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        var s: Float = 0
        for i in 0..<g.count { s += g.data[i] * g.data[i] }
        total += Double(s)
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm, norm.isFinite, maxNorm >= 0 {
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters {
            guard let g = p.grad else { continue }
            for i in 0..<g.count { g.data[i] *= scale }
        }
    }
    return norm
}
