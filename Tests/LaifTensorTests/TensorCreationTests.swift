import Testing
import LaifSupport
@testable import LaifTensor

@Suite struct TensorCreationTests {
    @Test func errorMessagesSpellNaNAsLaifDoes() {
        // 0/0 on x86 is a NaN with its sign bit set, which Swift interpolates as "-nan".
        let nan = -Float.nan
        #expect(TensorError(op: "clamp", message: "got \(nan)").message == "got nan")
    }

    @Test func basicConstructors() throws {
        let t = try Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(t.shape == [2, 3])
        #expect(t.count == 6)
        #expect(try Tensor.zeros([2, 2]).toArray() == [0, 0, 0, 0])
        #expect(try Tensor.ones([3]).toArray() == [1, 1, 1])
        #expect(try Tensor.full([2], value: 7).toArray() == [7, 7])
        #expect(try Tensor.arange(4).toArray() == [0, 1, 2, 3])
        #expect(try Tensor.arange(start: 1, end: 2, step: 0.25).toArray() == [1, 1.25, 1.5, 1.75])
        #expect(try Tensor(scalar: 3).item() == 3)
        #expect(Tensor(scalar: 3).shape == [])
        #expect(try Tensor.zeros([0, 3]).count == 0)
    }

    @Test func nestedLiterals() throws {
        let t = try Tensor(literal: [[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.toArray() == [1, 2, 3, 4, 5, 6])
        #expect(try Tensor(literal: 2.5).shape == [])
        #expect(throws: TensorError.self) { try Tensor(literal: [[1, 2], [3]]) }
        #expect(throws: TensorError.self) { try Tensor(literal: [[1, 2], 3]) }
    }

    @Test func randomTensorsAreSeeded() throws {
        var a = RandomGenerator(seed: 1), b = RandomGenerator(seed: 1)
        #expect(try Tensor.randn([5], rng: &a).toArray() == Tensor.randn([5], rng: &b).toArray())
        let u = try Tensor.rand([100], rng: &a, low: -2, high: 3).toArray()
        #expect(u.allSatisfy { $0 >= -2 && $0 < 3 })
    }

    @Test func causalMaskLayout() throws {
        let m = try Tensor.causalMask(length: 3).toArray()
        let inf = Float.infinity
        #expect(m == [0, -inf, -inf, 0, 0, -inf, 0, 0, 0])
    }

    @Test func errorsNameShapesAndLimits() throws {
        do {
            _ = try Tensor(shape: [2, 3], data: [1, 2])
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]"))
        }
        do {
            _ = try Tensor.zeros([1 << 20, 1 << 20])
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("limit"))
        }
        #expect(throws: TensorError.self) { try Tensor.zeros([-1]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([Int.max, 2]) }
        #expect(throws: TensorError.self) { try Tensor.arange(start: 0, end: 1e30, step: 1) }
        #expect(throws: TensorError.self) { try Tensor.arange(start: 0, end: 1, step: 0) }
        // An end far on the wrong side of start is empty, not a trap converting -1e19 to Int.
        #expect(try Tensor.arange(start: 33, end: -1e19, step: 1).shape == [0])
        #expect(try Tensor.arange(start: 0, end: 1e30, step: -1).shape == [0])
        // The count is taken before anything is rounded to float, as NumPy does (rounding the
        // end to float made arange(268435455) count 268435456 values and 1 + 1e-9 count as 1).
        #expect(try Tensor.arange(start: 0.5, end: 1 + 1e-9, step: 0.5).toArray() == [0.5, 1])
        #expect(throws: TensorError.self) { try Tensor.arange(Tensor.maxElementCount + 1) }
        // A step that is not zero but vanishes as a float would repeat one value.
        #expect(throws: TensorError.self) { try Tensor.arange(start: 0, end: 1e-300, step: 1e-301) }
        #expect(throws: TensorError.self) { try Tensor.arange(start: 1e39, end: 2e39, step: 1e38) }
        #expect(throws: TensorError.self) { try Tensor.zeros([2]).item() }
        // Empty tensors with huge other dimensions would make later size arithmetic overflow.
        #expect(throws: TensorError.self) { try Tensor.zeros([0, 1 << 40, 1 << 40]) }
        // Broadcasting two valid tensors into a too-large result is an error, not an allocation.
        let column = try Tensor.zeros([1 << 16, 1]), row = try Tensor.zeros([1, 1 << 16])
        do {
            _ = try column + row
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("limit"))
        }
        #expect(throws: TensorError.self) { try Tensor.embedding(Tensor.zeros([2, 2]), ids: [], idsShape: [0, Int.max, 4]) }
    }

    @Test func memoryPoolTracksLiveBytes() throws {
        // Statistics are process-wide and other tests run in parallel, so only check that a
        // large live tensor is counted while it exists.
        let big = try Tensor.zeros([1 << 20])
        let during = TensorMemory.statistics()
        #expect(during.liveBytes >= 4 << 20)
        #expect(during.peakLiveBytes >= 4 << 20)
        #expect(big.count == 1 << 20)
    }

    @Test("drawing a huge random tensor stops at Ctrl-C; smaller ones and the values are unaffected")
    func randomFillsAreInterruptible() throws {
        var rng = RandomGenerator(seed: 3)
        #expect(throws: OperationCancelled.self) {
            try Cancellation.whenever({ true }) { try Tensor.randn([(1 << 22) + 1], rng: &rng) }
        }
        #expect(throws: OperationCancelled.self) {
            try Cancellation.whenever({ true }) { try Tensor.rand([(1 << 22) + 1], rng: &rng) }
        }
        #expect(try Cancellation.whenever({ true }) { try Tensor.randn([1 << 22], rng: &rng) }.count == 1 << 22)
        var a = RandomGenerator(seed: 4), b = RandomGenerator(seed: 4)
        let checked = try Cancellation.whenever({ false }) { try Tensor.randn([(1 << 22) + 5], rng: &a) }.toArray()
        var plain = [Float]()
        for _ in 0..<((1 << 22) + 5) { plain.append(Float(b.normal())) }
        #expect(checked == plain)
    }
}
