import LaifDiagnose
import LaifLang

/// The result of `diagnose(...)` (`type(d) == "diagnosis"`): prints as the compact table and
/// the verdict. Per-category gains (change in per-position gold probability) are `d.elicited`,
/// `d.unreachable`, `d.sharpened`, `d.ceiling`, `d.harm` (they add up to `d.position_gain`);
/// `d.gold_gain` (gold quality), `d.judged_gain`, `d.gold_judge_gain`, `d.judge_only` (win-rate
/// points), split by cause in `d.judge_only_parts` {beliefs, voice, length, position};
/// `d.counterfactual` is a record {gold_quality, gold_quality_se, win_rate, gold_win_rate,
/// source, model} or nil; `d.rows` one record per category, `d.entries` one per entry; `d["harm"]` is
/// that category's row; `d.verdict`, `d.table` the text.
///
///     let d = DiagnosisObject(diagnosis, counterfactualModel: nil)
///     try d.property("judge_only")   // .number(4.2)
public final class DiagnosisObject: DomainObject {
    public let diagnosis: Diagnosis
    /// The counterfactual model as a laif value (with its lineage), when there is one.
    public let counterfactualModel: ModelValue?

    /// Wraps a diagnosis and, if any, its counterfactual model value.
    ///
    ///     DiagnosisObject(d, counterfactualModel: ModelValue(model: cf.model, lineage: ["given"]))
    public init(_ diagnosis: Diagnosis, counterfactualModel: ModelValue?) {
        self.diagnosis = diagnosis
        self.counterfactualModel = counterfactualModel
    }

    public var typeName: String { "diagnosis" }

    /// The compact table followed by the verdict in words (the texts of `d.table` and `d.verdict`).
    ///
    ///     print(d)   // the category table, then e.g. "... nothing for RL to elicit ..."
    public func describe() -> String { diagnosis.description }

    public var summary: String {
        "diagnosis(critic \(diagnosis.critic) over teacher \(diagnosis.teacher); gold gain \(formatLaifNumber(rounded(diagnosis.goldGain))))"
    }

    public var byteSize: Int { 512 + diagnosis.entries.count * 96 }
    public var length: Int? { diagnosis.rows.count }

    public var propertyNames: [String] {
        GainCategory.allCases.map(\.rawValue) + [
            "position_gain", "gold_gain", "judged_gain", "gold_judge_gain", "judge_only", "judge_only_parts",
            "sft_quality", "rl_quality", "sft_win_rate", "rl_win_rate", "counterfactual", "rows", "entries", "verdict",
            "table", "support", "teacher", "critic", "judge", "reference", "prompts",
        ]
    }

    /// A category's name (`d.elicited` ... `d.harm`) gives its gain; also the totals (`position_gain`, `gold_gain`,
    /// `judged_gain`, `gold_judge_gain`, `judge_only` and its `judge_only_parts`), the SFT and RL gold quality and
    /// judged win rate, `counterfactual` (a record or nil), `rows`, `entries`, the `verdict` and `table` texts,
    /// `support` (the threshold), the oracles' names and the prompt count.
    ///
    ///     try d.property("support")   // .number(0.05)
    public func property(_ name: String) throws -> Value? {
        let d = diagnosis
        if let category = GainCategory(rawValue: name) { return .number(d.row(category).gain) }
        switch name {
        case "position_gain": return .number(d.positionGain)
        case "gold_gain": return .number(d.goldGain)
        case "judged_gain": return .number(d.judgedGain)
        case "gold_judge_gain": return .number(d.goldJudgeGain)
        case "judge_only": return .number(d.judgeOnlyGain)
        case "judge_only_parts": return .record(Record(d.judgeOnlyParts.named.map { ($0.name, .number($0.gain)) }))
        case "sft_quality": return .number(d.sftQuality.value)
        case "rl_quality": return .number(d.rlQuality.value)
        case "sft_win_rate": return .number(d.sftJudgedWinRate.value)
        case "rl_win_rate": return .number(d.rlJudgedWinRate.value)
        case "counterfactual": return counterfactualRecord
        case "rows": return .list(d.rows.map(DiagnosisObject.record))
        case "entries": return .list(d.entries.map(DiagnosisObject.record))
        case "verdict": return .string(d.verdict)
        case "table": return .string(d.table)
        case "support": return .number(d.supportThreshold)
        case "teacher": return .string(d.teacher)
        case "critic": return .string(d.critic)
        case "judge": return .string(d.judge)
        case "reference": return .string(d.reference)
        case "prompts": return .number(Double(d.promptCount))
        default: return nil
        }
    }

    /// `for row in d` visits the five category rows as records {category, entries, share, sft_gold, rl_gold, gain}.
    ///
    ///     for row in d { print(row.category, row.gain) }
    public func elements() throws -> [Value]? { diagnosis.rows.map(DiagnosisObject.record) }

    /// `d[i]` (negative counts from the end) or `d["harm"]` is one category's row as a record; an unknown
    /// category is an error listing the valid ones, and so are slices and `d[i, j]`.
    ///
    ///     d["harm"] == d[4]   // true
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "diagnosis") {
        case .single(.string(let name)):
            guard let category = GainCategory(rawValue: name) else {
                throw LaifError.runtime("a diagnosis has no category \"\(name)\"; it has "
                    + GainCategory.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            return DiagnosisObject.record(diagnosis.row(category))
        case .single(let value):
            return DiagnosisObject.record(diagnosis.rows[try resolveIndex(value, count: diagnosis.rows.count, what: "diagnosis")])
        case .slice:
            throw LaifError.runtime("a diagnosis takes one index (a row number or a category name), not a slice")
        }
    }

    /// {gold_quality, gold_quality_se, win_rate, gold_win_rate, source, model} or nil.
    var counterfactualRecord: Value {
        guard let cf = diagnosis.counterfactual else { return .nil }
        return .record(Record([
            ("gold_quality", .number(cf.goldQuality.value)),
            ("gold_quality_se", standardError(cf.goldQuality)),
            ("win_rate", .number(cf.judgedWinRate.value)),
            ("gold_win_rate", .number(cf.goldWinRate.value)),
            ("source", .string(cf.source)),
            ("model", counterfactualModel.map(Value.object) ?? .nil),
        ]))
    }

    /// One category's row as a record.
    ///
    ///     DiagnosisObject.record(d.row(.elicited))   // {category: "elicited", entries: 3, ...}
    public static func record(_ row: CategoryGain) -> Value {
        .record(Record([
            ("category", .string(row.category.rawValue)),
            ("entries", .number(Double(row.entries))),
            ("share", .number(row.share)),
            ("sft_gold", .number(row.sftGold)),
            ("rl_gold", .number(row.rlGold)),
            ("gain", .number(row.gain)),
        ]))
    }

    /// One entry's attribution as a record.
    ///
    ///     DiagnosisObject.record(d.entries[0])   // {task: 0, token: 3, category: "sharpened", ...}
    public static func record(_ e: EntryAttribution) -> Value {
        .record(Record([
            ("task", .number(Double(e.entry.task))),
            ("token", .number(Double(e.entry.token))),
            ("category", .string(e.category.rawValue)),
            ("occurrences", .number(Double(e.occurrences))),
            ("sft_gold", .number(e.sftGold)),
            ("rl_gold", .number(e.rlGold)),
            ("sft_belief", .number(e.sftCriticBelief)),
            ("rl_belief", .number(e.rlCriticBelief)),
        ]))
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
