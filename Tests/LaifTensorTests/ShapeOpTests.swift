import Testing
@testable import LaifTensor

@Suite struct ShapeOpTests {
    @Test func reshapeAndPermuteValues() throws {
        let x = try Tensor.arange(6)
        #expect(try x.reshape([2, -1]).shape == [2, 3])
        #expect(try x.reshape([2, 3]).transpose(0, 1).toArray() == [0, 3, 1, 4, 2, 5])
        let y = try Tensor.arange(24).reshape([2, 3, 4])
        let p = try y.permute([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(p.toArray()[0..<6] == [0, 4, 8, 12, 16, 20])
        #expect(try x.unsqueeze(0).shape == [1, 6])
        #expect(try x.unsqueeze(0).squeeze(0).shape == [6])
        // The message gives the valid range; "(rank 2)" beside shape [6] read as a mistake.
        #expect(throws: TensorError(op: "unsqueeze", message: "axis 2 is out of range for shape [6]; valid axes are -2...1")) {
            try x.unsqueeze(2)
        }
        #expect(try x.unsqueeze(1).shape == [6, 1] && x.unsqueeze(-1).shape == [6, 1])
    }

    @Test func shapeOpGradients() throws {
        let x = randomTensor([2, 3, 4], seed: 51)
        try checkGradients([x]) { try $0[0].reshape([6, 4]) }
        try checkGradients([x]) { try $0[0].permute([1, 2, 0]) }
        try checkGradients([x]) { try $0[0].transpose(0, 2) }
        try checkGradients([x]) { try $0[0].slice(axis: 1, 1..<3) }
        try checkGradients([x]) { try $0[0].slice(axis: -1, 0..<1) }
        try checkGradients([x, randomTensor([2, 1, 4], seed: 52)]) { try Tensor.concat([$0[0], $0[1]], axis: 1) }
        try checkGradients([randomTensor([3], seed: 53), randomTensor([3], seed: 54)]) { try Tensor.stack([$0[0], $0[1]], axis: 1) }
        let condition = try Tensor(literal: [1, 0, 1, 0])
        try checkGradients([randomTensor([4], seed: 55), randomTensor([2, 4], seed: 56)]) { try Tensor.where(condition, $0[0], $0[1]) }
    }

    @Test func joinAndSelectValues() throws {
        let a = try Tensor(literal: [[1, 2]]), b = try Tensor(literal: [[3, 4], [5, 6]])
        #expect(try Tensor.concat([a, b], axis: 0).toArray() == [1, 2, 3, 4, 5, 6])
        #expect(try Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1).toArray() == [1, 3, 2, 4])
        let w = try Tensor.where(Tensor([1, 0]), Tensor([10, 20]), Tensor(scalar: -1))
        #expect(w.toArray() == [10, -1])
    }

    @Test func shapeOpErrors() throws {
        let x = try Tensor.zeros([2, 3])
        do {
            _ = try x.reshape([4, 2])
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]") && e.description.contains("[4, 2]"))
        }
        #expect(throws: TensorError.self) { try x.reshape([-1, -1]) }
        #expect(throws: TensorError.self) { try x.reshape([-1, 4]) }
        #expect(throws: TensorError.self) { try x.permute([0, 0]) }
        #expect(throws: TensorError.self) { try x.transpose(0, 2) }
        #expect(throws: TensorError.self) { try x.slice(axis: 1, 2..<4) }
        #expect(throws: TensorError.self) { try Tensor.concat([x, Tensor.zeros([2, 2])], axis: 0) }
        #expect(throws: TensorError.self) { try Tensor.concat([], axis: 0) }
        #expect(throws: TensorError.self) { try Tensor.stack([x, Tensor.zeros([3, 2])]) }
        #expect(throws: TensorError.self) { try x.squeeze(0) }
        #expect(throws: TensorError.self) { try Tensor.where(Tensor.zeros([4]), x, x) }
    }
}
