/// Branchless, vectorisable approximations for hot loops (glibc's expf/tanhf are per-element
/// calls that do not vectorise).
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

    static let geluK0: Float = 0.797_884_56   // sqrt(2 / pi)
    static let geluK1: Float = 0.044_715

    /// GELU, tanh form: x * (1 + tanh(u)) / 2 = x * sigmoid(2u), u = sqrt(2/pi)(x + 0.044715 x^3).
    /// The sigmoid form keeps full relative accuracy where 1 + tanh(u) is tiny. A NaN x
    /// gives NaN through the final product, so the sigmoid needs no NaN check here.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        x * geluSigmoid(x)
    }

    /// sigmoid(2u(x)) = 1 / (1 + e^(-2u)) with -2u = x (a + b x^2) folded into two constants.
    @inline(__always)
    static func geluSigmoid(_ x: Float) -> Float {
        let z = x * (-2 * geluK0 + (-2 * geluK0 * geluK1) * (x * x))
        return 1 / (1 + expClamped(z))
    }

    /// d gelu / dx.
    @inline(__always)
    static func geluDerivative(_ x: Float) -> Float {
        let s = geluSigmoid(x)
        return s + x * s * (1 - s) * 2 * geluK0 * (1 + 3 * geluK1 * x * x)
    }
}

/// Whole-buffer kernels: plain loops over pointers that the compiler vectorises.
extension FastMath {
    /// y[i] = gelu(x[i]), keeping s[i] = sigmoid(2u(x[i])) so the backward pass needs no exp.
    static func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            _ s: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n {
            let xi = x[i]
            let si = geluSigmoid(xi)
            s[i] = si
            y[i] = xi * si
        }
    }

    /// y[i] = gelu(x[i]) (no backward pass to prepare for).
    static func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = gelu(x[i]) }
    }

    /// dx[i] (+)= g[i] * gelu'(x[i]) from the saved sigmoids s.
    static func geluBackward(_ x: UnsafePointer<Float>, _ s: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
                             _ dx: UnsafeMutablePointer<Float>, _ n: Int, accumulate: Bool) {
        let k = 2 * geluK0, k3 = 3 * geluK1
        if accumulate {
            for i in 0..<n {
                let xi = x[i], si = s[i]
                dx[i] += g[i] * (si + xi * si * (1 - si) * k * (1 + k3 * xi * xi))
            }
        } else {
            for i in 0..<n {
                let xi = x[i], si = s[i]
                dx[i] = g[i] * (si + xi * si * (1 - si) * k * (1 + k3 * xi * xi))
            }
        }
    }
}
