import LaifSupport

extension Tensor {
    /// Throws when a new tensor of `count` floats would take the memory live tensors hold past
    /// what this process may use (`MemoryBudget`: physical memory, the container's limit,
    /// `ulimit`, or `LAIF_MEMORY_LIMIT`). Why: past it the system kills the process, and a REPL
    /// session with it; each tensor is capped at `maxElementCount`, but nothing else stopped a
    /// script from keeping ever more of them. Checked before the memory is taken, wherever a
    /// shape is counted for a new tensor (`elementCount`), so an operation that would not fit
    /// fails with the shape and a fix instead.
    ///
    ///     try Tensor.requireMemory(forElements: 1 << 28, shape: [16384, 16384], op: "ones")
    static func requireMemory(forElements count: Int, shape: [Int], op: String,
                              budget: (bytes: Int, source: String) = MemoryBudget.current) throws {
        let bytes = count * MemoryLayout<Float>.stride
        guard bytes > 0 else { return }
        let live = BufferPool.shared.liveBytes
        guard live > budget.bytes - bytes else { return }
        throw TensorError(op: op, message: "a tensor of shape \(shape) (\(MemoryBudget.describe(bytes))) would take the "
            + "memory tensors hold from \(MemoryBudget.describe(live)) past what this process may use "
            + "(\(MemoryBudget.describe(budget.bytes)), \(budget.source)); let go of large tensors you no longer "
            + "need (rebind the variables that hold them) or raise LAIF_MEMORY_LIMIT")
    }
}
