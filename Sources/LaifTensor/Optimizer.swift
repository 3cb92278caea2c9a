/// Updates parameters from their accumulated gradients.
///
///     let opt = AdamW(parameters: model.parameters.map(\.tensor), lr: 1e-3)
///     opt.zeroGrad()
///     try loss.backward()
///     try opt.step()
public protocol Optimizer: AnyObject {
    /// Applies one update to every parameter that has a gradient.
    func step() throws
    /// Drops every parameter's gradient (sets it to nil).
    func zeroGrad()
    /// The learning rate used by the next `step()`; schedules set it each step.
    var learningRate: Float { get set }
}

/// Per-parameter state buffers of an optimizer, zero-initialised on first use.
struct OptimizerSlots {
    private var buffers: [ObjectIdentifier: TensorStorage] = [:]

    mutating func buffer(for parameter: Tensor) -> UnsafeMutablePointer<Float> {
        let key = ObjectIdentifier(parameter)
        if let existing = buffers[key] { return existing.pointer }
        let storage = TensorStorage(zeroedCount: parameter.count)
        buffers[key] = storage
        return storage.pointer
    }

    func contains(_ parameter: Tensor) -> Bool { buffers[ObjectIdentifier(parameter)] != nil }
}

extension Optimizer {
    static func checkHyperparameter(_ value: Float, _ name: String, _ optimizer: String, range: ClosedRange<Float>) throws {
        guard value.isFinite, range.contains(value) else {
            throw TensorError(op: optimizer, message: "\(name) \(value) is outside \(range)")
        }
    }
}

/// Sets `grad` to nil on every tensor.
func dropGradients(_ parameters: [Tensor]) {
    for p in parameters { p.grad = nil }
}
