import LaifSim

/// The judge-only gain taken apart by cause. The gold judge and the chosen judge differ in
/// what they believe and in three biases; starting from the gold judge and giving it the chosen
/// judge's traits one at a time, in the order of the fields below, each part is what that
/// trait adds to the RL gain the judge reads (win-rate points, on the same replies). The parts
/// add up to `Diagnosis.judgeOnlyGain` exactly; another order would split it a little
/// differently, since the preference is not additive in the traits.
///
///     d.judgeOnlyParts.voice   // e.g. 3.1: the judge likes the voice the critic taught
public struct JudgeOnlyBreakdown: Sendable, Equatable {
    /// The judge's beliefs and temperature in place of gold's: it rewards its family's wrong
    /// habits (which a critic of its family teaches) and cannot reward what it does not know.
    public let beliefs: Double
    /// Its preference for replies in its family's voice (`OracleConfig.familyBias`).
    public let voice: Double
    /// Its length bias (`OracleConfig.lengthBias`).
    public let length: Double
    /// Its position bias (`OracleConfig.positionBias`).
    public let position: Double

    /// The parts by name, in the order they were added.
    ///
    ///     d.judgeOnlyParts.named.map(\.name)   // ["beliefs", "voice", "length", "position"]
    public var named: [(name: String, gain: Double)] {
        [("beliefs", beliefs), ("voice", voice), ("length", length), ("position", position)]
    }

    /// The sum of the parts: the judge-only gain.
    ///
    ///     d.judgeOnlyParts.total == d.judgeOnlyGain   // up to rounding
    public var total: Double { beliefs + voice + length + position }
}

/// Splits the judge-only part of an RL gain (see `JudgeOnlyBreakdown`) for replies already
/// sampled from the SFT and the RL model, against the reference's replies.
///
///     let parts = try judgeOnlyBreakdown(judge: gpt4, prompts: test, sftReplies: a, rlReplies: b, reference: ref)
public func judgeOnlyBreakdown(judge: Oracle, prompts: PromptSet, sftReplies: [[Int32]], rlReplies: [[Int32]],
                               reference: [[Int32]]) throws -> JudgeOnlyBreakdown {
    let world = judge.world
    // The chosen judge's own name, family and seed keep its beliefs and its order coins.
    var steps = judge.config
    steps.familyBias = 0
    steps.lengthBias = 0
    steps.positionBias = 0
    var judges = [Oracle.gold(world), try Oracle(world: world, config: steps)]
    steps.familyBias = judge.config.familyBias
    judges.append(try Oracle(world: world, config: steps))
    steps.lengthBias = judge.config.lengthBias
    judges.append(try Oracle(world: world, config: steps))
    judges.append(judge)
    let gains = try judges.map { j in
        try j.judge(prompts: prompts, responses: rlReplies, reference: reference).winRate.value
            - j.judge(prompts: prompts, responses: sftReplies, reference: reference).winRate.value
    }
    return JudgeOnlyBreakdown(beliefs: gains[1] - gains[0], voice: gains[2] - gains[1], length: gains[3] - gains[2],
                              position: gains[4] - gains[3])
}
