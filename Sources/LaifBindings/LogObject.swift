import Foundation
import LaifLang
import LaifPlot
import LaifTrain

/// A trainer's per-step metrics (`type(log) == "log"`): prints the trainer, the step count and
/// each metric's last value with a sparkline; `len(log)` is the number of logged steps;
/// properties trainer, metrics (names in first-logged order), interrupted. Methods
/// (see LogBindings): last, first, series, steps, plot, to_jsonl, to_csv.
///
///     let log = TrainingLogObject(result.log, interrupted: result.interrupted)
///     log.describe()   // "log of sft: 80 steps ..."
public final class TrainingLogObject: DomainObject {
    public let log: TrainingLog
    /// True when the run was stopped early (Ctrl-C).
    public let interrupted: Bool

    /// Wraps a training log.
    ///
    ///     TrainingLogObject(result.log, interrupted: result.interrupted)
    public init(_ log: TrainingLog, interrupted: Bool = false) {
        self.log = log
        self.interrupted = interrupted
    }

    public var typeName: String { "log" }

    /// A header (trainer, step count, "(interrupted)" if stopped early), then one aligned line per metric with
    /// its last value (as `format` prints it) and, for two or more values, a sparkline; "(no metrics)" if none.
    ///
    ///     print(log)   // log of sft: 60 steps, then lines like "  loss  0.41...  █▆▄▃▂▁..."
    public func describe() -> String {
        var lines = ["log of \(log.trainer): \(log.count) steps\(interrupted ? " (interrupted)" : "")"]
        let rows: [(name: String, last: String, spark: String)] = log.names.compactMap { name in
            let values = log.series(name).values
            guard let last = values.last else { return nil }
            let spark = values.count > 1 ? (try? Chart(kind: .line, series: [Series(y: values)]).sparkline(width: 24)) ?? "" : ""
            return (name, TrainingLogObject.format(last), spark)
        }
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let valueWidth = rows.map(\.last.count).max() ?? 0
        for row in rows {
            let line = "  " + row.name + String(repeating: " ", count: nameWidth - row.name.count) + "  "
                + String(repeating: " ", count: valueWidth - row.last.count) + row.last
            lines.append(row.spark.isEmpty ? line : line + "  " + row.spark)
        }
        if log.names.isEmpty { lines.append("  (no metrics)") }
        return lines.joined(separator: "\n")
    }

    public var summary: String { "log(\(log.trainer), \(log.count == 1 ? "1 step" : "\(log.count) steps"))" }
    public var byteSize: Int { 64 + log.records.reduce(0) { $0 + 24 + $1.values.count * 24 } }
    public var length: Int? { log.count }
    public var propertyNames: [String] { ["trainer", "metrics", "interrupted"] }

    /// `log.trainer` (e.g. "sft", "dpo", "reward_model"), `log.metrics` (the metric names in first-logged order)
    /// and `log.interrupted`.
    ///
    ///     try log.property("trainer")   // .string("sft")
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "trainer": return .string(log.trainer)
        case "metrics": return .list(log.names.map(Value.string))
        case "interrupted": return .bool(interrupted)
        default: return nil
        }
    }

    /// How the log prints its values: four significant digits from 1 up, three decimals below 1,
    /// scientific form below 1e-3 and from 1e6; whole numbers as they are.
    ///
    ///     TrainingLogObject.format(1.23456)    // "1.235"
    ///     TrainingLogObject.format(0.123456)   // "0.123"
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return formatLaifNumber(x) }
        if x == x.rounded(), abs(x) < 1e9 { return formatLaifNumber(x) }
        let magnitude = abs(x)
        guard magnitude >= 1e-3, magnitude < 1e6 else {
            // Four significant digits in scientific form: -7.955e-04.
            var exponent = Int(log10(magnitude).rounded(.down))
            var mantissa = (x / pow(10, Double(exponent)) * 1000).rounded() / 1000
            if abs(mantissa) >= 10 { mantissa /= 10; exponent += 1 }
            let sign = exponent < 0 ? "-" : "+"
            let digits = String(abs(exponent))
            return "\(mantissa)e\(sign)\(digits.count < 2 ? "0" + digits : digits)"
        }
        var decimals = 3
        var bound = 1.0
        while magnitude >= bound * 10, decimals > 0 { bound *= 10; decimals -= 1 }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return formatLaifNumber((x * scale).rounded() / scale)
    }
}
