import Testing
@testable import LaifTensor

@Suite struct ElementwiseGradientTests {
    @Test func binaryOpsSameShape() throws {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2)
        try checkGradients([a, b]) { try $0[0] + $0[1] }
        try checkGradients([a, b]) { try $0[0] - $0[1] }
        try checkGradients([a, b]) { try $0[0] * $0[1] }
        let positive = try randomTensor([3, 4], seed: 3).abs() + 0.5
        try checkGradients([a, positive]) { try $0[0] / $0[1] }
    }

    @Test func broadcastingForwardValues() throws {
        let a = try Tensor(literal: [[1, 2, 3], [4, 5, 6]])
        let b = try Tensor(literal: [10, 20, 30])
        #expect(try (a + b).toArray() == [11, 22, 33, 14, 25, 36])
        let col = try Tensor(literal: [[100], [200]])
        #expect(try (a + col).toArray() == [101, 102, 103, 204, 205, 206])
        let outer = try col * b
        #expect(outer.shape == [2, 3])
        #expect(outer.toArray() == [1000, 2000, 3000, 2000, 4000, 6000])
        #expect(try (a * Tensor(scalar: 2)).toArray() == [2, 4, 6, 8, 10, 12])
    }

    @Test func broadcastingGradients() throws {
        let a = randomTensor([2, 3, 4], seed: 4)
        try checkGradients([a, randomTensor([4], seed: 5)]) { try $0[0] + $0[1] }
        try checkGradients([a, randomTensor([3, 1], seed: 6)]) { try $0[0] * $0[1] }
        try checkGradients([randomTensor([2, 1, 4], seed: 7), randomTensor([3, 1], seed: 8)]) { try $0[0] - $0[1] }
        let divisor = try randomTensor([1, 3, 1], seed: 9).abs() + 1
        try checkGradients([a, divisor]) { try $0[0] / $0[1] }
        try checkGradients([randomTensor([3], seed: 10), Tensor(scalar: 0.7)]) { try $0[0] * $0[1] }
        try checkGradients([randomTensor([3], seed: 11)]) { try $0[0].expand(to: [2, 3]) }
    }

    @Test func broadcastErrorsShowBothShapes() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4])
        do {
            _ = try a + b
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]") && e.description.contains("[4]"))
        }
        #expect(throws: TensorError.self) { try a * Tensor.zeros([3, 3]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([3]).expand(to: [3, 2]) }
    }

    @Test func scalarOperators() throws {
        let x = randomTensor([5], seed: 12)
        try checkGradients([x]) { try $0[0] * 3 + 1 }
        try checkGradients([x]) { try 2 - $0[0] / 4 }
        try checkGradients([x]) { try -$0[0] }
        let p = try x.abs() + 1
        try checkGradients([p]) { try 1 / $0[0] }
        #expect(try (x + 1).toArray() == x.toArray().map { $0 + 1 })
        #expect(try (3 - x).toArray() == x.toArray().map { 3 - $0 })
    }

    @Test func unaryGradients() throws {
        let x = randomTensor([2, 5], seed: 13)
        try checkGradients([x]) { try $0[0].exp() }
        try checkGradients([x]) { try $0[0].tanh() }
        try checkGradients([x]) { try $0[0].gelu() }
        try checkGradients([x]) { try $0[0].sigmoid() }
        try checkGradients([x]) { try $0[0].logSigmoid() }
        try checkGradients([x]) { try $0[0].square() }
        let positive = try x.abs() + 0.5
        try checkGradients([positive]) { try $0[0].log() }
        try checkGradients([positive]) { try $0[0].sqrt() }
        try checkGradients([positive]) { try $0[0].pow(1.5) }
        // Kinked functions: inputs kept away from the kink.
        let away = try Tensor(literal: [-2, -0.7, 0.4, 1.3, 2.2])
        try checkGradients([away]) { try $0[0].relu() }
        try checkGradients([away]) { try $0[0].abs() }
        try checkGradients([away]) { try $0[0].clamp(-1, 1) }
        #expect(throws: TensorError.self) { try x.clamp(1, -1) }
    }

    @Test func unaryValuesMatchLibm() throws {
        let values: [Float] = [-90, -20, -3, -0.5, 0, 1e-4, 0.5, 3, 20, 80]
        let x = Tensor(values)
        let e = try x.exp().toArray()
        for (v, y) in zip(values, e) {
            let ref = Foundation.exp(Double(v))
            #expect(abs(Double(y) - ref) <= 3e-7 * ref + 1e-37, "exp(\(v)) = \(y), libm \(ref)")
        }
        let g = try x.gelu().toArray()
        for (v, y) in zip(values, g) {
            let d = Double(v)
            let ref = 0.5 * d * (1 + Foundation.tanh(0.7978845608028654 * (d + 0.044715 * d * d * d)))
            #expect(abs(Double(y) - ref) <= 2e-6 * abs(ref) + 1e-30, "gelu(\(v)) = \(y), reference \(ref)")
        }
        let ls = try x.logSigmoid().toArray()
        for (v, y) in zip(values, ls) {
            let ref = -Foundation.log1p(Foundation.exp(-Double(v)))
            #expect(abs(Double(y) - ref) <= 1e-5 * max(1, abs(ref)), "logSigmoid(\(v)) = \(y), reference \(ref)")
        }
        // Dense check of the fast exp behind exp, softmax, losses and GELU.
        let grid = try Tensor.arange(start: -80, end: 80, step: 0.0137)
        let fast = try grid.exp().toArray()
        var worst = 0.0
        for (v, y) in zip(grid.toArray(), fast) {
            let ref = Foundation.exp(Double(v))
            worst = max(worst, abs(Double(y) - ref) / ref)
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
        #expect(try Tensor([Float.nan]).exp().toArray()[0].isNaN)
        #expect(try Tensor([Float.nan]).gelu().toArray()[0].isNaN)
        #expect(try Tensor([Float.nan]).sigmoid().toArray()[0].isNaN)
        let relu = try Tensor([Float.nan, -1, 0, 2]).relu().toArray()
        #expect(relu[0].isNaN && Array(relu.dropFirst()) == [0, 0, 2], "relu keeps NaN, as PyTorch does: \(relu)")
        #expect(try Tensor([-Float.infinity]).exp().toArray()[0] == 0)
    }
}

import Foundation
