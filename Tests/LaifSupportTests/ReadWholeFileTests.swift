import Foundation
import Testing
import LaifSupport

@Test func readWholeFileReturnsEveryByteUpToTheLimit() throws {
    let folder = try ScratchFolder()
    let path = folder.file("data.bin")
    let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try writeFileAtomically(bytes, to: path)
    #expect(try readWholeFile(path, limit: 5000) == bytes)
    #expect(throws: FileIOError(path: path, message: "file has 5000 bytes, more than the limit of 4999")) {
        try readWholeFile(path, limit: 4999)
    }
    try writeFileAtomically([], to: path)
    #expect(try readWholeFile(path, limit: 0) == [])
}

@Test func readWholeFileNamesWhatIsWrongWithThePath() throws {
    let folder = try ScratchFolder()
    #expect(throws: FileIOError(path: folder.file("none"), message: "cannot open: No such file or directory")) {
        try readWholeFile(folder.file("none"), limit: 10)
    }
    #expect(throws: FileIOError(path: folder.path, message: "not a regular file")) {
        try readWholeFile(folder.path, limit: 10)
    }
    #expect(throws: FileIOError(path: "\"\"", message: "empty file path")) { try readWholeFile("", limit: 10) }
    #expect("\(FileIOError(path: "a.txt", message: "cannot read: boom"))" == "a.txt: cannot read: boom")
}

@Test func readWholeTextFileDecodesUTF8AndReplacesBadBytes() throws {
    let folder = try ScratchFolder()
    let path = folder.file("t.txt")
    try writeFileAtomically(Array("héllo ".utf8) + [0xFF], to: path)
    #expect(try readWholeTextFile(path, limit: 100) == "héllo \u{FFFD}")
}

/// A named pipe nobody writes to used to block open() forever (load("fifo") hung).
@Test func aNamedPipeIsRefusedWithoutWaitingForAWriter() throws {
    let folder = try ScratchFolder()
    let pipe = folder.file("fifo")
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(throws: FileIOError(path: pipe, message: "not a regular file")) { try readWholeFile(pipe, limit: 100) }
}

#if os(Linux)
@Test func readWholeFileReadsToTheEndWhateverSizeTheFileReports() throws {
    // Files under /proc report 0 bytes but have content; they used to read as empty.
    let path = "/proc/self/status"
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_size == 0)
    #expect(try readWholeTextFile(path, limit: 1 << 20).hasPrefix("Name:"))
    #expect(throws: FileIOError(path: path, message: "file holds more than the limit of 10 bytes")) {
        try readWholeFile(path, limit: 10)
    }
}
#endif
