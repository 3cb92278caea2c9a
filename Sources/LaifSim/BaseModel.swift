import Foundation
import LaifModels
import LaifTensor

/// Everything that decides a base model's weights: the family, the student size and the
/// pretraining recipe (the world is passed beside it and hashed into the cache key too).
///
///     let c = try BaseModelConfig(family: "mistral", size: "default", recipe: "fast")
public struct BaseModelConfig: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var family: BaseFamily
    public var size: StudentSize
    public var recipe: PretrainingRecipe

    /// A configuration from parts.
    ///
    ///     BaseModelConfig(family: f, size: .tiny, recipe: .tiny)
    public init(family: BaseFamily, size: StudentSize? = nil, recipe: PretrainingRecipe = .standard) {
        self.family = family
        self.size = size ?? family.size
        self.recipe = recipe
    }

    /// A configuration from names: `size` is "default" (the family's own), "tiny" (d 16,
    /// 1 layer, for tests), "small" (d 32) or "large" (d 64, 3 layers); `recipe` is
    /// "standard", "long", "fast" or "tiny".
    ///
    ///     try BaseModelConfig(family: "yi", size: "small", recipe: "fast")
    public init(family: String, size: String = "default", recipe: String = "standard") throws {
        let f = try BaseFamily.named(family)
        let s: StudentSize
        switch size.lowercased() {
        case "default", "": s = f.size
        case "tiny": s = .tiny
        case "small": s = StudentSize(dModel: 32, layers: 2, heads: 4)
        case "large": s = StudentSize(dModel: 64, layers: 3, heads: 4)
        default: throw SimError("base_model: unknown size \"\(size)\"; choose \"default\", \"tiny\", \"small\" or \"large\"")
        }
        self.init(family: f, size: s, recipe: try PretrainingRecipe.named(recipe))
    }

    public var description: String { "\(family.name): \(size); \(recipe)" }
}

/// A pretrained base model with where it came from.
///
///     let base = try buildBaseModel(world: w, config: c)
///     base.model.parameterCount; base.origin
public struct BaseModel: CustomStringConvertible {
    /// How this call obtained the weights.
    ///
    ///     if base.origin == .cached { ... }
    public enum Origin: Equatable, Sendable, CustomStringConvertible {
        /// Pretrained now (no cache entry existed).
        case trained
        /// Loaded from the cache.
        case cached
        /// The cache entry was unusable (reason given) and was rebuilt.
        case rebuilt(String)
        /// Pretrained now, but writing the cache entry failed (reason given): the model is
        /// returned anyway rather than losing the pretraining to a full disk.
        case uncached(String)

        public var description: String {
            switch self {
            case .trained: return "pretrained"
            case .cached: return "loaded from cache"
            case .rebuilt(let why): return "rebuilt (cache entry unusable: \(why))"
            case .uncached(let why): return "pretrained, not cached (\(why); set LAIF_CACHE to a writable folder)"
            }
        }
    }

    public let model: LanguageModel
    public let world: World
    public let config: BaseModelConfig
    /// The cache file holding these weights (where it would be, when `origin` is `.uncached`).
    public let cachePath: String
    public let origin: Origin
    /// Loss of the last pretraining step (nil when loaded from the cache).
    public let finalLoss: Float?

    public var description: String {
        "base model \(config.family.name) (\(model.parameterCount) parameters; \(config.size); "
            + "\(config.recipe.steps) pretraining steps; \(origin))"
    }
}

/// The cache folder: `explicit` if given, else `$LAIF_CACHE`, else `$XDG_CACHE_HOME/laif`,
/// else `~/.cache/laif`.
///
///     laifCacheDirectory()   // "/home/me/.cache/laif"
public func laifCacheDirectory(_ explicit: String? = nil) -> String {
    if let explicit, !explicit.isEmpty { return explicit }
    let env = ProcessInfo.processInfo.environment
    if let dir = env["LAIF_CACHE"], !dir.isEmpty { return dir }
    if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/laif" }
    return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/laif"
}

/// The cache key: a stable hash of every input to pretraining (world knobs, its hidden table
/// and difficulties, the family, the size, the recipe, a format version). The version also
/// stands for the numerics: a change to the tensor kernels that alters float rounding gives
/// other weights for the same recipe, so it bumps the version rather than let a cache from an
/// older build mix with fresh pretraining (v2: fused attention and chunked products).
///
///     baseModelCacheKey(world: w, config: c)   // "3fa9c2d17b0e4a58"
public func baseModelCacheKey(world: World, config: BaseModelConfig) -> String {
    var h = StableHash(seed: 0x1A1F_BA5E)
    h.combine("laif-base-v2")
    let wc = world.config
    for v in [wc.tasks, wc.vocab, wc.promptLength.lowerBound, wc.promptLength.upperBound, wc.fillers] { h.combine(v) }
    h.combine(wc.seed)
    for row in world.table { for v in row { h.combine(v) } }
    for row in world.difficulties { for d in row { h.combine(d) } }
    let f = config.family
    h.combine(f.name); h.combine(f.maker); h.combine(f.latentStrength)
    let s = config.size
    for v in [s.dModel, s.layers, s.heads, s.maxLength] { h.combine(v) }
    let r = config.recipe
    for v in [r.documents, r.documentLength, r.steps, r.batchSize, r.warmup] { h.combine(v) }
    for d in [r.shuffledShare, r.interleavedShare, r.runOnShare, r.endedShare, r.learningRate, r.minFactor, r.weightDecay] { h.combine(d) }
    h.combine(r.seed)
    return sixteenHexDigits(h.value)
}

/// A base model for a family: loaded from the cache when an entry with the same key exists
/// and reads back whole, else pretrained on the family's corpus and written to the cache
/// (atomically, as safetensors with the architecture and key in the metadata). A corrupt or
/// mismatched entry is rebuilt, never trusted.
///
///     let base = try buildBaseModel(world: w, config: try BaseModelConfig(family: "mistral"))
public func buildBaseModel(world: World, config: BaseModelConfig, cacheDirectory: String? = nil,
                           progress: ((PretrainingProgress) -> Bool)? = nil) throws -> BaseModel {
    let recipe = try config.recipe.validated()
    // A prompt of L content tokens is L + 3 tokens (BOS, task, SEP) and its gold reply L + 1
    // (EOS). Worlds allow prompts longer than a base student holds: such a base used to be
    // pretrained and cached, then refused every long demonstration in sft, while evaluate cut
    // its replies short at max length without a word.
    let longest = world.config.promptLength.upperBound
    guard 2 * longest + 4 <= config.size.maxLength else {
        throw SimError("base_model: this world's longest prompts (prompt_len up to \(longest)) take \(2 * longest + 4) tokens with their gold replies, "
            + "more than a base model's max length \(config.size.maxLength); use prompt_len up to \((config.size.maxLength - 4) / 2), "
            + "or a transformer(vocab: w.vocab_size, max_len: 64) of your own")
    }
    let key = baseModelCacheKey(world: world, config: config)
    let folder = laifCacheDirectory(cacheDirectory)
    let path = folder + "/base-\(config.family.name)-\(key).safetensors"
    var origin = BaseModel.Origin.trained
    if FileManager.default.fileExists(atPath: path) {
        do {
            let model = try loadCachedBase(path: path, key: key)
            return BaseModel(model: model, world: world, config: config, cachePath: path, origin: .cached, finalLoss: nil)
        } catch {
            origin = .rebuilt("\(error)")
        }
    }
    // The folder is checked before pretraining, which can take minutes, so a bad LAIF_CACHE
    // fails at once.
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw SimError("base_model: cannot create the cache folder \(folder) (\(error.localizedDescription)); set LAIF_CACHE to a writable folder")
    }
    guard FileManager.default.isWritableFile(atPath: folder) else {
        throw SimError("base_model: the cache folder \(folder) is not writable; set LAIF_CACHE to a writable folder")
    }
    let writer = try config.family.latentOracle(world: world)
    let corpus = pretrainingCorpus(world: world, writer: writer, recipe: recipe)
    var seed = StableHash(seed: recipe.seed)
    seed.combine("pretrain")
    seed.combine(config.family.name)
    let (model, loss) = try pretrain(corpus: corpus, vocabSize: world.vocabSize, size: config.size, recipe: recipe,
                                     seed: seed.value, progress: progress)
    do {
        try writeCachedBase(model, key: key, config: config, to: path)
    } catch {
        origin = .uncached("\(error)")
    }
    return BaseModel(model: model, world: world, config: config, cachePath: path, origin: origin, finalLoss: loss)
}

/// Writes a pretrained base to the cache atomically, with the architecture, the key and a
/// checksum of the weights in the metadata.
func writeCachedBase(_ model: LanguageModel, key: String, config: BaseModelConfig, to path: String) throws {
    let tensors = model.parameters.map { (name: $0.name, shape: $0.tensor.shape, values: $0.tensor.toArray()) }
    var file = SafetensorsFile(metadata: model.architecture.merging([
        "laif.cache_key": key, "laif.family": config.family.name, "laif.config": config.description,
        "laif.weights_checksum": weightsChecksum(tensors.map { ($0.name, $0.values) }),
    ]) { a, _ in a })
    for tensor in tensors {
        try file.add(tensor.name, SafetensorsTensor(shape: tensor.shape, values: tensor.values))
    }
    try file.write(toFile: path)
}

/// A stable hash of named weights, bit for bit, in name order. Shapes, names and finiteness alone let a cache
/// entry with a changed value load as if whole (a flipped byte moved a base's quality without a
/// word); the checksum catches any change.
///
///     weightsChecksum([("w", [1, 2])])   // 16 hex digits
func weightsChecksum(_ tensors: [(name: String, values: [Float])]) -> String {
    var h = StableHash(seed: 0xC4EC_C5A3)
    // By name: a file lists its tensors in its own order.
    for (name, values) in tensors.sorted(by: { $0.name < $1.name }) {
        h.combine(name)
        h.combine(values.count)
        var i = 0
        // Two values per word: half the mixing of one per word, for a 100k-value base.
        while i + 1 < values.count {
            h.combine(UInt64(values[i].bitPattern) << 32 | UInt64(values[i + 1].bitPattern))
            i += 2
        }
        if i < values.count { h.combine(UInt64(values[i].bitPattern)) }
    }
    return sixteenHexDigits(h.value)
}

/// `value` as 16 hex digits, leading zeros kept (cache keys and checksums have one width).
///
///     sixteenHexDigits(255)   // "00000000000000ff"
private func sixteenHexDigits(_ value: UInt64) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// Reads a cached base and checks its key, architecture, every tensor's name and shape, that
/// every value is finite, and the weights' checksum.
func loadCachedBase(path: String, key: String) throws -> LanguageModel {
    let file = try SafetensorsFile(contentsOfFile: path)
    guard file.metadata["laif.cache_key"] == key else {
        throw SimError("cache key \(file.metadata["laif.cache_key"] ?? "none") does not match \(key)")
    }
    guard let checksum = file.metadata["laif.weights_checksum"] else {
        throw SimError("no weights checksum (written by an older laif)")
    }
    let stored = file.tensorNames.compactMap { name in file[name].map { (name: name, values: $0.values) } }
    guard weightsChecksum(stored) == checksum else {
        throw SimError("the weights do not match their checksum (the file changed after it was written)")
    }
    let architecture = file.metadata.filter { !$0.key.hasPrefix("laif.") }
    let model = try makeLanguageModel(architecture: architecture)
    guard file.tensorNames.count == model.parameters.count else {
        throw SimError("holds \(file.tensorNames.count) tensors, the model has \(model.parameters.count)")
    }
    for p in model.parameters {
        guard let stored = file[p.name] else { throw SimError("tensor \(p.name) is missing") }
        guard stored.shape == p.tensor.shape else {
            throw SimError("tensor \(p.name) has shape \(stored.shape), expected \(p.tensor.shape)")
        }
        guard stored.values.allSatisfy(\.isFinite) else { throw SimError("tensor \(p.name) holds non-finite values") }
        try p.tensor.assign(stored.values)
    }
    return model
}
