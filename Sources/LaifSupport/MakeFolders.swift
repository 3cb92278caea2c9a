#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder `makeFolders` could not make, and why. Callers word it for their own users
/// (an atomic write names the file it was for, `laif run --report` names the option).
public struct FolderCreationError: Error, Sendable {
    /// The path up to and including the folder that could not be made.
    public let folder: String
    /// True when something other than a folder already has that name.
    public let fileInTheWay: Bool
    /// The system's reason ("Permission denied", ...).
    public let reason: String
}

/// Makes `folder` and the missing folders above it, like `mkdir -p`; folders that exist are
/// left alone, and `.`/`..` components are walked through.
///
///     try makeFolders("out/plots")
public func makeFolders(_ folder: String) throws(FolderCreationError) {
    var prefix = folder.hasPrefix("/") ? "/" : ""
    for component in folder.split(separator: "/") {
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        if component == "." || component == ".." || mkdir(prefix, 0o755) == 0 { continue }
        let reason = errno
        var info = stat()
        if reason == EEXIST, stat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
        throw FolderCreationError(folder: prefix, fileInTheWay: reason == EEXIST, reason: String(cString: strerror(reason)))
    }
}
