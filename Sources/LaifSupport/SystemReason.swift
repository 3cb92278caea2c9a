#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's text for the current `errno`, read right after the failing call.
func systemReason() -> String {
    String(cString: strerror(errno))
}
