import Foundation
import LaifSupport

/// The REPL's history on disk. Each entry is saved as it is made, merged with what the file
/// holds by then, so two sessions sharing the file keep each other's entries (rewriting the
/// file from one session's memory lost the other's). Before every write it checks again that
/// the file is one laif may write: a
/// file it cannot read, one that is not a libedit history (notes named by a mistyped
/// LAIF_HISTORY, or a file replaced while the session ran), or one without write permission
/// (root included, whom `access` never refuses) is left alone, and the REPL says why once. A
/// symlink is written through, so the link stays a link.
///
///     let file = HistoryFile(named: "/home/me/.laif_history", entries: EditHistory(limit: 1000)!)
///     file.load()
///     if let problem = file.problem { print(problem) }
final class HistoryFile {
    /// The first line of every history file libedit writes.
    static let libeditHeader = "_HiStOrY_V2_"

    /// The file as the user named it (for messages).
    let name: String
    /// The file entries are written to: the one named, or the file its symlink points to.
    let path: String
    /// Why the history was not read this session; nil when it was.
    let problem: String?
    /// The session's entries, which the file is read into and written from.
    let entries: EditHistory
    /// Entries this session made while the file could not be written (it was replaced or made
    /// read-only); the next save that can write puts them in, so reading the file back does
    /// not lose them.
    private var unsaved: [String] = []

    /// Checks the file named `name`; a missing file is fine (the first save creates it).
    ///
    ///     HistoryFile(named: "/tmp/notes.txt", entries: history).problem   // "... is not a laif history file ..."
    init(named name: String, entries: EditHistory) {
        self.name = name
        self.entries = entries
        path = pathFollowingSymlinks(name)
        problem = HistoryFile.problem(with: path, named: name)
    }

    private static func problem(with path: String, named name: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? nil : "cannot use the history file \(name) (\(String(cString: strerror(errno))))"
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return "the history file \(name) is not a regular file" }
        // The permission bits, not access(): root may write anything, yet a file its owner
        // made read-only is meant to stay as it is.
        guard access(path, R_OK) == 0, info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) != 0, access(path, W_OK) == 0 else {
            return "cannot read and write the history file \(name) (it is read-only or not yours); it is left as it is"
        }
        guard info.st_size > 0 else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return "cannot read the history file \(name); it is left as it is"
        }
        defer { try? handle.close() }
        // The whole first line: a header with more after it (spaces, other text) is no libedit
        // history, and reading it as one found no entries, so the next save emptied the file.
        let start = [UInt8]((try? handle.read(upToCount: libeditHeader.utf8.count + 2)) ?? Data())
        let firstLine = start.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        guard HistoryFileFormat.isHeader(firstLine) else {
            return "\(name) is not a laif history file (its first line is not \(libeditHeader)); it is left as it is"
        }
        return nil
    }

    /// Reads the saved entries into the session's history (nothing when there is a problem).
    /// Returns a notice when lines had to be left out, or nil.
    ///
    ///     if let notice = file.load() { print(notice) }
    @discardableResult
    func load() -> String? {
        guard problem == nil, let (saved, skipped) = savedEntries() else { return nil }
        enter(saved)
        guard skipped > 0 else { return nil }
        let lines = skipped == 1 ? "1 line" : "\(skipped) lines"
        return "\(lines) of the history file \(name) could not be read (not libedit's encoding of UTF-8 "
            + "text) and \(skipped == 1 ? "is" : "are") left out of the history; the next save drops \(skipped == 1 ? "it" : "them")"
    }

    /// The file's entries (oldest first) and how many lines were left out (see
    /// `HistoryFileFormat`), or nil when it cannot be read or is no history file.
    private func savedEntries() -> (entries: [String], skipped: Int)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return HistoryFileFormat.entries(in: data)
    }

    /// Adds `saved` after the entries held (only the newest `LineEditor.historyLimit` can stay).
    private func enter(_ saved: [String]) {
        for entry in saved.suffix(LineEditor.historyLimit) { entries.enter(entry) }
    }

    /// Keeps `entry` in the session, to be saved with the next entry that can be.
    private func keepUnsaved(_ entry: String) {
        entries.enter(entry)
        unsaved.append(entry)
    }

    /// Adds `entry` to the session's history and saves it: the file's entries as they are now
    /// (other sessions' included) are read back first, the entry goes after them, and the
    /// newest `LineEditor.historyLimit` are written through a temporary file and a rename, so a
    /// crash never leaves half a file; the file is private to the user (0600). Returns why it
    /// could not be saved, or nil; when the session started with a problem the entry is only
    /// kept in the session.
    ///
    ///     if let reason = file.record("let x = 1") { print(reason) }
    func record(_ entry: String) -> String? {
        guard problem == nil else {
            entries.enter(entry)
            return nil
        }
        // Checked again: the file may have been replaced or made read-only since the start.
        if let now = HistoryFile.problem(with: path, named: name) {
            keepUnsaved(entry)
            return now
        }
        return whileHoldingSaveLock {
            var info = stat()
            if stat(path, &info) == 0, info.st_size > 0 {
                // The session's entries are replaced only by a file that reads as a history.
                guard let (saved, _) = savedEntries() else {
                    keepUnsaved(entry)
                    return "cannot read the history file \(name) again; it is left as it is"
                }
                entries.clear()
                enter(saved)
            }
            // Entries made while the file could not be written go in before this one.
            for waiting in unsaved { entries.enter(waiting) }
            entries.enter(entry)
            let failure = rewrite()
            if failure == nil { unsaved.removeAll() } else { unsaved.append(entry) }
            return failure
        }
    }

    /// Runs a save (read, merge, write, rename) while holding an exclusive lock on the
    /// history's folder, so two sessions saving at the same instant take turns: unlocked, both
    /// read the file, and the later rename dropped the other's entry. The folder carries the
    /// lock because the file is replaced by each save, and a lock file would litter the home
    /// folder. Where the folder cannot be locked (no read permission, a file system without
    /// flock) the save goes ahead unlocked, as before; a lock held for more than a second (a
    /// stuck process) is not waited for, so the session never freezes.
    private func whileHoldingSaveLock<T>(_ save: () -> T) -> T {
        let descriptor = open(splitFolderAndName(path).folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return save() }
        defer { close(descriptor) }
        var locked = false
        for _ in 0..<100 {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { locked = true; break }
            usleep(10_000)
        }
        defer { if locked { flock(descriptor, LOCK_UN) } }
        return save()
    }

    private func rewrite() -> String? {
        let temporary = path + ".\(getpid()).tmp"
        // libedit reports failure by its return value only; errno says why.
        errno = 0
        guard entries.save(to: temporary) else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "write failed"
            unlink(temporary)
            return "cannot save the history to \(name) (\(reason))"
        }
        chmod(temporary, 0o600)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "cannot save the history to \(name) (\(reason))"
        }
        return nil
    }
}
