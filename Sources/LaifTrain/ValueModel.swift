import LaifModels
import LaifTensor

/// PPO's critic: a copy of the starting policy whose next-token logits at every position
/// feed a linear head giving the value of the state before that position's next token.
final class ValueModel {
    let backbone: LanguageModel
    let headWeight: Tensor
    let headBias: Tensor

    init(startingFrom model: LanguageModel, seed: UInt64) throws {
        backbone = model.clone()
        var rng = RandomGenerator(seed: seed ^ 0xA1_0E00)
        headWeight = try Tensor.randn([1, model.vocabSize], rng: &rng, std: 0.02)
        headWeight.requiresGrad = true
        headBias = try Tensor.zeros([1])
        headBias.requiresGrad = true
    }

    var parameters: [Tensor] { backbone.parameters.map(\.tensor) + [headWeight, headBias] }

    /// Values `[batch, length]` at every position of the batch.
    func values(_ batch: SequenceBatch) throws -> Tensor {
        let logits = try batch.logits(backbone)
        return try Tensor.linear(logits, weight: headWeight, bias: headBias).reshape([batch.batch, batch.length])
    }
}
