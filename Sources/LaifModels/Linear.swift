import LaifTensor

/// A fully connected layer y = x W^T + b with PyTorch's `[out, in]` weight layout.
///
///     var rng = RandomGenerator(seed: 0)
///     let fc = try Linear(inFeatures: 64, outFeatures: 256, rng: &rng)
///     let y = try fc(x)            // [..., 64] -> [..., 256]
public final class Linear {
    /// `[outFeatures, inFeatures]`.
    public let weight: Tensor
    /// `[outFeatures]`, or nil for a layer without bias.
    public let bias: Tensor?

    /// A layer with normal(0, `std`) weights and zero bias; both require gradients.
    ///
    ///     let head = try Linear(inFeatures: 64, outFeatures: 64, rng: &rng, std: 0.02)
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator, std: Float = 0.02) throws {
        weight = try Tensor.randn([outFeatures, inFeatures], rng: &rng, std: std)
        weight.requiresGrad = true
        if bias {
            let b = try Tensor.zeros([outFeatures])
            b.requiresGrad = true
            self.bias = b
        } else {
            self.bias = nil
        }
    }

    /// Applies the layer to the last dimension of `x`.
    ///
    ///     let y = try fc(x)
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.linear(x, weight: weight, bias: bias)
    }

    /// `residual + layer(x)` in one fused pass (the residual stream of a transformer block).
    ///
    ///     let h = try proj(attention, residual: x)
    public func callAsFunction(_ x: Tensor, residual: Tensor) throws -> Tensor {
        try Tensor.linear(x, weight: weight, bias: bias, residual: residual)
    }

    /// `prefix.weight` and `prefix.bias`.
    ///
    ///     fc.namedParameters(prefix: "head")   // head.weight, head.bias
    public func namedParameters(prefix: String) -> [NamedParameter] {
        var list = [NamedParameter(name: "\(prefix).weight", tensor: weight)]
        if let bias = bias { list.append(NamedParameter(name: "\(prefix).bias", tensor: bias)) }
        return list
    }
}
