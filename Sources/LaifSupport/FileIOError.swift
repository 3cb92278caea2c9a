/// A failed file operation: the path and the system's reason. Each layer wraps it in its own
/// error type (`SafetensorsError`, `SimError`, `TrainingError`, ...) so users see one kind of
/// message per layer.
///
///     let error = FileIOError(path: "/x/w.safetensors", message: "cannot open: No such file or directory")
///     "\(error)"   // "/x/w.safetensors: cannot open: No such file or directory"
public struct FileIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the operation was about.
    public let path: String
    /// What went wrong, in words (usually ending with the system's reason).
    public let message: String

    /// An error about `path`.
    ///
    ///     FileIOError(path: "out.txt", message: "cannot write: No space left on device")
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// "path: message".
    public var description: String { "\(path): \(message)" }
}

/// Refuses a path holding a NUL character: the system would read it only up to the NUL and
/// so open a different file than the one named ("runs/a.st\0x" would be "runs/a.st").
///
///     try requireNoNUL("runs/a.safetensors")
func requireNoNUL(_ path: String) throws {
    guard !path.utf8.contains(0) else {
        throw FileIOError(path: path.replacingNULs(), message: "the path contains a NUL character (\\0); remove it")
    }
}

extension String {
    /// The text with each NUL shown as `\0`, for messages.
    func replacingNULs() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\u{0}" { out += "\\0" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
