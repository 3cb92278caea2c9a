import Testing
import LaifSupport
@testable import LaifTensor

@Suite struct MatmulTests {
    /// Plain triple loop for reference.
    func naive(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
        return c
    }

    @Test func matrixProductValues() throws {
        let a = randomTensor([3, 4], seed: 31), b = randomTensor([4, 5], seed: 32)
        let c = try a.matmul(b)
        #expect(c.shape == [3, 5])
        expectClose(c.toArray(), naive(a.toArray(), b.toArray(), m: 3, k: 4, n: 5), tol: 1e-5)
        // Transposes as flags equal explicit transposes.
        let at = try a.transpose(0, 1), bt = try b.transpose(0, 1)
        expectClose(try at.matmul(b, transposeA: true).toArray(), c.toArray(), tol: 1e-5)
        expectClose(try a.matmul(bt, transposeB: true).toArray(), c.toArray(), tol: 1e-5)
        expectClose(try at.matmul(bt, transposeA: true, transposeB: true).toArray(), c.toArray(), tol: 1e-5)
    }

    @Test func matmulGradients() throws {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(ta ? [4, 3] : [3, 4], seed: 33), b = randomTensor(tb ? [5, 4] : [4, 5], seed: 34)
            try checkGradients([a, b]) { try $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
        }
    }

    @Test func batchedAndBroadcastGradients() throws {
        let a = randomTensor([2, 3, 4], seed: 35), b = randomTensor([2, 4, 2], seed: 36)
        let c = try a.matmul(b)
        #expect(c.shape == [2, 3, 2])
        let second = try a.slice(axis: 0, 1..<2).reshape([3, 4]).matmul(b.slice(axis: 0, 1..<2).reshape([4, 2]))
        expectClose(try c.slice(axis: 0, 1..<2).reshape([3, 2]).toArray(), second.toArray())
        try checkGradients([a, b]) { try $0[0].matmul($0[1]) }
        try checkGradients([a, randomTensor([2, 3, 5], seed: 37)]) { try $0[0].matmul($0[1], transposeA: true) }
        try checkGradients([a, randomTensor([4, 2], seed: 38)]) { try $0[0].matmul($0[1]) }
        try checkGradients([a, randomTensor([6, 4], seed: 39)]) { try $0[0].matmul($0[1], transposeB: true) }
        try checkGradients([randomTensor([3, 4], seed: 40), b]) { try $0[0].matmul($0[1]) }
        try checkGradients([randomTensor([4], seed: 41), randomTensor([4, 3], seed: 42)]) { try $0[0].matmul($0[1]) }
        try checkGradients([randomTensor([3, 4], seed: 43), randomTensor([4], seed: 44)]) { try $0[0].matmul($0[1]) }
    }

    @Test func blasThreadCountIsSettable() {
        // One thread is the default and what every test expects; setting it again is harmless.
        BLASThreads.setThreadCount(1)
        #expect(BLASThreads.threadCount == 1)
    }

    @Test func shapeErrorsShowBothShapes() throws {
        do {
            _ = try Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]") && e.description.contains("[4, 5]"))
        }
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 2, 3]).matmul(Tensor.zeros([3, 3, 2])) }
        #expect(throws: TensorError.self) { try Tensor(scalar: 1).matmul(Tensor.zeros([1, 1])) }
        #expect(try Tensor.zeros([2, 0]).matmul(Tensor.zeros([0, 3])).toArray() == [0, 0, 0, 0, 0, 0])
    }

    @Test("a product above the interruptible size goes in row chunks that Ctrl-C can stop")
    func hugeProductsAreInterruptible() throws {
        // 1024 x 1025 by 1025 x 1024: just over 2^30 multiply-adds, so two row chunks.
        let m = 1024, k = 1025, n = 1024
        #expect(m * n * k > MatmulPlan.interruptibleMultiplyAdds)
        var rng = RandomGenerator(seed: 8)
        let a = try Tensor.randn([m, k], rng: &rng), b = try Tensor.randn([k, n], rng: &rng)
        #expect(throws: OperationCancelled.self) {
            try Cancellation.whenever({ true }) { try a.matmul(b) }
        }
        // Chunked, the rows are those of the plain product: check some against float64 dots.
        let c = try Cancellation.whenever({ false }) { try a.matmul(b) }.toArray()
        let av = a.toArray(), bv = b.toArray()
        for (i, j) in [(0, 0), (1021, 7), (1022, 1023), (1023, 500)] {
            var dot = 0.0
            for p in 0..<k { dot += Double(av[i * k + p]) * Double(bv[p * n + j]) }
            #expect(abs(Double(c[i * n + j]) - dot) < 1e-3, "row \(i), column \(j)")
        }
        // Transposed A: its rows are A's columns, chunked the same way.
        let at = try a.transpose(0, 1)
        let ct = try Cancellation.whenever({ false }) { try at.matmul(b, transposeA: true) }.toArray()
        #expect(ct == c)
        // Small products never look at the check.
        #expect(try Cancellation.whenever({ true }) { try Tensor.ones([4, 4]).matmul(Tensor.ones([4, 4])) }.count == 16)
    }
}
