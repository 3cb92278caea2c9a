import Foundation
import Testing
import LaifBindings
import LaifLang
import LaifModels
import LaifSim
import LaifTrain

/// Collects progress reports and asks to stop after a given step.
final class StopSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [TrainingProgressReport] = []
    private let stopAfter: Int?

    init(stopAfter: Int?) { self.stopAfter = stopAfter }

    func record(_ report: TrainingProgressReport) {
        lock.lock()
        reports.append(report)
        lock.unlock()
    }

    var seen: [TrainingProgressReport] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }

    var shouldStop: Bool {
        guard let stopAfter else { return false }
        return seen.contains { $0.step >= stopAfter }
    }
}

/// The trainer bindings: knobs reach LaifTrain (same weights as a direct call), inputs stay
/// unchanged, Ctrl-C returns the model so far, progress reaches the hook, logs export.
struct TrainingBindingsTests {
    let setup = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2], seed: 1)
        let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2, seed: 3)
        let demos = oracle(w, preset: "gold").demos(w.prompts(16, seed: 0))
        let prefs = oracle(w).label(oracle(w, preset: "davinci").pairs(w.prompts(16, seed: 1), against: oracle(w, preset: "gpt-3.5")))

        """

    func model(_ interpreter: Interpreter, _ name: String) throws -> ModelValue {
        try #require(interpreter.global(name)?.object(as: ModelValue.self))
    }

    @Test func sftKnobsReachTheTrainer() throws {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run(setup + """
            let s = sft(m, demos, epochs: 2, lr: 0.002, batch: 4, min_steps: 5, seed: 7, optimizer: {kind: "rmsprop", warmup: 0, clip: 5})
            """, file: "t")
        let start = try model(interpreter, "m").model
        let trained = try model(interpreter, "s")
        let world = try World(tasks: 2, vocab: 6, promptLength: 1...2, seed: 1)
        let demos = try Oracle(world: world, preset: "gold").demos(try world.prompts(16, seed: 0))
        var optimizer = OptimizerSettings(kind: .rmsprop, warmupSteps: 0, clipNorm: 5)
        optimizer.cosineMinFactor = 0.1
        let direct = try sft(start, data: demos, config: SFTConfig(epochs: 2, minSteps: 5, learningRate: 0.002, batchSize: 4,
                                                                    optimizer: optimizer, seed: 7))
        #expect(weightsFingerprint(trained.model) == weightsFingerprint(direct.model))
        #expect(trained.lineage.count == 2)
        #expect(trained.lineage[1] == "sft(16 examples of demos by gold, epochs: 2, lr: 0.002, batch: 4; 8 steps)")
    }

    @Test func anOptimizerRecordStartsFromTheBundleItsKindNames() throws {
        // {kind: "paper"} used to change the optimizer alone and keep AdamW's warmup, cosine
        // and clip 1, so it trained differently from "paper".
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run(setup + """
            let named = sft(m, demos, max_steps: 5, optimizer: "paper")
            let record = sft(m, demos, max_steps: 5, optimizer: {kind: "paper"})
            let changed = sft(m, demos, max_steps: 5, optimizer: {clip: 1, kind: "paper"})
            let direct = sft(m, demos, max_steps: 5, optimizer: {kind: "rmsprop", warmup: 0, cosine_min: nil, clip: 1, weight_decay: 0})
            """, file: "t")
        #expect(weightsFingerprint(try model(interpreter, "record").model) == weightsFingerprint(try model(interpreter, "named").model))
        #expect(weightsFingerprint(try model(interpreter, "changed").model) == weightsFingerprint(try model(interpreter, "direct").model),
                "the other fields change the bundle, wherever kind stands")
        #expect(weightsFingerprint(try model(interpreter, "changed").model) != weightsFingerprint(try model(interpreter, "named").model))
        let once = try interpreter.run("sft(m, demos, max_steps: 1).lineage[1]", file: "t").map(format)
        #expect(once?.hasSuffix("; 1 step)\"") == true, "\(once ?? "")")
    }

    @Test func dpoKnobsReachTheTrainerAndTheInputStaysUnchanged() throws {
        let (interpreter, _) = makeTestInterpreter()
        _ = try interpreter.run(setup + """
            let before = m.logprob([1, 4, 8, 2], [9, 3])
            let d = dpo(m, prefs, beta: 0.2, loss: "ipo", nll: 0, epochs: 1, lr: 0.001, batch: 4, seed: 2)
            let after = m.logprob([1, 4, 8, 2], [9, 3])
            """, file: "t")
        #expect(try simEqual(interpreter.global("before"), interpreter.global("after")))
        let start = try model(interpreter, "m").model
        let world = try World(tasks: 2, vocab: 6, promptLength: 1...2, seed: 1)
        let pairs = try Oracle(world: world, preset: "davinci").pairs(try world.prompts(16, seed: 1),
                                                                      against: try Oracle(world: world, preset: "gpt-3.5"))
        let prefs = try Oracle(world: world, preset: "gpt-4").label(pairs)
        let direct = try dpo(start, prefs: prefs, config: DPOConfig(beta: 0.2, loss: .ipo, nllWeight: 0, epochs: 1,
                                                                    learningRate: 0.001, batchSize: 4, seed: 2))
        #expect(weightsFingerprint(try model(interpreter, "d").model) == weightsFingerprint(direct.model))
    }

    @Test func interruptionReturnsTheModelSoFar() throws {
        let (interpreter, output) = makeTestInterpreter()
        let stop = StopSwitch(stopAfter: 3)
        installTrainingProgress(in: interpreter.registry) { stop.record($0) }
        interpreter.shouldInterrupt = { stop.shouldStop }
        _ = try interpreter.run(setup + "let s = sft(m, demos, min_steps: 20, batch: 4)", file: "t")
        let s = try model(interpreter, "s")
        #expect(s.lineage.last?.hasSuffix("[interrupted at step 3 of 20]") == true)
        #expect(output.text.contains("sft: interrupted at step 3 of 20; returning the model so far"))
        #expect(stop.seen.map(\.step) == [1, 2, 3])
        #expect(stop.seen.allSatisfy { $0.task == "sft" && $0.total == 20 && $0.loss != nil })
        // The next safe point of the script then stops it.
        let error = try #require(throws: LaifError.self) { try interpreter.run("print(1)", file: "t") }
        #expect(error.kind == .interrupted)
    }

    @Test(arguments: [
        "sft(m, demos, min_steps: 3, batch: 4, with_log: 1)",
        "dpo(m, prefs, epochs: 1, batch: 8, with_log: \"yes\")",
        "rloo(m, prompts: w.prompts(4), reward: oracle(w), steps: 2, prompts_per_step: 2, with_log: 1)",
        "ppo(m, prompts: w.prompts(4), reward: oracle(w), steps: 1, prompts_per_step: 2, ppo_epochs: 1, with_log: 1)",
        "expert_iteration(m, oracle(w), prompts: w.prompts(4), rounds: 1, n: 2, min_steps: 2, with_log: 1)",
    ])
    func badWithLogFailsBeforeAnyTrainingStep(_ call: String) throws {
        // It used to be read only after the run: a long training ended in this error.
        let (interpreter, _) = makeTestInterpreter()
        let sink = StopSwitch(stopAfter: nil)
        installTrainingProgress(in: interpreter.registry) { sink.record($0) }
        let error = try #require(throws: LaifError.self) { try interpreter.run(setup + call, file: "t") }
        #expect(error.message.contains("argument 'with_log' must be a bool"), "\(error.message)")
        #expect(sink.seen.isEmpty, "\(call) trained \(sink.seen.count) steps before failing")
    }

    @Test func progressReachesTheHookForEveryStep() throws {
        let (interpreter, _) = makeTestInterpreter()
        let sink = StopSwitch(stopAfter: nil)
        installTrainingProgress(in: interpreter.registry) { sink.record($0) }
        _ = try interpreter.run(setup + "let d = dpo(m, prefs, epochs: 2, batch: 8)", file: "t")
        #expect(sink.seen.map(\.step) == [1, 2, 3, 4])
        #expect(sink.seen.last?.etaSeconds == 0)
    }

    @Test func logsReadExportAndPlot() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (interpreter, output) = makeTestInterpreter()
        let value = try #require(try interpreter.run(setup + """
            let (s, log) = sft(m, demos, min_steps: 6, batch: 8, with_log: true, eval: w.prompts(4, seed: 9), eval_every: 3)
            log.to_jsonl("\(folder)/log.jsonl")
            log.to_csv("\(folder)/log.csv")
            log.plot("loss", "grad_norm", file: "\(folder)/loss.svg")
            [len(log), log.series("loss") == log.series("loss"), log.steps("eval/gold_quality"), log.metrics.contains("eval/gold_quality"), log.interrupted]
            """, file: "t"))
        #expect(format(value) == "[6, true, [3, 6], true, false]")
        let jsonl = try String(contentsOfFile: folder + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(jsonl.count == 6)
        #expect(jsonl[0].hasPrefix("{\"step\": 1, \"loss\": "))
        let csv = try String(contentsOfFile: folder + "/log.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasPrefix("step,loss,"))
        #expect(try String(contentsOfFile: folder + "/loss.svg", encoding: .utf8).contains("grad_norm"))
        #expect(output.text.hasSuffix("loss.svg\n"))
        let log = try #require(interpreter.global("log")?.object(as: TrainingLogObject.self))
        #expect(log.describe().hasPrefix("log of sft: 6 steps\n  loss "))
        let unknown = try #require(runError(setup + "let (s, log) = sft(m, demos, min_steps: 2, batch: 8, with_log: true); log.last(\"kl\")"))
        #expect(unknown.message.hasPrefix("log.last(): \"kl\" was not logged by sft; logged: loss, grad_norm, learning_rate, epoch"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain"))
        let noFolder = try #require(runError(setup + "let (s, log) = sft(m, demos, min_steps: 2, batch: 8, with_log: true); log.to_csv(\"\(folder)/plain/x.csv\")"))
        #expect(noFolder.kind == .io)
    }

    @Test func rewardModelsScoreAndServeAsRewards() throws {
        let out = try runValue(setup + """
            let rm = reward_model(m, prefs, epochs: 1, batch: 4, held_out: 0.25)
            let r = rloo(m, prompts: w.prompts(8, seed: 3), reward: rm, k: 2, steps: 2, prompts_per_step: 2)
            let good = rm.score("t0 a", "a <eos>")
            [type(rm), rm.held_out, type(r), len(r.lineage), type(best_of_n(m, rm, 2)), good == rm.score([1, 4, 6, 2], [6, 3]), type(good)]
            """)
        #expect(out == "[\"reward_model\", 4, \"model\", 2, \"policy\", true, \"number\"]")
    }

    @Test func rlWithoutPromptsDrawsFromTheRewardsWorld() throws {
        let out = try runValue(setup + "len(rloo(m, reward: oracle(w), k: 2, steps: 1, prompts_per_step: 2).lineage)")
        #expect(out == "2")
    }

    @Test(arguments: [
        ("sft(m, demos, epochs: 0)", "sft(): epochs must be in 1...100000, got 0"),
        ("sft(m, demos, lr: -1)", "sft(): "),
        // Training runs in Float, where 1e-300 is 0: it passed the check and trained nothing.
        ("sft(m, demos, lr: 1e-300)", "sft(): lr 1e-300 is too small for the float32 weights"),
        // A seed without shuffle changed nothing; an empty cache name meant the default folder.
        ("demos.prompts.split(0.5, seed: 3)", "prompts.split(): seed only draws a shuffled split; add shuffle: true"),
        ("base_model(w, cache: \"\")", "base_model(): cache must name a folder"),
        ("sft(3, demos)", "sft(): argument 'model' must be a model"),
        ("sft(m, demos, eval: world().prompts(2))", "sft(): the eval prompts come from another world than the training data"),
        ("sft(m, demos, optimizer: {kind: \"sgd\", speed: 2})", "sft(): optimizer has no setting 'speed'"),
        ("sft(m, demos, optimizer: 3)", "sft(): optimizer must be a name like \"rmsprop\" or a record"),
        // 1e30 is a whole number, so "must be a whole number >= 0" read wrong: the bound is said.
        ("sft(m, demos, optimizer: {warmup: 1e30})", "sft(): optimizer.warmup must be a whole number of steps in 0...10000000, got 1e+30"),
        ("sft(m, demos, optimizer: {warmup: 2.5})", "sft(): optimizer.warmup must be a whole number of steps in 0...10000000, got 2.5"),
        ("sft(m, demos, optimizer: {warmup: 100000000})", "sft(): optimizer.warmup must be a whole number of steps in 0...10000000, got 100000000"),
        ("dpo(m, prefs, loss: \"hinge\")", "dpo(): loss must be \"sigmoid\" or \"ipo\", got \"hinge\""),
        ("dpo(m, demos)", "dpo(): argument 'prefs' must be preferences"),
        ("rloo(m, reward: 3)", "rloo(): argument 'reward' must be an oracle (critic) or a reward model, got number"),
        ("rloo(m, reward: oracle(w), k: 1)", "rloo(): k must be in 2...1024, got 1"),
        // The memory check multiplied these before the trainer bounded them: an overflow trap.
        ("rloo(m, reward: oracle(w), prompts_per_step: 1e15, k: 1e15)", "rloo(): k must be in 2...1024, got 1000000000000000"),
        ("rloo(m, reward: oracle(w), prompts_per_step: 1e12)", "rloo(): prompts_per_step must be in 1...65536"),
        ("ppo(m, reward: oracle(w), prompts_per_step: 1e18)", "ppo(): prompts_per_step must be in 1...65536"),
        ("rloo(m, prompts: world().prompts(2), reward: oracle(w))", "rloo(): the prompts come from another world than the reward's"),
        ("ppo(m, reward: oracle(w), clip: 0)", "ppo(): clip must be in"),
        ("ppo(m, reward: oracle(w), value_lr: 0)", "ppo(): value_lr must be a finite number > 0, got 0"),
        ("best_of_n(m, oracle(w), 0)", "best_of_n(): n must be in 1...4096, got 0"),
        ("expert_iteration(m, oracle(w), rounds: 0)", "expert_iteration(): rounds must be in 1...10000, got 0"),
        ("reward_model(m, prefs, held_out: 0.95)", "reward_model(): held_out must be in 0...0.9"),
        ("base_model(w, family: \"gpt\")", "base_model(): unknown family \"gpt\""),
        ("base_model(w, size: \"huge\")", "base_model(): unknown size \"huge\""),
    ])
    func badArgumentsNameTheArgument(_ source: String, _ message: String) throws {
        let error = try #require(runError(setup + source), "\(source) should fail")
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test(arguments: [
        "rloo(short, prompts: w.prompts(8), reward: oracle(w), steps: 1, prompts_per_step: 2)",
        "ppo(short, prompts: w.prompts(8), reward: oracle(w), steps: 1, prompts_per_step: 2, ppo_epochs: 1)",
        "expert_iteration(short, oracle(w), prompts: w.prompts(8), rounds: 1, n: 2, min_steps: 1)",
    ])
    func onlineTrainersRefuseAModelTooShortForTheGoldReplies(_ call: String) throws {
        // Prompts of up to 2 content tokens take 5 tokens and their gold replies 3: a model of
        // max_len 7 had such replies cut at its length, and the trainers ran on them unasked.
        let error = try #require(runError(setup + "let short = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2, max_len: 7)\n" + call))
        #expect(error.message.contains("which takes 5 tokens and its gold reply 3, more than the model's max length 7: its replies would be cut "
            + "before they could be right; train a model with max_len of at least 8, or give shorter prompts"), "\(error.message)")
        // One more position is enough.
        let fits = setup + "let short = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2, max_len: 8)\n" + call
        #expect(runError(fits) == nil)
    }

    @Test func divergenceIsAnErrorWithTheFix() throws {
        let error = try #require(runError(setup + "sft(m, demos, lr: 1e30, optimizer: {kind: \"sgd\", clip: nil, warmup: 0})"))
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix("sft(): the "))
        #expect(error.message.contains("became NaN or infinite at step"))
        #expect(error.message.contains("lower the learning rate"))
    }

    /// The last update of a run is checked by no later loss: a single SGD step at lr 1e38 left
    /// finite weights with NaN outputs, and the trainers returned that model as if trained.
    @Test(arguments: [
        "sft(m, demos, min_steps: 1, max_steps: 1, batch: 4, ",
        "dpo(m, prefs, max_steps: 1, batch: 4, ",
        "rloo(m, reward: oracle(w), steps: 1, prompts_per_step: 2, ",
        "expert_iteration(m, oracle(w), prompts: w.prompts(4, seed: 2), rounds: 1, n: 2, min_steps: 1, ",
    ])
    func aLastUpdateThatOverflowsTheOutputsIsAnError(_ call: String) throws {
        let error = try #require(runError(setup + call + "lr: 1e38, optimizer: \"sgd\")"), "\(call)")
        #expect(error.message.contains("(): the last update (step 1) left the model's outputs NaN or infinite although every weight stayed finite; "
            + "train again with a lower learning rate (lr: was "), "\(error.message)")
        // Nothing trained, nothing checked: max_steps 0 returns the input.
        #expect(runError(setup + "sft(m, demos, max_steps: 0, lr: 1e38, optimizer: \"sgd\")") == nil)
    }

    /// A single SGD step at lr 1e38 leaves finite weights whose rewards are NaN; no later loss
    /// catches it. The held-out accuracy read as 0 (every comparison with NaN is false) and
    /// rm.score returned nan.
    @Test func aDivergedRewardModelIsAnErrorNotAccuracyZero() throws {
        let train = "reward_model(m, prefs, lr: 1e38, optimizer: \"sgd\", max_steps: 1, batch: 4"
        let fix = "the reward model scores NaN: its weights have diverged; train it again with a lower lr"
        let accuracy = try #require(runError(setup + train + ")"))
        #expect(accuracy.message.hasPrefix("reward_model(): " + fix), "\(accuracy.message)")
        let score = try #require(runError(setup + train + ", held_out: 0).score(\"t0 a\", \"b <eos>\")"))
        #expect(score.message.hasPrefix("reward_model.score(): " + fix), "\(score.message)")
    }

    /// A reward model's method names the trainer once: its errors used to read
    /// "reward_model.score(): reward_model: responses row 0 ...".
    @Test func rewardModelMethodErrorsNameTheTrainerOnce() throws {
        let long = "[" + Array(repeating: "3", count: 40).joined(separator: ", ") + "]"
        let error = try #require(runError(setup + "reward_model(m, prefs, max_steps: 1).score(\"t0 a\", \(long))"))
        #expect(error.message.hasPrefix("reward_model.score(): responses row 0 has "), "\(error.message)")
    }

    /// PPO makes ppo_epochs x mini_batches updates in its first step: a blow-up there is the
    /// learning rates', and the message used to blame the inputs ("no update had run yet").
    @Test func ppoDivergenceNamesBothLearningRates() throws {
        let error = try #require(runError(setup + "ppo(m, reward: oracle(w), steps: 1, prompts_per_step: 4, ppo_epochs: 4, lr: 1e30, "
            + "optimizer: {kind: \"sgd\", clip: nil, warmup: 0})"))
        #expect(error.message.contains("became NaN or infinite at step 1"), "\(error.message)")
        #expect(!error.message.contains("no update had run yet"), "\(error.message)")
        #expect(error.message.contains("lower the learning rates (lr for the policy, value_lr for the value head)"), "\(error.message)")
    }

    @Test func divergenceBeforeAnyUpdateBlamesTheInputNotTheLearningRate() throws {
        // A model whose weights are already NaN fails on its first loss; the message used to
        // advise a lower learning rate "(lr: was ? at that step)".
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let w = try World(WorldConfig(tasks: 2, vocab: 6, promptLength: 1...2, seed: 1))
        let broken = try makeLanguageModel(architecture: ["kind": "transformer", "vocab_size": "\(w.vocabSize)", "max_length": "32",
                                                          "d_model": "16", "layers": "1", "heads": "2"])
        for parameter in broken.parameters {
            try parameter.tensor.assign([Float](repeating: .nan, count: parameter.tensor.count))
        }
        try saveCheckpoint(broken, to: folder + "/nan.safetensors")
        let error = try #require(runError(setup + "sft(load(\"\(folder)/nan.safetensors\"), demos, min_steps: 2, batch: 4)"))
        #expect(error.message.hasPrefix("sft(): the loss became NaN or infinite at step 1"), "\(error.message)")
        #expect(error.message.contains("no update had run yet"), "\(error.message)")
        #expect(!error.message.contains("?"), "\(error.message)")
    }

    @Test func baseModelsAreCachedAndReused() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (interpreter, _) = makeTestInterpreter()
        let sink = StopSwitch(stopAfter: nil)
        installTrainingProgress(in: interpreter.registry) { sink.record($0) }
        _ = try interpreter.run("""
            let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2], seed: 1)
            let a = base_model(w, family: "llama", size: "tiny", recipe: "tiny", cache: "\(folder)")
            let b = base_model(w, family: "llama", size: "tiny", recipe: "tiny", cache: "\(folder)")
            """, file: "t")
        let a = try model(interpreter, "a"), b = try model(interpreter, "b")
        #expect(a.lineage[0].contains("pretrained"))
        #expect(b.lineage[0].contains("loaded from cache"))
        #expect(weightsFingerprint(a.model) == weightsFingerprint(b.model))
        #expect(sink.seen.count == PretrainingRecipe.tiny.steps)
        #expect(sink.seen.first?.task == "pretrain llama")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)

        // Another pretraining draw is another cache entry with other weights; seed 0 is the default.
        _ = try interpreter.run("""
            let c = base_model(w, family: "llama", size: "tiny", recipe: "tiny", seed: 1, cache: "\(folder)")
            let d = base_model(w, family: "llama", size: "tiny", recipe: "tiny", seed: 0, cache: "\(folder)")
            """, file: "t")
        let c = try model(interpreter, "c"), d = try model(interpreter, "d")
        #expect(c.lineage[0].contains("seed: 1") && c.lineage[0].contains("pretrained"))
        #expect(d.lineage[0].contains("loaded from cache"))
        #expect(weightsFingerprint(c.model) != weightsFingerprint(a.model))
        #expect(weightsFingerprint(d.model) == weightsFingerprint(a.model))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)
        #expect(runError("base_model(world(), seed: -1)")?.message.hasPrefix("base_model(): argument 'seed' must be a whole number from 0 to 9007199254740992 (2^53)") == true)
    }

    /// prompt_len 15 gives rows of 15 + 3 prompt and 15 + 1 reply tokens, 34 > the base's 32: such
    /// a base used to be pretrained and cached, then refused the world's long demos in sft while
    /// evaluate cut its replies short. It is refused before anything is trained or written.
    @Test func aBaseModelTooShortForTheWorldsPromptsIsRefused() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(runError("base_model(world(tasks: 2, vocab: 6, prompt_len: [2, 15]), size: \"tiny\", recipe: \"tiny\", cache: \"\(folder)\")"))
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix("base_model(): this world's longest prompts (prompt_len up to 15) take 34 tokens with their gold replies, "
            + "more than a base model's max length 32; use prompt_len up to 14"), "\(error.message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func pretrainingStopsOnInterrupt() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (interpreter, _) = makeTestInterpreter()
        let stop = StopSwitch(stopAfter: 2)
        installTrainingProgress(in: interpreter.registry) { stop.record($0) }
        interpreter.shouldInterrupt = { stop.shouldStop }
        let error = try #require(throws: LaifError.self) {
            try interpreter.run("base_model(world(tasks: 2, vocab: 6), size: \"tiny\", recipe: \"tiny\", cache: \"\(folder)\")", file: "t")
        }
        #expect(error.kind == .interrupted)
        #expect(error.message.contains("pretraining stopped at step 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func anUnwritableCacheIsAnIOError() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/file"))
        let error = try #require(runError("base_model(world(), size: \"tiny\", recipe: \"tiny\", cache: \"\(folder)/file/sub\")"))
        #expect(error.kind == .io)
        #expect(error.message.hasPrefix("base_model(): cannot create the cache folder"))
    }
}

/// Deep equality of two optional laif values (through the language's own `==`).
func simEqual(_ a: Value?, _ b: Value?) throws -> Bool {
    guard let a, let b else { return false }
    let (interpreter, _) = makeTestInterpreter()
    interpreter.setGlobal("left", a)
    interpreter.setGlobal("right", b)
    return format(try interpreter.run("left == right", file: "eq") ?? .nil) == "true"
}
