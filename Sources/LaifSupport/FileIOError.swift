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
