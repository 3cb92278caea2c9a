import Foundation
import LaifSupport
import LaifTensor

/// The environment variables laif reads, checked before anything runs. The libraries read
/// them where they are used and fall back to a default on a value they cannot read; a setting
/// that was mistyped (`LAIF_MEMORY_LIMIT=0.5G`, `LAIF_THREADS=two`) used to be dropped that
/// way without a word, so a run meant to stay under a limit ran without one.
enum EnvironmentSettings {
    /// What is wrong with the settings, one line each with the fix (empty when all are fine).
    ///
    ///     EnvironmentSettings.problems(in: ["LAIF_THREADS": "0"])
    ///     // ["LAIF_THREADS=0 is not a thread count; use a whole number from 1 to 256, e.g. LAIF_THREADS=2"]
    static func problems(in environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var problems: [String] = []
        // An empty value counts as unset, as for LAIF_CACHE.
        if let limit = environment["LAIF_MEMORY_LIMIT"], !limit.isEmpty, MemoryBudget.parse(limit) == nil {
            problems.append("LAIF_MEMORY_LIMIT=\(limit) is not a size; use whole bytes or a whole number with K, M, G or T, "
                + "e.g. LAIF_MEMORY_LIMIT=512M (or unset it to use the machine's limit)")
        }
        if let threads = environment["LAIF_THREADS"], !threads.isEmpty, !(Int(threads).map(BLASThreads.allowedCounts.contains) ?? false) {
            let range = BLASThreads.allowedCounts
            problems.append("LAIF_THREADS=\(threads) is not a thread count; use a whole number from \(range.lowerBound) to \(range.upperBound), e.g. LAIF_THREADS=2")
        }
        return problems
    }
}
