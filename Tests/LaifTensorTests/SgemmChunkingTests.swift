import Testing
@testable import LaifTensor

/// Linear layers big enough that OpenBLAS's small-kernel chunking applies (where the loaded
/// OpenBLAS has those kernels; elsewhere the same checks cover the single-call path).
@Suite struct SgemmChunkingTests {
    @Test func chunkSizesStayUnderTheSmallKernelLimit() {
        if let chunk = SgemmChunking.rowsPerChunk(rows: 1024, width: 64 * 192) {
            #expect(chunk * 64 * 192 <= SgemmChunking.smallKernelLimit)
            #expect(chunk >= SgemmChunking.minimumChunkRows)
        }
        // Small products are one call anyway; huge widths would make chunks too thin.
        #expect(SgemmChunking.rowsPerChunk(rows: 10, width: 64 * 64) == nil)
        #expect(SgemmChunking.rowsPerChunk(rows: 1 << 20, width: 1 << 20) == nil)
        #expect(SgemmChunking.rowsPerChunk(rows: 100, width: 0) == nil)
    }

    /// 300 rows x 64 x 72 = 1.38M multiply-adds: two chunks on AVX-512 OpenBLAS builds, with a
    /// short last chunk.
    @Test func chunkedLinearMatchesPlainMatmul() throws {
        let x = randomTensor([3, 100, 64], seed: 81), w = randomTensor([72, 64], seed: 82, std: 0.2)
        let b = randomTensor([72], seed: 83), r = randomTensor([3, 100, 72], seed: 84)
        let plain = try x.matmul(w, transposeB: true)
        for (bias, residual) in [(b, r), (b, nil), (nil, r), (nil, nil)] as [(Tensor?, Tensor?)] {
            let y = try Tensor.linear(x, weight: w, bias: bias, residual: residual)
            var expected = plain
            if let residual = residual, let bias = bias { expected = try expected + (residual + bias) }
            else if let residual = residual { expected = try expected + residual }
            else if let bias = bias { expected = try expected + bias }
            expectClose(y.toArray(), expected.toArray(), tol: 1e-5)
        }
    }

    @Test func chunkedLinearGradientsMatchPlainMatmulAndAccumulate() throws {
        let x0 = randomTensor([300, 64], seed: 85), w0 = randomTensor([72, 64], seed: 86, std: 0.2)
        let b0 = randomTensor([72], seed: 87), g = randomTensor([300, 72], seed: 88)
        func gradients(fused: Bool, twice: Bool) throws -> [[Float]] {
            let x = x0.detached(), w = w0.detached(), b = b0.detached()
            for t in [x, w, b] { t.requiresGrad = true }
            for _ in 0..<(twice ? 2 : 1) {
                let y = fused ? try Tensor.linear(x, weight: w, bias: b) : try x.matmul(w, transposeB: true) + b
                try (y * g).sum().backward()
            }
            return [x, w, b].map { $0.grad?.toArray() ?? [] }
        }
        let fused = try gradients(fused: true, twice: false), plain = try gradients(fused: false, twice: false)
        for (a, e) in zip(fused, plain) { expectClose(a, e, tol: 1e-4) }
        // Chunks depend on the shapes only: a repeat gives the same bits.
        #expect(try gradients(fused: true, twice: false) == fused)
        // A second backward adds onto the first (the accumulate path of every chunked product).
        let twice = try gradients(fused: true, twice: true)
        for (a, e) in zip(twice, fused) { expectClose(a, e.map { 2 * $0 }, tol: 1e-4) }
    }
}
