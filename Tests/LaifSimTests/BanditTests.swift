import Testing
@testable import LaifSim

/// The study's bandit: the real procedure must land within ±1 of the paper's numbers.
struct BanditTests {
    @Test func reproducesTheStudysDefaultNumbers() throws {
        let r = try runBandit(BanditConfig())
        #expect(abs(r.student - 40.0) <= 1)
        #expect(abs(r.teacher - 78.5) <= 1)
        #expect(abs(r.sft - 70.7) <= 1)
        #expect(abs(r.rl - 51.9) <= 1)
        // Distributions are probability vectors over the 100 actions.
        for d in [r.studentDistribution, r.teacherDistribution, r.sftDistribution, r.rlDistribution] {
            #expect(d.count == 100)
            #expect(abs(d.reduce(0, +) - 1) < 1e-9)
        }
        // The learned reward rises across the student's support (noiseless labels by rank).
        #expect(r.reward[50] > r.reward[40] && r.reward[40] > r.reward[30])
    }

    @Test func lowerBetaBarelyHelpsAndTeacherPairsLiftTheCap() throws {
        var low = BanditConfig()
        low.beta = 0.01
        #expect(abs(try runBandit(low).rl - 52.6) <= 1)
        var covered = BanditConfig()
        covered.pairSource = .studentVsTeacher
        #expect(abs(try runBandit(covered).rl - 74.6) <= 1)
    }

    @Test func closerTeacherMakesSFTWeaker() throws {
        var c = BanditConfig()
        c.teacherMean = 55
        c.rewardSteps = 0   // only the SFT side is under test
        #expect(abs(try runBandit(c).sft - 53.3) <= 1)
    }

    @Test func studentMeanMovesTheStudentAndRLFollowsWithinItsSupport() throws {
        var c = BanditConfig()
        c.studentMean = 60
        c.pairs = 20_000; c.rewardSteps = 2_000; c.sftSamples = 1_000; c.sftSteps = 10
        let r = try runBandit(c)
        #expect(abs(r.student - 60) < 0.5)
        #expect(r.rl > r.student + 3 && r.rl < r.teacher)
    }

    @Test func labelNoiseShrinksTheRLGain() throws {
        var clean = BanditConfig(), noisy = BanditConfig()
        clean.pairs = 20_000; noisy.pairs = 20_000
        clean.rewardSteps = 1_000; noisy.rewardSteps = 1_000
        clean.sftSteps = 10; noisy.sftSteps = 10
        noisy.labelNoise = 0.3
        let gainClean = try runBandit(clean).rl - 40, gainNoisy = try runBandit(noisy).rl - 40
        #expect(gainNoisy < gainClean * 0.8)
        #expect(gainNoisy > 0)
    }

    @Test func sameSeedSameResultDifferentSeedDifferentSamples() throws {
        var c = BanditConfig()
        c.pairs = 5_000; c.rewardSteps = 200; c.sftSamples = 5_000; c.sftSteps = 200
        let a = try runBandit(c), b = try runBandit(c)
        #expect(a.reward == b.reward && a.sft == b.sft)
        c.seed = 1
        #expect(try runBandit(c).reward != a.reward)
    }

    @Test func badKnobsAreClearErrors() {
        var c = BanditConfig()
        c.beta = 0
        #expect(throws: SimError.self) { try runBandit(c) }
        c = BanditConfig(); c.labelNoise = 1.5
        #expect(throws: SimError.self) { try runBandit(c) }
        c = BanditConfig(); c.actions = 1
        #expect(throws: SimError.self) { try runBandit(c) }
        c = BanditConfig(); c.variance = .nan
        #expect(throws: SimError.self) { try runBandit(c) }
    }
}
