import LaifModels
import LaifTensor
import Testing
@testable import LaifTrain

@Suite struct StepMemoryTests {
    /// The default student's bytes for one row of 32 tokens, from the estimate itself.
    private func rowBytes(_ model: LanguageModel) -> Int { StepMemory.bytesPerToken(model, length: 32) * 32 }

    private func student() throws -> LanguageModel {
        var rng = RandomGenerator(seed: 0)
        return try TransformerLM(config: TransformerConfig(vocabSize: 27, maxLength: 32, dModel: 48, layers: 2, heads: 4), rng: &rng)
    }

    /// A step run in micro-batches needs memory for its largest micro-batch only: 64 rows of
    /// 32 tokens run as 8 micro-batches of 8, so a budget for 12 rows takes them.
    @Test func microBatchedStepsNeedTheirLargestMicroBatchOnly() throws {
        let model = try student()
        let budget = (bytes: Int(Double(12 * rowBytes(model)) / StepMemory.usableShare), source: "test")
        #expect(MicroBatching.ranges(sequences: 64, length: 32).map(\.count).max() == 8)
        #expect(throws: TrainingError.self) {
            try StepMemory.require(model, rows: 64, length: 32, trainer: "sft", option: "batch", budget: budget)
        }
        try StepMemory.require(model, rows: 64, length: 32, trainer: "sft", option: "batch", liveRows: 8, budget: budget)
    }

    /// When even one micro-batch is too large, the error says so and suggests a batch that fits.
    @Test func aMicroBatchTooLargeNamesItAndABatchThatFits() throws {
        let model = try student()
        let budget = (bytes: Int(Double(5 * rowBytes(model)) / StepMemory.usableShare), source: "test")
        do {
            try StepMemory.require(model, rows: 64, length: 32, trainer: "sft", option: "batch", liveRows: 8, budget: budget)
            Issue.record("expected an error")
        } catch let e as TrainingError {
            #expect(e.description.contains("one training step over 64 rows of up to 32 tokens, in micro-batches of 8, needs about "),
                    "\(e.description)")
            #expect(e.description.contains("use a smaller batch, e.g. batch: 5"), "\(e.description)")
        }
        try StepMemory.require(model, rows: 5, length: 32, trainer: "sft", option: "batch", liveRows: 5, budget: budget)
    }
}
