/// Why a safetensors file (or an in-memory buffer) could not be read or written.
///
/// The message names the file and says what is wrong, for example
/// `model.safetensors: truncated: header says 1200 bytes of data, file has 800`.
///
///     do { _ = try SafetensorsFile(contentsOfFile: "w.safetensors") }
///     catch let error as SafetensorsError where error.kind == .truncated { print(error) }
public struct SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad class of problem, for callers that want to react to one kind.
    ///
    ///     if error.kind == .unsupportedDType { ... }
    public enum Kind: String, Sendable {
        /// The file could not be opened, read, written or renamed.
        case io
        /// The file ends before the header or the data it announces.
        case truncated
        /// The header length exceeds `SafetensorsFile.maximumHeaderBytes`.
        case headerTooLarge
        /// The JSON header is malformed or has the wrong shape.
        case invalidHeader
        /// A tensor's dtype is a valid safetensors dtype that laif cannot convert to Float.
        case unsupportedDType
        /// Data offsets overlap, leave holes, or do not cover the data section.
        case invalidOffsets
        /// A tensor's shape, dtype and byte span disagree, or its values do not fit its shape.
        case invalidTensor
        /// Two tensors share a name, or a name is empty or reserved.
        case invalidName
    }

    /// The broad class of problem.
    public let kind: Kind
    /// The path of the file, or `<memory>` for an in-memory buffer.
    public let file: String
    /// What is wrong, without the file name.
    public let message: String

    /// Makes an error for `file`.
    ///
    ///     SafetensorsError(.truncated, file: "w.safetensors", "header says 8 bytes of data, file has 4")
    public init(_ kind: Kind, file: String, _ message: String) {
        self.kind = kind
        self.file = file
        self.message = message
    }

    /// The file and the message, for printing.
    ///
    ///     print(error)   // "w.safetensors: truncated: header says 1200 bytes of data, file has 800"
    public var description: String { "\(file): \(message)" }
}
