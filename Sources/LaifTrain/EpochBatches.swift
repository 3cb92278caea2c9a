import LaifTensor

/// The minibatches of an epoch-based trainer (SFT, DPO, the reward model): every epoch visits
/// each of `count` examples once, in a fresh shuffled order, `batchSize` rows a step (the
/// last batch of an epoch may be smaller).
///
///     var batches = EpochBatches(count: 10, batchSize: 4, rng: RandomGenerator(seed: 1))
///     batches.stepsPerEpoch          // 3
///     batches.rows(forStep: 0)       // four shuffled indices in 0..<10
struct EpochBatches {
    let count: Int
    let batchSize: Int
    let stepsPerEpoch: Int
    private var rng: RandomGenerator
    private var order: [Int] = []

    /// Batches over `count` examples (at least one); `batchSize` is capped at `count`.
    init(count: Int, batchSize: Int, rng: RandomGenerator) {
        self.count = count
        self.batchSize = max(1, min(batchSize, count))
        stepsPerEpoch = (count + self.batchSize - 1) / self.batchSize
        self.rng = rng
    }

    /// The example indices of 0-based `step`; reshuffles at the start of each epoch.
    mutating func rows(forStep step: Int) -> [Int] {
        let within = step % stepsPerEpoch
        if within == 0 || order.isEmpty { order = shuffledIndices(count, rng: &rng) }
        return Array(order[(within * batchSize)..<min((within + 1) * batchSize, count)])
    }

    /// The fractional epoch reached after 0-based `step`, as TRL logs it.
    func epoch(afterStep step: Int) -> Double {
        Double(step + 1) / Double(stepsPerEpoch)
    }
}
