/// How a reply reads once its form is taken apart: the answer tokens (before the first EOS,
/// fillers removed), the number of fillers, and whether it ended with EOS.
///
/// Fillers are taken out before aligning answer positions, so verbosity costs only its own
/// per-filler price and does not also shift every later position.
///
///     let r = ResponseReading(tokens: reply, layout: w.layout)
///     r.answer.count; r.fillers; r.ended
public struct ResponseReading: Sendable {
    /// Tokens before the first EOS, fillers removed.
    public let answer: [Int32]
    /// Filler tokens before the first EOS.
    public let fillers: Int
    /// The distinct filler tokens before the first EOS, in order of first use.
    public let fillerKinds: [Int32]
    /// Whether the reply contains EOS.
    public let ended: Bool
    /// Tokens before the first EOS, fillers included (the reply's length as read).
    public let length: Int

    /// Reads a reply.
    ///
    ///     ResponseReading(tokens: [8, 9, 3], layout: w.layout).answer   // [8, 9]
    public init(tokens: [Int32], layout: TokenLayout) {
        var answer: [Int32] = []
        var fillers = 0
        var kinds: [Int32] = []
        var ended = false
        var length = 0
        for t in tokens {
            if t == TokenLayout.eos { ended = true; break }
            length += 1
            if layout.isFiller(t) {
                fillers += 1
                if !kinds.contains(t) { kinds.append(t) }
            } else {
                answer.append(t)
            }
        }
        self.answer = answer
        self.fillers = fillers
        self.fillerKinds = kinds
        self.ended = ended
        self.length = length
    }

    /// Aligned positions where the answer equals `expected`, and the denominator
    /// `max(m, n)` (missing and extra positions count as wrong).
    func matches(_ expected: [Int32]) -> (hits: Int, denominator: Int) {
        var hits = 0
        for i in 0..<min(expected.count, answer.count) where answer[i] == expected[i] { hits += 1 }
        return (hits, max(expected.count, answer.count, 1))
    }
}

extension World {
    /// Gold quality of a reply: the share of answer positions right, with denominator
    /// `max(m, n)` (m prompt length, n answer tokens before EOS, fillers not counted), minus
    /// `World.fillerCost` (0.02) per filler. 1.0 for the gold reply; can go slightly negative
    /// for an empty reply padded with fillers.
    ///
    ///     w.gold(p, w.goldResponse(p))   // 1.0
    public func gold(_ prompt: Prompt, _ response: [Int32]) -> Double {
        let reading = ResponseReading(tokens: response, layout: layout)
        let expected = prompt.entries.map(goldToken)
        let (hits, denominator) = reading.matches(expected)
        return Double(hits) / Double(denominator) - World.fillerCost * Double(reading.fillers)
    }

    /// Per entry of the prompt: whether the reply's aligned answer token is the gold output.
    ///
    ///     w.correctness(p, reply)   // [true, false, true]
    public func correctness(_ prompt: Prompt, _ response: [Int32]) -> [Bool] {
        let reading = ResponseReading(tokens: response, layout: layout)
        return prompt.entries.enumerated().map { i, e in
            i < reading.answer.count && reading.answer[i] == goldToken(e)
        }
    }
}
