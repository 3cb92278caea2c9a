import Testing
@testable import LaifTensor

@Suite struct OptimizerTests {
    /// Minimises sum((w - target)^2) and returns the final w.
    func minimise(_ make: ([Tensor]) -> Optimizer, steps: Int) throws -> [Float] {
        let target = Tensor([3, -2, 0.5])
        let w = try Tensor.zeros([3])
        w.requiresGrad = true
        let opt = make([w])
        for _ in 0..<steps {
            opt.zeroGrad()
            try (w - target).square().sum().backward()
            try opt.step()
        }
        return w.toArray()
    }

    @Test func adamWConvergesOnQuadraticBowl() throws {
        let w = try minimise({ AdamW(parameters: $0, lr: 0.1, weightDecay: 0) }, steps: 400)
        expectClose(w, [3, -2, 0.5], tol: 1e-2)
    }

    @Test func rmspropConverges() throws {
        let w = try minimise({ RMSprop(parameters: $0, lr: 0.01) }, steps: 600)
        expectClose(w, [3, -2, 0.5], tol: 2e-2)
        let withMomentum = try minimise({ RMSprop(parameters: $0, lr: 0.005, momentum: 0.5) }, steps: 600)
        expectClose(withMomentum, [3, -2, 0.5], tol: 2e-2)
    }

    @Test func sgdWithMomentumConverges() throws {
        let w = try minimise({ SGD(parameters: $0, lr: 0.05, momentum: 0.9) }, steps: 300)
        expectClose(w, [3, -2, 0.5], tol: 1e-3)
        let plain = try minimise({ SGD(parameters: $0, lr: 0.1) }, steps: 100)
        expectClose(plain, [3, -2, 0.5], tol: 1e-3)
    }

    @Test func adamWFirstStepMatchesFormula() throws {
        // After one step from gradient g: m^ = g, v^ = g^2, so p -= lr * g / (|g| + eps), after decay.
        let w = Tensor([1, -1])
        w.requiresGrad = true
        w.grad = Tensor([0.5, -2])
        let opt = AdamW(parameters: [w], lr: 0.1, weightDecay: 0.1)
        try opt.step()
        expectClose(w.toArray(), [1 * (1 - 0.01) - 0.1, -1 * (1 - 0.01) + 0.1], tol: 1e-6)
        #expect(opt.stepCount == 1)
    }

    @Test func weightDecayShrinksWithoutGradientSignal() throws {
        let w = Tensor([2])
        w.requiresGrad = true
        let opt = SGD(parameters: [w], lr: 0.1, weightDecay: 0.5)
        w.grad = Tensor([0])
        try opt.step()
        expectClose(w.toArray(), [2 - 0.1 * 0.5 * 2])
    }

    @Test func invalidHyperparametersThrow() throws {
        let w = Tensor([1])
        w.grad = Tensor([1])
        #expect(throws: TensorError.self) { try AdamW(parameters: [w], betas: (1.5, 0.9)).step() }
        #expect(throws: TensorError.self) { try SGD(parameters: [w], momentum: -1).step() }
        #expect(throws: TensorError.self) { try RMSprop(parameters: [w], alpha: 2).step() }
    }

    @Test func gradientClippingScalesGlobalNorm() throws {
        let a = Tensor([3]), b = Tensor([4])
        a.grad = Tensor([3]); b.grad = Tensor([4])
        let norm = clipGradNorm([a, b], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        expectClose([a.grad!.toArray()[0], b.grad!.toArray()[0]], [0.6, 0.8], tol: 1e-5)
        let small = clipGradNorm([a, b], maxNorm: 10)
        #expect(abs(small - 1) < 1e-5)
        expectClose(a.grad!.toArray(), [0.6], tol: 1e-5)
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.value(at: 100) == 1)
        let warm = LearningRateSchedule.linearWarmup(steps: 4)
        #expect([0, 1, 2, 3, 10].map { warm.value(at: $0) } == [0.25, 0.5, 0.75, 1, 1])
        let cosine = LearningRateSchedule.cosine(warmup: 2, total: 12, minFactor: 0.1)
        #expect(cosine.value(at: 0) == 0.5)
        #expect(cosine.value(at: 2) == 1)
        #expect(abs(cosine.value(at: 7) - 0.55) < 1e-6)
        #expect(abs(cosine.value(at: 12) - 0.1) < 1e-6)
        #expect(abs(cosine.value(at: 50) - 0.1) < 1e-6)
        // Extreme arguments give a value in range instead of trapping.
        let odd = LearningRateSchedule.cosine(warmup: Int.min, total: Int.max, minFactor: 0)
        #expect((0...1).contains(odd.value(at: Int.max)))
        #expect(LearningRateSchedule.linearWarmup(steps: 10).value(at: Int.min) == 0.1)
    }
}
