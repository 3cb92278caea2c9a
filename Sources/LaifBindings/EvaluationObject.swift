import LaifLang
import LaifSim

/// The result of `evaluate(...)` (`type(ev) == "evaluation"`): prints as an aligned table;
/// `ev[0]` or `ev["laif"]` is one row as a record (name, win_rate, win_rate_se, lc_win_rate,
/// score, gold_win_rate, gold_win_rate_se, gold_quality, gold_quality_se, length, fillers,
/// ended), `ev.rows` all of them, `for row in ev` visits them; properties judge, reference,
/// prompts, temperature. Win rates are in percent; a standard error is nil from one prompt
/// (the table prints `± n/a`), where no spread can be measured.
///
///     let ev = EvaluationObject(try evaluate(models: ..., judge: gpt4, reference: davinci, prompts: test))
///     try ev.subscripted([.single(.number(0))])   // the first model's row
public final class EvaluationObject: DomainObject {
    public let table: EvaluationTable

    /// Wraps an evaluation table.
    ///
    ///     EvaluationObject(table)
    public init(_ table: EvaluationTable) { self.table = table }

    public var typeName: String { "evaluation" }

    /// The aligned table: a title (reference, judge, prompt count, temperature), then one line per model with
    /// judged and gold win rates in %, length-controlled win rate, score, gold quality, length and fillers.
    ///
    ///     print(ev)   // evaluation vs davinci, judge gpt-4 (gold judge beside it); 48 prompts, ...
    public func describe() -> String { table.description }

    public var summary: String {
        "evaluation(\(table.rows.map(\.name).joined(separator: ", ")); judge \(table.judge) vs \(table.reference))"
    }

    public var byteSize: Int { 128 + table.rows.count * 160 }
    public var length: Int? { table.rows.count }
    public var propertyNames: [String] { ["rows", "judge", "reference", "prompts", "temperature", "names"] }

    /// `ev.rows` (every row as a record), `ev.names` (the models' names), `ev.judge` and `ev.reference` (oracle
    /// names), `ev.prompts` (how many prompts) and `ev.temperature` (the models' sampling temperature).
    ///
    ///     try ev.property("names")   // .list([.string("sft"), .string("dpo")])
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "rows": return .list(table.rows.map(EvaluationObject.record))
        case "names": return .list(table.rows.map { .string($0.name) })
        case "judge": return .string(table.judge)
        case "reference": return .string(table.reference)
        case "prompts": return .number(Double(table.promptCount))
        case "temperature": return .number(table.temperature)
        default: return nil
        }
    }

    /// `for row in ev` visits each model's row as a record, in table order.
    ///
    ///     for row in ev { print(row.name, row.win_rate) }
    public func elements() throws -> [Value]? { table.rows.map(EvaluationObject.record) }

    /// `ev[i]` (negative counts from the end) or `ev["name"]` is one model's row as a record; an unknown name
    /// is an error listing the names there are, and so are slices and `ev[i, j]`.
    ///
    ///     ev["dpo"] == ev[1]   // true when dpo is the second model
    public func subscripted(_ indices: [IndexValue]) throws -> Value? {
        switch try oneDimensional(indices, what: "evaluation") {
        case .single(.string(let name)):
            guard let row = table.row(named: name) else {
                throw LaifError.runtime("the evaluation has no model named \"\(name)\"; it has "
                    + table.rows.map { "\"\($0.name)\"" }.joined(separator: ", "))
            }
            return EvaluationObject.record(row)
        case .single(let value):
            return EvaluationObject.record(table.rows[try resolveIndex(value, count: table.rows.count, what: "evaluation")])
        case .slice:
            throw LaifError.runtime("an evaluation takes one index (a row number or a model name), not a slice")
        }
    }

    /// One row as a laif record.
    ///
    ///     EvaluationObject.record(table.rows[0])   // {name: "sft", win_rate: 56.2, ...}
    public static func record(_ row: EvaluationRow) -> Value {
        .record(Record([
            ("name", .string(row.name)),
            ("win_rate", .number(row.judged.winRate.value)),
            ("win_rate_se", standardError(row.judged.winRate)),
            ("lc_win_rate", .number(row.judged.lengthControlledWinRate)),
            ("score", .number(row.judged.score)),
            ("gold_win_rate", .number(row.gold.winRate.value)),
            ("gold_win_rate_se", standardError(row.gold.winRate)),
            ("gold_quality", .number(row.goldQuality.value)),
            ("gold_quality_se", standardError(row.goldQuality)),
            ("length", .number(row.meanLength)),
            ("fillers", .number(row.fillerRate)),
            ("ended", .number(row.endedRate)),
        ]))
    }
}

/// A standard error as a laif value: nil where it is unknown (one sample), so a script's
/// `gain > 2 * se` fails loudly instead of reading the missing spread as 0.
///
///     standardError(Estimate(value: 50, standardError: 0, count: 1))   // .nil
func standardError(_ estimate: Estimate) -> Value {
    estimate.knownStandardError.map(Value.number) ?? .nil
}
