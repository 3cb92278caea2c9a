import Foundation

/// Reductions over one axis or over everything.
extension Tensor {
    /// (outer, length, inner) of a reduction over `axis`, and the result shape.
    func reductionLayout(axis: Int, keepDims: Bool, op: String) throws -> (outer: Int, length: Int, inner: Int, shape: [Int]) {
        let ax = try Tensor.normalizedAxis(axis, rank: rank, op: op, shape: shape)
        var outShape = shape
        if keepDims { outShape[ax] = 1 } else { outShape.remove(at: ax) }
        return (shape[..<ax].reduce(1, *), shape[ax], shape[(ax + 1)...].reduce(1, *), outShape)
    }

    /// The sum of all elements, as a scalar tensor (accumulated in Double).
    ///
    ///     let total = try x.sum()
    public func sum() throws -> Tensor {
        var s: Double = 0
        for i in 0..<count { s += Double(data[i]) }
        let out = Tensor(scalar: Float(s))
        if Tensor.recording(self) {
            out.record([self]) { [self] g in
                let v = g.data[0]
                let (slot, accumulate) = gradientSlot()
                if accumulate {
                    for i in 0..<count { slot[i] += v }
                } else {
                    slot.initialize(repeating: v, count: count)
                }
            }
        }
        return out
    }

    /// The mean of all elements, as a scalar tensor.
    ///
    ///     let loss = try errors.square().mean()
    public func mean() throws -> Tensor {
        guard count > 0 else {
            throw TensorError(op: "mean", message: "the mean of an empty tensor (shape \(shape)) is undefined")
        }
        return try sum().affine(scale: 1 / Float(count), shift: 0)
    }

    /// Sums along `axis` (negative counts from the end).
    ///
    ///     try m.sum(axis: 1)                     // [2, 3] -> [2]
    ///     try m.sum(axis: -1, keepDims: true)    // [2, 3] -> [2, 1]
    public func sum(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let (outer, length, inner, outShape) = try reductionLayout(axis: axis, keepDims: keepDims, op: "sum")
        let out = Tensor(uninitializedShape: outShape, count: outer * inner)
        let o = out.data, x = data
        for p in 0..<outer {
            LongSums.rows(count: length, width: inner, into: o + p * inner) { j in UnsafePointer(x + (p * length + j) * inner) }
        }
        if Tensor.recording(self) {
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                for p in 0..<outer {
                    let src = g.data + p * inner
                    for j in 0..<length {
                        let dst = slot + (p * length + j) * inner
                        if accumulate {
                            for q in 0..<inner { dst[q] += src[q] }
                        } else {
                            dst.update(from: src, count: inner)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Means along `axis`.
    ///
    ///     try m.mean(axis: 0)                    // [2, 3] -> [3]
    public func mean(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let (_, length, _, _) = try reductionLayout(axis: axis, keepDims: keepDims, op: "mean")
        guard length > 0 else {
            throw TensorError(op: "mean", message: "axis \(axis) of shape \(shape) is empty")
        }
        return try sum(axis: axis, keepDims: keepDims).affine(scale: 1 / Float(length), shift: 0)
    }

    /// Maxima along `axis`; the gradient flows to the first maximal element.
    ///
    ///     try m.max(axis: -1)
    public func max(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let (outer, length, inner, outShape) = try reductionLayout(axis: axis, keepDims: keepDims, op: "max")
        guard length > 0 else {
            throw TensorError(op: "max", message: "axis \(axis) of shape \(shape) is empty")
        }
        let indices = argmaxIndices(outer: outer, length: length, inner: inner)
        let out = Tensor(uninitializedShape: outShape, count: outer * inner)
        for p in 0..<outer {
            for q in 0..<inner { out.data[p * inner + q] = data[(p * length + indices[p * inner + q]) * inner + q] }
        }
        if Tensor.recording(self) {
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                if !accumulate { slot.initialize(repeating: 0, count: count) }
                for p in 0..<outer {
                    for q in 0..<inner {
                        slot[(p * length + indices[p * inner + q]) * inner + q] += g.data[p * inner + q]
                    }
                }
            }
        }
        return out
    }

    /// Index of the first maximum along `axis` (not differentiable).
    ///
    ///     try logits.argmax(axis: -1)            // [B, V] -> [B] indices
    public func argmax(axis: Int) throws -> [Int] {
        let (outer, length, inner, _) = try reductionLayout(axis: axis, keepDims: false, op: "argmax")
        guard length > 0 else {
            throw TensorError(op: "argmax", message: "axis \(axis) of shape \(shape) is empty")
        }
        return argmaxIndices(outer: outer, length: length, inner: inner)
    }

    private func argmaxIndices(outer: Int, length: Int, inner: Int) -> [Int] {
        var result = [Int](repeating: 0, count: outer * inner)
        for p in 0..<outer {
            for q in 0..<inner {
                var best = data[p * length * inner + q], bestIndex = 0
                for j in 1..<Swift.max(length, 1) {
                    let v = data[(p * length + j) * inner + q]
                    if v > best || (best.isNaN == false && v.isNaN) { best = v; bestIndex = j }
                }
                result[p * inner + q] = bestIndex
            }
        }
        return result
    }

    /// log(sum(exp(x))) along `axis`, computed stably.
    ///
    ///     try logits.logsumexp(axis: -1)
    public func logsumexp(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let (outer, length, inner, outShape) = try reductionLayout(axis: axis, keepDims: keepDims, op: "logsumexp")
        guard length > 0 else {
            throw TensorError(op: "logsumexp", message: "axis \(axis) of shape \(shape) is empty")
        }
        let out = Tensor(uninitializedShape: outShape, count: outer * inner)
        for p in 0..<outer {
            for q in 0..<inner {
                let base = p * length * inner + q
                var m = -Float.infinity
                for j in 0..<length { m = Swift.max(m, data[base + j * inner]) }
                if m == -Float.infinity || !m.isFinite { out.data[p * inner + q] = m; continue }
                let s = LongSums.line(count: length) { j in FastMath.exp(data[base + j * inner] - m) }
                out.data[p * inner + q] = m + Foundation.log(s)
            }
        }
        if Tensor.recording(self) {
            let lse = out.storage
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                for p in 0..<outer {
                    for q in 0..<inner {
                        let base = p * length * inner + q
                        let l = lse.pointer[p * inner + q], gv = g.data[p * inner + q]
                        for j in 0..<length {
                            let v = gv * FastMath.exp(data[base + j * inner] - l)
                            slot[base + j * inner] = accumulate ? slot[base + j * inner] + v : v
                        }
                    }
                }
            }
        }
        return out
    }
}
