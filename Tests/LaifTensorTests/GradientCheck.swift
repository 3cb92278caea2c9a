import Testing
@testable import LaifTensor

/// Compares the autodiff gradient of `sum(f(inputs) * R)` (R random, fixed) with central
/// differences; the loss is accumulated in Double so only f's own rounding remains.
func checkGradients(_ inputs: [Tensor], h: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 2e-2,
                    seed: UInt64 = 99, sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) throws -> Tensor) throws {
    // Fresh leaves, so inputs computed by earlier graphs behave as plain parameters.
    let inputs = inputs.map { $0.detached() }
    for t in inputs { t.requiresGrad = true }
    let out = try f(inputs)
    var rng = RandomGenerator(seed: seed)
    let weights = try Tensor.randn(out.shape, rng: &rng)
    try (out * weights).sum().backward()
    let analytic = inputs.map { $0.grad?.toArray() ?? [Float](repeating: 0, count: $0.count) }
    let w = weights.toArray()
    func loss() throws -> Double {
        try Tensor.withoutGrad {
            let o = try f(inputs).toArray()
            var s = 0.0
            for i in 0..<o.count { s += Double(o[i]) * Double(w[i]) }
            return s
        }
    }
    for (k, t) in inputs.enumerated() {
        for i in 0..<t.count {
            let original = t.data[i]
            t.data[i] = original + h
            let plus = try loss()
            t.data[i] = original - h
            let minus = try loss()
            t.data[i] = original
            let numeric = (plus - minus) / (2 * Double(h))
            let a = Double(analytic[k][i])
            #expect(abs(a - numeric) <= atol + rtol * abs(numeric),
                    "input \(k) element \(i): autodiff \(a) vs finite difference \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// A tensor of normal values from a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return try! Tensor.randn(shape, rng: &rng, std: std)
}

/// Asserts two float arrays agree elementwise within a tolerance.
func expectClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "lengths \(a.count) and \(b.count)", sourceLocation: sourceLocation)
    for i in 0..<min(a.count, b.count) {
        #expect(abs(a[i] - b[i]) <= tol * max(1, abs(b[i])), "element \(i): \(a[i]) vs \(b[i])", sourceLocation: sourceLocation)
    }
}
