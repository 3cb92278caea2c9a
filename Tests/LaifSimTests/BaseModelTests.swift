import Foundation
import LaifModels
import LaifTensor
import Testing
@testable import LaifSim

/// Base families on a tiny world with a tiny student and recipe (fast in a debug build).
struct BaseModelTests {
    let world: World
    let cache: String

    init() throws {
        world = try World(tasks: 2, vocab: 6, promptLength: 2...3, fillers: 2, seed: 3)
        cache = NSTemporaryDirectory() + "laif-sim-cache-\(UUID().uuidString)"
    }

    func tinyConfig(_ family: String = "mistral") throws -> BaseModelConfig {
        BaseModelConfig(family: try BaseFamily.named(family), size: .tiny, recipe: .tiny)
    }

    func weights(_ m: LanguageModel) -> [[Float]] { m.parameters.map { $0.tensor.toArray() } }

    @Test func corpusIsMostlyNotInTheInstructionFormat() throws {
        let writer = try BaseFamily.named("mistral").latentOracle(world: world)
        var recipe = PretrainingRecipe.tiny
        recipe.documents = 400
        let docs = pretrainingCorpus(world: world, writer: writer, recipe: recipe)
        #expect(docs.count == 400)
        #expect(docs.allSatisfy { $0.count == recipe.documentLength })
        let withEOS = docs.filter { $0.contains(TokenLayout.eos) }.count
        #expect(withEOS > 20 && withEOS < 120)   // about 15% of documents
        #expect(pretrainingCorpus(world: world, writer: writer, recipe: recipe) == docs)
    }

    @Test func familiesDifferAndNamesResolve() throws {
        #expect(BaseFamily.all.count >= 6)
        for name in ["llama", "llama2-13b", "mistral", "mixtral", "yi", "deepseek"] { _ = try BaseFamily.named(name) }
        #expect(Set(BaseFamily.all.map(\.latentStrength)).count > 2)
        #expect(Set(BaseFamily.all.map(\.size)).count > 1)
        #expect(throws: SimError.self) { try BaseFamily.named("gpt-2") }
        #expect(throws: SimError.self) { try BaseModelConfig(family: "mistral", size: "huge") }
        #expect(throws: SimError.self) { try BaseModelConfig(family: "mistral", recipe: "slow") }
        // `long` doubles the corpus and the steps of `standard`, keeping its epochs and knobs.
        let standard = try PretrainingRecipe.named("standard"), long = try PretrainingRecipe.named("LONG")
        #expect(long.documents == 2 * standard.documents && long.steps == 2 * standard.steps)
        #expect(long.batchSize == standard.batchSize && long.learningRate == standard.learningRate)
        #expect(baseModelCacheKey(world: world, config: try BaseModelConfig(family: "mistral", recipe: "long"))
            != baseModelCacheKey(world: world, config: try BaseModelConfig(family: "mistral", recipe: "standard")))
        // The key covers the world and every knob.
        let c = try tinyConfig()
        var other = c
        other.recipe.seed = 1
        #expect(baseModelCacheKey(world: world, config: c) != baseModelCacheKey(world: world, config: other))
        #expect(baseModelCacheKey(world: world, config: c) != baseModelCacheKey(world: try World(tasks: 2, vocab: 6, promptLength: 2...3, fillers: 2, seed: 4), config: c))
        #expect(baseModelCacheKey(world: world, config: c) == baseModelCacheKey(world: world, config: try tinyConfig()))
    }

    @Test func pretrainsThenHitsTheCacheThenRebuildsACorruptEntry() throws {
        defer { try? FileManager.default.removeItem(atPath: cache) }
        var losses: [Float] = []
        let first = try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache) { p in
            losses.append(p.loss)
            return true
        }
        #expect(first.origin == .trained)
        #expect(losses.count == PretrainingRecipe.tiny.steps)
        #expect(losses.last! < losses.first! - 0.5)   // it learned something
        #expect(FileManager.default.fileExists(atPath: first.cachePath))

        let second = try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache) { _ in
            Issue.record("a cache hit must not train")
            return true
        }
        #expect(second.origin == .cached)
        #expect(weights(second.model) == weights(first.model))

        // Truncate the entry: it is rebuilt (bit-identical, training is seeded), not trusted.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first.cachePath))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: first.cachePath))
        let third = try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache)
        if case .rebuilt = third.origin {} else { Issue.record("expected a rebuild, got \(third.origin)") }
        #expect(weights(third.model) == weights(first.model))
        #expect(try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache).origin == .cached)

        // One weight changed in place keeps the file whole and every value finite: the
        // checksum catches it (it used to load, and moved the base's quality without a word).
        var whole = try Data(contentsOf: URL(fileURLWithPath: first.cachePath))
        let headerLength = Int(whole.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let at = 8 + headerLength + 100
        whole.replaceSubrange(at..<(at + 4), with: withUnsafeBytes(of: Float(50).bitPattern.littleEndian) { Data($0) })
        try whole.write(to: URL(fileURLWithPath: first.cachePath))
        let fourth = try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache)
        guard case .rebuilt(let reason) = fourth.origin else {
            Issue.record("expected a rebuild, got \(fourth.origin)")
            return
        }
        #expect(reason.contains("checksum"))
        #expect(weights(fourth.model) == weights(first.model))

        // A cancelled pretraining throws and writes nothing.
        var c = try tinyConfig("yi")
        c.recipe.steps = 5
        #expect(throws: PretrainingCancelled.self) {
            try buildBaseModel(world: world, config: c, cacheDirectory: cache) { $0.step < 2 }
        }
        #expect(!FileManager.default.fileExists(atPath: cache + "/base-yi-\(baseModelCacheKey(world: world, config: c)).safetensors"))
    }

    @Test func aCacheThatCannotBeWrittenNeverCostsThePretraining() throws {
        let folder = cache + "-unwritable"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A cache folder that cannot exist (under a regular file) fails before any step.
        let file = folder + "/plain-file"
        try Data([1]).write(to: URL(fileURLWithPath: file))
        #expect(throws: SimError.self) {
            try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: file + "/cache") { _ in
                Issue.record("pretraining must not start when the cache folder cannot be made")
                return true
            }
        }
        // An entry that cannot be written (a folder sits at its path) still returns the model.
        let key = baseModelCacheKey(world: world, config: try tinyConfig())
        try FileManager.default.createDirectory(atPath: folder + "/base-mistral-\(key).safetensors/blocker", withIntermediateDirectories: true)
        let base = try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: folder)
        if case .uncached = base.origin {} else { Issue.record("expected an uncached model, got \(base.origin)") }
        #expect(base.origin.description.contains("LAIF_CACHE"))
        #expect(weights(base.model) == weights(try buildBaseModel(world: world, config: try tinyConfig(), cacheDirectory: cache + "-fresh").model))
        try? FileManager.default.removeItem(atPath: cache + "-fresh")
    }

    @Test func pairsAndEvaluationOnAModel() throws {
        var rng = RandomGenerator(seed: 1)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: world.vocabSize, maxLength: 32, dModel: 16, layers: 1, heads: 2), rng: &rng)
        let prompts = try world.prompts(24, seed: 2)
        let teacher = try Oracle(world: world, preset: "gpt-3.5")
        let pairs = try modelPairs(model: model, name: "student", world: world, prompts: prompts, against: .oracle(teacher))
        #expect(pairs.count == 24)
        #expect(pairs.pairs.map(\.second) == prompts.map { teacher.respond($0) })
        #expect(try modelPairs(model: model, name: "student", world: world, prompts: prompts, against: .oracle(teacher)).pairs == pairs.pairs)
        let selfPairs = try modelPairs(model: model, name: "student", world: world, prompts: prompts, against: .selfSample)
        #expect(selfPairs.pairs.map(\.first) == pairs.pairs.map(\.first))
        #expect(selfPairs.pairs.map(\.second) != pairs.pairs.map(\.first))

        let table = try evaluate(models: [("random", model)], judge: Oracle(world: world, preset: "gpt-4"),
                                 reference: Oracle(world: world, preset: "davinci"), prompts: prompts)
        let row = try #require(table.row(named: "random"))
        #expect(row.gold.judge == "gold")
        #expect(row.judged.winRate.value < 50)   // an untrained model loses to davinci
        #expect(table.description.contains("random"))

        // Common random numbers: a model's row depends neither on its name nor on its companions.
        var otherRng = RandomGenerator(seed: 9)
        let other = try TransformerLM(config: TransformerConfig(vocabSize: world.vocabSize, maxLength: 32, dModel: 16, layers: 1, heads: 2), rng: &otherRng)
        let beside = try evaluate(models: [("other", other), ("renamed", model)], judge: Oracle(world: world, preset: "gpt-4"),
                                  reference: Oracle(world: world, preset: "davinci"), prompts: prompts)
        let renamed = try #require(beside.row(named: "renamed"))
        #expect(renamed.judged.winRate.value == row.judged.winRate.value)
        #expect(renamed.goldQuality.value == row.goldQuality.value)
        #expect(renamed.meanLength == row.meanLength)
        let otherAlone = try evaluate(models: [("other", other)], judge: Oracle(world: world, preset: "gpt-4"),
                                      reference: Oracle(world: world, preset: "davinci"), prompts: prompts, seed: 1)
        #expect(otherAlone.rows[0].goldQuality.value != beside.rows[0].goldQuality.value || otherAlone.rows[0].meanLength != beside.rows[0].meanLength,
                "another evaluation seed should draw other replies")

        let wrongWorld = try World(tasks: 3, vocab: 6, seed: 3)
        #expect(throws: SimError.self) { try sampleReplies(model: model, world: wrongWorld, prompts: try wrongWorld.prompts(2), options: ReplyOptions()) }
        #expect(throws: SimError.self) { try sampleReplies(model: model, world: world, prompts: prompts, options: ReplyOptions(topP: 0)) }
        #expect(throws: SimError.self) { try evaluate(models: [("m", model)], judge: Oracle(world: world, preset: "gpt-4"), reference: Oracle(world: wrongWorld, preset: "davinci"), prompts: prompts) }
    }

    @Test func entryProbesAverageTheModelsOwnAnswerDistribution() throws {
        var rng = RandomGenerator(seed: 4)
        let model = try TransformerLM(config: TransformerConfig(vocabSize: world.vocabSize, maxLength: 32, dModel: 16, layers: 1, heads: 2), rng: &rng)
        let prompts = try world.prompts(40, seed: 5)
        let probes = try probeEntries(model: model, world: world, prompts: prompts, batchSize: 7)
        #expect(probes.count == world.entryCount)
        #expect(probes.map(\.occurrences).reduce(0, +) == prompts.reduce(0) { $0 + $1.length })
        for p in probes where p.occurrences > 0 {
            let total = p.contentProbabilities.reduce(0, +)
            #expect(total > 0 && total <= 1 + 1e-6)
            #expect(abs(p.goldProbability - p.probability(of: world.goldToken(p.entry), layout: world.layout)) < 1e-12)
        }
        // One prompt by hand: the probe equals the model's softmax at the answer position.
        let one = PromptSet([prompts[0]])
        let probe = try probeEntries(model: model, world: world, prompts: one)
        let row = prompts[0].tokens + prompts[0].entries.map(world.goldToken)
        let probs = try model.logits(row, batch: 1, length: row.count).softmax(axis: -1).toArray()
        let e = prompts[0].entries[0]
        let position = prompts[0].tokens.count - 1
        let expected = Double(probs[position * world.vocabSize + Int(world.goldToken(e))])
        let k = world.entryIndex(e)
        let occurrencesOfFirst = prompts[0].entries.filter { $0 == e }.count
        if occurrencesOfFirst == 1 { #expect(abs(probe[k].goldProbability - expected) < 1e-6) }
        #expect(throws: SimError.self) { try probeEntries(model: model, world: world, prompts: prompts, batchSize: 0) }
    }
}
