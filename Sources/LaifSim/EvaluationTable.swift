/// One model's line in an evaluation: its judged and gold-judged comparison against the
/// reference replies, gold quality, length and fillers.
///
///     table.rows[0].judged.winRate.value   // percent
public struct EvaluationRow: Sendable {
    public let name: String
    /// Verdict of the chosen judge.
    public let judged: Judgement
    /// Verdict of the gold judge (always reported beside the chosen one).
    public let gold: Judgement
    /// Gold quality of the replies (0...1) with standard error.
    public let goldQuality: Estimate
    /// Mean reply length in tokens before EOS, fillers included.
    public let meanLength: Double
    /// Mean number of filler tokens per reply.
    public let fillerRate: Double
    /// Share of replies that end with EOS.
    public let endedRate: Double
}

/// Scores one set of replies against reference replies: judged and gold verdicts, gold
/// quality, length and filler statistics.
///
///     let row = try evaluateResponses(named: "sft", prompts: ps, responses: mine,
///                                     judge: gpt4, reference: ps.map { davinci.respond($0) })
public func evaluateResponses(named name: String, prompts: PromptSet, responses: [[Int32]],
                              judge: Oracle, reference: [[Int32]]) throws -> EvaluationRow {
    let world = judge.world
    let judged = try judge.judge(prompts: prompts, responses: responses, reference: reference)
    let gold = try Oracle.gold(world).judge(prompts: prompts, responses: responses, reference: reference)
    var qualities: [Double] = [], lengths = 0.0, fillers = 0.0, ended = 0.0
    for (p, r) in zip(prompts, responses) {
        qualities.append(world.gold(p, r))
        let reading = ResponseReading(tokens: r, layout: world.layout)
        lengths += Double(reading.length)
        fillers += Double(reading.fillers)
        ended += reading.ended ? 1 : 0
    }
    let n = Double(max(responses.count, 1))
    return EvaluationRow(name: name, judged: judged, gold: gold, goldQuality: Estimate(samples: qualities),
                         meanLength: lengths / n, fillerRate: fillers / n, endedRate: ended / n)
}

/// The result of `evaluate`: one row per model, printed as a readable table.
///
///     print(table)
///     table.row(named: "laif")?.judged.winRate.value
public struct EvaluationTable: Sendable, CustomStringConvertible {
    public let judge: String
    public let reference: String
    public let promptCount: Int
    public let temperature: Double
    public let rows: [EvaluationRow]

    /// A table from rows.
    ///
    ///     EvaluationTable(judge: "gpt-4", reference: "davinci", promptCount: 500, temperature: 0.7, rows: rows)
    public init(judge: String, reference: String, promptCount: Int, temperature: Double, rows: [EvaluationRow]) {
        self.judge = judge
        self.reference = reference
        self.promptCount = promptCount
        self.temperature = temperature
        self.rows = rows
    }

    /// The row of a model by name.
    ///
    ///     table.row(named: "sft35")
    public func row(named name: String) -> EvaluationRow? { rows.first { $0.name == name } }

    public var description: String {
        let header = ["model", "win rate", "LC win", "score", "gold win", "gold quality", "length", "fillers"]
        var lines: [[String]] = [header]
        for r in rows {
            lines.append([r.name, r.judged.winRate.description, formatFixed(r.judged.lengthControlledWinRate, 1),
                          formatFixed(r.judged.score, 2), r.gold.winRate.description, r.goldQuality.description,
                          formatFixed(r.meanLength, 2), formatFixed(r.fillerRate, 2)])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let body = lines.map { line in
            line.enumerated().map { i, cell in
                i == 0 ? cell + String(repeating: " ", count: widths[i] - cell.count)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let title = "evaluation vs \(reference), judge \(judge) (gold judge beside it); \(promptCount) prompt\(promptCount == 1 ? "" : "s"), "
            + "temperature \(formatFixed(temperature, 2)); win rates in %"
        return ([title] + body).joined(separator: "\n")
    }
}
