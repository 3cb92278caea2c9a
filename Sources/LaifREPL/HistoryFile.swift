import CEditLine
import Foundation

/// The REPL's history on disk. It is rewritten after every entry, so before writing anything
/// it makes sure the file is one laif may replace: a file it cannot read, one that is not a
/// libedit history (notes named by a mistyped LAIF_HISTORY), or one the user made read-only
/// is left alone for the session, with one warning, instead of being silently replaced. A
/// symlink is written through, so the link stays a link.
///
///     let history = HistoryFile(named: "/home/me/.laif_history")
///     history.load()
///     if let problem = history.problem { print(problem) }
struct HistoryFile {
    /// The first line of every history file libedit writes.
    static let libeditHeader = "_HiStOrY_V2_"

    /// The file entries are written to: the one named, or the file its symlink points to.
    let path: String
    /// Why the history is not read or saved this session; nil when it is.
    let problem: String?

    /// Checks the file named `name`; a missing file is fine (the first save creates it).
    ///
    ///     HistoryFile(named: "/tmp/notes.txt").problem   // "... is not a laif history file ..."
    init(named name: String) {
        let resolved = HistoryFile.followingSymlinks(name)
        path = resolved
        problem = HistoryFile.problem(with: resolved, named: name)
    }

    /// `name` with symlinks followed to the file they name, even when that file does not exist
    /// yet (a dotfiles link made before the first session). Only the history does this: its
    /// file is the user's own, named by them. Other outputs keep `writeFileAtomically`'s
    /// rule (a link is replaced, never written through), since their names can be guessed.
    private static func followingSymlinks(_ name: String) -> String {
        var path = name
        for _ in 0..<40 {   // the kernel's own limit on links in a row
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { break }
            path = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        return path
    }

    private static func problem(with path: String, named name: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? nil : "cannot use the history file \(name) (\(String(cString: strerror(errno))))"
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return "the history file \(name) is not a regular file" }
        guard access(path, R_OK | W_OK) == 0 else {
            return "cannot read and write the history file \(name) (\(String(cString: strerror(errno)))); it is left as it is"
        }
        guard info.st_size > 0 else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return "cannot read the history file \(name); it is left as it is"
        }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: libeditHeader.utf8.count)) ?? Data()
        guard start == Data(libeditHeader.utf8) else {
            return "\(name) is not a laif history file (no \(libeditHeader) line); it is left as it is"
        }
        return nil
    }

    /// Reads the saved entries into libedit's history (nothing when there is a problem).
    ///
    ///     history.load()
    func load() {
        guard problem == nil else { return }
        _ = read_history(path)
    }

    /// Writes libedit's history to the file through a temporary file beside it and a rename,
    /// so a crash never leaves half a file; the file is private to the user (mode 0600).
    /// Returns why it could not, or nil. Does nothing when the file has a `problem`.
    ///
    ///     if let reason = history.save() { print(reason) }
    func save() -> String? {
        guard problem == nil else { return nil }
        let temporary = path + ".\(getpid()).tmp"
        // libedit's write_history reports failure by its return value only; errno says why.
        errno = 0
        guard write_history(temporary) == 0 else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "write failed"
            unlink(temporary)
            return "cannot save the history to \(path) (\(reason))"
        }
        chmod(temporary, 0o600)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "cannot save the history to \(path) (\(reason))"
        }
        return nil
    }
}
