import LaifTensor
@testable import LaifModels

/// Trains `model` in place with AdamW (lr 1e-2) on four arithmetic progressions mod 8, a
/// next-token rule any model here can learn, and returns the loss before each step.
/// `model` must read 8 tokens of a vocabulary of 8.
///
///     let losses = try progressionTrainingLosses(model)
///     losses.last! < 0.5 * losses.first!   // it learned
func progressionTrainingLosses(_ model: LanguageModel, steps: Int = 30) throws -> [Float] {
    let optimizer = AdamW(parameters: model.parameters.map(\.tensor), lr: 1e-2)
    var inputs: [Int32] = [], targets: [Int32] = []
    for start in 0..<4 {
        let row = (0..<9).map { Int32((start + 3 * $0) % 8) }
        inputs += row[0..<8]
        targets += row[1..<9]
    }
    var losses: [Float] = []
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = try Tensor.crossEntropy(logits: model.logits(inputs, batch: 4, length: 8), targets: targets)
        losses.append(try loss.item())
        try loss.backward()
        try optimizer.step()
    }
    return losses
}
