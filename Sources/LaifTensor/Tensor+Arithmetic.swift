/// Elementwise arithmetic with broadcasting.
extension Tensor {
    /// `f(a, b)` elementwise over the broadcast shape, outside the graph.
    @inline(__always)
    static func zipBroadcast(_ a: Tensor, _ b: Tensor, shape out: [Int], _ f: (Float, Float) -> Float) -> Tensor {
        let n = out.reduce(1, *)
        let result = Tensor(uninitializedShape: out, count: n)
        let o = result.data, pa = a.data, pb = b.data
        if a.shape == b.shape && a.count == n {
            for i in 0..<n { o[i] = f(pa[i], pb[i]) }
        } else if b.count == 1 && a.count == n {
            let s = pb[0]
            for i in 0..<n { o[i] = f(pa[i], s) }
        } else if a.count == 1 && b.count == n {
            let s = pa[0]
            for i in 0..<n { o[i] = f(s, pb[i]) }
        } else if n > 0 {
            let sa = Broadcast.strides(a.shape, readAs: out)
            let sb = Broadcast.strides(b.shape, readAs: out)
            let inner = out.last ?? 1
            let ia = sa.last ?? 0, ib = sb.last ?? 0
            Broadcast.forEachRow(out, sa, sb) { oo, oa, ob in
                let ro = o + oo, ra = pa + oa, rb = pb + ob
                switch (ia, ib) {
                case (1, 1): for k in 0..<inner { ro[k] = f(ra[k], rb[k]) }
                case (1, _): let s = rb[0]; for k in 0..<inner { ro[k] = f(ra[k], s) }
                case (_, 1): let s = ra[0]; for k in 0..<inner { ro[k] = f(s, rb[k]) }
                default: let v = f(ra[0], rb[0]); for k in 0..<inner { ro[k] = v }
                }
            }
        }
        return result
    }

    /// Adds gradient `g` (shaped like the broadcast result) into `input`'s gradient, summing
    /// over broadcast dimensions.
    static func accumulateReduced(_ g: Tensor, into input: Tensor) {
        guard input.requiresGrad else { return }
        if g.count == input.count {
            input.accumulateGradient(g.data)
        } else {
            let (slot, accumulate) = input.gradientSlot()
            Broadcast.reduce(g.data, shaped: g.shape, to: input.shape, into: slot, accumulate: accumulate)
        }
    }

    /// Elementwise sum with broadcasting.
    ///
    ///     let y = try x + bias        // [4, 3] + [3]
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try Broadcast.shape(a.shape, b.shape, op: "add")
        let result = zipBroadcast(a, b, shape: out, +)
        if recording(a, b) {
            result.record([a, b]) { g in
                // Hand g itself to one full-size input (no copy); the other gets a copy.
                if a.requiresGrad && a.count == g.count {
                    accumulateReduced(g, into: b)
                    a.takeGradient(g)
                } else if b.requiresGrad && b.count == g.count {
                    accumulateReduced(g, into: a)
                    b.takeGradient(g)
                } else {
                    accumulateReduced(g, into: a)
                    accumulateReduced(g, into: b)
                }
            }
        }
        return result
    }

    /// Elementwise difference with broadcasting.
    ///
    ///     let d = try a - b
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try Broadcast.shape(a.shape, b.shape, op: "subtract")
        let result = zipBroadcast(a, b, shape: out, -)
        if recording(a, b) {
            result.record([a, b]) { g in
                accumulateReduced(g, into: a)
                if b.requiresGrad { accumulateReduced(g.negatedRaw(), into: b) }
            }
        }
        return result
    }

    /// Elementwise product with broadcasting.
    ///
    ///     let y = try x * mask
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try Broadcast.shape(a.shape, b.shape, op: "multiply")
        let result = zipBroadcast(a, b, shape: out, *)
        if recording(a, b) {
            result.record([a, b]) { g in
                if a.requiresGrad { accumulateReduced(zipBroadcast(g, b, shape: out, *), into: a) }
                if b.requiresGrad { accumulateReduced(zipBroadcast(g, a, shape: out, *), into: b) }
            }
        }
        return result
    }

    /// Elementwise quotient with broadcasting.
    ///
    ///     let y = try x / norm
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try Broadcast.shape(a.shape, b.shape, op: "divide")
        let result = zipBroadcast(a, b, shape: out, /)
        if recording(a, b) {
            result.record([a, b]) { g in
                let gOverB = zipBroadcast(g, b, shape: out, /)
                if a.requiresGrad { accumulateReduced(gOverB, into: a) }
                if b.requiresGrad {
                    // d(a/b)/db = -(a/b)/b
                    let quotient = zipBroadcast(a, b, shape: out, /)
                    accumulateReduced(zipBroadcast(gOverB, quotient, shape: out) { -$0 * $1 }, into: b)
                }
            }
        }
        return result
    }

    func negatedRaw() -> Tensor {
        let out = Tensor(uninitializedShape: shape, count: count)
        for i in 0..<count { out.data[i] = -data[i] }
        return out
    }

    /// `x * scale + shift` elementwise, differentiable in `x`.
    func affine(scale: Float, shift: Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape, count: count)
        let o = out.data, x = data
        for i in 0..<count { o[i] = x[i] * scale + shift }
        if Tensor.recording(self) {
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                let pg = g.data
                if accumulate {
                    for i in 0..<count { slot[i] += pg[i] * scale }
                } else {
                    for i in 0..<count { slot[i] = pg[i] * scale }
                }
            }
        }
        return out
    }

    /// Adds a number to every element.
    ///
    ///     let y = try x + 1
    public static func + (a: Tensor, s: Float) throws -> Tensor { a.affine(scale: 1, shift: s) }
    /// Adds a number to every element.
    ///
    ///     let y = try 1 + x
    public static func + (s: Float, a: Tensor) throws -> Tensor { a.affine(scale: 1, shift: s) }
    /// Subtracts a number from every element.
    ///
    ///     let y = try x - 1
    public static func - (a: Tensor, s: Float) throws -> Tensor { a.affine(scale: 1, shift: -s) }
    /// Subtracts every element from a number.
    ///
    ///     let y = try 1 - p
    public static func - (s: Float, a: Tensor) throws -> Tensor { a.affine(scale: -1, shift: s) }
    /// Multiplies every element by a number.
    ///
    ///     let y = try x * 0.5
    public static func * (a: Tensor, s: Float) throws -> Tensor { a.affine(scale: s, shift: 0) }
    /// Multiplies every element by a number.
    ///
    ///     let y = try 0.5 * x
    public static func * (s: Float, a: Tensor) throws -> Tensor { a.affine(scale: s, shift: 0) }
    /// Divides every element by a number (division by zero gives infinities, as in IEEE).
    ///
    ///     let y = try x / 2
    public static func / (a: Tensor, s: Float) throws -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    /// Divides a number by every element.
    ///
    ///     let y = try 1 / x
    public static func / (s: Float, a: Tensor) throws -> Tensor {
        try Tensor(scalar: s) / a
    }
    /// The elementwise negation.
    ///
    ///     let y = try -x
    public static prefix func - (a: Tensor) throws -> Tensor { a.affine(scale: -1, shift: 0) }

    /// Broadcasts this tensor to `shape` (a copy); the gradient sums back over the broadcast
    /// dimensions.
    ///
    ///     let rows = try bias.expand(to: [4, 3])    // [3] -> [4, 3]
    public func expand(to target: [Int]) throws -> Tensor {
        let out = try Broadcast.shape(shape, target, op: "expand")
        guard out == target else {
            throw TensorError.shapes("expand", shape, target, "do not match: the first cannot be broadcast to the second")
        }
        let zero = Tensor(uninitializedShape: [], count: 1)
        zero.data[0] = 0
        let result = Tensor.zipBroadcast(self, zero, shape: target) { x, _ in x }
        if Tensor.recording(self) {
            result.record([self]) { [self] g in Tensor.accumulateReduced(g, into: self) }
        }
        return result
    }
}
