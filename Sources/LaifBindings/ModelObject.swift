import LaifLang
import LaifModels

/// A language model as a laif value (`type(m) == "model"`): the network from LaifModels plus
/// its lineage, the steps that made it ("transformer(...)", "sft(epochs: 3)", "dpo(beta: 0.1)").
///
/// Values are immutable: trainers build a new `ModelValue` with `derived(_:step:)`, so the
/// input model keeps its weights and its lineage, and the output's lineage extends it.
///
///     let base = ModelValue(model: try makeLanguageModel(architecture: arch), lineage: ["mlp(vocab: 24)"])
///     let tuned = base.derived(trainedModel, step: "sft(epochs: 3)")
///     tuned.lineage   // ["mlp(vocab: 24)", "sft(epochs: 3)"]
public final class ModelValue: DomainObject {
    /// The network (shared, not copied: clone it before training in place).
    public let model: LanguageModel
    /// The steps that produced this model, oldest first; trainers append one entry each.
    public let lineage: [String]
    /// The log of the training step that produced this model (`m.log`), nil for models that
    /// were built, loaded or pretrained rather than trained.
    public let log: DomainObject?

    /// Wraps `model` with the steps that made it and, for a trained model, its log.
    ///
    ///     ModelValue(model: model, lineage: ["transformer(vocab: 24, seed: 7)"])
    public init(model: LanguageModel, lineage: [String] = [], log: DomainObject? = nil) {
        self.model = model
        self.lineage = lineage
        self.log = log
    }

    /// A new model value whose lineage is this one's plus `step` (a short call-like text),
    /// carrying the log of the step that made it.
    ///
    ///     let next = base.derived(newModel, step: "dpo(beta: 0.05, epochs: 1)", log: dpoLog)
    public func derived(_ newModel: LanguageModel, step: String, log: DomainObject? = nil) -> ModelValue {
        ModelValue(model: newModel, lineage: lineage + [step], log: log)
    }

    /// "transformer" or "mlp".
    ///
    ///     value.kind   // "transformer"
    public var kind: String { model.architecture["kind"] ?? "model" }

    /// "model", the name scripts see from `type(m)` and the key of its methods.
    ///
    ///     value.typeName   // "model"
    public var typeName: String { "model" }

    /// Architecture line, parameter count and numbered lineage.
    ///
    ///     print(value.describe())
    ///     // model transformer(vocab: 24, d_model: 48, layers: 2, heads: 4, mlp_ratio: 4, max_len: 32)
    ///     //   parameters 61,248
    ///     //   lineage
    ///     //     1. transformer(vocab: 24, seed: 7)
    public func describe() -> String {
        var lines = ["model \(architectureText)", "  parameters \(ModelValue.grouped(model.parameterCount))"]
        if lineage.isEmpty {
            lines.append("  lineage (none recorded)")
        } else {
            lines.append("  lineage")
            for (index, step) in lineage.enumerated() { lines.append("    \(index + 1). \(step)") }
        }
        return lines.joined(separator: "\n")
    }

    /// One line: kind, parameter count and the number of lineage steps.
    ///
    ///     value.summary   // "<model transformer, 61,248 params, 2 steps>"
    public var summary: String {
        "<model \(kind), \(ModelValue.grouped(model.parameterCount)) params, \(lineage.count) step\(lineage.count == 1 ? "" : "s")>"
    }

    /// Four bytes per parameter.
    ///
    ///     value.byteSize   // 4 * parameter count
    public var byteSize: Int { model.parameterCount.multipliedReportingOverflow(by: 4).partialValue }

    /// The properties `m.name` reads (for completion).
    ///
    ///     value.propertyNames   // ["params", "arch", ...]
    public var propertyNames: [String] { ["params", "arch", "lineage", "log", "kind", "vocab", "max_len"] }

    /// `m.params`, `m.arch`, `m.lineage`, `m.log` (nil unless trained), `m.kind`, `m.vocab`, `m.max_len`.
    ///
    ///     try value.property("params")   // .number(61248)
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "params": return .number(Double(model.parameterCount))
        case "arch": return .record(architectureRecord)
        case "lineage": return .list(lineage.map(Value.string))
        case "log": return log.map(Value.object) ?? .nil
        case "kind": return .string(kind)
        case "vocab": return .number(Double(model.vocabSize))
        case "max_len": return .number(Double(model.maxLength))
        default: return nil
        }
    }

    /// The architecture with the language's argument names (`vocab`, `max_len`, ...), whole
    /// numbers as numbers.
    ///
    ///     value.architectureRecord["d_model"]   // .number(48)
    public var architectureRecord: Record {
        var record = Record([("kind", .string(kind))])
        for key in ModelValue.keyOrder(for: model.architecture) {
            guard key != "kind", let text = model.architecture[key] else { continue }
            let name = ModelValue.languageName(key)
            if let number = Double(text) { record[name] = .number(number) } else { record[name] = .string(text) }
        }
        return record
    }

    /// "transformer(vocab: 24, d_model: 48, ...)".
    var architectureText: String {
        let fields = architectureRecord.fields.filter { $0.key != "kind" }
            .map { "\($0.key): \(ValuePrinter.display($0.value))" }
        return "\(kind)(\(fields.joined(separator: ", ")))"
    }

    /// Checkpoint architecture keys as the language's keywords call them.
    static func languageName(_ key: String) -> String {
        switch key {
        case "vocab_size": return "vocab"
        case "max_length": return "max_len"
        case "hidden_layers": return "layers"
        default: return key
        }
    }

    /// A stable, readable order: sizes in the order the constructors take them, the rest sorted.
    static func keyOrder(for architecture: [String: String]) -> [String] {
        let preferred = ["kind", "vocab_size", "d_model", "layers", "heads", "mlp_ratio", "context", "embedding",
                         "hidden", "hidden_layers", "max_length"]
        let known = preferred.filter { architecture[$0] != nil }
        return known + architecture.keys.filter { !preferred.contains($0) }.sorted()
    }

    /// 61248 -> "61,248".
    ///
    ///     ModelValue.grouped(1234567)   // "1,234,567"
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}
