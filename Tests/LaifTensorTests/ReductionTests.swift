import Testing
@testable import LaifTensor

@Suite struct ReductionTests {
    @Test func sumsAndMeans() throws {
        let m = try Tensor(literal: [[1, 2, 3], [4, 5, 6]])
        #expect(try m.sum().item() == 21)
        #expect(try m.mean().item() == 3.5)
        #expect(try m.sum(axis: 0).toArray() == [5, 7, 9])
        #expect(try m.sum(axis: -1).toArray() == [6, 15])
        #expect(try m.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(try m.mean(axis: 0).toArray() == [2.5, 3.5, 4.5])
        #expect(try m.max(axis: 1).toArray() == [3, 6])
        #expect(try m.argmax(axis: 0) == [1, 1, 1])
        let lse = try m.logsumexp(axis: 1).toArray()
        expectClose(lse, [Float(Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))),
                          Float(Foundation.log(Foundation.exp(4.0) + Foundation.exp(5.0) + Foundation.exp(6.0)))])
    }

    @Test func reductionGradients() throws {
        let x = randomTensor([2, 3, 4], seed: 21)
        try checkGradients([x]) { try $0[0].sum() }
        try checkGradients([x]) { try $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            try checkGradients([x]) { try $0[0].sum(axis: axis) }
            try checkGradients([x]) { try $0[0].mean(axis: axis, keepDims: true) }
            try checkGradients([x]) { try $0[0].logsumexp(axis: axis) }
            try checkGradients([x]) { try $0[0].max(axis: axis) }
        }
    }

    @Test func softmaxFamily() throws {
        let x = randomTensor([2, 3, 5], seed: 22)
        for axis in [-1, 1, 0] {
            let p = try x.softmax(axis: axis)
            let sums = try p.sum(axis: axis).toArray()
            expectClose(sums, [Float](repeating: 1, count: sums.count))
            let lp = try x.logSoftmax(axis: axis).exp().toArray()
            expectClose(lp, p.toArray())
            try checkGradients([x]) { try $0[0].softmax(axis: axis) }
            try checkGradients([x]) { try $0[0].logSoftmax(axis: axis) }
        }
        // A masked row (-infinity entries) stays finite.
        let masked = try Tensor(literal: [[0, 1, 2]]) + Tensor.causalMask(length: 3).slice(axis: 0, 0..<1)
        expectClose(try masked.softmax().toArray(), [1, 0, 0])
    }

    @Test func axisErrors() throws {
        let x = try Tensor.zeros([2, 3])
        do {
            _ = try x.sum(axis: 2)
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]"))
        }
        #expect(throws: TensorError.self) { try x.softmax(axis: -3) }
        #expect(throws: TensorError.self) { try Tensor.zeros([0]).mean() }
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 0]).max(axis: 1) }
        #expect(throws: TensorError.self) { try x.argmax(axis: 5) }
    }

    /// Long lines keep their accuracy: a million float32 0.1s sum to about 100,000 (a plain
    /// Float loop gave 100,958), along any axis and inside logsumexp, softmax and the gradient
    /// of a broadcast.
    @Test func longLinesSumAccurately() throws {
        let n = 1_000_000
        let exact = 0.1 * Double(n)   // 0.1 as float32 is 0.1000000015
        let tolerance = 1e-4 * exact
        #expect(abs(Double(try Tensor.full([n], value: 0.1).sum(axis: 0).item()) - exact) < tolerance)
        let columns = try Tensor.full([n, 2], value: 0.1).sum(axis: 0).toArray()
        #expect(columns.allSatisfy { abs(Double($0) - exact) < tolerance }, "\(columns)")
        #expect(abs(Double(try Tensor.full([n, 1], value: 0.1).mean(axis: 0).item()) - 0.1) < 1e-5)
        // exp(x) alternating 1 and 0.1: the normaliser is 550,000.
        let mixed = try Tensor(shape: [n], data: (0..<n).map { $0 % 2 == 0 ? 0 : Float(Foundation.log(0.1)) })
        let lse = try mixed.logsumexp(axis: 0).item()
        #expect(abs(Double(lse) - Foundation.log(550_000)) < 1e-4, "\(lse)")
        let p = try mixed.softmax(axis: 0).toArray()
        #expect(abs(Double(p[0]) * 550_000 - 1) < 1e-4, "\(p[0])")
        let logp = try mixed.logSoftmax(axis: 0).toArray()
        #expect(abs(Double(logp[0]) + Foundation.log(550_000)) < 1e-4, "\(logp[0])")
        // The gradient of a scalar broadcast over a million elements, each weighted 0.1.
        let b = try Tensor.zeros([1])
        b.requiresGrad = true
        let x = try Tensor.zeros([n])
        try ((x + b) * 0.1).sum().backward()
        #expect(abs(Double(b.grad!.toArray()[0]) - exact) < tolerance, "\(b.grad!.toArray())")
    }

    /// Lines up to a block long sum exactly as a plain Float loop, so training steps do not move.
    @Test func linesUpToABlockSumAsAPlainLoop() throws {
        let values = randomTensor([LongSums.blockLength], seed: 23).toArray()
        var plain: Float = 0
        for v in values { plain += v }
        #expect(try Tensor(shape: [values.count], data: values).sum(axis: 0).item() == plain)
        #expect(LongSums.line(count: values.count) { values[$0] } == plain)
    }
}

import Foundation
