import Foundation

/// Writes a file atomically: the bytes go to a temporary file in the same folder, which is then
/// renamed over the destination, so readers never see a half-written file.
///
///     try writeFileAtomically(Data("hello\n".utf8), to: "/tmp/out.txt")
func writeFileAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw SimError("cannot write \(path): folder \(folder.path) does not exist; create it first")
    }
    let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    do {
        try data.write(to: temp)
    } catch {
        throw SimError("cannot write \(path): \(error.localizedDescription)")
    }
    guard rename(temp.path, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temp)
        throw SimError("cannot write \(path): rename failed (\(reason))")
    }
}
