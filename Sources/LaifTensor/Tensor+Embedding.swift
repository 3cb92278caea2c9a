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
        guard leading.allSatisfy({ $0 >= 0 }), try elementCount(leading, op: "embedding") == ids.count else {
            throw TensorError(op: "embedding", message: "ids shape \(leading) does not hold \(ids.count) ids")
        }
        for (i, id) in ids.enumerated() where id < 0 || Int(id) >= rows {
            throw TensorError(op: "embedding", message: "id \(id) at index \(i) is outside 0..<\(rows) (table shape \(table.shape))")
        }
        let outShape = leading + [d]
        let n = try elementCount(outShape, op: "embedding")
        let out = Tensor(uninitializedShape: outShape, count: n)
        let src = table.data, dst = out.data
        for (i, id) in ids.enumerated() {
            (dst + i * d).update(from: src + Int(id) * d, count: d)
        }
        if recording(table) {
            out.record([table]) { g in
                let (slot, accumulate) = table.gradientSlot()
                if !accumulate { slot.initialize(repeating: 0, count: table.count) }
                for (i, id) in ids.enumerated() {
                    let row = slot + Int(id) * d, gr = g.data + i * d
                    for j in 0..<d { row[j] += gr[j] }
                }
            }
        }
        return out
    }
}
