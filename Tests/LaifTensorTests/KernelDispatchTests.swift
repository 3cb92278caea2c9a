import CSupport
import Foundation
import Testing
@testable import LaifTensor

/// CSupport's kernels: the dispatching entry points (AVX2+FMA on CPUs that have it) must agree
/// with the portable versions, and both with double-precision references.
@Suite struct KernelDispatchTests {
    /// Normal values scaled by `spread`, with the awkward ones mixed in.
    static func values(_ n: Int, spread: Float = 4, seed: UInt64 = 1) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        var out = (0..<n).map { _ in Float(rng.normal()) * spread }
        let special: [Float] = [0, -0.0, 1e-30, -1e-30, 60, -60, 200, -200]
        for (i, s) in special.enumerated() where i < n { out[(i * 7) % n] = s }
        return out
    }

    static func expectClose(_ a: [Float], _ b: [Float], rtol: Float = 2e-6, atol: Float = 1e-6,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for i in 0..<min(a.count, b.count) where !(a[i].isNaN && b[i].isNaN) {
            #expect(abs(a[i] - b[i]) <= atol + rtol * abs(b[i]), "index \(i): \(a[i]) vs \(b[i])",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func dispatchReportsAFlag() {
        let flag = laif_kernels_use_avx2()
        #expect(flag == 0 || flag == 1)
        let wide = laif_kernels_use_avx512()
        #expect(wide == 0 || wide == 1)
        #expect(wide == 0 || flag == 1, "AVX-512 is only used on top of AVX2")
    }

    @Test func geluForwardMatchesPortableAndReference() {
        let n = 1003   // not a multiple of the vector width: exercises the tails
        let x = Self.values(n)
        var y = [Float](repeating: 0, count: n), s = y, yp = y, sp = y, y2 = y, s2 = y, yNoSave = y
        laif_gelu_forward(x, &y, &s, n)
        laif_gelu_forward_portable(x, &yp, &sp, n)
        laif_gelu_forward_avx2_or_portable(x, &y2, &s2, n)
        laif_gelu_forward(x, &yNoSave, nil, n)
        Self.expectClose(y, yp)
        Self.expectClose(s, sp)
        Self.expectClose(y2, yp)
        Self.expectClose(s2, sp)
        #expect(y == yNoSave)
        for i in 0..<n {
            let v = Double(x[i])
            // x * sigmoid(2u) == x (1 + tanh u) / 2, without the cancellation of 1 + tanh(u) for x << 0.
            let reference = v / (1 + Foundation.exp(-2 * 0.7978845608 * (v + 0.044715 * v * v * v)))
            // For x << 0 the exp argument is large; its float rounding alone costs |arg| * 6e-8 relative.
            #expect(abs(Double(yp[i]) - reference) <= 1e-5 * abs(reference) + 1e-30, "gelu(\(v)) = \(yp[i])")
        }
        var nan: Float = 0
        laif_gelu_forward_portable([Float.nan], &nan, nil, 1)
        #expect(nan.isNaN)
    }

    @Test func geluBackwardMatchesPortableAndFiniteDifferences() {
        let n = 517
        let x = Self.values(n, spread: 2), g = Self.values(n, spread: 1, seed: 2)
        var y = [Float](repeating: 0, count: n), s = y
        laif_gelu_forward(x, &y, &s, n)
        var dx = [Float](repeating: 0, count: n), dxp = dx
        laif_gelu_backward(x, s, g, &dx, n, 0)
        laif_gelu_backward_portable(x, s, g, &dxp, n, 0)
        Self.expectClose(dx, dxp)
        func gelu(_ v: Double) -> Double { 0.5 * v * (1 + Foundation.tanh(0.7978845608 * (v + 0.044715 * v * v * v))) }
        for i in 0..<n where abs(x[i]) < 50 {
            let v = Double(x[i]), h = 1e-4
            let numeric = Double(g[i]) * (gelu(v + h) - gelu(v - h)) / (2 * h)
            #expect(abs(Double(dxp[i]) - numeric) <= 1e-4 + 1e-4 * abs(numeric), "gelu'(\(v))")
        }
        // accumulate adds onto what is there
        var acc = [Float](repeating: 1, count: n)
        laif_gelu_backward(x, s, g, &acc, n, 1)
        Self.expectClose(acc, dx.map { $0 + 1 })
    }

    @Test func logSumExpAndScaledSoftmaxMatchPortableAndReference() {
        for n in [1, 7, 64, 100] {
            let x = Self.values(n, spread: 5, seed: UInt64(n))
            var scratch = [Float](repeating: 0, count: n)
            let fast = laif_log_sum_exp(x, &scratch, n)
            let portable = laif_log_sum_exp_portable(x, &scratch, n)
            let m = Double(x.max()!)
            let reference = m + Foundation.log(x.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
            #expect(abs(Double(fast) - reference) <= 1e-5 * max(1, abs(reference)))
            #expect(abs(Double(portable) - reference) <= 1e-5 * max(1, abs(reference)))

            var d = [Float](repeating: 0, count: n), dp = d
            laif_scaled_softmax(x, &d, n, portable, -0.5, 0)
            laif_scaled_softmax_portable(x, &dp, n, portable, -0.5, 0)
            Self.expectClose(d, dp)
            for j in 0..<n {
                let expected = -0.5 * Foundation.exp(Double(x[j]) - reference)
                #expect(abs(Double(dp[j]) - expected) <= 1e-6 + 1e-5 * abs(expected))
            }
            var acc = [Float](repeating: 2, count: n)
            laif_scaled_softmax(x, &acc, n, portable, -0.5, 1)
            Self.expectClose(acc, d.map { $0 + 2 })
        }
        var scratch: [Float] = [0, 0]
        #expect(laif_log_sum_exp([1, Float.infinity], &scratch, 2) == .infinity)
        #expect(laif_log_sum_exp_portable([Float.nan], &scratch, 1).isNaN)
        #expect(laif_log_sum_exp([-Float.infinity, -Float.infinity], &scratch, 2) == -.infinity)
    }

    /// 64 takes the copy specialised for a transformer's width; 37 the generic one.
    @Test(arguments: [37, 64]) func layerNormForwardMatchesPortableAndReference(d: Int) {
        let rows = 5
        let x = Self.values(rows * d, spread: 3, seed: 9)
        let gamma = Self.values(d, spread: 1, seed: 10), beta = Self.values(d, spread: 1, seed: 11)
        for (g, b) in [(gamma, beta), (gamma, nil), (nil, beta), (nil, nil)] as [([Float]?, [Float]?)] {
            var y = [Float](repeating: 0, count: rows * d), yp = y
            var mean = [Float](repeating: 0, count: rows), rstd = mean, meanP = mean, rstdP = mean
            laif_layer_norm_forward(x, &y, &mean, &rstd, g, b, rows, d, 1e-5)
            laif_layer_norm_forward_portable(x, &yp, &meanP, &rstdP, g, b, rows, d, 1e-5)
            Self.expectClose(y, yp, rtol: 1e-5, atol: 1e-5)
            Self.expectClose(rstd, rstdP, rtol: 1e-5)
            for r in 0..<rows {
                let row = x[(r * d)..<((r + 1) * d)].map(Double.init)
                let mu = row.reduce(0, +) / Double(d)
                let variance = row.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(d)
                let inv = 1 / (variance + 1e-5).squareRoot()
                #expect(abs(Double(meanP[r]) - mu) <= 1e-5 * max(1, abs(mu)))
                for j in 0..<d {
                    let expected = (row[j] - mu) * inv * Double(g?[j] ?? 1) + Double(b?[j] ?? 0)
                    #expect(abs(Double(yp[r * d + j]) - expected) <= 1e-4, "row \(r) column \(j)")
                }
            }
        }
    }

    @Test(arguments: [37, 64]) func layerNormBackwardMatchesPortable(d: Int) {
        let rows = 6
        let x = Self.values(rows * d, spread: 3, seed: 16), dy = Self.values(rows * d, spread: 1, seed: 17)
        let gamma = Self.values(d, spread: 1, seed: 18)
        var mean = [Float](repeating: 0, count: rows), rstd = mean, y = [Float](repeating: 0, count: rows * d)
        laif_layer_norm_forward_portable(x, &y, &mean, &rstd, gamma, nil, rows, d, 1e-5)
        var scratch = [Float](repeating: 0, count: 2 * d)
        for (g, accumulate) in [(gamma, Int32(0)), (nil, 0), (gamma, 1)] as [([Float]?, Int32)] {
            let start: Float = accumulate == 1 ? 0.25 : 0
            var dx = [Float](repeating: start, count: rows * d), dxP = dx
            var dGamma = [Float](repeating: 1, count: d), dBeta = dGamma, dGammaP = dGamma, dBetaP = dGamma
            laif_layer_norm_backward(x, dy, mean, rstd, g, &dx, &dGamma, &dBeta, rows, d, accumulate, &scratch)
            laif_layer_norm_backward_portable(x, dy, mean, rstd, g, &dxP, &dGammaP, &dBetaP, rows, d, accumulate, &scratch)
            Self.expectClose(dx, dxP, rtol: 1e-5, atol: 1e-5)
            Self.expectClose(dGamma, dGammaP, rtol: 1e-5, atol: 1e-5)
            Self.expectClose(dBeta, dBetaP, rtol: 1e-5, atol: 1e-5)
            for j in 0..<d {
                var expectedBeta = 1.0, expectedGamma = 1.0
                for r in 0..<rows {
                    expectedBeta += Double(dy[r * d + j])
                    expectedGamma += Double(dy[r * d + j]) * Double(x[r * d + j] - mean[r]) * Double(rstd[r])
                }
                // Relative: at d = 64 one column meets the special value 200 in both x and dy.
                #expect(abs(Double(dBetaP[j]) - expectedBeta) <= 1e-4 * max(1, abs(expectedBeta)))
                #expect(abs(Double(dGammaP[j]) - expectedGamma) <= 1e-4 * max(1, abs(expectedGamma)))
            }
            // The input gradient of a normalised row sums to zero (shifting x changes nothing),
            // up to float rounding of its terms.
            for r in 0..<rows {
                let terms = (0..<d).map { Double(dxP[r * d + $0]) - Double(start) }
                let total = terms.reduce(0, +), size = terms.reduce(0) { $0 + abs($1) }
                #expect(abs(total) <= 1e-4 * max(1, size), "row \(r)")
            }
        }
        // Without an input gradient only the parameter gradients are written.
        var dBeta = [Float](repeating: 0, count: d)
        laif_layer_norm_backward(x, dy, mean, rstd, gamma, nil, nil, &dBeta, rows, d, 0, &scratch)
        #expect(abs(dBeta[0] - (0..<rows).reduce(Float(0)) { $0 + dy[$1 * d] }) <= 1e-5)
    }

    @Test func columnSumsMatchPortableAndAddRowsInOrder() {
        for (rows, cols) in [(7, 70), (1, 3), (33, 64), (0, 5)] {
            let x = Self.values(rows * cols, spread: 2, seed: UInt64(rows + cols))
            var fast = [Float](repeating: 0.5, count: cols), portable = fast
            laif_column_sums(x, &fast, rows, cols, 0)
            laif_column_sums_portable(x, &portable, rows, cols, 0)
            var expected = [Float](repeating: 0, count: cols)
            for r in 0..<rows { for j in 0..<cols { expected[j] += x[r * cols + j] } }
            // Same order of additions as the plain loop, so equal to the last bit.
            #expect(fast == expected)
            #expect(portable == expected)
            var added = [Float](repeating: 0.5, count: cols)
            laif_column_sums(x, &added, rows, cols, 1)
            var expectedAdded = [Float](repeating: 0.5, count: cols)
            for r in 0..<rows { for j in 0..<cols { expectedAdded[j] += x[r * cols + j] } }
            #expect(added == expectedAdded)
        }
    }

    @Test func transposeMatchesPortableAndDefinition() {
        for (rows, cols) in [(1, 1), (3, 5), (8, 8), (19, 10), (64, 192)] {
            let x = Self.values(rows * cols, seed: UInt64(rows * cols))
            var fast = [Float](repeating: .nan, count: rows * cols), portable = fast
            laif_transpose(x, &fast, rows, cols)
            laif_transpose_portable(x, &portable, rows, cols)
            var expected = fast
            for r in 0..<rows { for c in 0..<cols { expected[c * rows + r] = x[r * cols + c] } }
            #expect(fast == expected)
            #expect(portable == expected)
        }
    }

    @Test func addBiasResidualMatchesPortableAndDefinition() {
        let rows = 5, cols = 21
        let y0 = Self.values(rows * cols, seed: 30), residual = Self.values(rows * cols, seed: 31)
        let bias = Self.values(cols, seed: 32)
        for (b, r) in [(bias, residual), (bias, nil), (nil, residual), (nil, nil)] as [([Float]?, [Float]?)] {
            var fast = y0, portable = y0
            laif_add_bias_residual(&fast, b, r, rows, cols)
            laif_add_bias_residual_portable(&portable, b, r, rows, cols)
            var expected = y0
            for i in 0..<rows {
                for j in 0..<cols {
                    let r0 = r?[i * cols + j], b0 = b?[j]
                    // residual + bias is formed first, then added: the order of a filled output.
                    let add: Float = r0 != nil && b0 != nil ? r0! + b0! : (r0 ?? b0 ?? 0)
                    expected[i * cols + j] += add
                }
            }
            #expect(fast == expected)
            #expect(portable == expected)
        }
    }

    @Test func adamWUpdateMatchesPortableAndReference() {
        let n = 301
        let w0 = Self.values(n, spread: 1, seed: 12), g = Self.values(n, spread: 1, seed: 13)
        let m0 = Self.values(n, spread: 0.1, seed: 14), v0 = Self.values(n, spread: 0.1, seed: 15).map { $0 * $0 }
        var w = w0, m = m0, v = v0, wp = w0, mp = m0, vp = v0
        let (b1, b2, step, invC2, eps, decay): (Float, Float, Float, Float, Float, Float) = (0.9, 0.999, 1e-3, 1.3, 1e-8, 0.99999)
        laif_adamw_update(&w, g, &m, &v, n, b1, b2, step, invC2, eps, decay)
        laif_adamw_update_portable(&wp, g, &mp, &vp, n, b1, b2, step, invC2, eps, decay)
        Self.expectClose(w, wp)
        Self.expectClose(m, mp)
        Self.expectClose(v, vp)
        for i in 0..<n {
            let mi = 0.9 * Double(m0[i]) + 0.1 * Double(g[i])
            let vi = 0.999 * Double(v0[i]) + 0.001 * Double(g[i]) * Double(g[i])
            let expected = Double(w0[i]) * Double(decay) - Double(step) * mi / (vi.squareRoot() * Double(invC2) + Double(eps))
            #expect(abs(Double(wp[i]) - expected) <= 1e-6 + 1e-6 * abs(expected), "index \(i)")
        }
    }
}
