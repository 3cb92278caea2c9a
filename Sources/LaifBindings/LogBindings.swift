import Foundation
import LaifLang
import LaifPlot
import LaifTrain

/// Registers the methods of training logs: `last`, `first`, `series`, `steps`, `plot`,
/// `to_jsonl`, `to_csv`.
///
///     let registry = BuiltinRegistry.core()
///     registerLogMethods(in: registry)
public func registerLogMethods(in registry: BuiltinRegistry) {
    for method in [LogMethods.last, LogMethods.first, LogMethods.series, LogMethods.steps, LogMethods.plot,
                   LogMethods.toJSONL, LogMethods.toCSV] {
        registry.registerMethod(typeName: "log", method)
    }
}

enum LogMethods {
    static func receiver(_ args: Arguments) throws -> TrainingLogObject {
        guard let object = args.receiver?.object(as: TrainingLogObject.self) else { throw args.error("needs a log receiver") }
        return object
    }

    /// The metric `name`, checked to have been logged (the error lists what was).
    static func metric(_ args: Arguments, _ log: TrainingLog) throws -> String {
        let name = try args.string("name")
        try trainCall(args) { try log.requireLogged(name, caller: args.builtin.name) }
        return name
    }

    /// The example every log method shows: a two-step SFT run of a tiny model.
    static func example(_ call: String) -> String {
        "let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2]); let (m, log) = sft(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), oracle(w).demos(w.prompts(4)), min_steps: 2, batch: 2, with_log: true); log.\(call)"
    }

    /// `log.last(name)`: the metric's last logged value.
    ///
    ///     log.last("loss")
    static let last = Builtin(
        name: "last", parameters: [.required("name")],
        doc: "The last logged value of a metric (e.g. \"loss\", \"rewards/margins\").",
        example: example("last(\"loss\")"), topic: "training"
    ) { args, _ in
        let log = try receiver(args).log
        return .number(log.last(try metric(args, log)) ?? .nan)
    }

    /// `log.first(name)`: the metric's first logged value.
    ///
    ///     log.first("loss")
    static let first = Builtin(
        name: "first", parameters: [.required("name")],
        doc: "The first logged value of a metric.",
        example: example("first(\"loss\")"), topic: "training"
    ) { args, _ in
        let log = try receiver(args).log
        return .number(log.first(try metric(args, log)) ?? .nan)
    }

    /// `log.series(name)`: every logged value of the metric, in step order (plot it).
    ///
    ///     plot(log.series("loss"))
    static let series = Builtin(
        name: "series", parameters: [.required("name")],
        doc: "Every logged value of a metric in step order (steps with it only; see steps(name)).",
        example: example("series(\"loss\")"), topic: "training"
    ) { args, _ in
        let log = try receiver(args).log
        return .list(log.series(try metric(args, log)).values.map(Value.number))
    }

    /// `log.steps(name)`: the steps at which the metric was logged (x values for `series`).
    ///
    ///     plot(log.series("eval/gold_quality"), x: log.steps("eval/gold_quality"))
    static let steps = Builtin(
        name: "steps", parameters: [.required("name")],
        doc: "The steps at which a metric was logged (the x values of series(name)).",
        example: example("steps(\"loss\")"), topic: "training"
    ) { args, _ in
        let log = try receiver(args).log
        return .list(log.series(try metric(args, log)).steps.map { .number(Double($0)) })
    }

    /// `log.plot(names..., file: nil)`: a line chart of metrics against the step, to `file` or
    /// the session's plot folder; prints a sparkline and the path.
    ///
    ///     log.plot("rewards/chosen", "rewards/rejected")
    static let plot = Builtin(
        name: "plot", parameters: [.variadic("names"), .optional("file", .nil)],
        doc: "Draws metrics (default loss) against the step as an SVG line chart (to file, or the plot folder); prints a sparkline and the path.",
        example: example("plot(\"loss\", file: \"/tmp/laif-loss.svg\")"), topic: "training"
    ) { args, context in
        let log = try receiver(args).log
        var names: [String] = try args.rest.enumerated().map { index, value in
            guard case .string(let name) = value else { throw args.error("names[\(index)] must be a string, got \(value.typeName)") }
            return name
        }
        if names.isEmpty { names = [Metric.loss] }
        let chart: Chart
        do {
            chart = try trainCall(args) { try log.chart(metrics: names) }
        } catch let error as ChartError {
            throw args.error(error.description)
        }
        return try deliverChart(chart, file: try args.stringIfGiven("file"), args: args, context: context)
    }

    /// Writes the log with `write` (JSONL or CSV), turning failures into I/O errors.
    static func export(_ args: Arguments, _ write: (TrainingLog, String) throws -> Void) throws -> Value {
        let log = try receiver(args).log
        let path = try args.string("path")
        do {
            try write(log, path)
        } catch let error as TrainingError {
            throw LaifError.io("\(args.builtin.qualifiedName)(): \(error.argument.isEmpty ? "" : error.argument + " ")\(error.message)")
        } catch {
            throw LaifError.io("\(args.builtin.qualifiedName)(): cannot write \(path): \(error)")
        }
        return .nil
    }

    /// `log.to_jsonl(path)`: one JSON object per step, written atomically.
    ///
    ///     log.to_jsonl("dpo.jsonl")
    static let toJSONL = Builtin(
        name: "to_jsonl", parameters: [.required("path")],
        doc: "Writes the log as JSONL, one {\"step\": ..., metric: value} object per step, atomically.",
        example: example("to_jsonl(\"/tmp/laif-log.jsonl\")"), topic: "training"
    ) { args, _ in
        try export(args) { try $0.writeJSONL(to: $1) }
    }

    /// `log.to_csv(path)`: a step column and one column per metric, written atomically.
    ///
    ///     log.to_csv("dpo.csv")
    static let toCSV = Builtin(
        name: "to_csv", parameters: [.required("path")],
        doc: "Writes the log as CSV (a step column, one column per metric), atomically.",
        example: example("to_csv(\"/tmp/laif-log.csv\")"), topic: "training"
    ) { args, _ in
        try export(args) { try $0.writeCSV(to: $1) }
    }
}
