import LaifModels
import LaifSim
import LaifTensor
@testable import LaifTrain

/// A tiny, easy world and student so trainer tests run in seconds in a debug build:
/// 2 tasks over 6 content tokens, prompts of 1–2 tokens, one filler.
struct TinySetup {
    let world: World
    let train: PromptSet
    let test: PromptSet
    let strong: Oracle
    let weak: Oracle

    init(seed: UInt64 = 1, trainPrompts: Int = 192, testPrompts: Int = 64) throws {
        world = try World(tasks: 2, vocab: 6, promptLength: 1...2, fillers: 1, seed: seed)
        train = try world.prompts(trainPrompts, seed: 1)
        test = try world.prompts(testPrompts, seed: 2)
        strong = try Oracle(world: world, config: OracleConfig(name: "strong", family: "openai", strength: 2, slipRate: 0, verbosity: 0))
        weak = try Oracle(world: world, config: OracleConfig(name: "weak", family: "openai", strength: 0.3, verbosity: 0))
    }

    /// A fresh student for this world.
    func student(seed: UInt64 = 3, dModel: Int = 24) throws -> LanguageModel {
        var rng = RandomGenerator(seed: seed)
        return try TransformerLM(config: TransformerConfig(vocabSize: world.vocabSize, maxLength: 12, dModel: dModel,
                                                           layers: 1, heads: 2), rng: &rng)
    }

    /// Greedy gold quality on the test prompts (no sampling noise).
    func greedyQuality(_ model: LanguageModel) throws -> Double {
        try modelQuality(model: model, world: world, prompts: test, options: ReplyOptions(temperature: 0, maxNewTokens: 6)).value
    }

    /// Sampled gold quality (temperature 1) on the test prompts.
    func sampledQuality(_ model: LanguageModel, seed: UInt64 = 5) throws -> Double {
        try modelQuality(model: model, world: world, prompts: test, options: ReplyOptions(temperature: 1, maxNewTokens: 6, seed: seed)).value
    }

    /// Fast SFT settings for tests: constant AdamW rate, no minimum step count.
    func sftConfig(epochs: Int = 40, lr: Double = 5e-3, seed: UInt64 = 0) -> SFTConfig {
        SFTConfig(epochs: epochs, minSteps: 0, learningRate: lr, batchSize: 32, optimizer: .constant, seed: seed)
    }
}
