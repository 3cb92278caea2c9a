import Foundation

/// The printed form of a diagnosis: the table and the verdict paragraph.
extension Diagnosis {
    /// The compact table: one line per category, the total, then gold and judged gains and the
    /// counterfactual.
    ///
    ///     print(d.table)
    public var table: String {
        var lines = ["diagnosis: RL vs SFT on \(promptCount) prompts (teacher \(teacher), critic \(critic), "
            + "judge \(judge) vs \(reference); in support: SFT p(gold) >= \(fixed(supportThreshold, 2)))"]
        lines.append(pad("category", 12) + pad("entries", 8, right: true) + pad("share", 8, right: true)
            + pad("p(gold) sft -> rl", 20, right: true) + pad("gain", 9, right: true))
        func line(_ name: String, _ entries: Int, _ share: Double, _ before: Double, _ after: Double, _ gain: Double) -> String {
            pad(name, 12) + pad("\(entries)", 8, right: true) + pad(fixed(100 * share, 1) + "%", 8, right: true)
                + pad(fixed(before, 3) + " -> " + fixed(after, 3), 20, right: true) + pad(signed(gain, 3), 9, right: true)
        }
        for row in rows { lines.append(line(row.category.rawValue, row.entries, row.share, row.sftGold, row.rlGold, row.gain)) }
        let total = rows.reduce(0) { $0 + $1.share }
        let before = rows.reduce(0) { $0 + $1.share * $1.sftGold }, after = rows.reduce(0) { $0 + $1.share * $1.rlGold }
        lines.append(line("total", entries.count, total, before, after, positionGain))
        lines.append("gold quality   \(fixed(sftQuality.value, 3)) -> \(fixed(rlQuality.value, 3)) (\(signed(goldGain, 3)))")
        lines.append("win rate       \(judge) \(fixed(sftJudgedWinRate.value, 1))% -> \(fixed(rlJudgedWinRate.value, 1))% "
            + "(\(signed(judgedGain, 1)) pts); gold judge \(fixed(sftGoldWinRate.value, 1))% -> \(fixed(rlGoldWinRate.value, 1))% "
            + "(\(signed(goldJudgeGain, 1)) pts); judge-only \(signed(judgeOnlyGain, 1)) pts")
        lines.append("judge-only     " + judgeOnlyParts.named.map { "\($0.name) \(signed($0.gain, 1))" }.joined(separator: ", ")
            + " pts (the judge's traits added to gold's one at a time)")
        if let cf = counterfactual {
            lines.append("counterfactual \(cf.source): gold quality \(fixed(cf.goldQuality.value, 3)), "
                + "win rate \(fixed(cf.judgedWinRate.value, 1))% (gold judge \(fixed(cf.goldWinRate.value, 1))%)")
        } else {
            lines.append("counterfactual none: \(counterfactualNote ?? "not requested")")
        }
        return lines.joined(separator: "\n")
    }

    /// One paragraph in plain words: how big the change was, where it came from, what RL could
    /// not reach, whether the judge saw gains gold did not, and how SFT on the critic compares.
    ///
    ///     print(d.verdict)
    public var verdict: String {
        var sentences: [String] = []
        sentences.append("RL changed the per-position gold probability by \(signed(positionGain, 3)) and gold quality by "
            + "\(signed(goldGain, 3)) (\(fixed(sftQuality.value, 3)) -> \(fixed(rlQuality.value, 3))).")
        let movers = rows.filter { abs($0.gain) >= 0.0005 }.sorted { abs($0.gain) > abs($1.gain) }
        // Gold quality also counts reply form (length, EOS, fillers), which no entry carries:
        // when it moved far more than the answers did, say so before attributing the rest.
        let formGain = goldGain - positionGain
        let formDominates = abs(formGain) >= 0.01 && abs(formGain) > 2 * abs(positionGain)
        if formDominates {
            sentences.append("Most of the change in gold quality (\(signed(formGain, 3))) came from the form of the replies "
                + "(length, ending with EOS, fillers), not from which answers the model gives.")
        }
        if let top = movers.first {
            let origin: String
            switch top.category {
            case .elicited: origin = "eliciting entries the critic knows to which the SFT model already gave some probability"
            case .unreachable: origin = "entries outside the SFT model's support"
            case .sharpened: origin = "sharpening entries the teacher already taught"
            case .ceiling: origin = "entries the critic does not know"
            case .harm: origin = "entries where the critic's wrong habit pulled the model"
            }
            sentences.append((formDominates ? "Of the answers' own change, the largest part" : "The largest part")
                + " (\(signed(top.gain, 3))) came from \(origin).")
        } else {
            sentences.append("No category moved by as much as 0.001: RL left the model's answers essentially where SFT put them.")
        }
        let elicited = row(.elicited), unreachable = row(.unreachable)
        if elicited.entries + unreachable.entries == 0 {
            sentences.append("Of the probed entries the critic knows none the teacher did not, so there was nothing for RL to elicit.")
        }
        if elicited.entries > 0 {
            sentences.append("On the \(elicited.entries) entr\(elicited.entries == 1 ? "y" : "ies") the critic knows, the teacher did not, "
                + "and the SFT model could already sample, RL gained \(signed(elicited.gain, 3)).")
        }
        if unreachable.entries > 0 {
            sentences.append("\(unreachable.entries) entr\(unreachable.entries == 1 ? "y" : "ies") the critic knows "
                + "(\(fixed(100 * unreachable.share, 1))% of positions) lay outside the SFT model's support; RL gained "
                + "\(signed(unreachable.gain, 3)) there, while SFT on the critic's demonstrations would teach them.")
        }
        let harm = row(.harm)
        if harm.entries > 0 {
            sentences.append("On \(harm.entries) entr\(harm.entries == 1 ? "y" : "ies") the critic does not know, RL moved "
                + "toward its wrong belief (gain \(signed(harm.gain, 3))).")
        }
        if abs(judgeOnlyGain) >= 3 {
            sentences.append("The judge \(judge) saw \(signed(judgedGain, 1)) points of win rate but the gold judge "
                + "\(signed(goldJudgeGain, 1)): \(signed(judgeOnlyGain, 1)) points are judge-only, " + judgeOnlyCauses + ".")
        } else {
            sentences.append("The judged gain (\(signed(judgedGain, 1)) points) agrees with the gold judge's within 3 points.")
        }
        if let cf = counterfactual {
            let difference = cf.goldQuality.value - rlQuality.value
            let comparison = abs(difference) < 0.01 ? "about the same as RL"
                : (difference > 0 ? "\(fixed(difference, 3)) better than RL" : "\(fixed(-difference, 3)) worse than RL")
            sentences.append("SFT on the critic's own demonstrations reaches gold quality \(fixed(cf.goldQuality.value, 3)) "
                + "(win rate \(fixed(cf.judgedWinRate.value, 1))%), \(comparison).")
        } else {
            sentences.append("No counterfactual was computed (\(counterfactualNote ?? "not requested")).")
        }
        return "verdict: " + sentences.joined(separator: " ")
    }

    /// The judge-only parts of at least half a point, largest first, in words ("+3.1 from its
    /// preference for its family's voice and +2.9 from what it believes ..."), or why none is.
    private var judgeOnlyCauses: String {
        let words = ["beliefs": "from what it believes (its knowledge gaps and its family's wrong habits)",
                     "voice": "from its preference for its family's voice", "length": "from its length bias",
                     "position": "from its position bias"]
        let parts = judgeOnlyParts.named.filter { abs($0.gain) >= 0.5 }.sorted { abs($0.gain) > abs($1.gain) }
        guard !parts.isEmpty else { return "spread thinly over the judge's beliefs and biases" }
        let phrases = parts.map { "\(signed($0.gain, 1)) \(words[$0.name] ?? $0.name)" }
        return phrases.count == 1 ? phrases[0] : phrases.dropLast().joined(separator: ", ") + " and " + (phrases.last ?? "")
    }
}

/// `x` with `decimals` digits after the point; a negative zero prints without its sign.
func fixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    let text = String(format: "%.\(decimals)f", x)
    // "-0.000" reads as a loss that is not there.
    return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text
}

/// `x` like `fixed`, with an explicit "+" for gains.
func signed(_ x: Double, _ decimals: Int) -> String {
    let text = fixed(x, decimals)
    return text.hasPrefix("-") ? text : "+" + text
}

/// `text` padded to `width` columns (left- or right-aligned); a longer text keeps a separating space.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    guard text.count < width else { return right ? " " + text : text + " " }
    let fill = String(repeating: " ", count: width - text.count)
    return right ? fill + text : text + fill
}
