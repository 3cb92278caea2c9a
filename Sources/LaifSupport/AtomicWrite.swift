#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written,
/// flushed to disk and renamed over `path`, so readers see the old file or the new one,
/// never a partial one. The temporary file is removed on failure. With `creatingFolders`,
/// missing folders on the way are made first; otherwise a missing folder is an error.
/// Throws `FileIOError`.
///
/// A symlink at `path` is written through with `followingSymlinks` (the link stays a link and
/// its file gets the bytes): right for a path the user named. Without it the link itself is
/// replaced, which keeps a file laif names itself in a shared folder (a plot in /tmp) from
/// being redirected by someone else's link. Either way a link to a device, pipe or socket
/// (`/dev/stdout`) is refused, as the device itself is.
///
///     try writeFileAtomically([1, 2, 3], to: "out/w.bin", followingSymlinks: true)
///     try writeFileAtomically(Array("<svg/>".utf8), to: "plots/a.svg", creatingFolders: true)
public func writeFileAtomically(_ bytes: [UInt8], to requestedPath: String, creatingFolders: Bool = false,
                                followingSymlinks: Bool = false) throws {
    guard !requestedPath.isEmpty else { throw FileIOError(path: "\"\"", message: "empty file path") }
    guard !requestedPath.hasSuffix("/") else { throw FileIOError(path: requestedPath, message: "path names a folder, not a file") }
    try requireNoNUL(requestedPath)
    // Asked of the path as named, which the kernel resolves through every link: /dev/stdout
    // leads through /proc/self/fd/1, whose link text for a pipe ("pipe:[2173385]") is no path,
    // so asking the path followed by hand found nothing and the write failed with "cannot
    // create a temporary file in /proc/self/fd".
    try requireReplaceable(requestedPath)
    let path = followingSymlinks ? pathFollowingSymlinks(requestedPath) : requestedPath
    // Still a link after the kernel's 40 steps: a loop (a -> b -> a), which was replaced by an
    // ordinary file where the kernel itself refuses to open it.
    var linkInfo = stat()
    if followingSymlinks, lstat(path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
        throw FileIOError(path: requestedPath, message: "its symlinks go round in a loop; point the link at a file, or remove it")
    }
    let (folder, name) = splitFolderAndName(path)
    if creatingFolders {
        do { try makeFolders(folder) } catch {
            let why = error.fileInTheWay ? "a file of that name is in the way" : error.reason
            throw FileIOError(path: path, message: "cannot create folder \(error.folder): \(why)")
        }
    }
    let separator = folder.hasSuffix("/") ? "" : "/"
    // The temporary name adds 12 bytes to the file's: cut long names (a name of 244 to 255
    // bytes is legal, but its temporary one was not: "File name too long").
    var shortName = Substring(name)
    while shortName.utf8.count > 200 { shortName = shortName.dropLast() }
    var template = Array("\(folder)\(separator).\(shortName).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        let reason = errno
        var info = stat()
        // ENOENT also comes from folders that exist but take no new files (/proc): only call
        // the folder missing when it is.
        if reason == ENOENT, stat(folder, &info) != 0 {
            throw FileIOError(path: path, message: "folder \(folder) does not exist; create it first")
        }
        errno = reason
        throw FileIOError(path: path, message: "cannot create a temporary file in \(folder): \(systemReason())")
    }
    let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var closed = false
    var renamed = false
    defer {
        if !closed { close(fd) }
        if !renamed { unlink(temporaryPath) }
    }
    // mkstemp creates 0600; laif's outputs (checkpoints, logs, charts) are ordinary shareable files.
    // A file being replaced keeps its permissions (a private 0600 checkpoint stays private).
    var existing = stat()
    let keptMode = stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG ? existing.st_mode & 0o7777 : 0o644
    _ = fchmod(fd, keptMode)
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

/// Writes `text` as UTF-8, atomically; see `writeFileAtomically(_:to:creatingFolders:)` for
/// the bytes version.
///
///     try writeFileAtomically("step,loss\n1,0.5\n", to: "runs/log.csv")
public func writeFileAtomically(_ text: String, to path: String, creatingFolders: Bool = false,
                                followingSymlinks: Bool = false) throws {
    try writeFileAtomically(Array(text.utf8), to: path, creatingFolders: creatingFolders, followingSymlinks: followingSymlinks)
}

/// `path` with symlinks followed to the file they name, even when that file does not exist
/// yet (a link made before the first write); `path` itself when it is no link.
///
///     pathFollowingSymlinks("latest.md")   // "runs/7/report.md" when latest.md links there
public func pathFollowingSymlinks(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {   // the kernel's own limit on links in a row
        var info = stat()
        guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { break }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(current, &buffer, buffer.count - 1)
        guard length > 0 else { break }
        let destination = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = destination.hasPrefix("/") ? destination : splitFolderAndName(current).folder + "/" + destination
    }
    return current
}

/// What `path` is, or leads to through symlinks, when that is no place for a file's bytes:
/// "a device", "a pipe" or "a socket", and whether a symlink led there; nil for a missing
/// path, a file, a folder or a dangling link.
///
///     nodeThatIsNoFile(at: "/dev/stdout")   // ("a pipe", throughLink: true) under `| cat`
public func nodeThatIsNoFile(at path: String) -> (kind: String, throughLink: Bool)? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    let throughLink = info.st_mode & S_IFMT == S_IFLNK
    if throughLink { guard stat(path, &info) == 0 else { return nil } }
    switch info.st_mode & S_IFMT {
    case S_IFCHR, S_IFBLK: return ("a device", throughLink)
    case S_IFIFO: return ("a pipe", throughLink)
    case S_IFSOCK: return ("a socket", throughLink)
    default: return nil
    }
}

/// Refuses to rename over a device, pipe or socket, or a symlink to one: `--report /dev/null`
/// run as root used to replace the device node itself with an ordinary file, and
/// `--report /dev/stdout` the /dev/stdout link. A missing path, a file, another symlink and a
/// folder (rename fails with a clear reason) pass.
private func requireReplaceable(_ path: String) throws {
    guard let node = nodeThatIsNoFile(at: path) else { return }
    throw FileIOError(path: path, message: "is \(node.throughLink ? "a symlink to " : "")\(node.kind), not a regular file; write to an ordinary file path instead")
}
