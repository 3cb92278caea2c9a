import Testing
@testable import LaifTensor

@Suite struct TensorDescriptionTests {
    @Test func printsLikeTorch() throws {
        #expect(try Tensor(literal: [1, 2.5]).description == "tensor([1.0000, 2.5000], shape [2])")
        #expect(Tensor(scalar: -3).description == "tensor(-3.0000, shape [])")
        let m = try Tensor(literal: [[1, 2], [3, 4]])
        #expect(m.description == "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape [2, 2])")
        let long = try Tensor.arange(2000).description
        #expect(long.contains("..."))
        #expect(long.contains("1999.0000"))
        #expect(long.count < 200)
        #expect(try Tensor([Float.nan, Float.infinity, 1e-7]).description == "tensor([nan, inf, 1.0000e-07], shape [3])")
    }
}
