import Foundation
import LaifModels
import LaifSim
import LaifTensor

/// One measured figure of `trainerBenchmark`.
///
///     BenchmarkFigure(name: "sft_epoch", value: 1.9, unit: "s", detail: "2000 demos, batch 32")
public struct BenchmarkFigure: Sendable, Equatable, CustomStringConvertible {
    /// A stable key (`sft_epoch_seconds`, ...).
    public let name: String
    /// The measurement.
    public let value: Double
    /// `s`, `steps/s`, ...
    public let unit: String
    /// What was measured.
    public let detail: String

    /// A figure.
    ///
    ///     BenchmarkFigure(name: "x", value: 1, unit: "s", detail: "")
    public init(name: String, value: Double, unit: String, detail: String) {
        self.name = name
        self.value = value
        self.unit = unit
        self.detail = detail
    }

    public var description: String { "\(name): \(formatMetric(value)) \(unit) (\(detail))" }
}

/// Times the trainers on the default student (CALIBRATION.md's: d_model 48, 2 layers, 4
/// heads, max length 32) in the default world (4 tasks × 16 tokens): seconds per SFT epoch
/// over `demos` gpt-3.5 demonstrations (batch 32), per DPO epoch over `pairs` preference
/// pairs (batch 64, reference log-probs included), and per `rlooSteps` RLOO steps (defaults:
/// 16 prompts × k 4, gpt-4 critic). Data preparation (demos, sampling the pairs, labels) is
/// not timed. `report` receives each figure as it is measured. For `laif bench --trainers`.
///
///     for f in try trainerBenchmark() { print(f) }
public func trainerBenchmark(demos: Int = 2000, pairs: Int = 2000, rlooSteps: Int = 100, seed: UInt64 = 0,
                             report: ((BenchmarkFigure) -> Void)? = nil) throws -> [BenchmarkFigure] {
    try requireCount(demos, atLeast: 1, atMost: 1_000_000, trainer: "bench", argument: "demos")
    try requireCount(pairs, atLeast: 1, atMost: 1_000_000, trainer: "bench", argument: "pairs")
    try requireCount(rlooSteps, atLeast: 1, atMost: 1_000_000, trainer: "bench", argument: "rloo_steps")
    let world = try World(WorldConfig(seed: seed))
    let teacher = try Oracle(world: world, preset: "gpt-3.5")
    let critic = try Oracle(world: world, preset: "gpt-4")
    let size = StudentSize.calibration
    var rng = RandomGenerator(seed: seed)
    let student = try TransformerLM(config: TransformerConfig(vocabSize: world.vocabSize, maxLength: size.maxLength,
                                                              dModel: size.dModel, layers: size.layers, heads: size.heads), rng: &rng)
    var figures: [BenchmarkFigure] = []
    func add(_ figure: BenchmarkFigure) {
        figures.append(figure)
        report?(figure)
    }
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    let sftData = teacher.demos(try world.prompts(demos, seed: seed &+ 1))
    var tuned: LanguageModel = student
    var sftSteps = 0
    let sftSeconds = try seconds {
        let r = try sft(student, data: sftData, config: SFTConfig(epochs: 1, minSteps: 0))
        tuned = r.model
        sftSteps = r.stepsDone
    }
    add(BenchmarkFigure(name: "sft_epoch_seconds", value: sftSeconds, unit: "s",
                        detail: "\(demos) demos, batch 32, \(sftSteps) steps, \(formatMetric(Double(sftSteps) / sftSeconds)) steps/s"))

    let prefPrompts = try world.prompts(pairs, seed: seed &+ 2)
    let prefs = critic.label(try modelPairs(model: tuned, name: "bench", world: world, prompts: prefPrompts, against: .oracle(teacher)))
    var dpoSteps = 0
    let dpoSeconds = try seconds {
        dpoSteps = try dpo(tuned, prefs: prefs, config: DPOConfig(epochs: 1)).stepsDone
    }
    add(BenchmarkFigure(name: "dpo_epoch_seconds", value: dpoSeconds, unit: "s",
                        detail: "\(pairs) pairs, batch 64, \(dpoSteps) steps incl. reference log-probs, \(formatMetric(Double(dpoSteps) / dpoSeconds)) steps/s"))

    let rlPrompts = try world.prompts(max(16 * rlooSteps, 16), seed: seed &+ 3)
    let rlooSeconds = try seconds {
        _ = try rloo(tuned, prompts: rlPrompts, reward: critic, config: RLOOConfig(steps: rlooSteps))
    }
    add(BenchmarkFigure(name: "rloo_100_steps_seconds", value: rlooSeconds * 100 / Double(rlooSteps), unit: "s",
                        detail: "\(rlooSteps) steps measured, 16 prompts × k 4 per step, sampling included"))
    return figures
}
