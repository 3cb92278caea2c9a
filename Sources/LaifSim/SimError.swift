import LaifSupport

/// A problem with input to the simulated world: a bad knob, a malformed file line, a prompt
/// that does not belong to the world. The message names the place and the fix.
///
///     do { _ = try WorldConfig(tasks: 0).validated() }
///     catch let e as SimError { print(e) }   // "world: tasks must be 1...64, got 0"
public struct SimError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The full human-readable message.
    public let message: String

    /// Makes an error from a message that already names the place and the fix.
    ///
    ///     throw SimError("oracle: strength must be finite, got nan")
    public init(_ message: String) {
        self.message = plainNaN(message)
    }

    public var description: String { message }
}

/// Throws a `SimError` naming `place` unless `value` lies in `range`.
func requireRange<T: Comparable>(_ value: T, _ range: ClosedRange<T>, _ place: String) throws {
    guard range.contains(value) else {
        throw SimError("\(place) must be \(range.lowerBound)...\(range.upperBound), got \(value)")
    }
}

/// Throws unless `value` is a finite probability in [0, 1].
func requireProbability(_ value: Double, _ place: String) throws {
    guard value.isFinite, value >= 0, value <= 1 else {
        throw SimError("\(place) must be a probability in [0, 1], got \(value)")
    }
}

/// Throws unless `value` is finite.
func requireFinite(_ value: Double, _ place: String) throws {
    guard value.isFinite else { throw SimError("\(place) must be a finite number, got \(value)") }
}
