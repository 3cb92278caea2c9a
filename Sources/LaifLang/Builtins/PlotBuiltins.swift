import Foundation
import LaifPlot

/// Registers `plot(...)`: line and bar charts as SVG. The chart goes to `file:` when given,
/// otherwise to the interpreter's `plotSink` (the REPL's plot folder, or beside a notebook
/// report); either way the call prints a sparkline and the SVG's path.
///
///     let registry = BuiltinRegistry()
///     registerPlotBuiltins(in: registry)
public func registerPlotBuiltins(in registry: BuiltinRegistry) {
    registry.register(Builtin(
        name: "plot",
        parameters: [.required("data"), .optional("x", .nil), .optional("kind", .string("line")),
                     .optional("title", .string("")), .optional("xlabel", .string("")),
                     .optional("ylabel", .string("")), .optional("labels", .nil), .optional("file", .nil)],
        doc: "Draws a line or bar chart (SVG) of a list of numbers, a list of lists, or a record of named lists; prints a sparkline and the file's path. nil, nan and inf values are gaps; the printed line names the first nan or inf.",
        example: "plot({train: [2.1, 1.4, 0.9], eval: [2.2, 1.7, 1.3]}, title: \"loss\", xlabel: \"epoch\")",
        topic: "plot",
        implementation: { args, context in
            var undrawn = UndrawnValues()
            let chart = try makeChart(args, undrawn: &undrawn)
            return try deliverChart(chart, file: args.isNil("file") ? nil : try args.string("file"),
                                    args: args, context: context, note: undrawn.note)
        }))
}

/// Puts a chart where a plotting builtin's caller wants it: the SVG goes to `file` when
/// given, otherwise to the interpreter's `plotSink`; then the sparkline and path are printed,
/// and `note` in parentheses after them. Returns nil (so the REPL echoes nothing more). Every
/// plotting builtin ends here.
///
///     return try deliverChart(chart, file: nil, args: args, context: context)   // to the plot folder
public func deliverChart(_ chart: Chart, file: String?, args: Arguments, context: CallContext,
                         note: String? = nil) throws -> Value {
    let path: String
    if let file {
        do {
            try chart.writeSVG(toFile: file)
        } catch {
            throw LaifError.io("\(args.builtin.qualifiedName)(): \(error)")
        }
        path = file
    } else if let sink = context.interpreter.plotSink {
        do {
            path = try sink(chart)
        } catch {
            // A sink that says where and why is quoted; any other failure keeps the short form.
            let place = (error as? PlotSinkError).map { " \($0.folder): \($0.reason)" } ?? ""
            throw LaifError.io("\(args.builtin.qualifiedName)(): the chart could not be written to the plot folder\(place); pass file: \"chart.svg\"")
        }
    } else {
        throw args.error("there is no plot folder here; pass file: \"chart.svg\"")
    }
    context.write("\(chart.sparkline())  \(path)\(note.map { "  (\($0))" } ?? "")\n")
    return .nil
}

/// Why a plot sink wrote nothing: the folder and the system's reason, for `plot`'s error.
///
///     throw PlotSinkError(folder: "/proc/nope", reason: "cannot create folder /proc/nope: No such file or directory")
public struct PlotSinkError: Error, Sendable {
    public let folder: String
    public let reason: String

    /// A failure to write into `folder`.
    ///
    ///     PlotSinkError(folder: "out", reason: "No space left on device")
    public init(folder: String, reason: String) {
        self.folder = folder
        self.reason = reason
    }
}

/// The chart `plot(...)`'s arguments describe; every bad shape is a runtime error naming it.
private func makeChart(_ args: Arguments, undrawn: inout UndrawnValues) throws -> Chart {
    let kindName = try args.string("kind")
    guard let kind = Chart.Kind(rawValue: kindName) else {
        throw args.error("kind must be \"line\" or \"bar\", got \"\(kindName)\"")
    }
    var series = try plotSeries(args["data"] ?? .nil, args: args, undrawn: &undrawn)
    if !args.isNil("x") {
        var unchecked = UndrawnValues()   // the chart refuses non-finite x values itself
        let xs = try plotNumbers(args["x"] ?? .nil, what: "x", args: args, undrawn: &unchecked)
        series = series.map { Series(name: $0.name, x: xs, y: $0.y) }
    }
    var categories: [String] = []
    if !args.isNil("labels") {
        // Checked here so the message names the argument the script wrote (the chart says categories).
        guard kind == .bar else { throw args.error("labels name a bar chart's bars; use kind: \"bar\", or drop labels for a line chart") }
        categories = try args.list("labels").map { label in
            if case .string(let text) = label { return text }
            return label.summary
        }
        // An empty series is the chart's to report ("is empty"), not a count of labels.
        for (index, one) in series.enumerated() where !categories.isEmpty && !one.y.isEmpty && one.y.count != categories.count {
            let values = one.y.count == 1 ? "1 value" : "\(one.y.count) values"
            let labels = categories.count == 1 ? "is 1 label" : "are \(categories.count) labels"
            let fix = series.count == 1 ? "give one label per bar" : "give one label per group of bars, and every series one value per label"
            throw args.error("series \(one.label(at: index)) has \(values) but there \(labels); \(fix)")
        }
    }
    do {
        return try Chart(kind: kind, title: try args.string("title"), xLabel: try args.string("xlabel"),
                         yLabel: try args.string("ylabel"), series: series, categories: categories)
    } catch let error as ChartError {
        throw args.error(error.description)
    }
}

/// Series from `data`: numbers are one series, a list of lists one series per list, a record
/// one named series per field.
private func plotSeries(_ data: Value, args: Arguments, undrawn: inout UndrawnValues) throws -> [Series] {
    switch data {
    case .record(let record):
        return try record.fields.map { field in
            Series(name: field.key, y: try plotNumbers(field.value, what: "field '\(field.key)'", args: args, undrawn: &undrawn))
        }
    case .list(let items) where !items.isEmpty && items.allSatisfy(isSequence):
        return try items.enumerated().map { index, item in
            Series(y: try plotNumbers(item, what: "data[\(index)]", args: args, undrawn: &undrawn))
        }
    default:
        return [Series(y: try plotNumbers(data, what: "data", args: args, undrawn: &undrawn))]
    }
}

private func isSequence(_ value: Value) -> Bool {
    switch value {
    case .list: return true
    case .object(let object): return object.length != nil
    default: return false
    }
}

/// The numbers in a list (or an iterable domain value such as a 1-D tensor); nil entries
/// become gaps, and so do NaN and infinite numbers, which `undrawn` records.
private func plotNumbers(_ value: Value, what: String, args: Arguments, undrawn: inout UndrawnValues) throws -> [Double] {
    let items: [Value]
    switch value {
    case .list(let list): items = list
    case .object(let object):
        guard let elements = try object.elements() else {
            throw args.error("\(what) must be a list of numbers, got \(value.typeName)")
        }
        items = elements
    default:
        throw args.error("\(what) must be a list of numbers, got \(value.typeName)")
    }
    return try items.enumerated().map { index, item in
        let number: Double
        switch item {
        case .number(let value): number = value
        case .nil: return .nan
        case .object(let object):
            // A one-element domain value (a scalar tensor) counts as its number.
            guard let inner = try object.elements(), inner.count == 1, case .number(let value) = inner[0] else {
                throw args.error("\(what)[\(index)] must be a number, got \(item.typeName)")
            }
            number = value
        default:
            throw args.error("\(what)[\(index)] must be a number, got \(item.typeName)")
        }
        if !number.isFinite { undrawn.add("\(what)[\(index)]", number) }
        return number
    }
}

/// The NaN and infinite values of a plot's data. They are drawn as gaps, as matplotlib draws
/// NaN, but unlike a nil (a gap asked for) they are usually a fault upstream: a 0/0, a
/// diverged loss. So the printed line names the first and counts the rest, where a silent
/// blank in the sparkline would pass unnoticed.
private struct UndrawnValues {
    private var first: String?
    private var count = 0

    mutating func add(_ place: String, _ number: Double) {
        if first == nil { first = "\(place) = \(ValuePrinter.formatNumber(number))" }
        count += 1
    }

    /// "not drawn: data[1] = nan", then "and N more that are not finite"; nil when all are finite.
    var note: String? {
        guard let first else { return nil }
        let more = count - 1
        return "not drawn: \(first)" + (more == 0 ? "" : " and \(more) more value\(more == 1 ? "" : "s") that \(more == 1 ? "is" : "are") not finite")
    }
}
