import Foundation

/// Softmax and log-softmax along an axis.
extension Tensor {
    /// Calls `body(rowStart, stride)` for every line along the reduction axis.
    @inline(__always)
    private func forEachLine(outer: Int, length: Int, inner: Int, _ body: (Int, Int) -> Void) {
        for p in 0..<outer {
            for q in 0..<inner { body(p * length * inner + q, inner) }
        }
    }

    /// The largest value of the line starting at `start` with stride `s`: the shift that keeps
    /// exp from overflowing. A line of only -inf shifts by 0, so it gives NaN-free zeros.
    @inline(__always)
    private static func lineMax(_ x: UnsafeMutablePointer<Float>, start: Int, stride s: Int, length: Int) -> Float {
        var m = -Float.infinity
        for j in 0..<length { m = Swift.max(m, x[start + j * s]) }
        return m == -Float.infinity ? 0 : m
    }

    /// exp(x - max) / sum along `axis` (default: the last).
    ///
    ///     let p = try scores.softmax(axis: -1)
    public func softmax(axis: Int = -1) throws -> Tensor {
        let (outer, length, inner, _) = try reductionLayout(axis: axis, keepDims: true, op: "softmax")
        try Tensor.requireMemory(forElements: count, shape: shape, op: "softmax")
        let out = Tensor(uninitializedShape: shape, count: count)
        let x = data, y = out.data
        forEachLine(outer: outer, length: length, inner: inner) { start, s in
            let m = Tensor.lineMax(x, start: start, stride: s, length: length)
            let total = LongSums.line(count: length) { j in
                let e = FastMath.exp(x[start + j * s] - m)
                y[start + j * s] = e
                return e
            }
            let scale = 1 / total
            for j in 0..<length { y[start + j * s] *= scale }
        }
        if Tensor.recording(self) {
            let saved = out.storage
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                let y = saved.pointer, pg = g.data
                forEachLine(outer: outer, length: length, inner: inner) { start, s in
                    let dot = LongSums.line(count: length) { j in pg[start + j * s] * y[start + j * s] }
                    for j in 0..<length {
                        let i = start + j * s
                        let v = y[i] * (pg[i] - dot)
                        slot[i] = accumulate ? slot[i] + v : v
                    }
                }
            }
        }
        return out
    }

    /// x - logsumexp(x) along `axis` (default: the last), computed stably.
    ///
    ///     let logp = try logits.logSoftmax(axis: -1)
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let (outer, length, inner, _) = try reductionLayout(axis: axis, keepDims: true, op: "logSoftmax")
        try Tensor.requireMemory(forElements: count, shape: shape, op: "log_softmax")
        let out = Tensor(uninitializedShape: shape, count: count)
        let x = data, y = out.data
        forEachLine(outer: outer, length: length, inner: inner) { start, s in
            let m = Tensor.lineMax(x, start: start, stride: s, length: length)
            let total = LongSums.line(count: length) { j in FastMath.exp(x[start + j * s] - m) }
            let shift = m + Foundation.log(total)
            for j in 0..<length { y[start + j * s] = x[start + j * s] - shift }
        }
        if Tensor.recording(self) {
            let saved = out.storage
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                let y = saved.pointer, pg = g.data
                forEachLine(outer: outer, length: length, inner: inner) { start, s in
                    let total = LongSums.line(count: length) { j in pg[start + j * s] }
                    for j in 0..<length {
                        let i = start + j * s
                        let v = pg[i] - FastMath.exp(y[i]) * total
                        slot[i] = accumulate ? slot[i] + v : v
                    }
                }
            }
        }
        return out
    }
}
