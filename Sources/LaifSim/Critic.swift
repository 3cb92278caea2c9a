import Foundation

/// The oracle as critic: scoring replies by its own beliefs and labelling pairs.
extension Oracle {
    /// The critic's score of a reply: m × (the gold quality it *believes* the reply has) +
    /// `lengthBias` × fillers, i.e. m × (aligned matches with its beliefs / max(m, n) −
    /// `World.fillerCost` × fillers) + `lengthBias` × fillers (n answer tokens before EOS,
    /// fillers not counted). It rewards a token only where it believes that token, so it cannot
    /// reward what it does not know; the gold oracle's score is m × gold quality.
    ///
    ///     gpt4.score(p, w.goldResponse(p))   // m where gpt-4 knows every entry of p
    public func score(_ prompt: Prompt, _ response: [Int32]) -> Double {
        let reading = ResponseReading(tokens: response, layout: world.layout)
        let expected = prompt.entries.map(belief)
        let (hits, denominator) = reading.matches(expected)
        let believedQuality = Double(hits) / Double(denominator) - World.fillerCost * Double(reading.fillers)
        return Double(prompt.length) * believedQuality + config.lengthBias * Double(reading.fillers)
    }

    /// Probability that this critic prefers the reply shown first: σ((s₁ − s₂)/T + position
    /// bias), then mixed with the flip rate. With T = 0 the decision is hard (ties 0.5 before
    /// position bias and flips).
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
        let p: Double
        if config.temperature > 0 {
            p = sigmoid(diff / config.temperature + config.positionBias)
        } else {
            let shifted = diff == 0 ? config.positionBias : diff
            p = shifted > 0 ? 1 : (shifted < 0 ? 0 : 0.5)
        }
        return (1 - config.flipRate) * p + config.flipRate * (1 - p)
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
