import Testing
@testable import LaifTensor

@Suite struct AutogradTests {
    @Test func documentedExample() throws {
        let w = try Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        w.requiresGrad = true
        try (w * w).sum().backward()
        #expect(w.grad?.toArray() == [2, 4, 6, 8])
    }

    @Test func sharedInputsAccumulate() throws {
        let x = Tensor([1, 2, 3])
        x.requiresGrad = true
        let y = try x * x + x.exp() * x      // reuse x in several branches
        try y.sum().backward()
        try checkGradients([x]) { try $0[0] * $0[0] + $0[0].exp() * $0[0] }
        let expected = x.toArray().map { 2 * $0 + Float(Foundation.exp(Double($0))) * (1 + $0) }
        expectClose(x.grad!.toArray(), expected, tol: 1e-5)
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let x = Tensor([1, 2])
        x.requiresGrad = true
        try (x * 3).sum().backward()
        try (x * 3).sum().backward()
        #expect(x.grad?.toArray() == [6, 6])
    }

    @Test func withoutGradRecordsNothing() throws {
        let x = Tensor([1, 2])
        x.requiresGrad = true
        let y = try Tensor.withoutGrad { try (x * 2).sum() }
        #expect(!y.requiresGrad)
        #expect(Tensor.isGradEnabled)
        do {
            try y.backward()
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.op == "backward")
        }
        #expect(throws: TensorError.self) { try (x * 2).backward() }   // not a scalar
    }

    @Test func graphIsReleasedAfterBackward() throws {
        let x = randomTensor([64, 64], seed: 81)
        x.requiresGrad = true
        let hidden = try x.matmul(x).tanh()
        let loss = try hidden.sum()
        try loss.backward()
        #expect(hidden.grad == nil)
        #expect(!hidden.requiresGrad)
        #expect(x.grad != nil)
    }

    @Test func detachedCopiesAreConstants() throws {
        let x = Tensor([1, 2])
        x.requiresGrad = true
        let d = x.detached()
        #expect(!d.requiresGrad)
        #expect(d.toArray() == [1, 2])
        try d.assign([5, 6])
        #expect(x.toArray() == [1, 2])
        #expect(throws: TensorError.self) { try d.assign([1]) }
        #expect(throws: TensorError.self) { try d.assign(from: Tensor([1, 2, 3])) }
    }

    @Test func tinyTrainingLoopIsDeterministic() throws {
        func run() throws -> [Float] {
            var rng = RandomGenerator(seed: 4)
            let w = try Tensor.randn([3, 2], rng: &rng)
            w.requiresGrad = true
            let x = try Tensor.randn([5, 3], rng: &rng)
            let opt = AdamW(parameters: [w], lr: 0.05)
            for _ in 0..<5 {
                opt.zeroGrad()
                try Tensor.crossEntropy(logits: x.matmul(w), targets: [0, 1, 1, 0, 1]).backward()
                try opt.step()
            }
            return w.toArray()
        }
        #expect(try run() == run())
    }
}

import Foundation
