#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The width of the terminal a file descriptor writes to, asked anew on every call so a
/// window resized mid-session is seen; nil when the descriptor is not a terminal.
///
///     TerminalSize.columns(of: STDOUT_FILENO)   // 100 in a 100-column window
public enum TerminalSize {
    /// The column count `TIOCGWINSZ` reports for `descriptor`; nil when it is no terminal or
    /// reports a width of 0.
    ///
    ///     let width = TerminalSize.columns(of: STDERR_FILENO) ?? 80
    public static func columns(of descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
