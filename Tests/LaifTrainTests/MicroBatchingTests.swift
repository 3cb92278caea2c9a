import LaifModels
import LaifSim
import LaifTensor
import Testing
@testable import LaifTrain

@Suite struct MicroBatchingTests {
    @Test func rangesCoverTheBatchInNearlyEqualParts() {
        #expect(MicroBatching.ranges(sequences: 32, length: 32) == [0..<8, 8..<16, 16..<24, 24..<32])
        #expect(MicroBatching.ranges(sequences: 32, length: 12) == [0..<16, 16..<32])
        // Small batches stay whole; an empty batch is one empty range.
        #expect(MicroBatching.ranges(sequences: 5, length: 8) == [0..<5])
        #expect(MicroBatching.ranges(sequences: 1, length: 4_096) == [0..<1])
        #expect(MicroBatching.ranges(sequences: 0, length: 8) == [0..<0])
        // Never more parts than sequences, even when one sequence is longer than a micro-batch.
        #expect(MicroBatching.ranges(sequences: 3, length: 1_000) == [0..<1, 1..<2, 2..<3])
        #expect(MicroBatching.ranges(sequences: 4, length: Int.max) == [0..<1, 1..<2, 2..<3, 3..<4])
        for sequences in 1...70 {
            for length in [1, 5, 12, 32, 100] {
                let ranges = MicroBatching.ranges(sequences: sequences, length: length)
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == sequences)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let sizes = ranges.map(\.count)
                #expect(sizes.min()! >= 1 && sizes.max()! - sizes.min()! <= 1)
                #expect(ranges.count == min(sequences, (sequences * length + 255) / 256))
            }
        }
    }

    /// Gradients accumulated over uneven micro-batches, each scoring a different number of
    /// tokens, equal the whole batch's (up to float rounding), and so does the loss.
    @Test func accumulatedGradientsEqualTheWholeBatchGradients() throws {
        let s = try TinySetup()
        let model = try s.student()
        let examples = try s.weak.demos(s.train).examples.prefix(23)
        let batch = try SequenceBatch(prompts: examples.map(\.prompt.tokens), responses: examples.map(\.completion),
                                      maxLength: model.maxLength, trainer: "test", what: "data")
        let parameters = model.parameters.map(\.tensor)
        let optimizer = AdamW(parameters: parameters, lr: 1e-3)

        optimizer.zeroGrad()
        let whole = try Tensor.crossEntropy(logits: batch.logits(model), targets: batch.targets)
        try whole.backward()
        let expected = parameters.map { $0.grad!.toArray() }

        optimizer.zeroGrad()
        let scored = batch.targets.filter { $0 >= 0 }.count
        let loss = try MicroBatching.accumulateGradients(over: [0..<7, 7..<19, 19..<23]) { rows in
            let part = batch.rows(rows)
            return try Tensor.crossEntropy(logits: model.logits(part.tokens, batch: rows.count, length: batch.length),
                                           targets: part.targets, divisor: scored)
        }
        #expect(abs(loss - (try whole.item())) < 1e-5)
        for (parameter, wanted) in zip(parameters, expected) {
            let got = parameter.grad!.toArray()
            let scale = max(wanted.map(abs).max() ?? 0, 1e-3)
            #expect(zip(got, wanted).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "parameter of shape \(parameter.shape)")
        }
    }

    /// A non-finite micro-batch loss stops the accumulation before its backward pass, so no
    /// NaN reaches a gradient.
    @Test func aNonFiniteLossThrowsBeforeItsBackwardPass() throws {
        let w = try Tensor(shape: [2], data: [1, 2])
        w.requiresGrad = true
        var calls = 0
        #expect(throws: NonFiniteUpdate.self) {
            try MicroBatching.accumulateGradients(over: [0..<1, 1..<2, 2..<3]) { _ in
                calls += 1
                return try calls == 2 ? (w * Float.nan).sum() : w.sum()
            }
        }
        #expect(calls == 2)
        #expect(w.grad?.toArray() == [1, 1])
    }

    /// The SFT trainer runs its batches in micro-batches and still learns: a batch of 64
    /// sequences is split, and the loss falls as it does for the whole batch.
    @Test func sftInMicroBatchesLearns() throws {
        let s = try TinySetup()
        let config = SFTConfig(epochs: 6, minSteps: 0, learningRate: 5e-3, batchSize: 64, optimizer: .constant)
        #expect(MicroBatching.ranges(sequences: 64, length: 5).count == 2)
        let result = try sft(s.student(), data: s.weak.demos(s.train), config: config)
        #expect(result.log.last(Metric.loss)! < result.log.first(Metric.loss)! / 2)
    }
}
