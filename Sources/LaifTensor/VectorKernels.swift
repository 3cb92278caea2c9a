/// Reductions over float buffers with explicit 4-lane vectors. The compiler may not reorder a
/// scalar float sum, so `s += x[i]` loops stay scalar; these use eight running lanes instead
/// (a fixed order: results are still bit-for-bit repeatable).
enum VectorKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
    }

    /// x[0] + ... + x[n-1].
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var a = SIMD4<Float>(), b = SIMD4<Float>()
        var i = 0
        while i + 8 <= n {
            a += load(x + i)
            b += load(x + i + 4)
            i += 8
        }
        var s = (a + b).sum()
        while i < n { s += x[i]; i += 1 }
        return s
    }

    /// sum of x[i] * y[i].
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var a = SIMD4<Float>(), b = SIMD4<Float>()
        var i = 0
        while i + 8 <= n {
            a += load(x + i) * load(y + i)
            b += load(x + i + 4) * load(y + i + 4)
            i += 8
        }
        var s = (a + b).sum()
        while i < n { s += x[i] * y[i]; i += 1 }
        return s
    }

    /// The largest of x[0..<n] (n >= 1). Four independent running maxima (each `a > b ? a : b`
    /// is one maxss), so the compare latency overlaps; NaN entries are skipped unless first.
    @inline(__always)
    static func max(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m0 = x[0]
        var i = 1
        if n >= 8 {
            var m1 = x[1], m2 = x[2], m3 = x[3]
            m0 = x[0]
            i = 4
            while i + 4 <= n {
                m0 = x[i] > m0 ? x[i] : m0
                m1 = x[i + 1] > m1 ? x[i + 1] : m1
                m2 = x[i + 2] > m2 ? x[i + 2] : m2
                m3 = x[i + 3] > m3 ? x[i + 3] : m3
                i += 4
            }
            m0 = m1 > m0 ? m1 : m0
            m2 = m3 > m2 ? m3 : m2
            m0 = m2 > m0 ? m2 : m0
        }
        while i < n { m0 = x[i] > m0 ? x[i] : m0; i += 1 }
        return m0
    }

    /// sum of (x[i] - c)^2.
    @inline(__always)
    static func squaredDeviation(_ x: UnsafePointer<Float>, _ n: Int, from c: Float) -> Float {
        let cv = SIMD4<Float>(repeating: c)
        var a = SIMD4<Float>(), b = SIMD4<Float>()
        var i = 0
        while i + 8 <= n {
            let u = load(x + i) - cv, v = load(x + i + 4) - cv
            a += u * u
            b += v * v
            i += 8
        }
        var s = (a + b).sum()
        while i < n { let d = x[i] - c; s += d * d; i += 1 }
        return s
    }

    /// y[i] = exp(y[i] - shift) in place for i < n; returns their sum. (Passing one pointer as
    /// both x and y of `expShifted` would defeat vectorisation: the overlap check fails.)
    @inline(__always)
    static func expShiftedInPlace(_ y: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        for i in 0..<n { y[i] = FastMath.exp(y[i] - shift) }
        return sum(y, n)
    }

    /// y[i] = exp(x[i] - shift) for i < n (x and y must not overlap); returns their sum.
    @inline(__always)
    static func expShifted(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        for i in 0..<n { y[i] = FastMath.exp(x[i] - shift) }
        return sum(y, n)
    }
}
