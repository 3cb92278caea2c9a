import LaifSupport

/// Matrix products through cblas_sgemm; transposes are flags, never copies.
extension Tensor {
    /// The matrix product over the last two dimensions, batched over leading ones.
    /// `transposeA`/`transposeB` use the transpose of the last two dimensions without copying.
    /// A rank-2 operand is shared by every batch; otherwise batch dimensions must be equal.
    /// Rank-1 operands are read as a row (left) or a column (right) and that dimension is dropped.
    ///
    ///     let c = try a.matmul(b)                          // [2, 3] x [3, 4] -> [2, 4]
    ///     let s = try q.matmul(k, transposeB: true)        // [B, T, d] x [B, T, d]^T -> [B, T, T]
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw TensorError.shapes("matmul", shape, other.shape, "need rank >= 1 (scalars cannot be multiplied as matrices; use *)")
        }
        if rank == 1 || other.rank == 1 {
            let a = rank == 1 ? try reshape([1, shape[0]]) : self
            let b = other.rank == 1 ? try other.reshape([other.shape[0], 1]) : other
            let product = try a.matmul(b, transposeA: rank == 1 ? false : transposeA,
                                       transposeB: other.rank == 1 ? false : transposeB)
            var outShape = product.shape
            if other.rank == 1 { outShape.removeLast() }
            if rank == 1 { outShape.remove(at: outShape.count - (other.rank == 1 ? 1 : 2)) }
            return try product.reshape(outShape)
        }
        let a = self, b = other
        let aRows = a.shape[a.rank - 2], aCols = a.shape[a.rank - 1]
        let bRows = b.shape[b.rank - 2], bCols = b.shape[b.rank - 1]
        let m = transposeA ? aCols : aRows
        let k = transposeA ? aRows : aCols
        let kb = transposeB ? bCols : bRows
        let n = transposeB ? bRows : bCols
        guard k == kb else {
            throw TensorError.shapes("matmul", a.shape, b.shape,
                                     "have inner dimensions \(k) and \(kb) that differ" + transposedNote(transposeA, transposeB))
        }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let batchShape: [Int]
        if bBatch.isEmpty {
            batchShape = aBatch
        } else if aBatch.isEmpty || aBatch == bBatch {
            batchShape = bBatch
        } else {
            throw TensorError.shapes("matmul", a.shape, b.shape,
                                     "have different batch dimensions \(aBatch) and \(bBatch) (make them equal or pass one operand as rank 2)")
        }
        let outShape = batchShape + [m, n]
        let outCount = try Tensor.elementCount(outShape, op: "matmul")
        let batches = batchShape.reduce(1, *)
        let plan = MatmulPlan(m: m, n: n, k: k, transA: transposeA, transB: transposeB,
                              batches: batches, strideA: aBatch.isEmpty ? 0 : aRows * aCols,
                              strideB: bBatch.isEmpty ? 0 : bRows * bCols, lda: aCols, ldb: bCols)
        if outCount == 0 || k == 0 {
            // Empty products: zeros, and nothing flows back.
            return try Tensor.zeros(outShape)
        }
        let out = Tensor(uninitializedShape: outShape, count: outCount)
        try plan.forward(a.data, b.data, out.data)
        if Tensor.recording(a, b) {
            out.record([a, b]) { g in
                if a.requiresGrad {
                    let (slot, accumulate) = a.gradientSlot()
                    plan.gradientA(g.data, b.data, slot, accumulate: accumulate)
                }
                if b.requiresGrad {
                    let (slot, accumulate) = b.gradientSlot()
                    plan.gradientB(g.data, a.data, slot, accumulate: accumulate)
                }
            }
        }
        return out
    }
}

/// The sgemm calls of one (possibly batched) product and of its two gradients.
struct MatmulPlan {
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool
    let batches: Int
    /// Element strides between batches (0: shared rank-2 operand).
    let strideA: Int, strideB: Int
    /// Stored row lengths of A and B.
    let lda: Int, ldb: Int

    /// A shared B with an untransposed A: the batch folds into one tall product.
    private var foldsBatch: Bool { strideB == 0 && !transA && strideA != 0 }

    /// Products above this many multiply-adds go in row chunks of about this size, with a
    /// Ctrl-C check (`Cancellation.check`) between them, so a mistaken huge product (16384
    /// squared is 4.4e12) can be stopped. Each chunk is the same sgemm on fewer rows of A, so
    /// every row's result is unchanged; the training products are far below it.
    static let interruptibleMultiplyAdds = 1 << 30

    func forward(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) throws {
        if foldsBatch {
            try rowsInChunks(m * batches) { start, count in
                sgemm(transA: false, transB: transB, m: count, n: n, k: k, alpha: 1,
                      a: a + start * lda, lda: lda, b: b, ldb: ldb, beta: 0, c: c + start * n, ldc: n)
            }
            return
        }
        for i in 0..<batches {
            try rowsInChunks(m) { start, count in
                // Row r of op(A) is row r of A, or column r when A is transposed.
                let rows = a + i * strideA + (transA ? start : start * lda)
                sgemm(transA: transA, transB: transB, m: count, n: n, k: k, alpha: 1,
                      a: rows, lda: lda, b: b + i * strideB, ldb: ldb, beta: 0, c: c + i * m * n + start * n, ldc: n)
            }
        }
    }

    /// Calls `body(start, count)` over `rows` output rows: once when the product is small,
    /// else in chunks of about `interruptibleMultiplyAdds`, checking for Ctrl-C before each.
    private func rowsInChunks(_ rows: Int, _ body: (_ start: Int, _ count: Int) -> Void) throws {
        let perRow = Swift.max(n * k, 1)
        let chunk = Swift.max(Self.interruptibleMultiplyAdds / perRow, 1)
        guard rows > chunk else { return body(0, rows) }
        try forEachRowChunk(rows: rows, chunk: chunk) { start, count in
            try Cancellation.check()
            body(start, count)
        }
    }

    /// dA from dC.
    func gradientA(_ dc: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ da: UnsafeMutablePointer<Float>, accumulate: Bool) {
        if foldsBatch {
            sgemm(transA: false, transB: !transB, m: m * batches, n: k, k: n, alpha: 1,
                  a: dc, lda: n, b: b, ldb: ldb, beta: accumulate ? 1 : 0, c: da, ldc: k)
            return
        }
        for i in 0..<batches {
            // A shared across batches sums its gradient over them.
            let beta: Float = accumulate || (strideA == 0 && i > 0) ? 1 : 0
            let dci = dc + i * m * n, bi = b + i * strideB, dai = da + i * strideA
            if transA {
                sgemm(transA: transB, transB: true, m: k, n: m, k: n, alpha: 1,
                      a: bi, lda: ldb, b: dci, ldb: n, beta: beta, c: dai, ldc: m)
            } else {
                sgemm(transA: false, transB: !transB, m: m, n: k, k: n, alpha: 1,
                      a: dci, lda: n, b: bi, ldb: ldb, beta: beta, c: dai, ldc: k)
            }
        }
    }

    /// dB from dC.
    func gradientB(_ dc: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ db: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let rows = foldsBatch ? m * batches : m
        let count = foldsBatch ? 1 : batches
        for i in 0..<count {
            let beta: Float = accumulate || (strideB == 0 && i > 0) ? 1 : 0
            let dci = dc + i * m * n, ai = a + i * strideA, dbi = db + i * strideB
            if transB {
                sgemm(transA: true, transB: transA, m: n, n: k, k: rows, alpha: 1,
                      a: dci, lda: n, b: ai, ldb: lda, beta: beta, c: dbi, ldc: k)
            } else {
                sgemm(transA: !transA, transB: false, m: k, n: n, k: rows, alpha: 1,
                      a: ai, lda: lda, b: dci, ldb: n, beta: beta, c: dbi, ldc: n)
            }
        }
    }
}

/// " (the first transposed)" and the like, for a message; empty when neither operand is.
private func transposedNote(_ first: Bool, _ second: Bool) -> String {
    switch (first, second) {
    case (true, true): return " (both transposed)"
    case (true, false): return " (the first transposed)"
    case (false, true): return " (the second transposed)"
    case (false, false): return ""
    }
}
