import Foundation

/// How one set of replies fares against reference replies under one judge.
///
///     let j = try gpt4.judge(prompts: ps, responses: mine, reference: davinciReplies)
///     j.winRate          // 62.4 ± 1.8 (percent)
public struct Judgement: Sendable, CustomStringConvertible {
    /// Judge name.
    public let judge: String
    /// Win rate in percent: the mean of the judge's preference probability for the reply over
    /// the reference (`Oracle.judgedPreference`: no label flips; ties count half, order
    /// randomised per example), with its standard error.
    public let winRate: Estimate
    /// Length-controlled win rate in percent: logistic regression of the preferences on
    /// tanh(length difference / its sd), read at zero difference (AlpacaEval 2's idea).
    public let lengthControlledWinRate: Double
    /// Absolute MT-Bench-style score, 1...10: 1 + 9 × clamp(critic score / m, 0, 1), averaged.
    public let score: Double

    public var description: String {
        "\(judge): win rate \(winRate), LC \(formatFixed(lengthControlledWinRate, 1)), score \(formatFixed(score, 2))"
    }
}

extension Oracle {
    /// Judges replies against reference replies, prompt by prompt. The reply is shown first or
    /// second by a coin seeded by the example (judge, prompt, both replies), so the position
    /// bias averages out over prompts but each verdict is reproducible.
    ///
    ///     let j = try gpt4.judge(prompts: ps, responses: mine, reference: ref)
    public func judge(prompts: PromptSet, responses: [[Int32]], reference: [[Int32]]) throws -> Judgement {
        guard responses.count == prompts.count, reference.count == prompts.count else {
            throw SimError("judge: need one reply and one reference reply per prompt; got \(prompts.count) prompts, "
                + "\(responses.count) replies, \(reference.count) reference replies")
        }
        var wins: [Double] = []
        var lengthDiffs: [Double] = []
        var scores: [Double] = []
        wins.reserveCapacity(prompts.count)
        for (i, prompt) in prompts.enumerated() {
            let mine = responses[i], ref = reference[i]
            var rng = SimRandom(seed: exampleSeed("judge-order", prompt, mine, ref))
            let mineFirst = rng.bernoulli(0.5)
            let p = mineFirst ? judgedPreference(prompt, first: mine, second: ref)
                : 1 - judgedPreference(prompt, first: ref, second: mine)
            wins.append(p)
            let lm = ResponseReading(tokens: mine, layout: world.layout).length
            let lr = ResponseReading(tokens: ref, layout: world.layout).length
            lengthDiffs.append(Double(lm - lr))
            let m = Double(max(prompt.length, 1))
            scores.append(1 + 9 * min(max(score(prompt, mine) / m, 0), 1))
        }
        let sd = standardDeviation(lengthDiffs)
        let feature = lengthDiffs.map { sd > 0 ? tanh($0 / sd) : 0 }
        let lc = logisticInterceptProbability(targets: wins, feature: feature)
        return Judgement(judge: config.name, winRate: Estimate(samples: wins).scaled(by: 100),
                         lengthControlledWinRate: 100 * lc,
                         score: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count))
    }
}
