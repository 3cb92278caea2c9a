/// Reshaping, transposing, slicing, joining and selecting.
extension Tensor {
    /// The same values with a new shape (one dimension may be -1: inferred). Shares storage.
    ///
    ///     let m = try Tensor.arange(6).reshape([2, -1])   // [2, 3]
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else {
            throw TensorError.shapes("reshape", shape, newShape, "are incompatible: at most one dimension may be -1")
        }
        if let i = inferred.first {
            let known = newShape.enumerated().filter { $0.offset != i }.map(\.element)
            let product = try Tensor.elementCount(known, op: "reshape", allocating: false)
            guard product > 0, count % product == 0 else {
                throw TensorError.shapes("reshape", shape, newShape, "are incompatible: \(count) elements do not fill the known dimensions")
            }
            resolved[i] = count / product
        }
        let n = try Tensor.elementCount(resolved, op: "reshape", allocating: false)
        guard n == count else {
            throw TensorError.shapes("reshape", shape, newShape, "hold different numbers of elements (\(count) vs \(n))")
        }
        let out = Tensor(shape: resolved, count: n, storage: storage)
        if Tensor.recording(self) {
            out.record([self]) { [self] g in takeGradient(g) }
        }
        return out
    }

    /// A copy with dimensions reordered: result dimension i is input dimension `order[i]`.
    ///
    ///     let t = try x.permute([0, 2, 1, 3])    // [B, T, H, d] -> [B, H, T, d]
    public func permute(_ order: [Int]) throws -> Tensor {
        guard order.count == rank, Set(order) == Set(0..<rank) else {
            throw TensorError(op: "permute", message: "order \(order) is not a permutation of the \(rank) dimensions of shape \(shape)")
        }
        let outShape = order.map { shape[$0] }
        try Tensor.requireMemory(forElements: count, shape: outShape, op: "permute")
        let out = Tensor(uninitializedShape: outShape, count: count)
        Tensor.permuteCopy(from: data, shape: shape, order: order, to: out.data, accumulate: false)
        if Tensor.recording(self) {
            var inverse = [Int](repeating: 0, count: rank)
            for (i, o) in order.enumerated() { inverse[o] = i }
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                Tensor.permuteCopy(from: g.data, shape: outShape, order: inverse, to: slot, accumulate: accumulate)
            }
        }
        return out
    }

    /// A copy with two dimensions swapped.
    ///
    ///     let t = try m.transpose(0, 1)          // [2, 3] -> [3, 2]
    public func transpose(_ first: Int, _ second: Int) throws -> Tensor {
        let a = try Tensor.normalizedAxis(first, rank: rank, op: "transpose", shape: shape)
        let b = try Tensor.normalizedAxis(second, rank: rank, op: "transpose", shape: shape)
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permute(order)
    }

    /// Writes (or adds) `source`, shaped `shape`, with its dimensions reordered by `order`.
    static func permuteCopy(from source: UnsafePointer<Float>, shape: [Int], order: [Int],
                            to destination: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let rank = shape.count
        let n = shape.reduce(1, *)
        guard n > 0 else { return }
        var inStrides = [Int](repeating: 1, count: rank)
        if rank > 1 { for d in stride(from: rank - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * shape[d + 1] } }
        let outShape = order.map { shape[$0] }
        let readStrides = order.map { inStrides[$0] }
        let zero = [Int](repeating: 0, count: rank)
        let inner = outShape.last ?? 1
        let innerStride = readStrides.last ?? 1
        Broadcast.forEachRow(outShape, readStrides, zero) { oo, oi, _ in
            if accumulate {
                for k in 0..<inner { destination[oo + k] += source[oi + k * innerStride] }
            } else {
                for k in 0..<inner { destination[oo + k] = source[oi + k * innerStride] }
            }
        }
    }

    /// Elements `range` along `axis` (a copy).
    ///
    ///     let firstTwo = try x.slice(axis: 0, 0..<2)
    public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
        let ax = try Tensor.normalizedAxis(axis, rank: rank, op: "slice", shape: shape)
        guard range.lowerBound >= 0, range.upperBound <= shape[ax] else {
            throw TensorError(op: "slice", message: "range \(range) is outside 0..<\(shape[ax]) on axis \(axis) of shape \(shape)")
        }
        var outShape = shape
        outShape[ax] = range.count
        let outer = shape[..<ax].reduce(1, *)
        let inner = shape[(ax + 1)...].reduce(1, *)
        let width = range.count * inner, full = shape[ax] * inner, offset = range.lowerBound * inner
        let out = Tensor(uninitializedShape: outShape, count: outer * width)
        for o in 0..<outer {
            (out.data + o * width).update(from: data + o * full + offset, count: width)
        }
        if Tensor.recording(self) {
            out.record([self]) { [self] g in
                let (slot, accumulate) = gradientSlot()
                if !accumulate { slot.initialize(repeating: 0, count: count) }
                for o in 0..<outer {
                    let dst = slot + o * full + offset, src = g.data + o * width
                    for i in 0..<width { dst[i] += src[i] }
                }
            }
        }
        return out
    }

    /// Joins tensors along an existing axis; other dimensions must match.
    ///
    ///     let both = try Tensor.concat([a, b], axis: 0)     // [2, 3] ++ [4, 3] -> [6, 3]
    public static func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError(op: "concat", message: "needs at least one tensor")
        }
        let ax = try normalizedAxis(axis, rank: first.rank, op: "concat", shape: first.shape)
        var total = 0
        for t in tensors {
            var a = t.shape, b = first.shape
            guard a.count == b.count else {
                throw TensorError.shapes("concat", first.shape, t.shape, "have different ranks")
            }
            a[ax] = 0; b[ax] = 0
            guard a == b else {
                throw TensorError.shapes("concat", first.shape, t.shape, "differ outside axis \(axis)")
            }
            total += t.shape[ax]
        }
        var outShape = first.shape
        outShape[ax] = total
        let n = try elementCount(outShape, op: "concat")
        let outer = first.shape[..<ax].reduce(1, *)
        let inner = first.shape[(ax + 1)...].reduce(1, *)
        let rowWidth = total * inner
        let out = Tensor(uninitializedShape: outShape, count: n)
        var offset = 0
        var offsets: [Int] = []
        for t in tensors {
            offsets.append(offset)
            let width = t.shape[ax] * inner
            for o in 0..<outer {
                (out.data + o * rowWidth + offset).update(from: t.data + o * width, count: width)
            }
            offset += width
        }
        if recording(tensors) {
            out.record(tensors) { g in
                for (t, start) in zip(tensors, offsets) where t.requiresGrad {
                    let width = t.shape[ax] * inner
                    let (slot, accumulate) = t.gradientSlot()
                    for o in 0..<outer {
                        let src = g.data + o * rowWidth + start, dst = slot + o * width
                        if accumulate {
                            for i in 0..<width { dst[i] += src[i] }
                        } else {
                            dst.update(from: src, count: width)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Joins equal-shaped tensors along a new axis.
    ///
    ///     let batch = try Tensor.stack([x, y], axis: 0)     // [3] and [3] -> [2, 3]
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError(op: "stack", message: "needs at least one tensor")
        }
        let ax = try normalizedAxis(axis, rank: first.rank + 1, op: "stack", shape: first.shape)
        try requireRoomForAxis(first, op: "stack")
        for t in tensors where t.shape != first.shape {
            throw TensorError.shapes("stack", first.shape, t.shape, "differ (stack needs equal shapes)")
        }
        var expanded = first.shape
        expanded.insert(1, at: ax)
        return try concat(tensors.map { try $0.reshape(expanded) }, axis: ax)
    }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere; the three broadcast together.
    ///
    ///     let y = try Tensor.where(mask, x, zeros)
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let ab = try Broadcast.shape(a.shape, b.shape, op: "where")
        let out = try Broadcast.shape(condition.shape, ab, op: "where")
        let c = condition.count == out.reduce(1, *) ? condition : try condition.detached().expand(to: out)
        let ea = a.shape == out ? a : try a.expand(to: out)
        let eb = b.shape == out ? b : try b.expand(to: out)
        let n = c.count
        try Tensor.requireMemory(forElements: n, shape: out, op: "where")
        let result = Tensor(uninitializedShape: out, count: n)
        let pc = c.data, pa = ea.data, pb = eb.data
        for i in 0..<n { result.data[i] = pc[i] != 0 ? pa[i] : pb[i] }
        if recording(ea, eb) {
            result.record([ea, eb]) { g in
                withExtendedLifetime(c) {}
                for (input, takeWhenTrue) in [(ea, true), (eb, false)] where input.requiresGrad {
                    let (slot, accumulate) = input.gradientSlot()
                    for i in 0..<n {
                        let v = (pc[i] != 0) == takeWhenTrue ? g.data[i] : 0
                        slot[i] = accumulate ? slot[i] + v : v
                    }
                }
            }
        }
        return result
    }

    /// Inserts a dimension of size 1 at `axis`.
    ///
    ///     let row = try v.unsqueeze(0)      // [3] -> [1, 3]
    public func unsqueeze(_ axis: Int) throws -> Tensor {
        let ax = try Tensor.normalizedAxis(axis, rank: rank + 1, op: "unsqueeze", shape: shape)
        try Tensor.requireRoomForAxis(self, op: "unsqueeze")
        var s = shape
        s.insert(1, at: ax)
        return try reshape(s)
    }

    /// Throws when `tensor` already has `maxRank` dimensions, so `op` cannot add one.
    static func requireRoomForAxis(_ tensor: Tensor, op: String) throws {
        guard tensor.rank < maxRank else {
            throw TensorError(op: op, message: "shape \(tensor.shape) already has \(maxRank) dimensions, the most a tensor may have")
        }
    }

    /// Removes a dimension of size 1 at `axis`.
    ///
    ///     let v = try row.squeeze(0)        // [1, 3] -> [3]
    public func squeeze(_ axis: Int) throws -> Tensor {
        let ax = try Tensor.normalizedAxis(axis, rank: rank, op: "squeeze", shape: shape)
        guard shape[ax] == 1 else {
            throw TensorError(op: "squeeze", message: "axis \(axis) of shape \(shape) has size \(shape[ax]), not 1")
        }
        var s = shape
        s.remove(at: ax)
        return try reshape(s)
    }
}
