import LaifTensor

/// Layer normalisation over the last dimension with a learned scale (init 1) and shift (init 0).
///
///     let ln = try LayerNorm(size: 64)
///     let h = try ln(x)
public final class LayerNorm {
    /// `[size]` scale.
    public let weight: Tensor
    /// `[size]` shift.
    public let bias: Tensor
    /// Added to the variance.
    public let eps: Float

    /// A layer norm over vectors of `size`.
    ///
    ///     let ln = try LayerNorm(size: 64, eps: 1e-5)
    public init(size: Int, eps: Float = 1e-5) throws {
        weight = try Tensor.ones([size])
        bias = try Tensor.zeros([size])
        weight.requiresGrad = true
        bias.requiresGrad = true
        self.eps = eps
    }

    /// Normalises the last dimension of `x`.
    ///
    ///     let h = try ln(x)
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.layerNorm(x, weight: weight, bias: bias, eps: eps)
    }

    /// `prefix.weight` and `prefix.bias`.
    ///
    ///     ln.namedParameters(prefix: "ln_f")
    public func namedParameters(prefix: String) -> [NamedParameter] {
        [NamedParameter(name: "\(prefix).weight", tensor: weight),
         NamedParameter(name: "\(prefix).bias", tensor: bias)]
    }
}
