/// The distinct prefixes of a batch of token rows, and which of them are scored.
///
/// In a causal model the activations at position t of a row depend only on the row's tokens
/// 0...t, so two rows that start alike (a DPO pair's chosen and rejected reply after the same
/// prompt, an RL group's k samples of one prompt) have identical activations along their common
/// prefix. Each distinct prefix is one node of a trie over the rows; the model runs its
/// position-wise layers once per node instead of once per position, and attention reads each
/// row's keys and values back through `nodeOfPosition`. Positions whose next token is not
/// scored (target -1: prompt and padding) still feed later positions' attention, but nothing
/// after the last block's attention needs them, so the last block runs only on `scoredNodes`.
///
///     let layout = SharedPrefixLayout(tokens: [1, 2, 3,  1, 2, 4], targets: [-1, 3, 7,  -1, 4, 5], batch: 2, length: 3)
///     layout.nodeCount      // 4: "1", "1 2", "1 2 3", "1 2 4"
///     layout.scoredNodes    // [1, 2, 3]: "1 2" predicts both rows' third token
struct SharedPrefixLayout {
    let batch: Int
    let length: Int
    /// For every position (row-major `[batch, length]`), the node of the prefix ending there.
    let nodeOfPosition: [Int32]
    /// Each node's last token and its position in the row.
    let nodeTokens: [Int32]
    let nodePositions: [Int32]
    /// A position where each node occurs (the first): its attention output is read from there.
    let firstPosition: [Int32]
    /// Nodes whose next token is scored at one or more positions, in node order.
    let scoredNodes: [Int32]
    /// For every position, the row of its node in `scoredNodes` (0 where it is not scored).
    let scoredRowOfPosition: [Int32]
    var nodeCount: Int { nodeTokens.count }

    /// `firstPosition` of each scored node.
    var scoredFirstPositions: [Int32] { scoredNodes.map { firstPosition[Int($0)] } }

    /// `tokens` and `targets` hold `batch * length` entries; a negative target is not scored.
    init(tokens: [Int32], targets: [Int32], batch: Int, length: Int) {
        self.batch = batch
        self.length = length
        var children = TrieEdges(capacity: tokens.count)
        var nodeOfPosition = [Int32](repeating: 0, count: tokens.count)
        var nodeTokens: [Int32] = [], nodePositions: [Int32] = [], firstPosition: [Int32] = []
        for row in 0..<batch {
            var parent: Int32 = -1
            for t in 0..<length {
                let index = row * length + t
                let node = children.child(of: parent, token: tokens[index], next: Int32(nodeTokens.count))
                if Int(node) == nodeTokens.count {
                    nodeTokens.append(tokens[index])
                    nodePositions.append(Int32(t))
                    firstPosition.append(Int32(index))
                }
                nodeOfPosition[index] = node
                parent = node
            }
        }
        var scoredRowOfNode = [Int32](repeating: -1, count: nodeTokens.count)
        for (index, target) in targets.enumerated() where target >= 0 {
            scoredRowOfNode[Int(nodeOfPosition[index])] = 0
        }
        var scoredNodes: [Int32] = []
        for node in scoredRowOfNode.indices where scoredRowOfNode[node] == 0 {
            scoredRowOfNode[node] = Int32(scoredNodes.count)
            scoredNodes.append(Int32(node))
        }
        self.nodeOfPosition = nodeOfPosition
        self.nodeTokens = nodeTokens
        self.nodePositions = nodePositions
        self.firstPosition = firstPosition
        self.scoredNodes = scoredNodes
        self.scoredRowOfPosition = nodeOfPosition.enumerated().map { index, node in
            targets[index] >= 0 ? scoredRowOfNode[Int(node)] : 0
        }
    }

    /// Whether running on nodes saves work over running on every position.
    var savesWork: Bool { nodeCount < batch * length || scoredNodes.count < nodeCount }
}

/// The trie's edges (parent node, token) -> child node: an open-addressing hash table, since
/// the layout is rebuilt for every batch and Swift's Dictionary hashing cost more than the
/// gathers it saves.
private struct TrieEdges {
    private var keys: [UInt64]
    private var nodes: [Int32]
    private let mask: Int
    private static let empty = UInt64.max

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        nodes = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The child of `parent` (-1: the root) along `token`, adding it as node `next` if new.
    mutating func child(of parent: Int32, token: Int32, next: Int32) -> Int32 {
        // Tokens are never negative, so no edge's key equals `empty`.
        let key = UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(UInt32(bitPattern: token))
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while keys[slot] != Self.empty {
            if keys[slot] == key { return nodes[slot] }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        nodes[slot] = next
        return next
    }
}
