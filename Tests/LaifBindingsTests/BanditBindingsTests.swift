import Foundation
import Testing
import LaifBindings
import LaifLang
import LaifSim

/// `bandit(...)`: the knobs reach LaifSim's bandit, the result reads as fields, prints, plots.
struct BanditBindingsTests {
    let small = "pairs: 5000, reward_steps: 300, reward_lr: 0.1, sft_samples: 5000, sft_steps: 300, sft_lr: 0.1"

    @Test func knobsReachTheLibrary() throws {
        let (interpreter, _) = makeTestInterpreter()
        let value = try #require(try interpreter.run("""
            bandit(beta: 0.3, teacher_mean: 70, student_mean: 35, label_noise: 0.1, seed: 4, pair_source: "student-vs-teacher",
                   actions: 90, variance: 120, \(small))
            """, file: "t"))
        let result = try #require(value.object(as: BanditObject.self)).result
        var config = BanditConfig()
        config.beta = 0.3; config.teacherMean = 70; config.studentMean = 35; config.labelNoise = 0.1; config.seed = 4
        config.pairSource = .studentVsTeacher; config.actions = 90; config.variance = 120
        config.pairs = 5000; config.rewardSteps = 300; config.rewardLearningRate = 0.1
        config.sftSamples = 5000; config.sftSteps = 300; config.sftLearningRate = 0.1
        #expect(result.config == config)
        let direct = try runBandit(config)
        #expect(result.rl == direct.rl)
        #expect(result.sft == direct.sft)
        #expect(result.reward == direct.reward)
    }

    @Test func fieldsReadAsNumbersAndLists() throws {
        let out = try runValue("let b = bandit(\(small)); [b.rl == b.rl, type(b.student), len(b.reward), b.distributions.keys(), b.seed]")
        #expect(out == "[true, \"number\", 100, [\"student\", \"teacher\", \"sft\", \"rl\"], 0]")
        #expect(try runValue("bandit(\(small)).rl > 40") == "true")
    }

    @Test func printsThePolicyTable() throws {
        let text = try runValue("bandit(\(small))")
        #expect(text.hasPrefix("bandit: 100 actions, teacher mean 80, student mean 40, 5000 student pairs"))
        #expect(text.contains("expected true reward: student 40, teacher 78.5, sft "))
        #expect(try runValue("[bandit(\(small))]").hasPrefix("[bandit(rl "))
    }

    @Test func distributionsPlot() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (interpreter, output) = makeTestInterpreter()
        _ = try interpreter.run("plot(bandit(\(small)).distributions, file: \"\(folder)/b.svg\")", file: "t")
        let svg = try String(contentsOfFile: folder + "/b.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("rl"))
        #expect(output.text.hasSuffix("b.svg\n"))
    }

    @Test(arguments: [
        ("bandit(pairs: 0)", "bandit(): pairs must be 1...10000000, got 0"),
        // Each knob in range, but r/β overflows: the result used to print "rl nan".
        ("bandit(reward_lr: 10, beta: 5e-324, pairs: 100, reward_steps: 10, sft_samples: 100, sft_steps: 10)",
         "bandit(): the RL policy overflowed: the trained rewards (up to 1.6490553363634202 after reward_steps 10 at reward_lr 10.0) divided by beta 5e-324 exceed a Double; lower reward_lr or raise beta"),
        // Past 10 gradient descent overshoots: at sft_lr 1e300 the SFT policy read above the teacher.
        ("bandit(reward_lr: 1e300)", "bandit(): reward_lr must be in (0, 10], got 1e+300; larger steps overshoot"),
        ("bandit(actions: 1)", "bandit(): actions must be 2...1000, got 1"),
        ("bandit(label_noise: 2)", "bandit(): label_noise must be a probability in [0, 1], got 2.0"),
        ("bandit(variance: 0)", "bandit(): variance must be from 1e-6 to 1e12, got 0.0"),
        ("bandit(teacher_mean: 1 / 0)", "bandit(): teacher_mean must be a number from -1e6 to 1e6 (actions are 0...99), got inf"),
        // Finite but huge: squared distances overflowed and the result printed 'teacher nan'.
        ("bandit(student_mean: 1e300)", "bandit(): student_mean must be a number from -1e6 to 1e6"),
        ("bandit(variance: 1e-310)", "bandit(): variance must be from 1e-6 to 1e12"),
        ("bandit(pairs: 2.5)", "bandit(): argument 'pairs' must be a whole number, got 2.5"),
        ("bandit(seed: -2)", "bandit(): argument 'seed' must be a whole number from 0 to 9007199254740992 (2^53), got -2"),
    ])
    func badKnobsAreErrors(_ source: String, _ message: String) throws {
        let error = try #require(runError(source))
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}
