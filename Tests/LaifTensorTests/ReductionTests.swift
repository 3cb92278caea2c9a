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
}

import Foundation
