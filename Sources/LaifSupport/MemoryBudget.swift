#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory this process may use, and what sets the limit: the smallest of physical
/// memory, a container's cgroup limit, `ulimit -v` and `ulimit -d`, or `LAIF_MEMORY_LIMIT`
/// when set (bytes, or with K, M, G or T: "8G"). Read once. A training step asked for more
/// than this is refused before it starts: past it the system kills the process (or an
/// allocation fails and Swift traps), and the session is lost.
///
///     MemoryBudget.current.bytes    // 25_769_803_776 on a 24 GiB machine
///     MemoryBudget.current.source   // "physical memory"
public enum MemoryBudget {
    /// The limit in bytes and what set it.
    public static let current: (bytes: Int, source: String) = read()

    private static func read() -> (bytes: Int, source: String) {
        var limit = (bytes: Int.max, source: "no limit found")
        func consider(_ bytes: Int?, _ source: String) {
            if let bytes, bytes > 0, bytes < limit.bytes { limit = (bytes, source) }
        }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, pageSize > 0 { consider(pages.multipliedReportingOverflow(by: pageSize).partialValue, "physical memory") }
        if let text = try? readWholeTextFile("/sys/fs/cgroup/memory.max", limit: 64) {
            consider(Int(text.split(separator: "\n").first ?? ""), "the container's memory limit")
        }
        for (resource, name) in [(RLIMIT_AS, "ulimit -v"), (RLIMIT_DATA, "ulimit -d")] {
            var value = rlimit()
            if getrlimit(resourceID(resource), &value) == 0, value.rlim_cur != rlim_t.max {   // RLIM_INFINITY
                consider(Int(clamping: value.rlim_cur), name)
            }
        }
        if let text = getenv("LAIF_MEMORY_LIMIT").map({ String(cString: $0) }), let bytes = parse(text) {
            limit = (bytes, "LAIF_MEMORY_LIMIT")
        }
        return limit
    }

    #if canImport(Glibc)
    /// getrlimit's resource argument: Glibc types RLIMIT_AS and the rest as an enum that
    /// getrlimit takes as `__rlimit_resource_t`; Musl and Darwin use plain Int32 constants.
    private static func resourceID(_ resource: __rlimit_resource) -> __rlimit_resource_t { __rlimit_resource_t(resource.rawValue) }
    #else
    private static func resourceID(_ resource: Int32) -> Int32 { resource }
    #endif

    /// Bytes from "123", "512K", "8G" (powers of 1024; a trailing "B" or "iB" is allowed), or
    /// nil for anything else.
    ///
    ///     MemoryBudget.parse("8G")   // 8_589_934_592
    public static func parse(_ text: String) -> Int? {
        var digits = text.trimmingWhitespace.uppercased()
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) { digits.removeLast(suffix.count); break }
        var scale = 1
        if let unit = digits.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][unit] {
            scale = 1 << (10 * power)
            digits.removeLast()
        }
        guard let number = Int(digits), number > 0 else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    /// A byte count for messages: "24 GB", "512 MB", "900 KB".
    ///
    ///     MemoryBudget.describe(3 << 30)   // "3.0 GB"
    public static func describe(_ bytes: Int) -> String { describe(Double(bytes)) }

    /// The same for an estimate, which may pass any integer's range.
    ///
    ///     MemoryBudget.describe(4.8e12)   // "4.4 TB"
    public static func describe(_ bytes: Double) -> String {
        // Whole numbers print without ".0"; one past Int's range prints as Double does.
        func whole(_ value: Double) -> String { Int(exactly: value.rounded()).map(String.init) ?? "\(value.rounded())" }
        let units: [(Double, String)] = [(0x1p40, "TB"), (0x1p30, "GB"), (0x1p20, "MB"), (0x1p10, "KB")]
        for (size, name) in units where bytes >= size {
            let value = bytes / size
            return value >= 100 ? "\(whole(value)) \(name)" : "\((value * 10).rounded() / 10) \(name)"
        }
        return "\(whole(bytes)) bytes"
    }
}

private extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
