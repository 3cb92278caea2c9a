/// Stochastic gradient descent with optional momentum and L2 weight decay, as `torch.optim.SGD`:
/// g <- g + wd p; b <- momentum b + g (b = g on the first step); p <- p - lr b.
///
///     let opt = SGD(parameters: params, lr: 0.1, momentum: 0.9)
///     try opt.step()
public final class SGD: Optimizer {
    /// Step size of the next update.
    public var learningRate: Float
    /// Momentum of the velocity (0: plain SGD).
    public let momentum: Float
    /// L2 penalty added to the gradient (weightDecay * p).
    public let weightDecay: Float
    /// The tensors this optimizer updates.
    public let parameters: [Tensor]
    private var velocities = OptimizerSlots()

    /// An SGD optimizer over `parameters`.
    ///
    ///     let opt = SGD(parameters: params, lr: 0.01)
    public init(parameters: [Tensor], lr: Float = 1e-2, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// One SGD update of every parameter that has a gradient.
    ///
    ///     try opt.step()
    public func step() throws {
        try Self.checkHyperparameter(momentum, "momentum", "SGD", range: 0...1)
        let lr = learningRate, mu = momentum, wd = weightDecay
        for p in parameters {
            guard let grad = p.grad else { continue }
            let w = p.data, g = grad.data
            if mu > 0 {
                let first = !velocities.contains(p)
                let b = velocities.buffer(for: p)
                for i in 0..<p.count {
                    let gi = g[i] + wd * w[i]
                    let bi = first ? gi : mu * b[i] + gi
                    b[i] = bi
                    w[i] -= lr * bi
                }
            } else {
                for i in 0..<p.count { w[i] -= lr * (g[i] + wd * w[i]) }
            }
        }
    }

    /// Drops every parameter's gradient.
    ///
    ///     opt.zeroGrad()
    public func zeroGrad() { dropGradients(parameters) }
}
