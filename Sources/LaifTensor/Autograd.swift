import Foundation

/// Per-thread switch for recording the autodiff graph.
enum GradMode {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    @inline(__always) static var isEnabled: Bool { pthread_getspecific(key) == nil }

    static func setEnabled(_ enabled: Bool) {
        pthread_setspecific(key, enabled ? nil : UnsafeRawPointer(bitPattern: 1))
    }
}

extension Tensor {
    /// Runs `body` without recording the autodiff graph on this thread (evaluation, sampling,
    /// reference models). Nests; the previous setting is restored afterwards.
    ///
    ///     let logits = try Tensor.withoutGrad { try model.logits(tokens, batch: 1, length: 8) }
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let previous = GradMode.isEnabled
        GradMode.setEnabled(false)
        defer { GradMode.setEnabled(previous) }
        return try body()
    }

    /// Whether operations on this thread currently record the autodiff graph.
    ///
    ///     Tensor.isGradEnabled   // true, except inside withoutGrad
    public static var isGradEnabled: Bool { GradMode.isEnabled }

    /// True when an operation on these inputs must be recorded.
    @inline(__always)
    static func recording(_ a: Tensor) -> Bool { a.requiresGrad && GradMode.isEnabled }

    @inline(__always)
    static func recording(_ a: Tensor, _ b: Tensor) -> Bool {
        (a.requiresGrad || b.requiresGrad) && GradMode.isEnabled
    }

    static func recording(_ inputs: [Tensor]) -> Bool {
        GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    }

    /// Connects this result to its inputs; `backward` receives this tensor's gradient.
    func record(_ parents: [Tensor], _ backward: @escaping (Tensor) -> Void) {
        requiresGrad = true
        self.parents = parents
        backwardFn = backward
    }

    /// Where to put this tensor's gradient: the pointer, and whether to add to it (true) or
    /// overwrite it (false: the buffer is fresh and uninitialised).
    @inline(__always)
    func gradientSlot() -> (pointer: UnsafeMutablePointer<Float>, accumulate: Bool) {
        if let g = grad { return (g.data, true) }
        let g = Tensor(uninitializedShape: shape, count: count)
        grad = g
        return (g.data, false)
    }

    /// Adds `g` (same element count) into this tensor's gradient. When there is no gradient
    /// yet, `g`'s storage is adopted instead of copied: callers pass only gradients that
    /// nothing else will read or write afterwards (the output gradient of the node being
    /// processed, which `backward()` drops right after).
    func takeGradient(_ g: Tensor) {
        if grad == nil {
            grad = g.shape == shape ? g : Tensor(shape: shape, count: count, storage: g.storage)
        } else {
            accumulateGradient(g.data)
        }
    }

    /// Adds `source[0..<count]` into this tensor's gradient.
    func accumulateGradient(_ source: UnsafePointer<Float>) {
        let (g, accumulate) = gradientSlot()
        if accumulate {
            for i in 0..<count { g[i] += source[i] }
        } else {
            g.update(from: source, count: count)
        }
    }

    /// Computes gradients of this one-element tensor with respect to every tensor it was
    /// computed from that has `requiresGrad`, adding them into their `grad`.
    /// The graph is released as it is consumed: call it once per forward pass.
    ///
    ///     let loss = try (x * x).sum()
    ///     try loss.backward()          // x.grad == 2x
    public func backward() throws {
        guard count == 1 else {
            throw TensorError(op: "backward", message: "needs a one-element loss, got shape \(shape); reduce it with sum() or mean() first")
        }
        guard requiresGrad else {
            throw TensorError(op: "backward", message: "the loss does not depend on any tensor with requiresGrad (was it computed inside withoutGrad?)")
        }
        let order = topologicalOrder()
        let (seed, accumulate) = gradientSlot()
        seed[0] = accumulate ? seed[0] + 1 : 1
        for node in order.reversed() {
            guard let backward = node.backwardFn else { continue }
            if let g = node.grad { backward(g) }
            // Free saved inputs and the intermediate gradient as soon as they are consumed.
            node.backwardFn = nil
            node.parents = []
            node.grad = nil
            node.requiresGrad = false
        }
    }

    /// Interior nodes (those with a backward function) in an order where inputs come before
    /// the results made from them.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, next) = stack.popLast() {
            if next < node.parents.count {
                stack.append((node, next + 1))
                let parent = node.parents[next]
                if parent.backwardFn != nil, visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else if node.backwardFn != nil {
                order.append(node)
            }
        }
        return order
    }
}
