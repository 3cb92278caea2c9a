import CBLAS
import Foundation

/// The number of threads OpenBLAS uses. laif defaults to one thread (results are then bit-for-bit
/// repeatable); the `LAIF_THREADS` environment variable or `setThreadCount` chooses more.
///
///     BLASThreads.setThreadCount(2)
public enum BLASThreads {
    /// The thread counts laif accepts (`LAIF_THREADS`, `laif bench --threads`).
    ///
    ///     BLASThreads.allowedCounts.contains(2)   // true
    public static let allowedCounts = 1...256

    /// Applies `LAIF_THREADS` (default 1) once, before the first matrix product.
    static let configured: Void = {
        let requested = ProcessInfo.processInfo.environment["LAIF_THREADS"].flatMap { Int($0) } ?? 1
        openblas_set_num_threads(Int32(clamping: Swift.max(allowedCounts.lowerBound, Swift.min(requested, allowedCounts.upperBound))))
    }()

    /// Sets the number of BLAS threads (clamped to `allowedCounts`).
    ///
    ///     BLASThreads.setThreadCount(1)
    public static func setThreadCount(_ count: Int) {
        _ = configured
        openblas_set_num_threads(Int32(clamping: Swift.max(allowedCounts.lowerBound, Swift.min(count, allowedCounts.upperBound))))
    }

    /// The number of BLAS threads in use.
    ///
    ///     BLASThreads.threadCount   // 1
    public static var threadCount: Int {
        _ = configured
        return Int(openblas_get_num_threads())
    }
}

/// Row-major single-precision GEMM: C = alpha * op(A) op(B) + beta * C.
@inline(__always)
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    _ = BLASThreads.configured
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
