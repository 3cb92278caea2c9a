/// Branchless, vectorisable approximations for hot loops (glibc's expf/tanhf are per-element
/// calls that do not vectorise). GELU and the whole-buffer kernels live in CSupport
/// (laif_kernels.h), which uses the same exp.
enum FastMath {
    /// e^x with relative error below 1e-7 for x in [-87.3, 88]; 0 below, e^88 above, NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let y = expClamped(x)
        let underflow: Float = x < -87.33654 ? 0 : y
        return x != x ? x : underflow
    }

    /// e^x for x clamped into [-87.3, 88] (NaN reads as -87.3): fewer instructions than `exp`
    /// where the caller needs neither exact underflow to 0 nor NaN propagation.
    /// Cody–Waite reduction x = n ln2 + r, |r| <= ln2/2, then e^r = 1 + r + r^2 p(r) with p a
    /// degree-4 least-squares fit (max relative error 8e-8 over [-80, 80], checked in tests).
    @inline(__always)
    static func expClamped(_ x: Float) -> Float {
        // Written so each clamp is one minps/maxps.
        var c = x < 88.0 ? x : 88.0
        c = c > -87.33654 ? c : -87.33654
        // Round to nearest by the 1.5 * 2^23 trick: plain SSE2 has no round instruction.
        let n = (c * 1.442_695_04 + 12_582_912.0) - 12_582_912.0
        let r = (c - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.375_140_8e-3
        p = p * r + 8.368_916_3e-3
        p = p * r + 4.166_953_3e-2
        p = p * r + 1.666_651_8e-1
        p = p * r + 4.999_998_9e-1
        let e = p * (r * r) + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) << 23)
        return e * scale
    }

    /// The logistic function 1 / (1 + e^-x).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        // exp(-x) saturates at e^88 for x < -88 (sigmoid ~ 6e-39) and at e^-87.3 for x > 87.3
        // (sigmoid = 1 in float), so the clamped exp is exact enough there.
        let s = 1 / (1 + expClamped(-x))
        return x != x ? x : s
    }
}
