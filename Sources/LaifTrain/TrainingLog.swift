import Foundation
import LaifPlot

/// The per-step metrics of one training run, in step order. Values are Doubles keyed by
/// TRL-style names (see `Metric`); a step need not carry every metric (gold quality is only
/// measured at intervals).
///
///     let log = result.log
///     log.last("loss")                      // the final step's loss
///     log.series("rewards/margins").values  // one value per step that logged it
///     try log.writeCSV(to: "dpo.csv")
public struct TrainingLog: Sendable, CustomStringConvertible {
    /// One logged step.
    public struct Record: Sendable, Equatable {
        /// 1-based optimiser step (RL: rollout step).
        public let step: Int
        /// Metric values of this step, in the order they were logged.
        public let values: [(String, Double)]

        /// A record.
        ///
        ///     TrainingLog.Record(step: 1, values: [("loss", 0.69)])
        public init(step: Int, values: [(String, Double)]) {
            self.step = step
            self.values = values
        }

        /// The value of `name` in this record.
        ///
        ///     record["loss"]
        public subscript(name: String) -> Double? { values.first { $0.0 == name }?.1 }

        /// Same step and the same metrics in the same order, NaN counting as equal to NaN (tuples
        /// are not `Equatable`, and a diverged step must still equal itself).
        ///
        ///     let r = TrainingLog.Record(step: 1, values: [("loss", .nan)])
        ///     r == r   // true
        public static func == (a: Record, b: Record) -> Bool {
            a.step == b.step && a.values.count == b.values.count
                && zip(a.values, b.values).allSatisfy { $0.0 == $1.0 && ($0.1 == $1.1 || ($0.1.isNaN && $1.1.isNaN)) }
        }
    }

    /// Which trainer wrote the log (`"sft"`, `"dpo"`, ...).
    public let trainer: String
    /// The records, in step order.
    public private(set) var records: [Record] = []
    /// Every metric name, in the order first logged.
    public private(set) var names: [String] = []

    /// An empty log.
    ///
    ///     var log = TrainingLog(trainer: "sft")
    public init(trainer: String) {
        self.trainer = trainer
    }

    /// Appends one step's metrics, in the order given (the log prints its columns in the order
    /// names first appear).
    ///
    ///     log.append(step: 1, [("loss", 0.7), ("grad_norm", 1.2)])
    public mutating func append(step: Int, _ values: [(String, Double)]) {
        for (name, _) in values where !names.contains(name) { names.append(name) }
        records.append(Record(step: step, values: values))
    }

    /// Adds metrics to the latest record (evaluations measured after a step).
    mutating func extendLast(_ values: [(String, Double)]) {
        guard let last = records.popLast() else { return }
        for (name, _) in values where !names.contains(name) { names.append(name) }
        records.append(Record(step: last.step, values: last.values + values))
    }

    /// Appends another log's records with their steps shifted by `offset` (used by expert
    /// iteration, whose rounds each run SFT).
    ///
    ///     log.append(contentsOf: roundLog, stepOffset: 40)
    public mutating func append(contentsOf other: TrainingLog, stepOffset: Int) {
        for r in other.records { append(step: r.step + stepOffset, r.values) }
    }

    /// Number of logged steps.
    ///
    ///     log.count
    public var count: Int { records.count }

    /// The last logged value of `name`, or nil if it was never logged.
    ///
    ///     log.last("rewards/accuracies")   // e.g. 0.94
    public func last(_ name: String) -> Double? {
        for r in records.reversed() { if let v = r[name] { return v } }
        return nil
    }

    /// The first logged value of `name`, or nil.
    ///
    ///     log.first("loss")
    public func first(_ name: String) -> Double? {
        for r in records { if let v = r[name] { return v } }
        return nil
    }

    /// Every logged value of `name` with its step.
    ///
    ///     let (steps, values) = log.series("loss")
    public func series(_ name: String) -> (steps: [Int], values: [Double]) {
        var steps: [Int] = [], values: [Double] = []
        for r in records { if let v = r[name] { steps.append(r.step); values.append(v) } }
        return (steps, values)
    }

    /// Mean of the last `window` logged values of `name` (smooths noisy per-batch metrics).
    ///
    ///     log.recentMean(Metric.accuracies, window: 5)
    public func recentMean(_ name: String, window: Int) -> Double? {
        let values = series(name).values.suffix(Swift.max(window, 1))
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Mean of the first `window` logged values of `name`.
    ///
    ///     log.earlyMean(Metric.accuracies, window: 5)
    public func earlyMean(_ name: String, window: Int) -> Double? {
        let values = series(name).values.prefix(Swift.max(window, 1))
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// An SVG line chart of one or more metrics against the step; throws a `TrainingError`
    /// naming the metric when it was never logged.
    ///
    ///     let svg = try log.plot("rewards/margins")
    public func plot(_ metrics: String..., width: Int = 640, height: Int = 400) throws -> String {
        try plot(metrics: metrics, width: width, height: height)
    }

    /// The same, from an array of metric names.
    ///
    ///     let svg = try log.plot(metrics: ["rewards/chosen", "rewards/rejected"])
    public func plot(metrics: [String], width: Int = 640, height: Int = 400) throws -> String {
        try chart(metrics: metrics).svg(width: width, height: height)
    }

    /// The line chart `plot` draws, as data (for callers that write or show it themselves);
    /// throws `TrainingError` for a metric never logged, `ChartError` for too many metrics.
    ///
    ///     let chart = try log.chart(metrics: ["loss"])
    public func chart(metrics: [String]) throws -> Chart {
        guard !metrics.isEmpty else {
            throw TrainingError(trainer: "plot", argument: "metric", message: "is missing; name one of: \(names.joined(separator: ", "))")
        }
        var series: [Series] = []
        for name in metrics {
            try requireLogged(name, caller: "plot")
            let (steps, values) = self.series(name)
            series.append(Series(name: name, x: steps.map(Double.init), y: values))
        }
        return try Chart(kind: .line, title: "\(trainer): \(metrics.joined(separator: ", "))", xLabel: "step",
                         yLabel: metrics.count == 1 ? metrics[0] : "", series: series)
    }

    /// Throws a `TrainingError` from `caller` that names `name` and lists what was logged,
    /// unless `name` was logged.
    ///
    ///     try log.requireLogged("objective/kl", caller: "last")   // "last: \"objective/kl\" was not logged by sft; logged: loss, ..."
    public func requireLogged(_ name: String, caller: String) throws {
        guard !names.contains(name) else { return }
        throw TrainingError(trainer: caller, argument: "",
                            message: "\"\(name)\" was not logged by \(trainer); logged: \(names.isEmpty ? "nothing" : names.joined(separator: ", "))")
    }

    public var description: String {
        guard let lastRecord = records.last else { return "TrainingLog(\(trainer), empty)" }
        let shown = lastRecord.values.prefix(8).map { "\($0.0) \(formatMetric($0.1))" }.joined(separator: ", ")
        return "TrainingLog(\(trainer), \(records.count) steps; last: \(shown))"
    }
}

/// Four significant digits, locale-independent; NaN and infinities spelled out.
func formatMetric(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
    let magnitude = abs(x)
    if magnitude >= 1e-3 && magnitude < 1e6 {
        var decimals = 4 - Int((log10(magnitude)).rounded(.down)) - 1
        decimals = Swift.max(0, Swift.min(decimals, 7))
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (x * scale).rounded() / scale
        var text = "\(rounded)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
    return "\(Float(x))"
}
