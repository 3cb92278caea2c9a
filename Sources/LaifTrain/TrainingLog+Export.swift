import Foundation
import LaifSupport

extension TrainingLog {
    /// One JSON object per step: `{"step": 3, "loss": 0.52, ...}`; non-finite values are `null`.
    ///
    ///     let text = log.jsonLines()
    public func jsonLines() -> String {
        var out = ""
        for r in records {
            var fields = ["\"step\": \(r.step)"]
            for (name, value) in r.values { fields.append("\(jsonStringLiteral(name)): \(jsonNumber(value))") }
            out += "{" + fields.joined(separator: ", ") + "}\n"
        }
        return out
    }

    /// A CSV table: a `step` column, then one column per metric (empty where a step did not
    /// log it).
    ///
    ///     let text = log.csv()   // "step,loss,grad_norm\n1,0.69,1.2\n..."
    public func csv() -> String {
        var out = (["step"] + names).map(csvField).joined(separator: ",") + "\n"
        for r in records {
            var row = ["\(r.step)"]
            for name in names { row.append(r[name].map(csvNumber) ?? "") }
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes `jsonLines()` to a file atomically (temporary file, then rename).
    ///
    ///     try log.writeJSONL(to: "runs/dpo.jsonl")
    public func writeJSONL(to path: String) throws {
        try writeAtomically(jsonLines(), to: path)
    }

    /// Writes `csv()` to a file atomically.
    ///
    ///     try log.writeCSV(to: "runs/dpo.csv")
    public func writeCSV(to path: String) throws {
        try writeAtomically(csv(), to: path)
    }

    private func writeAtomically(_ text: String, to path: String) throws {
        guard !path.isEmpty else {
            throw TrainingError(trainer: "log", argument: "path", message: "is empty; give a file name such as \"run.jsonl\"")
        }
        do {
            try writeFileAtomically(text, to: path, creatingFolders: true, followingSymlinks: true)
        } catch {
            throw TrainingError(trainer: "log", argument: "path", message: "could not be written: \(error)")
        }
    }
}

/// Round-trippable decimal spelling of a Double for JSON and CSV.
private func jsonNumber(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
}

private func csvNumber(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    return jsonNumber(x)
}

private func csvField(_ s: String) -> String {
    guard s.contains(",") || s.contains("\"") || s.contains("\n") else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
