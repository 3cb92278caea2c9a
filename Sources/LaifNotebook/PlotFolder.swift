import Foundation
import LaifLang
import LaifPlot
import LaifSupport

/// Where `plot(...)` puts its SVG files: numbered files `<prefix>-N.svg` in one folder. The
/// notebook runner uses the report's folder and `<report-stem>-plot`; the REPL a temporary
/// folder. Use `write(_:)` as the interpreter's `plotSink`.
///
///     let plots = PlotFolder(folder: URL(fileURLWithPath: "out"), prefix: "report-plot")
///     interpreter.plotSink = plots.write
public final class PlotFolder {
    /// The folder the files go to.
    public let folder: URL
    /// The file-name prefix; files are `<prefix>-1.svg`, `<prefix>-2.svg`, ...
    public let prefix: String
    /// File names written so far, in order.
    public private(set) var fileNames: [String] = []

    /// Makes a plot folder; nothing is created until the first chart.
    ///
    ///     PlotFolder(folder: FileManager.default.temporaryDirectory, prefix: "laif-plot")
    public init(folder: URL, prefix: String) {
        self.folder = folder
        self.prefix = prefix
    }

    /// The REPL's folder: `$LAIF_PLOT_DIR`, or `laif-plots` in the temporary folder, with a
    /// per-process prefix so concurrent sessions never overwrite each other's charts.
    ///
    ///     let plots = PlotFolder.temporary()
    public static func temporary(environment: [String: String] = ProcessInfo.processInfo.environment) -> PlotFolder {
        let folder = environment["LAIF_PLOT_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("laif-plots")
        return PlotFolder(folder: folder, prefix: "plot-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Writes the chart's SVG to the next numbered file (atomically) and returns its path;
    /// throws a `PlotSinkError` naming the folder and the reason when it cannot.
    ///
    ///     let path = try plots.write(chart)   // "out/report-plot-1.svg"
    public func write(_ chart: Chart) throws -> String {
        let name = "\(prefix)-\(fileNames.count + 1).svg"
        let url = folder.appendingPathComponent(name)
        do {
            try writeFileAtomically(chart.svg(), to: url.path, creatingFolders: true)
        } catch {
            throw PlotSinkError(folder: folder.path, reason: (error as? FileIOError)?.message ?? "\(error)")
        }
        fileNames.append(name)
        return url.relativePath
    }
}
