import LaifModels
import LaifSim

/// One entry's attribution: its category and the SFT and RL models' probabilities there.
///
///     d.entries.first { $0.category == .unreachable }?.sftGold   // e.g. 0.003
public struct EntryAttribution: Sendable {
    public let entry: Entry
    public let category: GainCategory
    /// Answer positions in the probe prompts that ask about this entry.
    public let occurrences: Int
    /// Mean probability of the gold token, teacher-forced, under the SFT and the RL model.
    public let sftGold: Double
    public let rlGold: Double
    /// Mean probability of the critic's belief (its habit where it does not know) under both.
    public let sftCriticBelief: Double
    public let rlCriticBelief: Double
}

/// One category's line: how many entries, what share of the answer positions, the
/// position-weighted mean gold probability before and after RL, and the gain it contributes.
///
///     d.row(.elicited).gain   // e.g. 0.041
public struct CategoryGain: Sendable {
    public let category: GainCategory
    /// Entries of this category that occur in the probe prompts.
    public let entries: Int
    /// Share of all answer positions (0...1); the shares of all categories sum to 1.
    public let share: Double
    /// Position-weighted mean gold probability under the SFT and RL models.
    public let sftGold: Double
    public let rlGold: Double
    /// share × (rlGold − sftGold): the categories' gains add up to `Diagnosis.positionGain`.
    public let gain: Double
}

/// What SFT on the critic's own demonstrations reaches on the same evaluation.
///
///     d.counterfactual?.goldQuality.value   // e.g. 0.81
public struct CounterfactualResult {
    /// How it was obtained ("sft on gpt-4 demos of 300 prompts; 80 steps" or "given model").
    public let source: String
    /// The counterfactual model (trained here or given).
    public let model: LanguageModel
    /// Gold quality of its sampled replies, with standard error.
    public let goldQuality: Estimate
    /// Its win rate (percent) against the reference under the chosen judge and the gold judge.
    public let judgedWinRate: Estimate
    public let goldWinRate: Estimate
}

/// The result of `diagnose`: the entry-by-entry attribution of the change from the SFT to the
/// RL model, the gold and judged gains, the counterfactual, and a verdict in plain words.
/// Prints as a compact table followed by the verdict paragraph.
///
///     let d = try diagnose(sft: s35, rl: laif, teacher: gpt35, critic: gpt4, judge: gpt4,
///                          reference: davinci, prompts: test)
///     print(d)
///     d.row(.unreachable).gain
public struct Diagnosis: CustomStringConvertible {
    public let teacher: String
    public let critic: String
    public let judge: String
    public let reference: String
    /// Number of probe/evaluation prompts.
    public let promptCount: Int
    /// SFT gold probability at or above which an entry counts as in the SFT model's support.
    public let supportThreshold: Double
    /// One line per category, in `GainCategory.allCases` order.
    public let rows: [CategoryGain]
    /// Every world entry that occurs in the probe prompts.
    public let entries: [EntryAttribution]
    /// Change in mean per-position gold probability (the sum of the rows' gains).
    public let positionGain: Double
    /// Gold quality of the sampled replies of the SFT and the RL model.
    public let sftQuality: Estimate
    public let rlQuality: Estimate
    /// Win rates (percent) against the reference under the chosen judge and the gold judge.
    public let sftJudgedWinRate: Estimate
    public let rlJudgedWinRate: Estimate
    public let sftGoldWinRate: Estimate
    public let rlGoldWinRate: Estimate
    /// The judge-only gain split by cause: the judge's beliefs, voice, length and position
    /// biases (they add up to `judgeOnlyGain`).
    public let judgeOnlyParts: JudgeOnlyBreakdown
    /// SFT on the critic's demonstrations, when a base and prompts or a ready model were given.
    public let counterfactual: CounterfactualResult?
    /// Why there is no counterfactual (nil when there is one).
    public let counterfactualNote: String?

    /// RL's change in gold quality.
    ///
    ///     d.goldGain   // e.g. 0.12
    public var goldGain: Double { rlQuality.value - sftQuality.value }

    /// RL's change in the chosen judge's win rate, in percentage points.
    ///
    ///     d.judgedGain   // e.g. 14.0
    public var judgedGain: Double { rlJudgedWinRate.value - sftJudgedWinRate.value }

    /// RL's change in the gold judge's win rate, in percentage points.
    ///
    ///     d.goldJudgeGain   // e.g. 9.0
    public var goldJudgeGain: Double { rlGoldWinRate.value - sftGoldWinRate.value }

    /// The part of the judged gain the gold judge does not see (the judge's beliefs, voice,
    /// length or position bias; see `judgeOnlyParts`): judged gain minus gold-judge gain, in
    /// percentage points.
    ///
    ///     d.judgeOnlyGain   // e.g. 5.0
    public var judgeOnlyGain: Double { judgedGain - goldJudgeGain }

    /// The line of one category.
    ///
    ///     d.row(.sharpened).entries
    public func row(_ category: GainCategory) -> CategoryGain {
        rows.first { $0.category == category }
            ?? CategoryGain(category: category, entries: 0, share: 0, sftGold: 0, rlGold: 0, gain: 0)
    }

    /// The compact table and the verdict.
    ///
    ///     print(d)
    public var description: String { table + "\n" + verdict }
}
