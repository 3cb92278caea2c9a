import Foundation

/// One measured configuration, printable as a table row or as torch_ref.py's JSON keys
/// (plus laif's memory keys).
struct BenchResult {
    let model: String
    let attn: String?
    let mode: String
    let threads: Int
    let batch: Int
    let seq: Int
    let params: Int
    let steps: Int
    let stepsPerSecond: Double
    let bestStepsPerSecond: Double
    /// Median steps per second of this thread's CPU time (steadier when other processes compete).
    let cpuStepsPerSecond: Double
    let tokensPerStep: Int
    let flopsPerStep: Double
    let lossFirst: Float
    let lossLast: Float
    /// High-water mark of live tensor storage during the configuration.
    let peakTensorBytes: Int
    /// Process peak resident set size so far (getrusage).
    let maxResidentBytes: Int

    static func rounded(_ x: Double, _ places: Int) -> Double {
        let scale = Foundation.pow(10, Double(places))
        return (x * scale).rounded() / scale
    }

    func jsonLine() -> String {
        func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
        let fields: [(String, String)] = [
            ("model", "\"\(model)\""), ("attn", attn.map { "\"\($0)\"" } ?? "null"), ("mode", "\"\(mode)\""),
            ("threads", "\(threads)"), ("batch", "\(batch)"), ("seq", "\(seq)"), ("params", "\(params)"),
            ("steps", "\(steps)"), ("steps_per_s", number(Self.rounded(stepsPerSecond, 2))),
            ("steps_per_s_best", number(Self.rounded(bestStepsPerSecond, 2))),
            ("ms_per_step", number(Self.rounded(1000 / stepsPerSecond, 3))),
            ("tokens_per_s", "\(Int((stepsPerSecond * Double(tokensPerStep)).rounded()))"),
            ("matmul_gflop_per_step", number(Self.rounded(flopsPerStep / 1e9, 4))),
            ("achieved_gflops", number(Self.rounded(stepsPerSecond * flopsPerStep / 1e9, 2))),
            ("loss_first", number(Self.rounded(Double(lossFirst), 4))),
            ("loss_last", number(Self.rounded(Double(lossLast), 4))),
            ("cpu_steps_per_s", number(Self.rounded(cpuStepsPerSecond, 2))),
            ("peak_tensor_mb", number(Self.rounded(Double(peakTensorBytes) / 1_048_576, 2))),
            ("max_rss_mb", number(Self.rounded(Double(maxResidentBytes) / 1_048_576, 2))),
            ("laif", "\"\(Laif.version)\""),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    func tableLine() -> String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            s.count >= width ? s : (left ? s + String(repeating: " ", count: width - s.count)
                                         : String(repeating: " ", count: width - s.count) + s)
        }
        return [pad(model, 12, left: true), pad(attn ?? "None", 6, left: true), pad(mode, 4, left: true),
                pad("\(threads)", 3), pad(String(format: "%.2f", stepsPerSecond), 8),
                pad(String(format: "%.2f", 1000 / stepsPerSecond), 8),
                pad("\(Int(stepsPerSecond * Double(tokensPerStep)))", 9),
                pad(String(format: "%.4f", flopsPerStep / 1e9), 8),
                pad(String(format: "%.2f", stepsPerSecond * flopsPerStep / 1e9), 8),
                pad(String(format: "%.2f", cpuStepsPerSecond), 9),
                pad(String(format: "%.1f", Double(maxResidentBytes) / 1_048_576), 8),
                " " + String(format: "%.3f->%.3f", lossFirst, lossLast)].joined(separator: " ")
    }
}
