import LaifSupport

/// Bad input to sampling or log-prob scoring: an invalid option, an empty or too-long prompt,
/// a token outside the vocabulary, mismatched batch sizes, or logits the model got wrong.
/// The message names the function, the row and the fix.
///
///     catch let error as InferenceError { print(error) }
///     // "sample: prompt 3 has 32 tokens; the model's maxLength 32 leaves no room for a response"
public struct InferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The function that refused the input (`sample`, `responseLogProbs`, ...).
    public let function: String
    /// What is wrong and how to fix it.
    public let message: String

    /// Makes an error for `function`.
    ///
    ///     InferenceError(function: "sample", message: "topP must be in (0, 1], got 0")
    public init(function: String, message: String) {
        self.function = function
        self.message = plainNaN(message)
    }

    /// The function and the message, for printing.
    ///
    ///     print(error)   // "sample: topP must be in (0, 1] (1 keeps every token), got 0.0"
    public var description: String { "\(function): \(message)" }
}
