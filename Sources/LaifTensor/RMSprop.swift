/// RMSprop as in `torch.optim.RMSprop` (the paper's optimizer): v <- alpha v + (1 - alpha) g^2,
/// p <- p - lr g / (sqrt(v) + eps), with optional L2 weight decay (added to g) and momentum.
///
///     let opt = RMSprop(parameters: params, lr: 1e-4)
///     try opt.step()
public final class RMSprop: Optimizer {
    /// Step size of the next update.
    public var learningRate: Float
    /// Decay rate of the squared-gradient average.
    public let alpha: Float
    /// Added to the root of the average, for stability.
    public let eps: Float
    /// L2 penalty added to the gradient (weightDecay * p).
    public let weightDecay: Float
    /// Momentum of the scaled update (0: none).
    public let momentum: Float
    /// The tensors this optimizer updates.
    public let parameters: [Tensor]
    private var squares = OptimizerSlots()
    private var velocities = OptimizerSlots()

    /// An RMSprop over `parameters` with PyTorch's defaults.
    ///
    ///     let opt = RMSprop(parameters: params, lr: 1e-2, alpha: 0.99)
    public init(parameters: [Tensor], lr: Float = 1e-2, alpha: Float = 0.99, eps: Float = 1e-8,
                weightDecay: Float = 0, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
    }

    /// One RMSprop update of every parameter that has a gradient.
    ///
    ///     try opt.step()
    public func step() throws {
        try Self.checkHyperparameter(alpha, "alpha", "RMSprop", range: 0...1)
        try Self.checkHyperparameter(momentum, "momentum", "RMSprop", range: 0...1)
        let lr = learningRate, a = alpha, eps = self.eps, wd = weightDecay, mu = momentum
        for p in parameters {
            guard let grad = p.grad else { continue }
            let v = squares.buffer(for: p), w = p.data, g = grad.data
            if mu > 0 {
                let buf = velocities.buffer(for: p)
                for i in 0..<p.count {
                    let gi = g[i] + wd * w[i]
                    let vi = a * v[i] + (1 - a) * gi * gi
                    v[i] = vi
                    let bi = mu * buf[i] + gi / (vi.squareRoot() + eps)
                    buf[i] = bi
                    w[i] -= lr * bi
                }
            } else {
                for i in 0..<p.count {
                    let gi = g[i] + wd * w[i]
                    let vi = a * v[i] + (1 - a) * gi * gi
                    v[i] = vi
                    w[i] -= lr * gi / (vi.squareRoot() + eps)
                }
            }
        }
    }

    /// Drops every parameter's gradient.
    ///
    ///     opt.zeroGrad()
    public func zeroGrad() { dropGradients(parameters) }
}
