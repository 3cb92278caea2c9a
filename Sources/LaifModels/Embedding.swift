import LaifTensor

/// A learned lookup table from ids to vectors.
///
///     let emb = try Embedding(count: 64, dimension: 32, rng: &rng)
///     let x = try emb([1, 2, 3], shape: [1, 3])     // [1, 3, 32]
public final class Embedding {
    /// `[count, dimension]`.
    public let weight: Tensor

    /// A table with normal(0, `std`) entries.
    ///
    ///     let emb = try Embedding(count: 64, dimension: 32, rng: &rng, std: 0.02)
    public init(count: Int, dimension: Int, rng: inout RandomGenerator, std: Float = 0.02) throws {
        weight = try Tensor.randn([count, dimension], rng: &rng, std: std)
        weight.requiresGrad = true
    }

    /// The rows for `ids`, shaped `shape + [dimension]` (default `[ids.count, dimension]`).
    ///
    ///     let x = try emb(ids, shape: [batch, length])
    public func callAsFunction(_ ids: [Int32], shape: [Int]? = nil) throws -> Tensor {
        try Tensor.embedding(weight, ids: ids, idsShape: shape)
    }

    /// `prefix.weight`.
    ///
    ///     emb.namedParameters(prefix: "tok_emb")
    public func namedParameters(prefix: String) -> [NamedParameter] {
        [NamedParameter(name: "\(prefix).weight", tensor: weight)]
    }
}
