/// Cooperative cancellation for the libraries' long loops (sampling thousands of prompts, say).
/// A caller that can be interrupted runs the work inside `whenever`, with a check such as "was
/// Ctrl-C pressed"; the loops call `check()` between batches and throw `OperationCancelled`
/// when it says stop. The check is task-local (thread-local outside tasks), so nothing global
/// changes and code called without one never stops.
///
///     try Cancellation.whenever({ stopRequested() }) {
///         for batch in batches { try Cancellation.check(); work(batch) }
///     }
public enum Cancellation {
    /// The check installed by the innermost `whenever` on this task or thread.
    @TaskLocal static var current: Check?

    /// Throws `OperationCancelled` when the installed check asks to stop.
    ///
    ///     try Cancellation.check()
    public static func check() throws {
        if let current, current.shouldStop() { throw OperationCancelled() }
    }

    /// Runs `body` with `shouldStop` as the check that `check()` consults.
    ///
    ///     try Cancellation.whenever({ false }) { try Cancellation.check() }   // never throws
    public static func whenever<T>(_ shouldStop: @escaping () -> Bool, run body: () throws -> T) rethrows -> T {
        try $current.withValue(Check(shouldStop)) { try body() }
    }

    /// A stop predicate. `@unchecked Sendable`: it is only ever called on the thread that
    /// installed it, inside its `whenever`.
    final class Check: @unchecked Sendable {
        let shouldStop: () -> Bool
        init(_ shouldStop: @escaping () -> Bool) { self.shouldStop = shouldStop }
    }
}

/// Thrown by `Cancellation.check()` when the caller's check asked to stop.
///
///     catch is OperationCancelled { /* report "interrupted" */ }
public struct OperationCancelled: Error, CustomStringConvertible, Equatable, Sendable {
    /// The error `Cancellation.check()` throws; it carries nothing, as the caller knows what it
    /// asked to stop.
    ///
    ///     throw OperationCancelled()
    public init() {}
    public var description: String { "cancelled" }
}
