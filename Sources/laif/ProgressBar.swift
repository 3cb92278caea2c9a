import Foundation
import LaifBindings
import LaifLang
import LaifREPL

/// The progress bar of long builtins (pretraining a base, every trainer), drawn on stderr and
/// only when stderr is a terminal that can erase a line: pipes, CI logs and TERM=dumb never
/// see it.
///
///     ProgressBar.attach(to: interpreter)
///     // sft  [##########··········]  40/80  312.5 steps/s  ETA 0.1s  loss 1.2345
final class ProgressBar {
    private let width = 24
    /// Redraw at most this often, so a fast trainer does not spend its time on the terminal.
    private let minimumInterval = 0.1
    private var lastDraw = 0.0
    private var lineVisible = false

    /// The bar on screen, if any: `Terminal.out` clears it first so output never lands on it.
    /// Only the interpreter's thread draws and writes, so no lock is needed.
    nonisolated(unsafe) static var shared: ProgressBar?

    /// Sends the interpreter's progress reports to a bar on stderr when it is a terminal.
    ///
    ///     ProgressBar.attach(to: makeInterpreter(output: Terminal.out))
    static func attach(to interpreter: Interpreter, environment: [String: String] = ProcessInfo.processInfo.environment) {
        // A dumb terminal (Emacs' shell buffer, some CI consoles) cannot erase a line: every
        // redraw would stay on screen with its escape codes showing.
        guard isatty(STDERR_FILENO) != 0, environment["TERM"] != "dumb" else { return }
        let bar = shared ?? ProgressBar()
        shared = bar
        installTrainingProgress(in: interpreter.registry) { report in bar.update(report) }
    }

    /// Erases the bar's line if it is showing (before other output, or when a task ends).
    ///
    ///     ProgressBar.shared?.clear()
    func clear() {
        guard lineVisible else { return }
        lineVisible = false
        draw("")
    }

    /// Replaces the bar's line with `text` (written straight to stderr: `Terminal.err` would
    /// clear the bar first).
    private func draw(_ text: String) {
        fputs("\r\u{1B}[2K" + text, stderr)
        fflush(stderr)
    }

    /// Draws `report` (throttled) and clears the line when the task is done.
    ///
    ///     bar.update(TrainingProgressReport(task: "sft", step: 3, total: 80, loss: 1.2, elapsedSeconds: 0.4))
    func update(_ report: TrainingProgressReport) {
        let finished = report.step >= report.total
        let now = ProcessInfo.processInfo.systemUptime
        if !finished && lineVisible && now - lastDraw < minimumInterval { return }
        lastDraw = now
        if finished { return clear() }
        // Asked on every draw, so a window resized mid-run gets bars that fit.
        draw(ProgressBar.fitted(ProgressBar.line(for: report, width: width), columns: TerminalSize.columns(of: STDERR_FILENO)))
        lineVisible = true
    }

    /// `text` cut to fit one row of `columns`: a line that wraps leaves its first rows behind
    /// on every redraw (`\r` and erase-line reach only the last row), filling the screen with
    /// stale bars in a narrow window. The last column stays free, since some terminals wrap
    /// as soon as it is written.
    ///
    ///     ProgressBar.fitted("sft  [####]  3/80", columns: 10)   // "sft  [###"
    static func fitted(_ text: String, columns: Int?) -> String {
        guard let columns, columns > 1, text.count >= columns else { return text }
        return String(text.prefix(columns - 1))
    }


    /// One line of the bar, without escape codes.
    ///
    ///     ProgressBar.line(for: report, width: 10)   // "sft  [####······]  32/80  ..."
    static func line(for report: TrainingProgressReport, width: Int) -> String {
        let total = max(report.total, 1)
        let filled = min(width, max(0, report.step * width / total))
        var text = "\(report.task)  [" + String(repeating: "#", count: filled)
            + String(repeating: "·", count: width - filled) + "]  \(report.step)/\(report.total)"
        if report.elapsedSeconds > 0 {
            text += String(format: "  %.1f steps/s", Double(report.step) / report.elapsedSeconds)
        }
        if let eta = report.etaSeconds { text += String(format: "  ETA %.1fs", eta) }
        if let loss = report.loss, loss.isFinite { text += String(format: "  loss %.4f", loss) }
        return text
    }
}
