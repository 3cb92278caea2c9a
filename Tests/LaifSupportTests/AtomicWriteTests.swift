import Foundation
import Testing
import LaifSupport

/// A fresh empty folder, removed when the value goes away.
final class ScratchFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "laif-support-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func contents(_ sub: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : file(sub)).sorted()
    }
}

@Test func atomicWriteReplacesAFileAndLeavesNoTemporaryFile() throws {
    let folder = try ScratchFolder()
    let path = folder.file("w.bin")
    try writeFileAtomically("old contents", to: path)
    try writeFileAtomically([1, 2, 3], to: path)
    #expect(try folder.contents() == ["w.bin"])
    #expect(try readWholeFile(path, limit: 10) == [1, 2, 3])
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o644)
}

@Test func atomicWriteMakesMissingFoldersOnlyWhenAsked() throws {
    let folder = try ScratchFolder()
    let nested = folder.file("a/b/log.csv")
    #expect { try writeFileAtomically("x", to: nested) } throws: { error in
        (error as? FileIOError)?.message == "folder \(folder.path)/a/b does not exist; create it first"
    }
    try writeFileAtomically("step\n1\n", to: nested, creatingFolders: true)
    #expect(try readWholeTextFile(nested, limit: 100) == "step\n1\n")
    #expect(try folder.contents("a/b") == ["log.csv"])
    // A file where a folder should be is named in the error.
    #expect { try writeFileAtomically("x", to: nested + "/under.csv", creatingFolders: true) } throws: { error in
        guard let error = error as? FileIOError else { return false }
        return error.path == nested + "/under.csv" && error.message.hasPrefix("cannot create folder \(nested): ")
    }
}

@Test func atomicWriteRejectsPathsThatNameNoFile() throws {
    #expect(throws: FileIOError(path: "\"\"", message: "empty file path")) { try writeFileAtomically("x", to: "") }
    #expect(throws: FileIOError(path: "out/", message: "path names a folder, not a file")) {
        try writeFileAtomically("x", to: "out/")
    }
    let folder = try ScratchFolder()
    // Renaming a file over a folder fails, and the temporary file is cleaned up.
    try FileManager.default.createDirectory(atPath: folder.file("taken"), withIntermediateDirectories: false)
    #expect { try writeFileAtomically("x", to: folder.file("taken")) } throws: { error in
        (error as? FileIOError)?.message.hasPrefix("cannot move the finished file into place") == true
    }
    #expect(try folder.contents() == ["taken"])
}

@Test func atomicWriteRefusesToReplaceAPipeOrDevice() throws {
    // The rename used to put an ordinary file in place of the node: `laif run s.laif
    // --report /dev/null` as root replaced /dev/null. A FIFO stands in for the device here.
    let folder = try ScratchFolder()
    let pipe = folder.file("pipe")
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(throws: FileIOError(path: pipe, message: "is a pipe, not a regular file; write to an ordinary file path instead")) {
        try writeFileAtomically("x", to: pipe)
    }
    var info = stat()
    #expect(lstat(pipe, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    #expect(try folder.contents() == ["pipe"])
    // A symlink to such a node is refused too: `--report /dev/stdout` replaced the
    // /dev/stdout link with an ordinary file.
    try FileManager.default.createSymbolicLink(atPath: folder.file("to-pipe"), withDestinationPath: pipe)
    for following in [false, true] {
        #expect(throws: FileIOError(path: folder.file("to-pipe"),
                                    message: "is a symlink to a pipe, not a regular file; write to an ordinary file path instead")) {
            try writeFileAtomically("x", to: folder.file("to-pipe"), followingSymlinks: following)
        }
    }
    #expect(lstat(folder.file("to-pipe"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    // /dev/stdout under `| cat` leads through /proc/self/fd/1, whose link text for a pipe
    // ("pipe:[123]") is no path: following it by hand found nothing, and the write failed with
    // "cannot create a temporary file in /proc/self/fd".
    var ends: [Int32] = [0, 0]
    #expect(Glibc.pipe(&ends) == 0)
    defer { close(ends[0]); close(ends[1]) }
    let magic = "/proc/self/fd/\(ends[1])"
    #expect(throws: FileIOError(path: magic, message: "is a symlink to a pipe, not a regular file; write to an ordinary file path instead")) {
        try writeFileAtomically("x", to: magic, followingSymlinks: true)
    }
}

@Test func aSymlinkIsWrittenThroughWhenAskedAndReplacedOtherwise() throws {
    let folder = try ScratchFolder()
    try writeFileAtomically("target", to: folder.file("target"))
    try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: "target")
    // A path the user named: the link stays a link and its file gets the text (a relative
    // link, read from the link's folder).
    try writeFileAtomically("through", to: folder.file("link"), followingSymlinks: true)
    var info = stat()
    #expect(lstat(folder.file("link"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    #expect(try readWholeTextFile(folder.file("target"), limit: 100) == "through")
    // A link to a file not there yet makes it; chains are followed to the end.
    try FileManager.default.createSymbolicLink(atPath: folder.file("chain"), withDestinationPath: folder.file("link-to-new"))
    try FileManager.default.createSymbolicLink(atPath: folder.file("link-to-new"), withDestinationPath: folder.file("new"))
    try writeFileAtomically("made", to: folder.file("chain"), followingSymlinks: true)
    #expect(try readWholeTextFile(folder.file("new"), limit: 100) == "made")
    #expect(pathFollowingSymlinks(folder.file("chain")) == folder.file("new"))
    // A name laif makes itself (a plot in a shared folder): the link is replaced and its
    // target left alone, so no one else's link can redirect the write.
    try writeFileAtomically("replaced", to: folder.file("link"))
    #expect(lstat(folder.file("link"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG)
    #expect(try readWholeTextFile(folder.file("target"), limit: 100) == "through")
}

#if os(Linux)
@Test func aLoopOfSymlinksIsRefusedNotReplaced() throws {
    let folder = try ScratchFolder()
    try FileManager.default.createSymbolicLink(atPath: folder.file("a"), withDestinationPath: "b")
    try FileManager.default.createSymbolicLink(atPath: folder.file("b"), withDestinationPath: "a")
    #expect(throws: FileIOError(path: folder.file("a"), message: "its symlinks go round in a loop; point the link at a file, or remove it")) {
        try writeFileAtomically("x", to: folder.file("a"), followingSymlinks: true)
    }
    var info = stat()
    #expect(lstat(folder.file("a"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    #expect(lstat(folder.file("b"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    #expect(try folder.contents() == ["a", "b"])
}

@Test func aFolderThatExistsButTakesNoFilesIsNotCalledMissing() throws {
    // /proc exists, but creating a file there fails with ENOENT: the message used to say
    // "folder /proc does not exist; create it first".
    #expect { try writeFileAtomically("x", to: "/proc/laif-report.md") } throws: { error in
        guard let error = error as? FileIOError else { return false }
        return error.message.hasPrefix("cannot create a temporary file in /proc: ")
    }
}
#endif

@Test func pathsWithANULAreRefusedNotTruncated() throws {
    // The system reads a path only up to a NUL: "keep\0x" used to read the file "keep" and
    // fail to write with "Invalid argument".
    let folder = try ScratchFolder()
    try writeFileAtomically("kept", to: folder.file("keep"))
    let message = "the path contains a NUL character (\\0); remove it"
    #expect(throws: FileIOError(path: folder.file("keep") + "\\0x", message: message)) {
        try readWholeFile(folder.file("keep") + "\u{0}x", limit: 100)
    }
    #expect(throws: FileIOError(path: folder.file("new") + "\\0x", message: message)) {
        try writeFileAtomically("x", to: folder.file("new") + "\u{0}x")
    }
    #expect(try folder.contents() == ["keep"])
}

/// Replacing a file keeps its permissions: a private 0600 checkpoint used to become 0644.
@Test func atomicWriteKeepsTheModeOfTheFileItReplaces() throws {
    let folder = try ScratchFolder()
    let path = folder.file("private.safetensors")
    try writeFileAtomically([1], to: path)
    #expect(chmod(path, 0o600) == 0)
    try writeFileAtomically([2], to: path)
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    try writeFileAtomically([3], to: folder.file("new.bin"))
    #expect(stat(folder.file("new.bin"), &info) == 0 && info.st_mode & 0o777 == 0o644)
}

/// A legal name of 250 bytes failed: the temporary name added 12 and passed the 255-byte limit.
@Test func atomicWriteTakesNamesUpToTheFileSystemsLimit() throws {
    let folder = try ScratchFolder()
    let path = folder.file(String(repeating: "c", count: 247) + ".st")
    try writeFileAtomically([1, 2], to: path)
    #expect(try readWholeFile(path, limit: 10) == [1, 2])
    #expect(try folder.contents() == [String(repeating: "c", count: 247) + ".st"])
}
