import CSupport
import Foundation

/// Fused losses over logits: one pass forward, one pass backward, no probability tensor kept.
extension Tensor {
    /// Rows of `logits` (last dimension V) and their log-normaliser, after checking `targets`.
    private static func checkTargets(_ logits: Tensor, _ targets: [Int32], op: String,
                                     isIgnored: (Int32) -> Bool) throws -> (rows: Int, vocab: Int) {
        guard logits.rank >= 1, let vocab = logits.shape.last, vocab > 0 else {
            throw TensorError(op: op, message: "logits of shape \(logits.shape) need a non-empty last (vocabulary) dimension")
        }
        let rows = logits.count / vocab
        guard targets.count == rows else {
            throw TensorError(op: op, message: "logits of shape \(logits.shape) have \(rows) rows but \(targets.count) targets were given")
        }
        for (i, t) in targets.enumerated() where !isIgnored(t) && (t < 0 || Int(t) >= vocab) {
            throw TensorError(op: op, message: "target \(t) at index \(i) is outside 0..<\(vocab) (logits shape \(logits.shape))")
        }
        return (rows, vocab)
    }

    /// log(sum(exp(row))) for one row of length n >= 1; `scratch` holds n floats.
    @inline(__always)
    static func rowLogSumExp(_ x: UnsafePointer<Float>, _ n: Int, scratch: UnsafeMutablePointer<Float>) -> Float {
        laif_log_sum_exp(x, scratch, n)
    }

    /// Mean cross-entropy of `logits` `[..., V]` against one target id per row, skipping rows
    /// whose target is `ignoreIndex`. With every row ignored the loss is 0. With `divisor` the
    /// summed loss is divided by it instead of by the number of scored rows: a micro-batch's
    /// share of the mean over a whole batch that scores `divisor` rows.
    ///
    ///     let loss = try Tensor.crossEntropy(logits: logits, targets: nextTokens)   // logits [B, T, V], B*T targets
    ///     let share = try Tensor.crossEntropy(logits: half, targets: halfTargets, divisor: 2 * halfTargets.count)
    public static func crossEntropy(logits: Tensor, targets: [Int32], ignoreIndex: Int32 = -1,
                                    divisor: Int? = nil) throws -> Tensor {
        if let divisor, divisor < 1 {
            throw TensorError(op: "crossEntropy", message: "divisor must be at least 1 (the scored rows of the whole batch), got \(divisor)")
        }
        let (rows, vocab) = try checkTargets(logits, targets, op: "crossEntropy") { $0 == ignoreIndex }
        let lse = TensorStorage(uninitializedCount: Swift.max(rows, 1))
        var total: Double = 0
        var valid = 0
        let x = logits.data
        let scratch = TensorStorage(uninitializedCount: vocab)
        for r in 0..<rows where targets[r] != ignoreIndex {
            let row = x + r * vocab
            let l = rowLogSumExp(row, vocab, scratch: scratch.pointer)
            lse.pointer[r] = l
            total += Double(l - row[Int(targets[r])])
            valid += 1
        }
        let denominator = divisor ?? valid
        let out = Tensor(scalar: valid > 0 ? Float(total / Double(denominator)) : 0)
        if recording(logits), valid > 0 {
            out.record([logits]) { g in
                let scale = g.data[0] / Float(denominator)
                let (slot, accumulate) = logits.gradientSlot()
                for r in 0..<rows {
                    let d = slot + r * vocab, row = x + r * vocab
                    let t = targets[r]
                    if t == ignoreIndex {
                        if !accumulate { d.initialize(repeating: 0, count: vocab) }
                        continue
                    }
                    let l = lse.pointer[r]
                    laif_scaled_softmax(row, d, vocab, l, scale, accumulate ? 1 : 0)
                    d[Int(t)] -= scale
                }
            }
        }
        return out
    }

    /// log p(target) at every position: logits `[B, T, V]` (any leading shape) and one target
    /// per row give `[B, T]`. A negative target gives 0 and no gradient (prompt positions).
    ///
    ///     let lp = try Tensor.tokenLogProbs(logits: logits, targets: next)   // [B, T]
    ///     let sequenceLogProb = try lp.sum(axis: 1)
    public static func tokenLogProbs(logits: Tensor, targets: [Int32]) throws -> Tensor {
        let (rows, vocab) = try checkTargets(logits, targets, op: "tokenLogProbs") { $0 < 0 }
        let outShape = Array(logits.shape.dropLast())
        let out = Tensor(uninitializedShape: outShape, count: rows)
        let lse = TensorStorage(uninitializedCount: Swift.max(rows, 1))
        let x = logits.data
        let scratch = TensorStorage(uninitializedCount: vocab)
        for r in 0..<rows {
            let t = targets[r]
            guard t >= 0 else { out.data[r] = 0; continue }
            let row = x + r * vocab
            let l = rowLogSumExp(row, vocab, scratch: scratch.pointer)
            lse.pointer[r] = l
            out.data[r] = row[Int(t)] - l
        }
        if recording(logits) {
            out.record([logits]) { g in
                let (slot, accumulate) = logits.gradientSlot()
                for r in 0..<rows {
                    let d = slot + r * vocab, row = x + r * vocab
                    let t = targets[r]
                    let gr = g.data[r]
                    if t < 0 || gr == 0 {
                        if !accumulate { d.initialize(repeating: 0, count: vocab) }
                        continue
                    }
                    let l = lse.pointer[r]
                    laif_scaled_softmax(row, d, vocab, l, -gr, accumulate ? 1 : 0)
                    d[Int(t)] += gr
                }
            }
        }
        return out
    }
}
