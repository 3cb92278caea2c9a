import Foundation
import LaifLang
import LaifModels
import LaifSim

/// Registers `base_model(...)`: a student pretrained on a base family's corpus, cached on disk
/// (folder `cache:`, else `$LAIF_CACHE`, else `~/.cache/laif`). `progress` receives
/// pretraining reports (see `installTrainingProgress`).
///
///     let registry = BuiltinRegistry.core()
///     registerBaseModelBindings(in: registry)
public func registerBaseModelBindings(in registry: BuiltinRegistry, progress: TrainingProgressSink? = nil) {
    registry.register(BaseModelBuiltins.baseModel(progress: progress))
    registry.register(BaseModelBuiltins.families)
}

enum BaseModelBuiltins {
    /// `base_model(w, family: "mistral", size: "default", recipe: "standard", seed: 0, cache: nil)`.
    /// `seed` draws another pretraining of the same recipe (corpus sample, initial weights,
    /// batch order): the RL gains measured on one base move with it far more than with the
    /// fine-tuning seeds, so comparing families wants several draws.
    ///
    ///     let base = base_model(w, family: "llama", size: "tiny", recipe: "tiny")
    ///     let other_draw = base_model(w, family: "llama", seed: 1)
    static func baseModel(progress sink: TrainingProgressSink?) -> Builtin {
        Builtin(
            name: "base_model",
            parameters: [.required("w"), .optional("family", .string("mistral")), .optional("size", .string("default")),
                         .optional("recipe", .string("standard")), .optional("seed", .number(0)), .optional("cache", .nil)],
            doc: "A base model of a family pretrained on its corpus (cached on disk by a hash of everything that decides it); size default/tiny/small/large, recipe standard/long/fast/tiny; seed draws another pretraining.",
            example: "base_model(world(tasks: 2, vocab: 6, prompt_len: [1, 2]), family: \"llama\", size: \"tiny\", recipe: \"tiny\", cache: \"/tmp/laif-example-cache\")",
            topic: "model"
        ) { args, context in
            let world = try args.world("w").world
            let family = try args.string("family"), size = try args.string("size"), recipe = try args.string("recipe")
            var config = try args.simulating { try BaseModelConfig(family: family, size: size, recipe: recipe) }
            config.recipe.seed = try args.seedValue("seed")
            let cache = try args.stringIfGiven("cache")
            if cache?.isEmpty == true {
                throw args.error("cache must name a folder; leave it out to use LAIF_CACHE (or ~/.cache/laif)")
            }
            let folder = laifCacheDirectory(cache)
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw LaifError.io("base_model(): cannot create the cache folder \(folder) (\(error.localizedDescription)); "
                    + "set LAIF_CACHE or pass cache: to a writable folder")
            }
            let interpreter = context.interpreter
            let started = Date()
            let task = "pretrain \(config.family.name)"
            let base: BaseModel
            do {
                base = try buildBaseModel(world: world, config: config, cacheDirectory: cache) { report in
                    sink?(TrainingProgressReport(task: task, step: report.step, total: report.totalSteps,
                                                 loss: Double(report.loss), elapsedSeconds: Date().timeIntervalSince(started)))
                    return !interpreter.shouldInterrupt()
                }
            } catch let stop as PretrainingCancelled {
                throw LaifError(kind: .interrupted, message: "base_model(): \(stop.description); nothing was cached")
            } catch let error as SimError {
                throw args.error(args.strippingOwnName(error.message))
            }
            let seedNote = config.recipe.seed == 0 ? "" : ", seed: \(config.recipe.seed)"
            var step = "base_model(family: \"\(config.family.name)\", size: \"\(size)\", recipe: \"\(recipe)\"\(seedNote); \(base.origin))"
            if let loss = base.finalLoss { step = String(step.dropLast()) + ", final loss \(formatLaifNumber((Double(loss) * 1000).rounded() / 1000)))" }
            return .object(ModelValue(model: base.model, lineage: [step]))
        }
    }

    /// `base_families()`: the families `base_model` knows, with their latent strength and size.
    ///
    ///     base_families()[0].name   # "llama"
    static let families = Builtin(
        name: "base_families", parameters: [],
        doc: "The base-model families (name, maker, latent strength, d_model, layers) that base_model knows.",
        example: "base_families()", topic: "model"
    ) { _, _ in
        .list(BaseFamily.all.map { f in
            .record(Record([("name", .string(f.name)), ("maker", .string(f.maker)), ("latent_strength", .number(f.latentStrength)),
                            ("d_model", .number(Double(f.size.dModel))), ("layers", .number(Double(f.size.layers)))]))
        })
    }
}
