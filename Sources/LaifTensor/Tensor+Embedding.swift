/// Embedding lookup (a row gather) with a scatter-add gradient.
extension Tensor {
    /// Rows of `table` `[N, D]` picked by `ids`; the result has shape `idsShape + [D]`
    /// (default `[ids.count, D]`). Ids outside `0..<N` throw.
    ///
    ///     let x = try Tensor.embedding(table, ids: tokens, idsShape: [batch, length])   // [B, T, D]
    public static func embedding(_ table: Tensor, ids: [Int32], idsShape: [Int]? = nil) throws -> Tensor {
        guard table.rank == 2 else {
            throw TensorError(op: "embedding", message: "table must be rank 2 [N, D], got shape \(table.shape)")
        }
        let rows = table.shape[0], d = table.shape[1]
        let leading = idsShape ?? [ids.count]
        guard leading.allSatisfy({ $0 >= 0 }), try elementCount(leading, op: "embedding", allocating: false) == ids.count else {
            throw TensorError(op: "embedding", message: "ids shape \(leading) does not hold \(ids.count) ids")
        }
        for (i, id) in ids.enumerated() where id < 0 || Int(id) >= rows {
            throw TensorError(op: "embedding", message: "id \(id) at index \(i) is outside 0..<\(rows) (table shape \(table.shape))")
        }
        let outShape = leading + [d]
        let n = try elementCount(outShape, op: "embedding")
        let out = Tensor(uninitializedShape: outShape, count: n)
        let src = table.data, dst = out.data
        // Runs of consecutive ids are contiguous in the table: one copy per run.
        forEachConsecutiveRun(ids) { start, count in
            (dst + start * d).update(from: src + Int(ids[start]) * d, count: count * d)
        }
        if recording(table) {
            out.record([table]) { g in
                let (slot, accumulate) = table.gradientSlot()
                if !accumulate { slot.initialize(repeating: 0, count: table.count) }
                // Each table row still adds its gradients in the order of `ids`.
                forEachConsecutiveRun(ids) { start, count in
                    let rows = slot + Int(ids[start]) * d, gr = g.data + start * d
                    for j in 0..<(count * d) { rows[j] += gr[j] }
                }
            }
        }
        return out
    }
}

/// Calls `body(start, count)` for each maximal run `ids[start..<start+count]` of consecutive
/// values (5, 6, 7, ...), in order.
///
///     forEachConsecutiveRun([3, 4, 5, 9, 1, 2]) { print($0, $1) }   // 0 3, 3 1, 4 2
@inline(__always)
func forEachConsecutiveRun(_ ids: [Int32], _ body: (_ start: Int, _ count: Int) -> Void) {
    var start = 0
    while start < ids.count {
        var end = start + 1
        while end < ids.count, ids[end] == ids[end - 1] &+ 1 { end += 1 }
        body(start, end - start)
        start = end
    }
}
