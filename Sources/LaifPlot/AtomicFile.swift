import Foundation

/// Writes whole files atomically: Foundation's `.atomic` option writes a temporary file in
/// the same folder and renames it over the target, so readers never see half a file.
///
/// ```swift
/// try AtomicFile.write("# report\n", to: URL(fileURLWithPath: "out/report.md"))
/// ```
public enum AtomicFile {
    /// Writes `text` (UTF-8) to `url`, creating missing parent folders; throws
    /// `AtomicFileError` naming the path on failure.
    ///
    /// ```swift
    /// try AtomicFile.write("<svg/>", to: URL(fileURLWithPath: "plot.svg"))
    /// ```
    public static func write(_ text: String, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError("cannot create folder '\(folder.path)': \(reason(error))")
        }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw AtomicFileError("cannot write '\(url.path)': \(reason(error))")
        }
    }

    /// The system's reason without Foundation's boilerplate around it.
    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           let posix = POSIXErrorCode(rawValue: Int32(underlying.code)), underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(posix.rawValue))
        }
        return nsError.localizedDescription
    }
}

/// Why an atomic write failed; the description names the path.
///
/// ```swift
/// do { try AtomicFile.write("x", to: url) } catch let error as AtomicFileError { print(error) }
/// ```
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    /// The message shown to the user.
    public let description: String
    init(_ description: String) { self.description = description }
}
