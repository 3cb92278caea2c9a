import LaifSupport

/// A shape, rank, axis, index or size problem found by a tensor operation.
///
/// The message names the operation and every shape involved, so a caller can fix the input:
///
///     do { _ = try a + b } catch let e as TensorError { print(e) }
///     // add: shapes [2, 3] and [4] cannot be broadcast (trailing dimensions must match or be 1)
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// The operation that failed, such as `"matmul"`.
    public let op: String
    /// What went wrong and how to fix it.
    public let message: String

    /// Creates an error for `op` with an explanatory `message`.
    ///
    ///     throw TensorError(op: "reshape", message: "cannot reshape [6] to [4]")
    public init(op: String, message: String) {
        self.op = op
        self.message = plainNaN(message)
    }

    /// `"op: message"`.
    public var description: String { "\(op): \(message)" }

    static func shapes(_ op: String, _ a: [Int], _ b: [Int], _ why: String) -> TensorError {
        TensorError(op: op, message: "shapes \(a) and \(b) \(why)")
    }
}
