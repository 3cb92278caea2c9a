import CSupport
import Foundation

/// Elementwise functions.
extension Tensor {
    /// `forward` elementwise; the gradient is `g * derivative(x, y)`.
    @inline(__always)
    func unary(_ op: String, _ forward: (Float) -> Float,
               derivative: @escaping (_ x: Float, _ y: Float) -> Float) throws -> Tensor {
        try Tensor.requireMemory(forElements: count, shape: shape, op: op)
        let out = Tensor(uninitializedShape: shape, count: count)
        let o = out.data, x = data, n = count
        for i in 0..<n { o[i] = forward(x[i]) }
        if Tensor.recording(self) {
            let outStorage = out.storage
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                let y = outStorage.pointer, pg = g.data
                if accumulate {
                    for i in 0..<n { slot[i] += pg[i] * derivative(x[i], y[i]) }
                } else {
                    for i in 0..<n { slot[i] = pg[i] * derivative(x[i], y[i]) }
                }
            }
        }
        return out
    }

    /// e^x elementwise.
    ///
    ///     let y = try x.exp()
    public func exp() throws -> Tensor {
        try unary("exp", FastMath.exp) { _, y in y }
    }

    /// Natural logarithm elementwise (log 0 = -infinity; negative inputs give NaN).
    ///
    ///     let y = try p.log()
    public func log() throws -> Tensor {
        try unary("log", Foundation.log) { x, _ in 1 / x }
    }

    /// Hyperbolic tangent elementwise.
    ///
    ///     let y = try x.tanh()
    public func tanh() throws -> Tensor {
        try unary("tanh", Foundation.tanh) { _, y in 1 - y * y }
    }

    /// max(x, 0) elementwise (gradient 0 at 0). NaN stays NaN, as in PyTorch: a NaN from an
    /// earlier step must not turn into a plausible 0 and hide the fault.
    ///
    ///     let y = try x.relu()
    public func relu() throws -> Tensor {
        try unary("relu", { $0 > 0 || $0.isNaN ? $0 : 0 }) { x, _ in x > 0 ? 1 : 0 }
    }

    /// GELU (tanh approximation, as GPT-2) elementwise. Runs CSupport's GELU kernels (AVX2
    /// when the CPU has it); the forward pass keeps the sigmoids so the backward needs no exp.
    ///
    ///     let y = try x.gelu()
    public func gelu() throws -> Tensor {
        let recorded = Tensor.recording(self)
        // When recorded, the sigmoids kept for the backward pass take as much again.
        try Tensor.requireMemory(forElements: recorded ? 2 * count : count, shape: shape, op: "gelu")
        let out = Tensor(uninitializedShape: shape, count: count)
        guard recorded else {
            laif_gelu_forward(data, out.data, nil, count)
            return out
        }
        let sigmoids = TensorStorage(uninitializedCount: count)
        laif_gelu_forward(data, out.data, sigmoids.pointer, count)
        out.record([self]) { [self] g in
            let (slot, accumulate) = gradientSlot()
            laif_gelu_backward(data, sigmoids.pointer, g.data, slot, count, accumulate ? 1 : 0)
        }
        return out
    }

    /// The logistic function 1 / (1 + e^-x) elementwise.
    ///
    ///     let p = try logits.sigmoid()
    public func sigmoid() throws -> Tensor {
        try unary("sigmoid", FastMath.sigmoid) { _, y in y * (1 - y) }
    }

    /// log(sigmoid(x)) elementwise, stable for large |x| (the DPO loss).
    ///
    ///     let loss = try -(margin * beta).logSigmoid().mean()
    public func logSigmoid() throws -> Tensor {
        try unary("logSigmoid", { x in Swift.min(x, 0) - Foundation.log1p(FastMath.exp(-Swift.abs(x))) }) { x, _ in
            FastMath.sigmoid(-x)
        }
    }

    /// Square root elementwise.
    ///
    ///     let s = try v.sqrt()
    public func sqrt() throws -> Tensor {
        try unary("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y }
    }

    /// x^2 elementwise.
    ///
    ///     let sq = try x.square()
    public func square() throws -> Tensor {
        try unary("square", { $0 * $0 }) { x, _ in 2 * x }
    }

    /// |x| elementwise (gradient 0 at 0).
    ///
    ///     let a = try x.abs()
    public func abs() throws -> Tensor {
        try unary("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }
    }

    /// x^p elementwise for a constant exponent.
    ///
    ///     let cube = try x.pow(3)
    public func pow(_ p: Float) throws -> Tensor {
        try unary("pow", { Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
    }

    /// Values limited to `[low, high]` (gradient 0 outside).
    ///
    ///     let r = try ratio.clamp(0.8, 1.2)
    public func clamp(_ low: Float, _ high: Float) throws -> Tensor {
        guard low <= high else {
            throw TensorError(op: "clamp", message: "low \(low) is above high \(high)")
        }
        return try unary("clamp", { Swift.min(Swift.max($0, low), high) }) { x, _ in x >= low && x <= high ? 1 : 0 }
    }
}
