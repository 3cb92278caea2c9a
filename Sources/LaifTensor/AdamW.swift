import CSupport

/// Adam with decoupled weight decay (Loshchilov & Hutter), matching `torch.optim.AdamW`:
/// p <- p (1 - lr wd); m, v moving averages of g and g^2; p <- p - lr m^ / (sqrt(v^) + eps)
/// with bias-corrected m^, v^.
///
///     let opt = AdamW(parameters: params, lr: 1e-3, weightDecay: 0.01)
///     try opt.step()
public final class AdamW: Optimizer {
    /// Step size of the next update.
    public var learningRate: Float
    /// Decay rates of the first and second moment averages.
    public let betas: (Float, Float)
    /// Added to the root of the second moment, for stability.
    public let eps: Float
    /// Decoupled decay: each step multiplies weights by (1 - lr * weightDecay).
    public let weightDecay: Float
    /// The tensors this optimizer updates.
    public let parameters: [Tensor]
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var firstMoments = OptimizerSlots()
    private var secondMoments = OptimizerSlots()

    /// An AdamW over `parameters` with PyTorch's defaults.
    ///
    ///     let opt = AdamW(parameters: params)
    public init(parameters: [Tensor], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        self.parameters = parameters
        self.learningRate = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// One AdamW update of every parameter that has a gradient. Throws for betas outside [0, 1).
    ///
    ///     try opt.step()
    public func step() throws {
        try Self.checkHyperparameter(betas.0, "beta1", "AdamW", range: 0...0.999_999)
        try Self.checkHyperparameter(betas.1, "beta2", "AdamW", range: 0...0.999_999_9)
        stepCount += 1
        let (b1, b2) = betas
        let correction1 = 1 - Float(Double(b1).power(stepCount))
        let correction2 = 1 - Float(Double(b2).power(stepCount))
        let stepSize = learningRate / correction1
        let invSqrtCorrection2 = 1 / correction2.squareRoot()
        let decay = 1 - learningRate * weightDecay
        let eps = self.eps
        for p in parameters {
            guard let grad = p.grad else { continue }
            let m = firstMoments.buffer(for: p), v = secondMoments.buffer(for: p)
            laif_adamw_update(p.data, grad.data, m, v, p.count, b1, b2, stepSize, invSqrtCorrection2, eps, decay)
        }
    }

    /// Drops every parameter's gradient.
    ///
    ///     opt.zeroGrad()
    public func zeroGrad() { dropGradients(parameters) }
}

extension Double {
    /// self^n by repeated squaring (n >= 0), exact to rounding and the same on every platform.
    func power(_ n: Int) -> Double {
        var result = 1.0, base = self, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
