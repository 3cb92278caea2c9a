#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation, with the path and the system's reason.
///
///     FileIOError(path: "/x/w.safetensors", message: "cannot open: No such file or directory")
struct FileIOError: Error, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { "\(path): \(message)" }
}

/// The system's text for the current `errno`.
private func systemReason() -> String {
    String(cString: strerror(errno))
}

/// Reads a whole regular file into memory, refusing files larger than `limit` bytes so that a
/// wrong path cannot exhaust memory.
///
///     let bytes = try readWholeFile("w.safetensors", limit: 1 << 30)
func readWholeFile(_ path: String, limit: Int) throws -> [UInt8] {
    guard !path.isEmpty else { throw FileIOError(path: "\"\"", message: "empty file path") }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileIOError(path: path, message: "cannot open: \(systemReason())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
        throw FileIOError(path: path, message: "cannot stat: \(systemReason())")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw FileIOError(path: path, message: "not a regular file")
    }
    let size = Int(info.st_size)
    guard size <= limit else {
        throw FileIOError(path: path, message: "file has \(size) bytes, more than the limit of \(limit)")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    try bytes.withUnsafeMutableBytes { buffer in
        while done < size {
            let got = read(fd, buffer.baseAddress! + done, size - done)
            if got < 0 {
                if errno == EINTR { continue }
                throw FileIOError(path: path, message: "cannot read: \(systemReason())")
            }
            if got == 0 { break }  // the file shrank while we read it
            done += got
        }
    }
    if done < size { bytes.removeSubrange(done...) }
    return bytes
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written,
/// flushed to disk and renamed over `path`, so readers see the old file or the new one,
/// never a partial one. The temporary file is removed on failure.
///
///     try writeFileAtomically([1, 2, 3], to: "out/w.bin")
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    guard !path.isEmpty else { throw FileIOError(path: "\"\"", message: "empty file path") }
    guard !path.hasSuffix("/") else { throw FileIOError(path: path, message: "path names a folder, not a file") }
    let folder: String
    let name: String
    if let slash = path.lastIndex(of: "/") {
        folder = slash == path.startIndex ? "/" : String(path[..<slash])
        name = String(path[path.index(after: slash)...])
    } else {
        folder = "."
        name = path
    }
    let separator = folder.hasSuffix("/") ? "" : "/"
    var template = Array("\(folder)\(separator).\(name).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        throw FileIOError(path: path, message: "cannot create a temporary file in \(folder): \(systemReason())")
    }
    let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var closed = false
    var renamed = false
    defer {
        if !closed { close(fd) }
        if !renamed { unlink(temporaryPath) }
    }
    // mkstemp creates 0600; checkpoints are ordinary shareable files.
    _ = fchmod(fd, 0o644)
    var done = 0
    try bytes.withUnsafeBytes { buffer in
        while done < buffer.count {
            let wrote = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if wrote < 0 {
                if errno == EINTR { continue }
                throw FileIOError(path: path, message: "cannot write: \(systemReason())")
            }
            done += wrote
        }
    }
    guard fsync(fd) == 0 else { throw FileIOError(path: path, message: "cannot flush to disk: \(systemReason())") }
    closed = true
    guard close(fd) == 0 else { throw FileIOError(path: path, message: "cannot close: \(systemReason())") }
    guard rename(temporaryPath, path) == 0 else {
        throw FileIOError(path: path, message: "cannot move the finished file into place: \(systemReason())")
    }
    renamed = true
    // Make the rename itself durable; a failure here leaves a complete file, so it is not an error.
    let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderDescriptor >= 0 {
        _ = fsync(folderDescriptor)
        close(folderDescriptor)
    }
}
