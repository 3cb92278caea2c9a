import Foundation

/// Wall-clock helpers for `laif bench` (median of ~0.25 s chunks, as torch_ref.py).
enum BenchTiming {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU seconds used by the calling thread (excludes time waiting for a busy CPU).
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Process peak resident set size in bytes (getrusage; Linux reports kilobytes).
    static func maxResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024      // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)             // bytes on macOS
        #endif
    }

    /// Runs `step` in chunks of `chunkSeconds` until `seconds` have passed and at least
    /// `minChunks` chunks are done; returns sorted chunk rates (steps/s of wall time and of
    /// this thread's CPU time: the latter is steadier on a shared machine), the step counter
    /// reached, and the last step's result.
    static func chunkRates(seconds: Double, chunkSeconds: Double = 0.25, minChunks: Int = 5, firstIndex: Int,
                           _ step: (Int) throws -> Float) throws -> (rates: [Double], cpuRates: [Double], nextIndex: Int, last: Float) {
        var rates: [Double] = [], cpuRates: [Double] = []
        var index = firstIndex
        var last: Float = .nan
        let start = now()
        while now() - start < seconds || rates.count < minChunks {
            let chunkStart = now(), cpuStart = threadCPUTime()
            var n = 0
            while now() - chunkStart < chunkSeconds {
                last = try step(index)
                index += 1
                n += 1
            }
            rates.append(Double(n) / (now() - chunkStart))
            cpuRates.append(Double(n) / Swift.max(threadCPUTime() - cpuStart, 1e-9))
        }
        return (rates.sorted(), cpuRates.sorted(), index, last)
    }
}
