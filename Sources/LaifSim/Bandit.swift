import Foundation

/// The knobs of the study's bandit (PAPER.md, "The mechanistic explanation"); defaults are
/// the study's constants.
///
///     var c = BanditConfig()
///     c.beta = 0.01
///     let r = try runBandit(c)
public struct BanditConfig: Equatable, Sendable, CustomStringConvertible {
    /// Which samples the preference pairs compare.
    ///
    ///     BanditConfig.PairSource(rawValue: "student-vs-teacher")   // .studentVsTeacher
    public enum PairSource: String, Sendable, CaseIterable {
        /// Two student samples (the study's default: RL only learns where the student samples).
        case student = "student"
        /// A student sample against a teacher sample (covers the teacher's region too).
        case studentVsTeacher = "student-vs-teacher"
    }

    /// Number of actions; action a (0-based) has true reward a (reward = rank).
    public var actions = 100
    /// Mean of the teacher's Gaussian over actions.
    public var teacherMean = 80.0
    /// Mean of the student's Gaussian over actions.
    public var studentMean = 40.0
    /// Variance of both Gaussians (exp(-(a-μ)²/(2·variance)); 150 gives the study's /300).
    public var variance = 150.0
    /// Number of preference pairs.
    public var pairs = 250_000
    /// What the pairs compare.
    public var pairSource = PairSource.student
    /// Probability that a (noiseless by default) label is flipped.
    public var labelNoise = 0.0
    /// SGD learning rate and full-batch steps of the tabular Bradley–Terry reward (init 0).
    public var rewardLearningRate = 0.01
    public var rewardSteps = 7_500
    /// Teacher samples, SGD learning rate and full-batch steps of tabular SFT (init uniform).
    public var sftSamples = 250_000
    public var sftLearningRate = 0.01
    /// The largest step either tabular fit takes (see `validated`).
    static let largestLearningRate = 10.0
    public var sftSteps = 15_000
    /// KL strength of the closed-form RL policy, student · exp(r/β).
    public var beta = 0.1
    /// Seed of the pair and teacher samples and the label noise.
    public var seed: UInt64 = 0

    /// The study's configuration.
    ///
    ///     BanditConfig()   // 100 actions, teacher 80, student 40, beta 0.1 ...
    public init() {}

    /// The configuration itself, or an error naming the bad knob.
    ///
    ///     try BanditConfig().validated()
    public func validated() throws -> BanditConfig {
        try requireRange(actions, 2...1_000, "bandit: actions")
        // Past these bounds the squared distances overflow and every probability is NaN (a
        // mean of 1e300 printed 'teacher nan' as a result); they are far beyond any action.
        for (mean, name) in [(teacherMean, "teacher_mean"), (studentMean, "student_mean")] {
            guard mean.isFinite, abs(mean) <= 1e6 else {
                throw SimError("bandit: \(name) must be a number from -1e6 to 1e6 (actions are 0...\(actions - 1)), got \(mean)")
            }
        }
        guard variance.isFinite, variance >= 1e-6, variance <= 1e12 else {
            throw SimError("bandit: variance must be from 1e-6 to 1e12, got \(variance)")
        }
        try requireRange(pairs, 1...10_000_000, "bandit: pairs")
        try requireProbability(labelNoise, "bandit: label_noise")
        // Full-batch gradient descent on these losses overshoots past steps of a few tens: at
        // sft_lr 1000 the SFT policy oscillated away from the teacher, at 1e300 it read 95, above
        // the teacher's 80. Up to 10 it converges (the default is 0.01).
        guard rewardLearningRate.isFinite, rewardLearningRate > 0, rewardLearningRate <= BanditConfig.largestLearningRate else {
            throw SimError("bandit: reward_lr must be in (0, 10], got \(rewardLearningRate); larger steps overshoot")
        }
        try requireRange(rewardSteps, 0...1_000_000, "bandit: reward_steps")
        try requireRange(sftSamples, 1...10_000_000, "bandit: sft_samples")
        guard sftLearningRate.isFinite, sftLearningRate > 0, sftLearningRate <= BanditConfig.largestLearningRate else {
            throw SimError("bandit: sft_lr must be in (0, 10], got \(sftLearningRate); larger steps overshoot")
        }
        try requireRange(sftSteps, 0...1_000_000, "bandit: sft_steps")
        guard beta.isFinite, beta > 0 else { throw SimError("bandit: beta must be finite and > 0, got \(beta)") }
        return self
    }

    public var description: String {
        "bandit(\(actions) actions, teacher \(teacherMean), student \(studentMean), variance \(variance), "
            + "\(pairs) \(pairSource.rawValue) pairs, label noise \(labelNoise), beta \(beta), seed \(seed))"
    }
}

/// What the bandit returns: expected true reward of each policy, the learned reward and the
/// four distributions over actions (for plotting).
///
///     let r = try runBandit(BanditConfig())
///     r.rl        // about 51.8
///     r.sft       // about 70.7
public struct BanditResult: Sendable, CustomStringConvertible {
    public let config: BanditConfig
    /// Expected true reward (rank) under each policy.
    public let student: Double
    public let teacher: Double
    public let sft: Double
    public let rl: Double
    /// The learned tabular reward per action (defined up to a constant; starts at 0).
    public let reward: [Double]
    /// Probabilities over actions.
    public let studentDistribution: [Double]
    public let teacherDistribution: [Double]
    public let sftDistribution: [Double]
    public let rlDistribution: [Double]

    public var description: String {
        """
        \(config)
          policy    expected reward
          student   \(formatFixed(student, 1))
          teacher   \(formatFixed(teacher, 1))
          sft       \(formatFixed(sft, 1))
          rl        \(formatFixed(rl, 1))
        """
    }
}

/// Runs the study's bandit by its real procedure: sample the preference pairs and the teacher
/// samples with the seed, train the tabular Bradley–Terry reward by full-batch SGD on the mean
/// loss (through the pair count matrix, which is the same full batch), form the RL policy
/// student · exp(r/β) (the KL-regularised optimum), fit tabular SFT by full-batch SGD on the
/// teacher samples' mean NLL, and report each policy's expected true reward.
///
///     var c = BanditConfig(); c.pairSource = .studentVsTeacher
///     try runBandit(c).rl    // about 74.7
public func runBandit(_ config: BanditConfig) throws -> BanditResult {
    let c = try config.validated()
    let n = c.actions
    let ranks = (0..<n).map(Double.init)
    func gaussian(_ mean: Double) -> [Double] {
        let logits = ranks.map { -($0 - mean) * ($0 - mean) / (2 * c.variance) }
        return softmax(logits)
    }
    let student = gaussian(c.studentMean)
    let teacher = gaussian(c.teacherMean)
    var rng = SimRandom(seed: StableHash.finalize(c.seed ^ 0xBA4D_17))
    let studentSampler = DiscreteSampler(student)
    let teacherSampler = DiscreteSampler(teacher)

    // Pair counts, winner-major; equal actions are dropped (their gradient cancels exactly).
    var counts = [Double](repeating: 0, count: n * n)
    for _ in 0..<c.pairs {
        let x = studentSampler.draw(&rng)
        let y = c.pairSource == .student ? studentSampler.draw(&rng) : teacherSampler.draw(&rng)
        var (winner, loser) = x > y ? (x, y) : (y, x)
        if c.labelNoise > 0, rng.bernoulli(c.labelNoise) { swap(&winner, &loser) }
        if winner != loser { counts[winner * n + loser] += 1 }
    }
    let reward = trainTabularReward(counts: counts, actions: n, pairs: c.pairs,
                                    learningRate: c.rewardLearningRate, steps: c.rewardSteps)
    let rlPolicy = softmax((0..<n).map { log(max(student[$0], .leastNormalMagnitude)) + reward[$0] / c.beta })
    // Each knob is in range alone, but a large reward_lr with a small beta overflows r/β to
    // ±inf and the tilted softmax to NaN, which used to print as "rl nan".
    guard rlPolicy.allSatisfy(\.isFinite) else {
        throw SimError("bandit: the RL policy overflowed: the trained rewards (up to \(reward.map(abs).max() ?? 0) after reward_steps \(c.rewardSteps) at reward_lr \(c.rewardLearningRate)) divided by beta \(c.beta) exceed a Double; lower reward_lr or raise beta")
    }

    var frequencies = [Double](repeating: 0, count: n)
    for _ in 0..<c.sftSamples { frequencies[teacherSampler.draw(&rng)] += 1 }
    for a in 0..<n { frequencies[a] /= Double(c.sftSamples) }
    let sftPolicy = trainTabularSFT(frequencies: frequencies, learningRate: c.sftLearningRate, steps: c.sftSteps)

    func expected(_ p: [Double]) -> Double { zip(p, ranks).reduce(0) { $0 + $1.0 * $1.1 } }
    return BanditResult(config: c, student: expected(student), teacher: expected(teacher),
                        sft: expected(sftPolicy), rl: expected(rlPolicy), reward: reward,
                        studentDistribution: student, teacherDistribution: teacher,
                        sftDistribution: sftPolicy, rlDistribution: rlPolicy)
}

/// Full-batch SGD on the mean Bradley–Terry loss −log σ(r_w − r_l) over all pairs, from r = 0.
/// `counts[w * n + l]` holds how often w beat l.
func trainTabularReward(counts: [Double], actions n: Int, pairs: Int, learningRate: Double, steps: Int) -> [Double] {
    var winners: [Int] = [], losers: [Int] = [], weights: [Double] = []
    for w in 0..<n {
        for l in 0..<n where counts[w * n + l] > 0 {
            winners.append(w); losers.append(l); weights.append(counts[w * n + l] / Double(pairs))
        }
    }
    var reward = [Double](repeating: 0, count: n)
    var grad = [Double](repeating: 0, count: n)
    for _ in 0..<steps {
        for a in 0..<n { grad[a] = 0 }
        for k in 0..<weights.count {
            let w = winners[k], l = losers[k]
            // d/d(r_w) of −log σ(r_w − r_l) = −σ(r_l − r_w)
            let g = weights[k] * sigmoid(reward[l] - reward[w])
            grad[w] -= g
            grad[l] += g
        }
        for a in 0..<n { reward[a] -= learningRate * grad[a] }
    }
    return reward
}

/// Full-batch SGD on the mean NLL of a tabular softmax (logits from 0, i.e. uniform); the
/// gradient of the mean NLL is softmax(z) − empirical frequencies.
func trainTabularSFT(frequencies: [Double], learningRate: Double, steps: Int) -> [Double] {
    var logits = [Double](repeating: 0, count: frequencies.count)
    for _ in 0..<steps {
        let p = softmax(logits)
        for a in 0..<logits.count { logits[a] -= learningRate * (p[a] - frequencies[a]) }
    }
    return softmax(logits)
}

/// A numerically stable softmax.
func softmax(_ logits: [Double]) -> [Double] {
    let top = logits.max() ?? 0
    let e = logits.map { exp($0 - top) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}

/// Draws indices from a discrete distribution by binary search on its cumulative sums.
struct DiscreteSampler {
    let cumulative: [Double]

    init(_ probabilities: [Double]) {
        var total = 0.0
        cumulative = probabilities.map { total += $0; return total }
    }

    func draw(_ rng: inout SimRandom) -> Int {
        let u = rng.nextDouble() * (cumulative.last ?? 1)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
