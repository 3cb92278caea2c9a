import Foundation

/// The oracle as critic: scoring replies by its own beliefs and labelling pairs.
extension Oracle {
    /// The critic's score of a reply: m × (the gold quality it *believes* the reply has) +
    /// `lengthBias` × fillers + `familyBias` × voice agreement, i.e. m × (aligned matches with
    /// its beliefs / max(m, n) − `World.fillerCost` × fillers) + `lengthBias` × fillers +
    /// `familyBias` × (+1 for a filler in its family's voice, −1 for one in another voice; see
    /// `voiceAgreement`) (n answer tokens before EOS, fillers not counted). It rewards a token
    /// only where it believes that token, so it cannot reward what it does not know.
    ///
    /// A reply that does not follow the instruction (see `followsInstruction`: no EOS, or more
    /// than `Oracle.instructionSlack` answer tokens past m) believes quality
    /// `Oracle.instructionFailureQuality` (−1) instead of its share of matches, so every oracle
    /// ranks it below any reply that answers and stops, even a wholly wrong one. Why: the study's
    /// judges put base models' run-on continuations below davinci's weak answers (0.4 to 7% win
    /// rate); share-of-matches alone let a run-on reply that happens to start right beat a terse
    /// wrong one. The gold oracle's score is therefore m × gold quality for replies that follow
    /// the instruction; `World.gold` (gold quality) itself has no such term.
    ///
    ///     gpt4.score(p, w.goldResponse(p))   // m where gpt-4 knows every entry of p
    public func score(_ prompt: Prompt, _ response: [Int32]) -> Double {
        let reading = ResponseReading(tokens: response, layout: world.layout)
        let fillerPenalty = World.fillerCost * Double(reading.fillers)
        let believedQuality: Double
        if Oracle.followsInstruction(prompt, reading) {
            let (hits, denominator) = reading.matches(prompt.entries.map(belief))
            believedQuality = Double(hits) / Double(denominator) - fillerPenalty
        } else {
            believedQuality = Oracle.instructionFailureQuality - fillerPenalty
        }
        return Double(prompt.length) * believedQuality + config.lengthBias * Double(reading.fillers)
            + config.familyBias * voiceAgreement(reading)
    }

    /// How much a reply sounds like this oracle's family: +1 when it carries a filler in the
    /// family's voice (`signatureFiller`) and none other, −1 when it carries only other
    /// fillers, 0 with no fillers or both kinds. Per reply, not per filler, so self-preference
    /// asks for one word in the judge's voice, not for ever more padding.
    ///
    ///     gpt4.voiceAgreement(ResponseReading(tokens: reply, layout: w.layout))   // 1, 0 or -1
    public func voiceAgreement(_ reading: ResponseReading) -> Double {
        guard let own = signatureFiller else { return 0 }
        let hasOwn = reading.fillerKinds.contains(own)
        let hasForeign = reading.fillerKinds.contains { $0 != own }
        return (hasOwn ? 1 : 0) - (hasForeign ? 1 : 0)
    }

    /// Answer tokens (fillers not counted) a reply may carry past the prompt's m before EOS and
    /// still count as an answer. Oracles never exceed m; a student that adds a few wrong tokens
    /// already pays through the max(m, n) denominator, so only a reply that runs on fails.
    public static let instructionSlack = 4

    /// The quality a critic believes a reply that does not follow the instruction has: one
    /// whole answer below a wholly wrong answer that stops.
    public static let instructionFailureQuality = -1.0

    /// Whether a reply follows the instruction: it ends with EOS after at most m +
    /// `instructionSlack` answer tokens (fillers have their own price and are not counted).
    ///
    ///     Oracle.followsInstruction(p, ResponseReading(tokens: w.goldResponse(p), layout: w.layout))   // true
    public static func followsInstruction(_ prompt: Prompt, _ reading: ResponseReading) -> Bool {
        reading.ended && reading.answer.count <= prompt.length + instructionSlack
    }

    /// Probability that this critic, labelling one pair, prefers the reply shown first:
    /// σ((s₁ − s₂)/T + position bias), then mixed with the flip rate, (1 − f)·p + f·(1 − p).
    /// With T = 0 the decision is hard (ties 0.5 before position bias and flips). This is the
    /// probability of a sampled *label*; a judge's win rate uses `judgedPreference`, without flips.
    ///
    ///     gpt4.preferenceProbability(p, first: good, second: bad)   // near 0.95
    public func preferenceProbability(_ prompt: Prompt, first: [Int32], second: [Int32]) -> Double {
        let diff = score(prompt, first) - score(prompt, second)
        return preferenceProbability(scoreDifference: diff)
    }

    /// The same, from a score difference (first minus second).
    ///
    ///     gpt4.preferenceProbability(scoreDifference: 0)   // 0.5 without position bias
    public func preferenceProbability(scoreDifference diff: Double) -> Double {
        let p = judgedPreference(scoreDifference: diff)
        return (1 - config.flipRate) * p + config.flipRate * (1 - p)
    }

    /// The critic's own preference for the reply shown first, before label flips:
    /// σ((s₁ − s₂)/T + position bias), or a hard decision when T = 0. A judge's win rate
    /// averages this (AlpacaEval's win rate is the judge's preference probability). Why no
    /// flips: the flip rate is the noise of one sampled label, not part of the judge's
    /// belief; mixing it in put a floor of f and a ceiling of 1 − f under every win rate
    /// (5% and 95% with the presets), above the study's 0.4% for base models.
    ///
    ///     gpt4.judgedPreference(p, first: w.goldResponse(p), second: [TokenLayout.eos])   // near 1
    public func judgedPreference(_ prompt: Prompt, first: [Int32], second: [Int32]) -> Double {
        judgedPreference(scoreDifference: score(prompt, first) - score(prompt, second))
    }

    /// The same, from a score difference (first minus second).
    ///
    ///     gpt4.judgedPreference(scoreDifference: 0)   // 0.5 without position bias
    public func judgedPreference(scoreDifference diff: Double) -> Double {
        if config.temperature > 0 {
            return sigmoid(diff / config.temperature + config.positionBias)
        }
        let shifted = diff == 0 ? config.positionBias : diff
        return shifted > 0 ? 1 : (shifted < 0 ? 0 : 0.5)
    }

    /// Labels pairs. Each label is drawn with a stream seeded by (critic, prompt, both
    /// replies, in canonical order): the shown order is a coin flip, the preference a Bernoulli draw of
    /// `preferenceProbability` (which includes the flip rate). So labels are the same on
    /// every run and in any ordering of the pairs.
    ///
    ///     let prefs = gpt4.label(student.pairs(p90, against: gpt35))
    public func label(_ pairs: PairSet) -> PreferenceDataset {
        let examples = pairs.pairs.map { pair -> PreferenceExample in
            var rng = SimRandom(seed: exampleSeed("label", pair.prompt, pair.first, pair.second))
            // The shown order is drawn on the canonical order of the two replies, so swapping
            // them inside the pair cannot change the label.
            let (x, y) = canonicalOrder(pair.first, pair.second)
            let (shownA, shownB) = rng.bernoulli(0.5) ? (x, y) : (y, x)
            let prefersA = rng.bernoulli(preferenceProbability(pair.prompt, first: shownA, second: shownB))
            return prefersA ? PreferenceExample(prompt: pair.prompt, chosen: shownA, rejected: shownB)
                : PreferenceExample(prompt: pair.prompt, chosen: shownB, rejected: shownA)
        }
        return PreferenceDataset(world: world, examples: examples, source: "\(config.name) on \(pairs.source)")
    }

    /// A seed for one example's draws; the two replies are combined in a canonical order so
    /// that (a, b) and (b, a) label alike.
    func exampleSeed(_ purpose: String, _ prompt: Prompt, _ a: [Int32], _ b: [Int32]) -> UInt64 {
        var h = StableHash(seed: identity)
        h.combine(purpose)
        h.combine(prompt.tokens)
        let (x, y) = canonicalOrder(a, b)
        h.combine(x)
        h.combine(y)
        return h.value
    }
}

/// Two replies in a fixed order that does not depend on the order they came in.
func canonicalOrder(_ a: [Int32], _ b: [Int32]) -> ([Int32], [Int32]) {
    a.lexicographicallyPrecedes(b) ? (a, b) : (b, a)
}

/// The logistic function, stable for large |x|.
func sigmoid(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}
