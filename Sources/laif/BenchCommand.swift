import ArgumentParser
import Foundation
import LaifModels
import LaifTensor
import LaifTrain

/// `laif bench`: trains torch_ref.py's configurations on synthetic data and reports speed.
///
///     laif bench --threads 1 --models transformer mlp --modes sft dpo --json
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training speed on the configurations of bench/torch_ref.py.",
        discussion: """
            Transformer (vocab 64, d_model 64, 2 layers, 4 heads, seq 32) and context-window MLP, \
            SFT and DPO steps with AdamW, batch 32, on synthetic arithmetic-progression data. \
            Reports the median rate over ~0.25 s chunks, tokens/s, achieved matmul GFLOP/s \
            and memory (process peak RSS; --json adds the tensor pool's high-water mark). \
            "cpu st/s" counts steps per second of this thread's CPU time, steadier than wall \
            time on a shared machine. Run PyTorch's script on the same machine for the ratio.
            """)

    @Option(name: .long, parsing: .upToNextOption, help: "BLAS thread counts to measure, one configuration each.")
    var threads: [Int] = [1]

    @Option(name: .long, parsing: .upToNextOption, help: "Models: transformer, mlp.")
    var models: [String] = ["transformer", "mlp"]

    @Option(name: .long, parsing: .upToNextOption, help: "Modes: sft, dpo.")
    var modes: [String] = ["sft", "dpo"]

    // Unconditional: the next argument is the value even when it starts with '-', so
    // `--seconds -0` reaches validate() and hears the allowed range, where the parser would
    // take "-0" for a flag and say "Missing value for '--seconds <seconds>'".
    @Option(name: .long, parsing: .unconditional, help: "Seconds of timed steps per configuration.")
    var seconds: Double = 3

    @Option(name: .long, parsing: .unconditional, help: "Batch size (DPO: preference pairs).")
    var batch: Int = 32

    @Option(name: .long, parsing: .unconditional, help: "Sequence length.")
    var seq: Int = 32

    @Flag(name: .long, help: "Print one JSON object per line (torch_ref.py's keys) instead of a table.")
    var json = false

    @Flag(name: .long, help: "Time the trainers on the default student instead: seconds per SFT epoch over 2,000 demos, per DPO epoch over 2,000 pairs, per 100 RLOO steps.")
    var trainers = false

    func validate() throws {
        if let bad = threads.first(where: { !BLASThreads.allowedCounts.contains($0) }) {
            throw ValidationError("--threads must be in \(BLASThreads.allowedCounts), got \(bad)")
        }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600]") }
        guard (1...4096).contains(batch) else { throw ValidationError("--batch must be in 1...4096") }
        guard (BenchWorkload.promptLength + 1...1024).contains(seq) else {
            throw ValidationError("--seq must be in \(BenchWorkload.promptLength + 1)...1024 (DPO prompts are \(BenchWorkload.promptLength) tokens)")
        }
        for m in models where BenchWorkload.Model(rawValue: m) == nil {
            throw ValidationError("unknown model '\(m)'; choose from: transformer, mlp")
        }
        for m in modes where BenchWorkload.Mode(rawValue: m) == nil {
            throw ValidationError("unknown mode '\(m)'; choose from: sft, dpo")
        }
    }

    /// A negative count among `--threads`'s values, if any. ArgumentParser ends an option's list
    /// at the first argument that starts with '-' and would say "Missing value" for
    /// `--threads -1`; `Laif.main` asks this first so the message names the count and the range.
    ///
    ///     BenchCommand.negativeThreadCount(in: ["bench", "--threads", "1", "-2"])   // "-2"
    static func negativeThreadCount(in arguments: [String]) -> String? {
        guard arguments.first == "bench" else { return nil }
        var inThreads = false
        for token in arguments.dropFirst() {
            if token == "--threads" { inThreads = true; continue }
            guard inThreads, Double(token) != nil else { inThreads = false; continue }
            if token.hasPrefix("-") { return token }
        }
        return nil
    }

    func run() throws {
        if trainers { return try runTrainers() }
        if !json {
            print("# laif bench: \(BenchCommand.machineDescription())")
            print("model        attn   mode thr  steps/s  ms/step  tokens/s  GF/step  GFLOP/s  cpu st/s   RSS MB  loss first->last")
        }
        for modelName in models {
            for modeName in modes {
                for threadCount in threads {
                    let result: BenchResult
                    do {
                        result = try BenchCommand.measure(model: BenchWorkload.Model(rawValue: modelName)!,
                                                          mode: BenchWorkload.Mode(rawValue: modeName)!,
                                                          threads: threadCount, seconds: seconds, batch: batch, length: seq)
                    } catch {
                        // Each size passes validation alone, but some products are too large for
                        // a tensor; the error reached ArgumentParser, which exits 1 (the code of a
                        // failed assertion) naming an internal layer.
                        FileHandle.standardError.write(Data(
                            "laif bench: \(modelName) \(modeName) at --batch \(batch) --seq \(seq): \(error); lower --batch or --seq\n".utf8))
                        throw ExitCode(70)
                    }
                    print(json ? result.jsonLine() : result.tableLine())
                    fflush(stdout)
                }
            }
        }
    }

    /// `laif bench --trainers`: LaifTrain's benchmark, one line (or JSON object) per figure.
    func runTrainers() throws {
        BLASThreads.setThreadCount(threads.first ?? 1)
        if !json { print("# laif bench --trainers: \(BenchCommand.machineDescription())") }
        _ = try trainerBenchmark { figure in
            if json {
                print("{\"name\": \"\(figure.name)\", \"value\": \(figure.value), \"unit\": \"\(figure.unit)\"}")
            } else {
                print(figure.description)
            }
            fflush(stdout)
        }
    }

    static func machineDescription() -> String {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "machine \(machine), \(ProcessInfo.processInfo.activeProcessorCount) cpus, OpenBLAS sgemm, LAIF_THREADS \(ProcessInfo.processInfo.environment["LAIF_THREADS"] ?? "unset")"
    }

    static func measure(model: BenchWorkload.Model, mode: BenchWorkload.Mode, threads: Int,
                        seconds: Double, batch: Int, length: Int) throws -> BenchResult {
        BLASThreads.setThreadCount(threads)
        let workload = try BenchWorkload(model: model, mode: mode, batch: batch, length: length)
        TensorMemory.resetPeak()
        let first = try workload.step(0)
        for i in 1..<5 { _ = try workload.step(i) }
        let (rates, cpuRates, steps, last) = try BenchTiming.chunkRates(seconds: seconds, firstIndex: 5, workload.step)
        let median = rates[rates.count / 2]
        return BenchResult(model: model.rawValue, attn: model == .transformer ? "fused" : nil, mode: mode.rawValue,
                           threads: threads, batch: batch, seq: length, params: workload.policy.parameterCount,
                           steps: steps, stepsPerSecond: median, bestStepsPerSecond: rates.last ?? median,
                           cpuStepsPerSecond: cpuRates[cpuRates.count / 2],
                           tokensPerStep: workload.tokensPerStep, flopsPerStep: workload.matmulFlopsPerStep,
                           lossFirst: first, lossLast: last,
                           peakTensorBytes: TensorMemory.statistics().peakLiveBytes,
                           maxResidentBytes: BenchTiming.maxResidentBytes())
    }
}
