import LaifModels
import LaifSim
import LaifTensor


/// Measures a model's gold quality on held-out prompts at intervals during training and logs
/// it as `eval/gold_quality` (sampled at the study's evaluation temperature 0.7 and top-p 0.9,
/// with a fixed seed, so successive measurements differ only by the model).
///
///     let probe = GoldProbe(world: w, prompts: test.first(100), every: 20)
///     let result = try sft(base, data: demos, config: SFTConfig(evaluation: probe))
public struct GoldProbe: @unchecked Sendable {
    /// The world the prompts belong to (must be the training data's world).
    public let world: World
    /// Held-out prompts.
    public let prompts: PromptSet
    /// Measure every this many steps (and after the last step).
    public let every: Int
    /// How replies are sampled.
    public let options: ReplyOptions

    /// A probe; `every` of 0 measures only after the last step.
    ///
    ///     GoldProbe(world: w, prompts: test, every: 50)
    public init(world: World, prompts: PromptSet, every: Int = 50,
                options: ReplyOptions = ReplyOptions(temperature: 0.7, topP: 0.9, seed: 7)) {
        self.world = world
        self.prompts = prompts
        self.every = every
        self.options = options
    }

    func validate(trainer: String, world expected: World) throws {
        guard world === expected else {
            throw TrainingError(trainer: trainer, argument: "evaluation",
                                message: "prompts come from another world than the training data; draw them from the same world")
        }
        guard !prompts.isEmpty else {
            throw TrainingError(trainer: trainer, argument: "evaluation", message: "has no prompts; give at least one held-out prompt")
        }
        try requireCount(every, atLeast: 0, trainer: trainer, argument: "evaluation every")
    }

    /// Whether to measure after 1-based `step` of `total`.
    func isDue(step: Int, total: Int) -> Bool {
        step == total || (every > 0 && step % every == 0)
    }

    /// Mean gold quality of the model's replies.
    func measure(_ model: LanguageModel) throws -> Double {
        try modelQuality(model: model, world: world, prompts: prompts, options: options).value
    }
}

/// A 64-bit FNV-1a hash of every parameter's name, shape and exact bit pattern: equal
/// fingerprints mean identical weights (used to check that a seed reproduces a run).
///
///     weightsFingerprint(a.model) == weightsFingerprint(b.model)
public func weightsFingerprint(_ model: LanguageModel) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    for p in model.parameters {
        for b in p.name.utf8 { mix(b) }
        for d in p.tensor.shape { for k in 0..<8 { mix(UInt8(truncatingIfNeeded: d >> (8 * k))) } }
        for v in p.tensor.toArray() {
            let bits = v.bitPattern
            for k in 0..<4 { mix(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
        }
    }
    return hash
}

/// The indices `0..<count` in a seeded random order (Fisher–Yates).
func shuffledIndices(_ count: Int, rng: inout RandomGenerator) -> [Int] {
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
    return order
}
