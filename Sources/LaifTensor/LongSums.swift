/// Float sums along long lines that keep their accuracy: terms add in Float, as a plain loop
/// does, within blocks of `blockLength`, and the blocks' sums add in Double.
///
/// Why: a plain Float loop stops growing once the sum is about 2^24 times a term (0.1 summed
/// 20,000,000 times gave 2,097,152, and 1,000,000 times 100,958 instead of 100,000). Lines up
/// to a block long sum exactly as before, bit for bit, so no training step or pretrained base
/// changes: the longest line a default step reduces is 2,048 rows (a pretraining batch).
/// Broadcasting's gradient reductions do the same in their own way (`Broadcast.reduce`: Double
/// throughout past a block per result).
///
///     LongSums.line(count: 1_000_000) { _ in 0.1 }   // about 100000, not 100958
enum LongSums {
    /// Terms per block summed in Float.
    static let blockLength = 4_096

    /// The sum of `term(0) ..< term(count)`, in order. A line of one block is its Float sum
    /// exactly: Float to Double and back loses nothing.
    ///
    ///     LongSums.line(count: n) { j in x[start + j * stride] }
    @inline(__always)
    static func line(count: Int, _ term: (Int) -> Float) -> Float {
        var total: Double = 0
        var start = 0
        while start < count {
            let end = Swift.min(start + blockLength, count)
            var s: Float = 0
            for j in start..<end { s += term(j) }
            total += Double(s)
            start = end
        }
        return Float(total)
    }

    /// Row sums: `destination[q] = Σ_j row(j)[q]` for q in `0..<width` over `rows` rows, each
    /// row added whole (the vectorisable loop), blocked as `line` is.
    ///
    ///     LongSums.rows(count: length, width: inner, into: dst) { j in x + j * inner }
    @inline(__always)
    static func rows(count: Int, width: Int, into destination: UnsafeMutablePointer<Float>,
                     _ row: (Int) -> UnsafePointer<Float>) {
        destination.initialize(repeating: 0, count: width)
        if count <= blockLength {
            for j in 0..<count {
                let src = row(j)
                for q in 0..<width { destination[q] += src[q] }
            }
            return
        }
        var totals = [Double](repeating: 0, count: width)
        var start = 0
        while start < count {
            let end = Swift.min(start + blockLength, count)
            for j in start..<end {
                let src = row(j)
                for q in 0..<width { destination[q] += src[q] }
            }
            for q in 0..<width { totals[q] += Double(destination[q]) }
            destination.update(repeating: 0, count: width)
            start = end
        }
        for q in 0..<width { destination[q] = Float(totals[q]) }
    }
}
