import Testing
@testable import LaifTensor

@Suite struct NeuralOpTests {
    @Test func linearMatchesMatmulPlusBias() throws {
        let x = randomTensor([2, 3, 4], seed: 61), w = randomTensor([5, 4], seed: 62), b = randomTensor([5], seed: 63)
        let fused = try Tensor.linear(x, weight: w, bias: b)
        let plain = try x.matmul(w, transposeB: true) + b
        #expect(fused.shape == [2, 3, 5])
        expectClose(fused.toArray(), plain.toArray(), tol: 1e-5)
        try checkGradients([x, w, b]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }
        try checkGradients([x, w]) { try Tensor.linear($0[0], weight: $0[1], bias: nil) }
        let r = randomTensor([2, 3, 5], seed: 60)
        let withResidual = try Tensor.linear(x, weight: w, bias: b, residual: r)
        expectClose(withResidual.toArray(), try (plain + r).toArray(), tol: 1e-5)
        try checkGradients([x, w, b, r]) { try Tensor.linear($0[0], weight: $0[1], bias: $0[2], residual: $0[3]) }
        try checkGradients([x, w, r]) { try Tensor.linear($0[0], weight: $0[1], bias: nil, residual: $0[2]) }
        // The input itself as the residual: both gradient paths must add up.
        try checkGradients([randomTensor([2, 4], seed: 59), randomTensor([4, 4], seed: 58)]) {
            try Tensor.linear($0[0], weight: $0[1], bias: nil, residual: $0[0])
        }
        #expect(throws: TensorError.self) { try Tensor.linear(x, weight: w, bias: b, residual: Tensor.zeros([2, 3, 4])) }
        #expect(throws: TensorError.self) { try Tensor.linear(x, weight: Tensor.zeros([5, 3]), bias: nil) }
        #expect(throws: TensorError.self) { try Tensor.linear(x, weight: w, bias: Tensor.zeros([4])) }
    }

    @Test func layerNormMatchesDefinition() throws {
        let x = randomTensor([3, 6], seed: 64, std: 2), g = randomTensor([6], seed: 65), b = randomTensor([6], seed: 66)
        let y = try Tensor.layerNorm(x, weight: g, bias: b).toArray()
        let xs = x.toArray(), gs = g.toArray(), bs = b.toArray()
        for r in 0..<3 {
            let row = xs[(r * 6)..<(r * 6 + 6)].map(Double.init)
            let mu = row.reduce(0, +) / 6
            let variance = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6
            for j in 0..<6 {
                let ref = (row[j] - mu) / (variance + 1e-5).squareRoot() * Double(gs[j]) + Double(bs[j])
                #expect(abs(Double(y[r * 6 + j]) - ref) < 1e-5)
            }
        }
        try checkGradients([x, g, b]) { try Tensor.layerNorm($0[0], weight: $0[1], bias: $0[2]) }
        try checkGradients([x]) { try Tensor.layerNorm($0[0], weight: nil, bias: nil) }
        #expect(throws: TensorError.self) { try Tensor.layerNorm(x, weight: Tensor.zeros([5]), bias: nil) }
    }

    @Test func embeddingGatherAndScatter() throws {
        let table = randomTensor([5, 3], seed: 67)
        let ids: [Int32] = [4, 0, 4, 2]
        let rows = try Tensor.embedding(table, ids: ids, idsShape: [2, 2])
        #expect(rows.shape == [2, 2, 3])
        #expect(Array(rows.toArray()[0..<3]) == Array(table.toArray()[12..<15]))
        try checkGradients([table]) { try Tensor.embedding($0[0], ids: ids) }
        #expect(throws: TensorError.self) { try Tensor.embedding(table, ids: [5]) }
        #expect(throws: TensorError.self) { try Tensor.embedding(table, ids: [-1]) }
        #expect(throws: TensorError.self) { try Tensor.embedding(table, ids: [1, 2], idsShape: [3]) }
    }

    @Test("runs of consecutive ids gather and scatter like single ids")
    func embeddingRuns() throws {
        let table = randomTensor([5, 3], seed: 68)
        let ids: [Int32] = [1, 2, 3, 3, 4, 0, 1, 2]   // runs 1-3, 3-4, 0-2
        let rows = try Tensor.embedding(table, ids: ids).toArray()
        let values = table.toArray()
        #expect(rows == ids.flatMap { values[(Int($0) * 3)..<(Int($0) * 3 + 3)] })
        let weights = randomTensor([8, 3], seed: 69)
        table.requiresGrad = true
        try (Tensor.embedding(table, ids: ids) * weights).sum().backward()
        var expected = [Float](repeating: 0, count: 15)
        let w = weights.toArray()
        for (i, id) in ids.enumerated() { for j in 0..<3 { expected[Int(id) * 3 + j] += w[i * 3 + j] } }
        #expect(table.grad?.toArray() == expected)
        try checkGradients([table]) { try Tensor.embedding($0[0], ids: ids) }
    }

    @Test("attention over gathered rows equals gathering first, bit for bit, gradients included")
    func gatheredAttentionMatchesGatherThenAttend() throws {
        // 7 nodes of width 3 * 8 (2 heads of 4); 3 sequences of 4 that share prefixes.
        let rows: [Int32] = [0, 1, 2, 3,  0, 1, 4, 5,  6, 6, 6, 6]
        for heads in [1, 2] {
            let nodes = randomTensor([7, 24], seed: 80)
            let weights = randomTensor([3, 4, 8], seed: 81)
            nodes.requiresGrad = true
            let gathered = try Tensor.causalSelfAttention(nodes: nodes, rows: rows, batch: 3, length: 4, heads: heads)
            try (gathered * weights).sum().backward()
            let fused = nodes.grad?.toArray()
            nodes.grad = nil
            let plain = try Tensor.causalSelfAttention(qkv: Tensor.embedding(nodes, ids: rows, idsShape: [3, 4]), heads: heads)
            try (plain * weights).sum().backward()
            #expect(gathered.shape == [3, 4, 8])
            #expect(gathered.toArray() == plain.toArray())
            #expect(fused == nodes.grad?.toArray())
        }
        let nodes = randomTensor([7, 24], seed: 82)
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(nodes: nodes, rows: [0, 7], batch: 1, length: 2, heads: 2) }
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(nodes: nodes, rows: [0, 1, 2], batch: 1, length: 2, heads: 2) }
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(nodes: nodes, rows: [0, 1], batch: 1, length: 2, heads: 5) }
    }

    /// Attention built from plain ops, the way an unfused framework computes it.
    func referenceAttention(_ qkv: Tensor, heads: Int) throws -> Tensor {
        let b = qkv.shape[0], t = qkv.shape[1], d = qkv.shape[2] / 3, dh = d / heads
        func split(_ i: Int) throws -> Tensor {
            try qkv.slice(axis: 2, (i * d)..<((i + 1) * d)).reshape([b, t, heads, dh]).permute([0, 2, 1, 3])
        }
        let q = try split(0), k = try split(1), v = try split(2)
        let scores = try q.matmul(k, transposeB: true) * (1 / Float(dh).squareRoot()) + Tensor.causalMask(length: t)
        return try scores.softmax(axis: -1).matmul(v).permute([0, 2, 1, 3]).reshape([b, t, d])
    }

    @Test func fusedAttentionMatchesPlainOps() throws {
        let qkv = randomTensor([2, 5, 12], seed: 68)
        let fused = try Tensor.causalSelfAttention(qkv: qkv, heads: 2)
        let plain = try referenceAttention(qkv, heads: 2)
        #expect(fused.shape == [2, 5, 4])
        expectClose(fused.toArray(), plain.toArray(), tol: 1e-5)
        try checkGradients([qkv]) { try Tensor.causalSelfAttention(qkv: $0[0], heads: 2) }
        try checkGradients([qkv]) { try referenceAttention($0[0], heads: 2) }
        // Longer than one 8-wide vector: rows are cut at multiples of 8 past the diagonal.
        let long = randomTensor([1, 11, 6], seed: 71)
        expectClose(try Tensor.causalSelfAttention(qkv: long, heads: 1).toArray(),
                    try referenceAttention(long, heads: 1).toArray(), tol: 1e-5)
        try checkGradients([long]) { try Tensor.causalSelfAttention(qkv: $0[0], heads: 1) }
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(qkv: qkv, heads: 3) }
        #expect(throws: TensorError.self) { try Tensor.causalSelfAttention(qkv: Tensor.zeros([5, 12]), heads: 2) }
    }

    @Test func crossEntropyMatchesLogSoftmax() throws {
        let logits = randomTensor([2, 3, 4], seed: 69)
        let targets: [Int32] = [1, 3, -1, 0, 2, 2]
        let loss = try Tensor.crossEntropy(logits: logits, targets: targets)
        let lp = try logits.logSoftmax(axis: -1).toArray()
        var expected: Float = 0
        var n = 0
        for (r, t) in targets.enumerated() where t >= 0 { expected -= lp[r * 4 + Int(t)]; n += 1 }
        #expect(abs(try loss.item() - expected / Float(n)) < 1e-5)
        try checkGradients([logits]) { try Tensor.crossEntropy(logits: $0[0], targets: targets) }
        try checkGradients([logits]) { try Tensor.crossEntropy(logits: $0[0], targets: [1, 3, 9, 0, 2, 9], ignoreIndex: 9) }
        #expect(try Tensor.crossEntropy(logits: logits, targets: [Int32](repeating: -1, count: 6)).item() == 0)
        do {
            _ = try Tensor.crossEntropy(logits: logits, targets: [1, 2, 3])
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("[2, 3, 4]"))
        }
        #expect(throws: TensorError.self) { try Tensor.crossEntropy(logits: logits, targets: [4, 0, 0, 0, 0, 0]) }
        #expect(throws: TensorError.self) { try Tensor.crossEntropy(logits: logits, targets: [-2, 0, 0, 0, 0, 0]) }
    }

    @Test func crossEntropyDivisorGivesAShareOfTheWholeBatchMean() throws {
        let logits = randomTensor([2, 3, 4], seed: 71)
        let targets: [Int32] = [1, 3, -1, 0, 2, 2]
        let whole = try Tensor.crossEntropy(logits: logits, targets: targets).item()
        // Split into the first sequence (2 scored) and the second (3 scored): shares of 5 add up.
        let first = try Tensor.crossEntropy(logits: logits.slice(axis: 0, 0..<1), targets: Array(targets[0..<3]), divisor: 5)
        let second = try Tensor.crossEntropy(logits: logits.slice(axis: 0, 1..<2), targets: Array(targets[3..<6]), divisor: 5)
        #expect(abs(try first.item() + second.item() - whole) < 1e-6)
        #expect(abs(try first.item() * 5 / 2 - Tensor.crossEntropy(logits: logits.slice(axis: 0, 0..<1), targets: Array(targets[0..<3])).item()) < 1e-6)
        try checkGradients([logits]) { try Tensor.crossEntropy(logits: $0[0], targets: targets, divisor: 11) }
        do {
            _ = try Tensor.crossEntropy(logits: logits, targets: targets, divisor: 0)
            Issue.record("expected an error")
        } catch let e as TensorError {
            #expect(e.description.contains("divisor must be at least 1"))
        }
    }

    @Test func tokenLogProbsMatchLogSoftmax() throws {
        let logits = randomTensor([2, 3, 4], seed: 70)
        let targets: [Int32] = [1, 3, -1, 0, 2, 2]
        let lp = try Tensor.tokenLogProbs(logits: logits, targets: targets)
        #expect(lp.shape == [2, 3])
        let reference = try logits.logSoftmax(axis: -1).toArray()
        for (r, t) in targets.enumerated() {
            let expected = t < 0 ? 0 : reference[r * 4 + Int(t)]
            #expect(abs(lp.toArray()[r] - expected) < 1e-5)
        }
        try checkGradients([logits]) { try Tensor.tokenLogProbs(logits: $0[0], targets: targets) }
        #expect(throws: TensorError.self) { try Tensor.tokenLogProbs(logits: logits, targets: [4, 0, 0, 0, 0, 0]) }
        #expect(throws: TensorError.self) { try Tensor.tokenLogProbs(logits: logits, targets: [0]) }
    }
}
