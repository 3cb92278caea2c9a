import Foundation
import LaifLang
import LaifSupport

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

    /// Checks that a report can be written at `path` and makes its folder when missing (a
    /// finished run makes it anyway), all before any cell runs: an unusable path used to be
    /// found only after the whole script ran, possibly a long training run, and its plots
    /// had landed beside wherever the path pointed (`--report ""` put them in the parent of
    /// the working folder). A path that names no file is a usage error (64); a folder that
    /// cannot be made or written, or a device in the way, is an I/O error (74).
    ///
    ///     try ReportDestination.prepare("out/report.md")   // makes out/ when missing
    static func prepare(_ path: String) throws {
        guard !path.isEmpty else {
            throw LaifError.usage("--report \"\" names no file; give the report a file name, e.g. --report report.md")
        }
        // '-' reads as stdout elsewhere (laif run -): a report with plots beside it needs a file.
        guard path != "-" else {
            throw LaifError.usage("--report - would write a file named '-'; the report needs a file (its plots go beside it), e.g. --report report.md")
        }
        let lastComponent = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        var info = stat()
        let namesFolder = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        if namesFolder || lastComponent.isEmpty || lastComponent == "." || lastComponent == ".." {
            let folder = path.hasSuffix("/") ? path : path + "/"
            throw LaifError.usage("--report \(path) names a folder, not a file; name a file in it, e.g. --report \(folder)report.md")
        }
        // --report /dev/stdout leads to a pipe or a terminal.
        if let node = nodeThatIsNoFile(at: path) {
            throw LaifError.io("--report \(path) \(node.throughLink ? "leads to" : "is") \(node.kind), not a file; "
                + "write the report to an ordinary file, e.g. --report report.md")
        }
        let folder = splitFolderAndName(path).folder
        do { try makeFolders(folder) } catch {
            if error.fileInTheWay {
                throw LaifError.io("--report \(path): \(error.folder) is a file, not a folder; choose another place for the report, e.g. --report report.md")
            }
            throw LaifError.io("--report \(path): cannot create folder \(error.folder): \(error.reason); choose a folder you can write to")
        }
        try requireWritable(folder, for: path)
    }

    /// Creates and removes a file in `folder`: permissions, read-only file systems and
    /// folders such as /proc all say no here rather than when the report is written.
    private static func requireWritable(_ folder: String, for path: String) throws {
        var template = Array((folder.hasSuffix("/") ? folder : folder + "/").utf8CString.dropLast())
            + Array(".laif-report-check-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw LaifError.io("--report \(path): cannot write in folder \(folder): \(String(cString: strerror(errno))); choose a folder you can write to")
        }
        close(descriptor)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    /// `path` made absolute, without `.` and `..`, with every symlink on the way resolved.
    private static func resolvedPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
