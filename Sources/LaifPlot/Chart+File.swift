import LaifSupport

extension Chart {
    /// Writes `svg()` to `path` atomically (a temporary file in the same folder, then a
    /// rename), making missing folders on the way; throws `ChartError` naming the path.
    ///
    ///     try chart.writeSVG(toFile: "plots/loss.svg")
    public func writeSVG(toFile path: String) throws {
        do {
            try writeFileAtomically(svg(), to: path, creatingFolders: true, followingSymlinks: true)
        } catch {
            throw ChartError("\(error)")
        }
    }
}
