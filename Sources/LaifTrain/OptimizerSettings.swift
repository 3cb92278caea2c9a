import LaifTensor

/// Which update rule a trainer uses.
///
///     OptimizerKind(rawValue: "rmsprop")   // .rmsprop
public enum OptimizerKind: String, Sendable, CaseIterable {
    /// Adam with decoupled weight decay (the default: converges in the few hundred steps these
    /// tiny students get, where RMSprop at the study's lr barely moves them).
    case adamW = "adamw"
    /// RMSprop, the study's optimizer (PyTorch's alpha 0.99).
    case rmsprop
    /// SGD with optional momentum.
    case sgd
}

/// An optimizer with its learning-rate schedule and gradient clipping. The learning rate
/// itself belongs to each trainer's config.
///
/// Defaults are CALIBRATION.md's tested regime: AdamW with betas (0.9, 0.98), weight decay
/// 0.01, 20 warmup steps then cosine decay to 10 % of the rate, global grad-norm clip 1.0.
/// `OptimizerSettings.paper` is the study's: RMSprop, constant rate, no warmup, clip 10.
///
///     var opt = OptimizerSettings()
///     opt.kind = .rmsprop
public struct OptimizerSettings: Equatable, Sendable {
    /// The update rule.
    public var kind: OptimizerKind
    /// AdamW's beta1.
    public var beta1: Float
    /// AdamW's beta2.
    public var beta2: Float
    /// Decoupled (AdamW) or L2 (RMSprop, SGD) weight decay.
    public var weightDecay: Float
    /// Momentum for SGD and RMSprop.
    public var momentum: Float
    /// Linear warmup steps (0: none).
    public var warmupSteps: Int
    /// Cosine decay to this fraction of the rate at the last step; nil keeps the rate constant after warmup.
    public var cosineMinFactor: Float?
    /// Global gradient-norm clip; nil disables clipping.
    public var clipNorm: Float?

    /// Settings; the defaults are CALIBRATION.md's.
    ///
    ///     OptimizerSettings(kind: .sgd, momentum: 0.9, warmupSteps: 0, cosineMinFactor: nil)
    public init(kind: OptimizerKind = .adamW, beta1: Float = 0.9, beta2: Float = 0.98, weightDecay: Float = 0.01,
                momentum: Float = 0, warmupSteps: Int = 20, cosineMinFactor: Float? = 0.1, clipNorm: Float? = 1.0) {
        self.kind = kind
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.warmupSteps = warmupSteps
        self.cosineMinFactor = cosineMinFactor
        self.clipNorm = clipNorm
    }

    /// The study's choice: RMSprop, constant rate, no warmup, grad-norm clip 10.
    ///
    ///     SFTConfig(learningRate: 1e-4, optimizer: .paper)
    public static let paper = OptimizerSettings(kind: .rmsprop, weightDecay: 0, warmupSteps: 0, cosineMinFactor: nil, clipNorm: 10)

    /// A constant rate with no warmup (AdamW); handy for short runs and tests.
    ///
    ///     OptimizerSettings.constant
    public static let constant = OptimizerSettings(warmupSteps: 0, cosineMinFactor: nil)

    /// Throws a `TrainingError` naming the bad knob.
    func validate(trainer: String) throws {
        try requireFinite(Double(beta1), 0...0.999_999, trainer: trainer, argument: "optimizer beta1")
        try requireFinite(Double(beta2), 0...0.999_999_9, trainer: trainer, argument: "optimizer beta2")
        try requireFinite(Double(weightDecay), 0...1, trainer: trainer, argument: "optimizer weight_decay")
        try requireFinite(Double(momentum), 0...1, trainer: trainer, argument: "optimizer momentum")
        try requireCount(warmupSteps, atLeast: 0, trainer: trainer, argument: "optimizer warmup")
        if let f = cosineMinFactor { try requireFinite(Double(f), 0...1, trainer: trainer, argument: "optimizer cosine_min") }
        if let c = clipNorm {
            try requireFinite(Double(c), 1e-6...1e9, trainer: trainer, argument: "optimizer clip", hint: "use nil to disable clipping")
        }
    }

    /// The optimizer over `parameters` at `learningRate`.
    func makeOptimizer(parameters: [Tensor], learningRate: Float) -> Optimizer {
        switch kind {
        case .adamW:
            return AdamW(parameters: parameters, lr: learningRate, betas: (beta1, beta2), eps: 1e-8, weightDecay: weightDecay)
        case .rmsprop:
            return RMSprop(parameters: parameters, lr: learningRate, alpha: 0.99, eps: 1e-8, weightDecay: weightDecay, momentum: momentum)
        case .sgd:
            return SGD(parameters: parameters, lr: learningRate, momentum: momentum, weightDecay: weightDecay)
        }
    }

    /// The schedule over `totalSteps`.
    func schedule(totalSteps: Int) -> LearningRateSchedule {
        if let f = cosineMinFactor { return .cosine(warmup: warmupSteps, total: totalSteps, minFactor: f) }
        return warmupSteps > 0 ? .linearWarmup(steps: warmupSteps) : .constant
    }
}

/// Checks a learning rate: positive, and a positive Float too (training runs in Float, where
/// 1e-300 is 0: it passed the check and trained nothing).
func validateLearningRate(_ lr: Double, trainer: String, argument: String = "lr") throws {
    guard lr.isFinite, lr > 0, lr < Double(Float.greatestFiniteMagnitude) else {
        throw TrainingError(trainer: trainer, argument: argument, message: "must be a finite number > 0, got \(formatNumber(lr))")
    }
    guard lr >= Double(Float.leastNormalMagnitude) else {
        throw TrainingError(trainer: trainer, argument: argument,
                            message: "\(lr) is too small for the float32 weights (at least 1.2e-38; 1e-7 already barely moves them)")
    }
}
