/// Shape arithmetic and loops for NumPy-style broadcasting.
enum Broadcast {
    /// The shape both shapes broadcast to, aligning trailing dimensions.
    static func shape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError.shapes(op, a, b, "cannot be broadcast (trailing dimensions must be equal or 1)")
            }
        }
        _ = try Tensor.elementCount(out, op: op)
        return out
    }

    /// Element strides of `shape` read as `out` (0 along broadcast dimensions).
    static func strides(_ shape: [Int], readAs out: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: out.count)
        var step = 1
        var i = shape.count - 1
        var j = out.count - 1
        while i >= 0 {
            strides[j] = shape[i] == 1 && out[j] != 1 ? 0 : step
            step *= shape[i]
            i -= 1
            j -= 1
        }
        return strides
    }

    /// Calls `body(outOffset, aOffset, bOffset)` for the start of every innermost row of `out`.
    /// The innermost dimension is walked by the caller with strides `sa.last`, `sb.last`.
    @inline(__always)
    static func forEachRow(_ out: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void) {
        let rank = out.count
        if rank <= 1 { body(0, 0, 0); return }
        let inner = out[rank - 1]
        var index = [Int](repeating: 0, count: rank - 1)
        var oa = 0, ob = 0, oo = 0
        let rows = out.dropLast().reduce(1, *)
        for _ in 0..<rows {
            body(oo, oa, ob)
            oo += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                oa += sa[d]
                ob += sb[d]
                if index[d] < out[d] { break }
                oa -= sa[d] * out[d]
                ob -= sb[d] * out[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Adds (or writes, when `accumulate` is false) `source`, shaped `out`, summed down to
    /// `target`'s shape into `destination`.
    static func reduce(_ source: UnsafePointer<Float>, shaped out: [Int], to target: [Int],
                       into destination: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let targetCount = target.reduce(1, *)
        if !accumulate { destination.initialize(repeating: 0, count: targetCount) }
        let outCount = out.reduce(1, *)
        if outCount == targetCount {
            for i in 0..<outCount { destination[i] += source[i] }
            return
        }
        let st = strides(target, readAs: out)
        let zero = [Int](repeating: 0, count: out.count)
        let inner = out.last ?? 1
        let innerStride = st.last ?? 0
        if outCount / Swift.max(targetCount, 1) > LongSums.blockLength {
            // Long sums add in Double (see LongSums); shorter ones as they always did.
            var totals = [Double](repeating: 0, count: targetCount)
            forEachRow(out, st, zero) { oo, ot, _ in
                if innerStride == 0 {
                    var s: Double = 0
                    for k in 0..<inner { s += Double(source[oo + k]) }
                    totals[ot] += s
                } else {
                    for k in 0..<inner { totals[ot + k] += Double(source[oo + k]) }
                }
            }
            for i in 0..<targetCount { destination[i] += Float(totals[i]) }
            return
        }
        forEachRow(out, st, zero) { oo, ot, _ in
            if innerStride == 0 {
                var s: Float = 0
                for k in 0..<inner { s += source[oo + k] }
                destination[ot] += s
            } else {
                for k in 0..<inner { destination[ot + k] += source[oo + k] }
            }
        }
    }
}
