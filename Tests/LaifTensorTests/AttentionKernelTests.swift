import CSupport
import Foundation
import Testing
@testable import LaifTensor

/// CSupport's fused causal attention kernels: the dispatching (AVX2+FMA) and portable versions
/// against a double-precision reference written from the definition, for shapes that hit every
/// path (rows not a multiple of the 8-row groups, head sizes below, at and past 16, 12 with its
/// own compiled copy, 6 and 20 with 4-column tails, odd lengths).
@Suite struct AttentionKernelTests {
    struct Shape { let b: Int, t: Int, heads: Int, dh: Int }
    static let shapes = [Shape(b: 2, t: 32, heads: 2, dh: 16), Shape(b: 1, t: 1, heads: 1, dh: 1),
                         Shape(b: 2, t: 5, heads: 2, dh: 3), Shape(b: 1, t: 11, heads: 1, dh: 6),
                         Shape(b: 1, t: 17, heads: 2, dh: 20), Shape(b: 1, t: 9, heads: 1, dh: 35),
                         Shape(b: 1, t: 33, heads: 3, dh: 8), Shape(b: 2, t: 32, heads: 4, dh: 12)]

    static func values(_ n: Int, seed: UInt64, spread: Double = 1.5) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in Float(rng.normal() * spread) }
    }

    /// Forward output and dQKV from the definition, in doubles.
    static func reference(_ qkv: [Float], _ dy: [Float], _ s: Shape) -> (y: [Double], dqkv: [Double]) {
        let d = s.heads * s.dh, ld = 3 * d, scale = 1 / Double(s.dh).squareRoot()
        var y = [Double](repeating: 0, count: s.b * s.t * d), dqkv = [Double](repeating: 0, count: qkv.count)
        for bi in 0..<s.b {
            for h in 0..<s.heads {
                func at(_ i: Int, _ part: Int, _ c: Int) -> Int { bi * s.t * ld + i * ld + part * d + h * s.dh + c }
                func outAt(_ i: Int, _ c: Int) -> Int { bi * s.t * d + i * d + h * s.dh + c }
                for i in 0..<s.t {
                    var scores = (0...i).map { j in scale * (0..<s.dh).reduce(0.0) { $0 + Double(qkv[at(i, 0, $1)]) * Double(qkv[at(j, 1, $1)]) } }
                    let m = scores.max()!
                    scores = scores.map { Foundation.exp($0 - m) }
                    let total = scores.reduce(0, +)
                    let p = scores.map { $0 / total }
                    for c in 0..<s.dh { y[outAt(i, c)] = (0...i).reduce(0.0) { $0 + p[$1] * Double(qkv[at($1, 2, c)]) } }
                    // dP_j = dY_i . V_j;  dS_j = P_j (dP_j - sum_k P_k dP_k)
                    let dp = (0...i).map { j in (0..<s.dh).reduce(0.0) { $0 + Double(dy[outAt(i, $1)]) * Double(qkv[at(j, 2, $1)]) } }
                    let dot = zip(p, dp).reduce(0.0) { $0 + $1.0 * $1.1 }
                    for j in 0...i {
                        let ds = p[j] * (dp[j] - dot) * scale
                        for c in 0..<s.dh {
                            dqkv[at(i, 0, c)] += ds * Double(qkv[at(j, 1, c)])
                            dqkv[at(j, 1, c)] += ds * Double(qkv[at(i, 0, c)])
                            dqkv[at(j, 2, c)] += p[j] * Double(dy[outAt(i, c)])
                        }
                    }
                }
            }
        }
        return (y, dqkv)
    }

    static func expectNear(_ a: [Float], _ b: [Double], tol: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for i in 0..<min(a.count, b.count) {
            #expect(abs(Double(a[i]) - b[i]) <= tol * max(1, abs(b[i])), "index \(i): \(a[i]) vs \(b[i])",
                    sourceLocation: sourceLocation)
        }
    }

    typealias Forward = (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int, Int, Int,
                         Float, Int32, UnsafeMutablePointer<Float>?) -> Void
    typealias Backward = (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?,
                          Int, Int, Int, Int, Float, Int32, UnsafeMutablePointer<Float>?) -> Void

    /// Runs one kernel pair: output, kept probabilities, and dQKV written over `initial`.
    static func run(_ forward: Forward, _ backward: Backward, _ qkv: [Float], _ dy: [Float], _ s: Shape,
                    initial: [Float]? = nil) -> (y: [Float], dqkv: [Float]) {
        let blocks = s.b * s.heads * laif_attention_probs_count(s.t)
        var probs = [Float](repeating: .nan, count: blocks)
        var scratch = [Float](repeating: .nan, count: laif_attention_scratch_count(s.t, s.dh))
        var y = [Float](repeating: .nan, count: s.b * s.t * s.heads * s.dh)
        var dqkv = initial ?? [Float](repeating: .nan, count: qkv.count)
        let scale = 1 / Float(s.dh).squareRoot()
        forward(qkv, &y, &probs, s.b, s.t, s.heads, s.dh, scale, 1, &scratch)
        backward(qkv, probs, dy, &dqkv, s.b, s.t, s.heads, s.dh, scale, initial == nil ? 0 : 1, &scratch)
        return (y, dqkv)
    }

    @Test func dispatchedAndPortableMatchTheDefinition() {
        for (n, s) in Self.shapes.enumerated() {
            let qkv = Self.values(s.b * s.t * 3 * s.heads * s.dh, seed: UInt64(10 + n))
            let dy = Self.values(s.b * s.t * s.heads * s.dh, seed: UInt64(40 + n), spread: 1)
            let expected = Self.reference(qkv, dy, s)
            let fast = Self.run(laif_causal_attention_forward, laif_causal_attention_backward, qkv, dy, s)
            let portable = Self.run(laif_causal_attention_forward_portable, laif_causal_attention_backward_portable, qkv, dy, s)
            Self.expectNear(fast.y, expected.y, tol: 2e-5)
            Self.expectNear(fast.dqkv, expected.dqkv, tol: 2e-5)
            Self.expectNear(portable.y, expected.y, tol: 2e-5)
            Self.expectNear(portable.dqkv, expected.dqkv, tol: 2e-5)
            let again = Self.run(laif_causal_attention_forward, laif_causal_attention_backward, qkv, dy, s)
            #expect(again.y == fast.y && again.dqkv == fast.dqkv, "a repeat gives the same bits")
            KernelDispatchTests.expectClose(fast.y, portable.y, rtol: 1e-5, atol: 1e-6)
            KernelDispatchTests.expectClose(fast.dqkv, portable.dqkv, rtol: 1e-5, atol: 1e-6)
        }
    }

    @Test func backwardAccumulatesOntoExistingGradients() {
        let s = Self.shapes[4]
        let qkv = Self.values(s.b * s.t * 3 * s.heads * s.dh, seed: 3)
        let dy = Self.values(s.b * s.t * s.heads * s.dh, seed: 4)
        let initial = Self.values(qkv.count, seed: 5)
        let fresh = Self.run(laif_causal_attention_forward, laif_causal_attention_backward, qkv, dy, s)
        let added = Self.run(laif_causal_attention_forward, laif_causal_attention_backward, qkv, dy, s, initial: initial)
        KernelDispatchTests.expectClose(added.dqkv, zip(fresh.dqkv, initial).map { $0 + $1 }, rtol: 1e-6, atol: 1e-6)
    }

    @Test func forwardWithoutKeptProbabilitiesGivesTheSameOutput() {
        let s = Self.shapes[0]
        let qkv = Self.values(s.b * s.t * 3 * s.heads * s.dh, seed: 6)
        var scratch = [Float](repeating: 0, count: laif_attention_scratch_count(s.t, s.dh))
        var kept = [Float](repeating: 0, count: s.b * s.heads * laif_attention_probs_count(s.t))
        var one = [Float](repeating: 0, count: laif_attention_probs_count(s.t))
        var y1 = [Float](repeating: 0, count: s.b * s.t * s.heads * s.dh), y2 = y1
        laif_causal_attention_forward(qkv, &y1, &kept, s.b, s.t, s.heads, s.dh, 0.25, 1, &scratch)
        laif_causal_attention_forward(qkv, &y2, &one, s.b, s.t, s.heads, s.dh, 0.25, 0, &scratch)
        #expect(y1 == y2)
        #expect(laif_attention_probs_count(32) == 640)
        #expect(laif_attention_probs_count(5) == 40)
    }

    @Test func tensorAttentionGradientsMatchFiniteDifferencesAtHeadSize16() throws {
        // The head size the kernels specialise, with a row count past one 8-row group.
        let qkv = randomTensor([1, 10, 96], seed: 72, std: 0.5)
        try checkGradients([qkv]) { try Tensor.causalSelfAttention(qkv: $0[0], heads: 2) }
    }
}
