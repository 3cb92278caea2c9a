import CSupport

/// The fused affine layer y = x W^T + b (+ residual) on sgemm.
extension Tensor {
    /// `x @ weight^T + bias` over the last dimension of `x`. `weight` is `[out, in]` (PyTorch's
    /// layout), `bias` `[out]` or nil. Where OpenBLAS's small-matrix kernels pay (see
    /// `SgemmChunking`) the rows go in chunks, each adding its bias right after its product;
    /// otherwise the bias is copied into the output first and one sgemm adds the product.
    ///
    ///     let y = try Tensor.linear(x, weight: w, bias: b)   // [B, T, 64] -> [B, T, 192]
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try linear(x, weight: weight, bias: bias, residual: nil)
    }

    /// `residual + x @ weight^T + bias` in one pass: the residual (plus bias) is added to the
    /// product as it is written, saving the separate add of a pre-LN transformer's residual
    /// stream. `residual` has the output's shape.
    ///
    ///     let h = try Tensor.linear(attention, weight: wProj, bias: bProj, residual: x)   // x + proj(attention)
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, residual: Tensor?) throws -> Tensor {
        guard weight.rank == 2, x.rank >= 1, x.shape[x.rank - 1] == weight.shape[1] else {
            throw TensorError.shapes("linear", x.shape, weight.shape,
                                     "do not fit: input [..., in] needs weight [out, in] with the same in")
        }
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        if let bias = bias, bias.shape != [outFeatures] {
            throw TensorError.shapes("linear", weight.shape, bias.shape, "do not fit: bias must be [out] = [\(outFeatures)]")
        }
        let rows = x.count / Swift.max(inFeatures, 1)
        var outShape = x.shape
        outShape[outShape.count - 1] = outFeatures
        let n = try elementCount(outShape, op: "linear")
        if let residual = residual, residual.shape != outShape {
            throw TensorError.shapes("linear", outShape, residual.shape, "differ: the residual must have the output's shape")
        }
        guard n > 0, inFeatures > 0 else {
            var out = try zeros(outShape)
            if let bias = bias, n > 0 { out = try out + bias }
            if let residual = residual { out = try out + residual }
            return out
        }
        let out = Tensor(uninitializedShape: outShape, count: n)
        if let chunk = SgemmChunking.rowsPerChunk(rows: rows, width: inFeatures * outFeatures) {
            linearForwardInChunks(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, chunk: chunk,
                                  x: x.data, weight: weight.data, bias: bias?.data, residual: residual?.data, y: out.data)
        } else {
            fillAndMultiply(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, x: x.data, weight: weight.data,
                            bias: bias?.data, residual: residual?.data, y: out.data)
        }
        let inputs = [x, weight] + [bias, residual].compactMap { $0 }
        if recording(inputs) {
            out.record(inputs) { g in
                let dy = g.data
                if x.requiresGrad {
                    let (slot, accumulate) = x.gradientSlot()
                    sgemmRowsTimesMatrix(rows: rows, n: outFeatures, k: inFeatures, a: dy, b: weight.data,
                                         beta: accumulate ? 1 : 0, c: slot)
                }
                if weight.requiresGrad {
                    let (slot, accumulate) = weight.gradientSlot()
                    sgemmTransposedRowsTimesRows(rows: rows, n: outFeatures, k: inFeatures, a: dy, b: x.data,
                                                 beta: accumulate ? 1 : 0, c: slot)
                }
                if let bias = bias, bias.requiresGrad {
                    let (slot, accumulate) = bias.gradientSlot()
                    laif_column_sums(dy, slot, rows, outFeatures, accumulate ? 1 : 0)
                }
                // Last: the residual may adopt g's buffer, which nothing above reads any more.
                if let residual = residual, residual.requiresGrad { residual.takeGradient(g) }
            }
        }
        return out
    }

    /// The single-call forward product: y is filled with residual + bias, then one sgemm adds
    /// x W^T into it (beta = 1).
    private static func fillAndMultiply(rows: Int, inFeatures: Int, outFeatures: Int, x: UnsafePointer<Float>,
                                        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                        residual: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        if let r = residual {
            if let b = bias {
                for row in 0..<rows {
                    let yr = y + row * outFeatures, rr = r + row * outFeatures
                    for j in 0..<outFeatures { yr[j] = rr[j] + b[j] }
                }
            } else {
                y.update(from: r, count: rows * outFeatures)
            }
        } else if let b = bias {
            // Fill every row with the bias by doubling copies: few large memcpy calls
            // instead of one small call per row.
            y.update(from: b, count: outFeatures)
            var filled = 1
            while filled < rows {
                let chunk = Swift.min(filled, rows - filled)
                (y + filled * outFeatures).update(from: y, count: chunk * outFeatures)
                filled += chunk
            }
        }
        sgemm(transA: false, transB: true, m: rows, n: outFeatures, k: inFeatures, alpha: 1,
              a: x, lda: inFeatures, b: weight, ldb: inFeatures,
              beta: bias == nil && residual == nil ? 0 : 1, c: y, ldc: outFeatures)
    }
}
