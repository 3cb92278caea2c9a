import Foundation

/// Where `laif run --report` writes, checked before the script runs.
enum ReportDestination {
    /// Whether writing a report at `report` would replace the script at `script`. Comparing
    /// the paths as typed misses a symlink to the script (or the script reached through a
    /// symlinked folder), and a hard link shares no path at all: the paths are compared with
    /// every symlink resolved, and two existing files by device and inode.
    ///
    ///     ReportDestination.wouldOverwrite(script: "vlink.laif", report: "victim.laif")   // true when vlink.laif -> victim.laif
    static func wouldOverwrite(script: String, report: String) -> Bool {
        if resolvedPath(script) == resolvedPath(report) { return true }
        var scriptInfo = stat()
        var reportInfo = stat()
        guard stat(script, &scriptInfo) == 0, stat(report, &reportInfo) == 0 else { return false }
        return scriptInfo.st_dev == reportInfo.st_dev && scriptInfo.st_ino == reportInfo.st_ino
    }

    /// `path` made absolute, without `.` and `..`, with every symlink on the way resolved.
    private static func resolvedPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
