import LaifModels
import LaifSim
import LaifSupport

/// Whether one training step fits in the memory this process may use (`MemoryBudget`),
/// checked by every trainer once its arguments are valid. Batches may hold up to 65,536 rows,
/// and a step keeps every row's activations for the backward pass: sft with batch 65536 on the
/// default student asked for about 20 GB, and where less was free the system killed the
/// process (or an allocation failed and it aborted, exit 134), taking a REPL session with it.
enum StepMemory {
    /// The share of the budget one step may take: the estimate is rough, and the process
    /// holds its models, datasets and the interpreter besides.
    static let usableShare = 0.8

    /// An upper estimate of the bytes one training step holds per token of a row: the
    /// activations each layer keeps for the backward pass (a transformer block keeps about
    /// 8 + 3 x mlp_ratio widths and one attention row per head), the same again for their
    /// gradients, and three vocabulary-wide rows (logits, probabilities, their gradient).
    /// Measured peaks of the default student run at about two thirds of it.
    ///
    ///     StepMemory.bytesPerToken(model, length: 32)
    static func bytesPerToken(_ model: LanguageModel, length: Int) -> Int {
        let architecture = model.architecture
        func size(_ key: String) -> Int { architecture[key].flatMap { Int($0) } ?? 0 }
        let vocab = model.vocabSize
        let floats: Int
        if architecture["kind"] == "mlp" {
            let hidden = size("hidden") * max(1, size("hidden_layers"))
            floats = 2 * (size("context") * size("embedding") + 3 * hidden) + 3 * vocab
        } else {
            let width = size("d_model"), perLayer = (8 + 3 * max(1, size("mlp_ratio"))) * width + size("heads") * length
            floats = 2 * (size("layers") * perLayer + 4 * width) + 3 * vocab
        }
        return 4 * max(floats, 1)
    }

    /// Throws unless a step of `rows` rows of up to `length` tokens fits the usable share of
    /// `budget`; the error names the option that sets the rows and a value that fits
    /// (`rowsPerUnit` rows per unit of that option: 2 per preference pair, k per RLOO prompt).
    /// A step run in micro-batches (`MicroBatching`) holds the activations of its largest
    /// micro-batch only, `liveRows` rows; a batch no larger than the value suggested runs whole,
    /// so the suggestion fits either way.
    ///
    ///     try StepMemory.require(model, rows: 64, length: 24, trainer: "sft", option: "batch")
    static func require(_ model: LanguageModel, rows: Int, length: Int, trainer: String, option: String,
                        rowsPerUnit: Int = 1, liveRows: Int? = nil,
                        budget: (bytes: Int, source: String) = MemoryBudget.current) throws {
        let perRow = Double(bytesPerToken(model, length: length)) * Double(max(length, 1))
        let live = min(liveRows ?? rows, rows)
        let needed = perRow * Double(live)
        let usable = Double(budget.bytes) * usableShare
        guard needed > usable else { return }
        let fitting = max(1, Int(usable / (perRow * Double(max(rowsPerUnit, 1)))))
        let split = live < rows ? ", in micro-batches of \(live)," : ""
        throw TrainingError(trainer: trainer, argument: "",
                            message: "one training step over \(rows) rows of up to \(length) tokens\(split) needs about "
                                + "\(MemoryBudget.describe(needed)), more than this process may use "
                                + "(\(MemoryBudget.describe(Double(budget.bytes))), \(budget.source)); "
                                + "use a smaller \(option), e.g. \(option): \(fitting)")
    }

    /// `require` for a step that runs in micro-batches, as SFT's do (`MicroBatching`).
    ///
    ///     try StepMemory.requireMicroBatched(model, rows: 64, length: 24, trainer: "sft", option: "batch")
    static func requireMicroBatched(_ model: LanguageModel, rows: Int, length: Int, trainer: String, option: String) throws {
        let live = MicroBatching.ranges(sequences: rows, length: length).map(\.count).max() ?? rows
        try require(model, rows: rows, length: length, trainer: trainer, option: option, liveRows: live)
    }

    /// The longest prompt plus its longer reply among `prefs`: the row length a preference
    /// step runs.
    ///
    ///     StepMemory.longestRow(prefs)   // 14
    static func longestRow(_ prefs: PreferenceDataset) -> Int {
        prefs.examples.map { $0.prompt.tokens.count + max($0.chosen.count, $0.rejected.count) }.max() ?? 0
    }
}
