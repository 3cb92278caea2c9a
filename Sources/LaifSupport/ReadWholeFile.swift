#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole regular file into memory, refusing files larger than `limit` bytes so that a
/// wrong path (a device, a huge log) cannot exhaust memory. Throws `FileIOError`.
///
/// Reads until end of file rather than trusting the size `fstat` reports: files under /proc
/// and /sys report 0 bytes yet have content, and a file may grow while it is read.
///
///     let bytes = try readWholeFile("w.safetensors", limit: 1 << 30)
public func readWholeFile(_ path: String, limit: Int) throws -> [UInt8] {
    guard !path.isEmpty else { throw FileIOError(path: "\"\"", message: "empty file path") }
    try requireNoNUL(path)
    // O_NONBLOCK: opening a named pipe with no writer would wait forever; the pipe is then
    // refused below as not a regular file (regular files ignore the flag).
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
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
    // One byte more than reported, so a file of the reported size ends in the first buffer.
    var bytes = [UInt8](repeating: 0, count: size + 1)
    var done = 0
    while true {
        if done == bytes.count {
            guard done <= limit else {
                throw FileIOError(path: path, message: "file holds more than the limit of \(limit) bytes")
            }
            bytes += [UInt8](repeating: 0, count: min(max(done, 4096), limit + 1 - done))
        }
        let got = bytes.withUnsafeMutableBytes { buffer in
            read(fd, buffer.baseAddress! + done, buffer.count - done)
        }
        if got < 0 {
            if errno == EINTR { continue }
            throw FileIOError(path: path, message: "cannot read: \(systemReason())")
        }
        if got == 0 { break }
        done += got
    }
    bytes.removeSubrange(done...)
    return bytes
}

/// Reads a whole regular file as UTF-8 text (invalid bytes become U+FFFD), with the same
/// size limit and errors as `readWholeFile(_:limit:)`.
///
///     let text = try readWholeTextFile("data.jsonl", limit: 1 << 28)
public func readWholeTextFile(_ path: String, limit: Int) throws -> String {
    String(decoding: try readWholeFile(path, limit: limit), as: UTF8.self)
}
