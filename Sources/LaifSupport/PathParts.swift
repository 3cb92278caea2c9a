/// A file path's folder and name, split at the last slash: "out/r.md" gives ("out", "r.md"),
/// "r.md" gives (".", "r.md"), "/r.md" gives ("/", "r.md"). Split by hand: Foundation's
/// NSString.deletingLastPathComponent traps (SIGILL) on a one-character path, which is how
/// `laif run --report x` once crashed laif.
///
///     splitFolderAndName("out/plots/a.svg")   // (folder: "out/plots", name: "a.svg")
public func splitFolderAndName(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    return (slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...]))
}
