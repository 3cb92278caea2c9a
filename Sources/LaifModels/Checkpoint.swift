import LaifTensor

/// Why a checkpoint could not be saved or loaded; names the file and, where one is at fault,
/// the tensor. Problems with the file format itself are `SafetensorsError`s.
///
///     catch let error as CheckpointError { print(error) }
///     // "sft.safetensors: tensor \"head.weight\" has shape [16, 32] in the file but [16, 48] in the model"
public struct CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The checkpoint's path.
    public let file: String
    /// What is wrong.
    public let message: String

    /// Makes an error about `file`.
    ///
    ///     CheckpointError(file: "m.safetensors", message: "missing tensor \"head.bias\"")
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// The file and the message, for printing.
    ///
    ///     print(error)   // "m.safetensors: missing tensor \"head.bias\" ..."
    public var description: String { "\(file): \(message)" }
}

/// A model read back from a checkpoint, with the free-form metadata saved beside it.
///
///     let checkpoint = try readCheckpoint(from: "sft.safetensors")
///     checkpoint.metadata["trained_by"]   // "sft"
public struct Checkpoint {
    /// The rebuilt model, holding the saved weights.
    public let model: LanguageModel
    /// The caller's metadata given to `saveCheckpoint` (architecture keys removed).
    public let metadata: [String: String]
}

/// How a laif checkpoint lays out its safetensors metadata: the architecture under `arch.`
/// keys (so Python tools see it), a format marker, and the caller's own keys unchanged.
///
///     CheckpointLayout.architecturePrefix   // "arch."
public enum CheckpointLayout {
    /// Prefix of the metadata keys that hold `LanguageModel.architecture`.
    public static let architecturePrefix = "arch."
    /// Metadata key naming the checkpoint format.
    public static let formatKey = "laif.format"
    /// The format this version writes and reads.
    public static let formatVersion = "checkpoint-1"
    /// Prefix reserved for laif's own keys.
    public static let reservedPrefix = "laif."
}

/// Saves `model`'s parameters as F32 tensors under their stable names in a safetensors file
/// (written atomically), with its architecture and `metadata` in the header. Python's
/// `safetensors.numpy.load_file` reads it.
///
///     try saveCheckpoint(model, to: "runs/sft.safetensors", metadata: ["step": "300"])
public func saveCheckpoint(_ model: LanguageModel, to path: String, metadata: [String: String] = [:]) throws {
    var header: [String: String] = [:]
    for (key, value) in metadata {
        if key.hasPrefix(CheckpointLayout.architecturePrefix) || key.hasPrefix(CheckpointLayout.reservedPrefix) {
            throw CheckpointError(file: path, message:
                "metadata key \"\(key)\" is reserved (keys starting with \"\(CheckpointLayout.architecturePrefix)\" or \"\(CheckpointLayout.reservedPrefix)\" are laif's); rename it")
        }
        header[key] = value
    }
    for (key, value) in model.architecture {
        header[CheckpointLayout.architecturePrefix + key] = value
    }
    header[CheckpointLayout.formatKey] = CheckpointLayout.formatVersion

    var file = SafetensorsFile(metadata: header)
    for parameter in model.parameters {
        do {
            try file.add(parameter.name, SafetensorsTensor(shape: parameter.tensor.shape, values: parameter.tensor.toArray()))
        } catch let error as SafetensorsError {
            throw CheckpointError(file: path, message: "the model's parameter \"\(parameter.name)\" cannot be saved: \(error.message)")
        }
    }
    try file.write(toFile: path)
}

/// Loads a checkpoint written by `saveCheckpoint`: rebuilds the model from its architecture
/// metadata and copies every weight in, checking that names and shapes match exactly.
///
///     let model = try loadCheckpoint(from: "runs/sft.safetensors")
public func loadCheckpoint(from path: String) throws -> LanguageModel {
    try readCheckpoint(from: path).model
}

/// Like `loadCheckpoint(from:)`, and also returns the caller's metadata saved with it.
///
///     let (model, metadata) = try readCheckpoint(from: "sft.safetensors").unpacked
public func readCheckpoint(from path: String) throws -> Checkpoint {
    let file = try SafetensorsFile(contentsOfFile: path)
    if let format = file.metadata[CheckpointLayout.formatKey], format != CheckpointLayout.formatVersion {
        throw CheckpointError(file: path, message:
            "checkpoint format \"\(format)\" is not one this laif reads (\"\(CheckpointLayout.formatVersion)\"); was it written by a newer laif?")
    }
    var architecture: [String: String] = [:]
    var metadata: [String: String] = [:]
    for (key, value) in file.metadata {
        if key.hasPrefix(CheckpointLayout.architecturePrefix) {
            architecture[String(key.dropFirst(CheckpointLayout.architecturePrefix.count))] = value
        } else if !key.hasPrefix(CheckpointLayout.reservedPrefix) {
            metadata[key] = value
        }
    }
    guard !architecture.isEmpty else {
        throw CheckpointError(file: path, message:
            "no architecture metadata (\"\(CheckpointLayout.architecturePrefix)*\" keys): not a laif checkpoint (laif writes these keys when it saves a model)")
    }
    let blueprint: LanguageModelBlueprint
    do {
        blueprint = try LanguageModelBlueprint(architecture: architecture)
    } catch {
        throw CheckpointError(file: path, message: "its architecture metadata does not describe a model: \(error)")
    }
    // Building initialises every weight: a few-KB file whose metadata says d_model 4096 used
    // to spend half a minute and a gigabyte on a model its weights could never fill. Small
    // models are still built, so their mismatches are named tensor by tensor below.
    let stored = file.tensorNames.reduce(0) { $0 &+ (file[$1]?.values.count ?? 0) }
    guard blueprint.parameterCount <= max(stored, checkpointCheapBuildLimit) else {
        throw CheckpointError(file: path, message:
            "its architecture metadata describes a model of \(blueprint.parameterCount) parameters, but the file holds only \(stored) values (architecture metadata and weights disagree)")
    }
    let model = try blueprint.build(seed: 0)
    try loadWeights(from: file, into: model, path: path)
    return Checkpoint(model: model, metadata: metadata)
}

extension Checkpoint {
    /// The model and metadata as a tuple, for destructuring.
    ///
    ///     let (model, metadata) = try readCheckpoint(from: path).unpacked
    public var unpacked: (model: LanguageModel, metadata: [String: String]) { (model, metadata) }
}

/// Models up to this many parameters are built even when the file holds fewer values, so the
/// error names the first missing or mis-shaped tensor; bigger ones are refused by count first.
let checkpointCheapBuildLimit = 1 << 20

/// Copies the file's tensors into the model's parameters, refusing any missing, extra or
/// mis-shaped tensor so a checkpoint never half-loads silently.
private func loadWeights(from file: SafetensorsFile, into model: LanguageModel, path: String) throws {
    let parameters = model.parameters
    let expected = Set(parameters.map(\.name))
    if let extra = file.tensorNames.first(where: { !expected.contains($0) }) {
        throw CheckpointError(file: path, message:
            "tensor \"\(extra)\" is not a parameter of the \(model.architecture["kind"] ?? "rebuilt") model (architecture metadata and weights disagree)")
    }
    for parameter in parameters {
        guard let stored = file[parameter.name] else {
            throw CheckpointError(file: path, message:
                "missing tensor \"\(parameter.name)\" (shape \(parameter.tensor.shape)) that the model needs")
        }
        guard stored.shape == parameter.tensor.shape else {
            throw CheckpointError(file: path, message:
                "tensor \"\(parameter.name)\" has shape \(stored.shape) in the file but \(parameter.tensor.shape) in the model")
        }
    }
    for parameter in parameters {
        try parameter.tensor.assign(file[parameter.name]!.values)
    }
}
