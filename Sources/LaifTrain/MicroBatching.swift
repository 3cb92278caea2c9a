import LaifTensor

/// Gradient accumulation inside one optimizer step: a batch's sequences run forward and
/// backward a few at a time, and their gradients add up in the parameters' gradient slots
/// before the single update. The update is the whole batch's, up to float rounding (the weight
/// gradients are summed in a different order).
///
/// Why: a step over 1,024 positions of a d_model-64 transformer keeps about 9 MB of
/// activations, so each operation reads its input back from L3. A micro-batch of about 256
/// positions keeps an operation's input and output in L2 (1 MB on Zen 4). Measured with
/// `laif bench` (transformer SFT, batch 32 × 32, one thread, alternating runs): whole batch
/// 114.8-130.5 steps/s, micro-batches of 8 sequences 127.1-137.5 (+6% on the mean), of 16
/// sequences +3.5%, of 4 +2.7%; batch 32 × 12 positions (about the study's SFT rows): two
/// micro-batches of 16 sequences +5%. DPO's paired, shared-prompt steps did not look faster
/// split (steps of 4 and 8 pairs, less their extra AdamW updates, added up to between 5% less
/// and 13% more time than one step of 32), so DPO and the other trainers keep whole batches.
///
///     MicroBatching.ranges(sequences: 32, length: 32)   // [0..<8, 8..<16, 16..<24, 24..<32]
public enum MicroBatching {
    /// Positions (sequences × length) one micro-batch aims at.
    public static let positionsPerMicroBatch = 256

    /// Consecutive ranges of sequences covering `0..<sequences`, each about
    /// `positionsPerMicroBatch` positions, sizes differing by at most one sequence (the longer
    /// ones first). One range when the batch is that small already; an empty batch gives one
    /// empty range.
    ///
    ///     MicroBatching.ranges(sequences: 32, length: 12)   // [0..<16, 16..<32]
    ///     MicroBatching.ranges(sequences: 5, length: 8)     // [0..<5]
    public static func ranges(sequences: Int, length: Int) -> [Range<Int>] {
        guard sequences > 1 else { return [0..<max(sequences, 0)] }
        let (positions, overflow) = sequences.multipliedReportingOverflow(by: max(length, 1))
        let wanted = overflow ? sequences : (positions + positionsPerMicroBatch - 1) / positionsPerMicroBatch
        let parts = min(max(wanted, 1), sequences)
        let base = sequences / parts, longer = sequences % parts
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(parts)
        var start = 0
        for part in 0..<parts {
            let count = base + (part < longer ? 1 : 0)
            ranges.append(start..<(start + count))
            start += count
        }
        return ranges
    }

    /// Computes `loss` on each range in turn and backpropagates it at once, so only one
    /// micro-batch's activations are alive at a time; returns the sum of the losses. Each loss
    /// must already be its micro-batch's share of the whole batch's loss (see
    /// `Tensor.crossEntropy(logits:targets:ignoreIndex:divisor:)`). Gradients add onto what the
    /// parameters hold: zero them before the first call of a step. A non-finite loss throws
    /// before its backward pass.
    ///
    ///     optimizer.zeroGrad()
    ///     let loss = try MicroBatching.accumulateGradients(over: MicroBatching.ranges(sequences: 32, length: 32)) { rows in
    ///         try Tensor.crossEntropy(logits: model.logits(tokens(rows), batch: rows.count, length: 32),
    ///                                 targets: targets(rows), divisor: 32 * 32)
    ///     }
    ///     try optimizer.step()
    public static func accumulateGradients(over ranges: [Range<Int>], loss: (Range<Int>) throws -> Tensor) throws -> Float {
        var total: Float = 0
        for rows in ranges { total += try backpropagate(loss(rows)) }
        return total
    }

    /// Backpropagates `loss` unless it is not finite (then throws before the backward pass, so
    /// no NaN reaches a gradient); returns its value. Every trainer's update starts here.
    ///
    ///     let value = try MicroBatching.backpropagate(loss)
    static func backpropagate(_ loss: Tensor) throws -> Float {
        let value = try loss.item()
        guard value.isFinite else { throw NonFiniteUpdate(quantity: "loss") }
        try loss.backward()
        return value
    }
}
