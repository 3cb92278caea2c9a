import CBLAS
import CSupport

/// Splitting a linear layer's products so OpenBLAS takes its small-matrix kernels.
///
/// OpenBLAS builds for AVX-512 cores (SkylakeX, Cooperlake, Sapphire Rapids) have direct
/// kernels for products of at most 10^6 multiply-adds (m n k), which skip the packing copies of
/// the general path. For a small layer over many rows (1024 rows of width 64 to 256) those
/// kernels run 5 to 20% faster than one large call, measured on Zen 4 with OpenBLAS 0.3.21, so
/// the rows are cut into chunks that stay under the limit: dX = dY W and dW = dY^T X directly,
/// and the forward x W^T with W transposed first (the small kernel for a transposed right
/// operand is slower than one large call). Chunks are fixed by the shapes alone, so results
/// repeat bit for bit; on other cores every product is a single call.
enum SgemmChunking {
    /// The small-kernel limit on m n k in OpenBLAS's `sgemm_small_kernel_permit` for these cores.
    static let smallKernelLimit = 1_000_000
    /// Chunks shorter than this are not worth the extra calls.
    static let minimumChunkRows = 16

    /// True when the loaded OpenBLAS runs a core with small-matrix kernels.
    static let available: Bool = {
        guard let name = openblas_get_corename() else { return false }
        let core = String(cString: name).lowercased()
        return ["skylakex", "cooperlake", "sapphirerapids"].contains(core)
    }()

    /// Rows per chunk for a product whose other two dimensions multiply to `width`, or nil to
    /// make one call (also whenever OpenBLAS runs more than one thread).
    ///
    ///     SgemmChunking.rowsPerChunk(rows: 1024, width: 64 * 192)   // 81 on AVX-512 cores
    static func rowsPerChunk(rows: Int, width: Int) -> Int? {
        // With several BLAS threads one large call is split across them; chunks would not be.
        guard available, width > 0, BLASThreads.threadCount == 1 else { return nil }
        let (total, overflow) = rows.multipliedReportingOverflow(by: width)
        guard !overflow, total > smallKernelLimit else { return nil }
        let chunk = smallKernelLimit / width
        return chunk >= minimumChunkRows ? chunk : nil
    }
}

/// dA = dC B for row-major dC `[rows, n]` and B `[n, k]` (C = A B^T's input gradient):
/// `c[rows, k] = (beta c +) a[rows, n] b[n, k]`, cut into row chunks where that is faster.
///
///     sgemmRowsTimesMatrix(rows: 1024, n: 192, k: 64, a: dy, b: w, beta: 0, c: dx)
@inline(__always)
func sgemmRowsTimesMatrix(rows: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                          beta: Float, c: UnsafeMutablePointer<Float>) {
    let chunk = SgemmChunking.rowsPerChunk(rows: rows, width: n * k) ?? rows
    forEachRowChunk(rows: rows, chunk: chunk) { start, count in
        sgemm(transA: false, transB: false, m: count, n: k, k: n, alpha: 1, a: a + start * n, lda: n, b: b, ldb: k,
              beta: beta, c: c + start * k, ldc: k)
    }
}

/// c[n, k] = (beta c +) a^T b for row-major a `[rows, n]` and b `[rows, k]` (a weight
/// gradient dY^T X): the sum over rows is cut into chunks where that is faster, each chunk
/// adding onto the previous ones.
///
///     sgemmTransposedRowsTimesRows(rows: 1024, n: 192, k: 64, a: dy, b: x, beta: 0, c: dw)
@inline(__always)
func sgemmTransposedRowsTimesRows(rows: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                  beta: Float, c: UnsafeMutablePointer<Float>) {
    let chunk = SgemmChunking.rowsPerChunk(rows: rows, width: n * k) ?? rows
    forEachRowChunk(rows: rows, chunk: chunk) { start, count in
        sgemm(transA: true, transB: false, m: n, n: k, k: count, alpha: 1, a: a + start * n, lda: n,
              b: b + start * k, ldb: k, beta: start == 0 ? beta : 1, c: c, ldc: k)
    }
}

/// y[rows, out] = x[rows, in] w^T (+ residual + bias) in row chunks of `chunk` (from
/// `SgemmChunking.rowsPerChunk`), for row-major w `[out, in]`: w is transposed once, and each
/// chunk's residual and bias are added right after its product, while its rows are still in
/// cache (y = product + (residual + bias), the same sums as filling y first and adding the
/// product into it).
///
///     linearForwardInChunks(rows: 1024, inFeatures: 64, outFeatures: 192, chunk: 81, x: x, weight: w, bias: b, residual: nil, y: y)
func linearForwardInChunks(rows: Int, inFeatures: Int, outFeatures: Int, chunk: Int, x: UnsafePointer<Float>,
                           weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
                           y: UnsafeMutablePointer<Float>) {
    let transposed = TensorStorage(uninitializedCount: inFeatures * outFeatures)
    laif_transpose(weight, transposed.pointer, outFeatures, inFeatures)
    forEachRowChunk(rows: rows, chunk: chunk) { start, count in
        let yc = y + start * outFeatures
        sgemm(transA: false, transB: false, m: count, n: outFeatures, k: inFeatures, alpha: 1,
              a: x + start * inFeatures, lda: inFeatures, b: transposed.pointer, ldb: outFeatures,
              beta: 0, c: yc, ldc: outFeatures)
        if bias != nil || residual != nil {
            laif_add_bias_residual(yc, bias, residual.map { $0 + start * outFeatures }, count, outFeatures)
        }
    }
}

/// Calls `body(start, count)` for consecutive runs of at most `chunk` rows covering
/// `0..<rows`, in order; once with `(0, 0)` when there are no rows, so a product over zero
/// rows still applies its beta to the output (a weight gradient over no rows is zero).
///
///     forEachRowChunk(rows: 200, chunk: 81) { start, count in ... }   // (0, 81), (81, 81), (162, 38)
@inline(__always)
func forEachRowChunk(rows: Int, chunk: Int, _ body: (_ start: Int, _ count: Int) throws -> Void) rethrows {
    var start = 0
    repeat {
        let count = Swift.min(chunk, rows - start)
        try body(start, count)
        start += count
    } while start < rows
}
