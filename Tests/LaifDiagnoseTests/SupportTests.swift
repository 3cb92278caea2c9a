import Testing
import LaifDiagnose
import LaifModels
import LaifSim
import LaifTrain

/// F8's mechanism with real trainers: a student taught by a teacher that always answers its
/// habit where it does not know gives those entries almost no probability, so online RL with a
/// critic that knows them cannot find them, while SFT on the critic's demonstrations teaches them.
@Test func rlCannotGainWhatTheStudentNeverSamples() throws {
    let world = try World(tasks: 2, vocab: 5, promptLength: 1...2, seed: 4)
    let teacher = try Oracle(world: world, config: OracleConfig(name: "stubborn", family: "openai", strength: 0.45, jitter: 0,
                                                                habitRate: 1, slipRate: 0, verbosity: 0))
    let critic = Oracle.gold(world)
    let base = try makeLanguageModel(architecture: ["kind": "transformer", "vocab_size": "\(world.vocabSize)", "d_model": "16",
                                                    "layers": "1", "heads": "2", "max_length": "12"], seed: 2)
    let train = try world.prompts(96, seed: 1), test = try world.prompts(60, seed: 2)
    let config = SFTConfig(epochs: 1, minSteps: 120, learningRate: 0.01, batchSize: 16, optimizer: .constant)
    let student = try sft(base, data: teacher.demos(train), config: config).model
    let rl = try rloo(student, prompts: train, reward: critic,
                      config: RLOOConfig(k: 4, kl: 0.05, steps: 30, promptsPerStep: 8, learningRate: 3e-3, seed: 1)).model
    let d = try diagnose(sft: student, rl: rl, teacher: teacher, critic: critic, judge: critic, reference: teacher,
                         prompts: test, counterfactual: .train(base: base, prompts: train, config: config))
    let unreachable = d.row(.unreachable)
    try #require(unreachable.entries >= 2, "the teacher should leave several entries outside the student's support")
    #expect(unreachable.sftGold < 0.05)
    #expect(unreachable.rlGold < 0.05, "RL found entries it never samples: \(unreachable.rlGold)")
    let counterfactual = try probeEntries(model: try #require(d.counterfactual).model, world: world, prompts: test)
    let hidden = d.entries.filter { $0.category == .unreachable }
    let taught = hidden.reduce(0) { $0 + counterfactual[world.entryIndex($1.entry)].goldProbability } / Double(hidden.count)
    #expect(taught > 0.3, "SFT on the critic should teach the unreachable entries, got \(taught)")
}
