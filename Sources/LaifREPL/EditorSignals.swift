import CEditLine
import CSupport
import Foundation

/// What the line editor does about a window resize, Ctrl-Z and `fg` while a line is edited.
///
/// libedit's own signal handling is off (`rl_catch_signals = 0`): it would take SIGINT from
/// the REPL's handler, and it redraws inside its handlers. Instead the CSupport handlers only
/// set flags, and libedit reads keys through `readCharacter`, which acts on the flags between
/// keys, where calling libedit is safe:
///
/// - Ctrl-Z: the terminal goes back to the shell's mode, the process stops; after `fg` the
///   terminal is in libedit's mode again and the prompt and the line are drawn anew.
/// - A resize: libedit learns the new width, then the key `redrawKey` makes it run
///   `redrawLine`, which (unlike the reader) sees the line and the cursor, so it can go back
///   to the prompt's row before drawing the line at the new width.
///
/// ```swift
/// rl_getc_function = { EditorSignals.readCharacter(from: $0) }
/// rl_initialize()
/// EditorSignals.bindRedrawKey()
/// EditorSignals.startWatching()
/// let line = readline("laif> ")
/// EditorSignals.stopWatching()
/// ```
enum EditorSignals {
    /// Ctrl-^, unbound in libedit's emacs map; the reader hands it to libedit after a resize.
    /// Typed by the user, it draws the line afresh too.
    static let redrawKey: Int32 = 0x1E

    /// Whether the terminal re-wrapped the line to a new width since libedit drew it.
    nonisolated(unsafe) private static var lineIsRewrapped = false
    /// How many more times the reader hands libedit `redrawKey` for the last resize. libedit
    /// swallows a key that does not complete a key sequence it waits on (after Esc), so the
    /// key comes a second time if the redraw has not happened; never more, whatever took it.
    nonisolated(unsafe) private static var redrawKeysLeft = 0

    /// Installs the signal handlers for the line about to be read.
    ///
    /// ```swift
    /// EditorSignals.startWatching()
    /// ```
    static func startWatching() {
        lineIsRewrapped = false
        redrawKeysLeft = 0
        laif_editing_signals_install()
    }

    /// Restores the signal handlers once the line is read; a Ctrl-Z that came after the last
    /// key stops the process now.
    ///
    /// ```swift
    /// EditorSignals.stopWatching()
    /// ```
    static func stopWatching() {
        laif_editing_signals_restore()
    }

    /// libedit's character reader: one character from `stream` (UTF-8, which the REPL reads
    /// and libedit is set up for), -1 at end of input, on an error or on Ctrl-C (readline
    /// then returns NULL and the REPL reads the interrupt flag, as with libedit's own reader).
    ///
    /// ```swift
    /// rl_getc_function = { EditorSignals.readCharacter(from: $0) }
    /// ```
    static func readCharacter(from stream: UnsafeMutablePointer<FILE>?) -> Int32 {
        // A Ctrl-C libedit has not acted on yet ends this read before it waits: its completion
        // query ("Display all 195 possibilities? (y or n)") takes one end of input as "n" and
        // reads on, and the line typed next was then dropped as the interrupted one.
        if laif_interrupt_pending() != 0 { return -1 }
        // Any signal but Ctrl-C (a resize, fg, ...) only wakes the read up: the flags are acted
        // on before the next character.
        return UTF8CharacterAssembler.readCharacter(from: stream, betweenCharacters: {
            actOnSignals()
            guard redrawKeysLeft > 0 else { return nil }
            redrawKeysLeft -= 1
            return redrawKey
        }, endsOnInterrupt: { _ in laif_interrupt_pending() != 0 })
    }

    /// Registers `redrawLine` under `redrawKey`; call after each `rl_initialize`.
    ///
    /// ```swift
    /// EditorSignals.bindRedrawKey()
    /// ```
    static func bindRedrawKey() {
        _ = rl_add_defun(redrawCommandName, { _, _ in EditorSignals.redrawLine() }, redrawKey)
    }

    /// libedit keeps the command name's pointer, so it lives as long as the process.
    private static let redrawCommandName = UnsafePointer(strdup("laif-redraw-line"))

    /// Acts on the flags the signal handlers set.
    private static func actOnSignals() {
        if laif_suspend_requested_take() != 0 {
            // The shell needs its own terminal mode back while laif is stopped.
            rl_deprep_terminal()
            laif_suspend_self()
            _ = laif_continued_take()
            resume()
        } else if laif_continued_take() != 0 {
            // Stopped some other way (kill -STOP): the shell may have changed the terminal.
            resume()
        }
        if laif_window_resized_take() != 0 {
            rl_resize_terminal()
            lineIsRewrapped = true
            redrawKeysLeft = 2
        }
    }

    /// After `fg`: libedit's terminal mode again, the window's current size, and the prompt
    /// and the line drawn on the fresh line the shell left the cursor on.
    private static func resume() {
        // Through cooked mode, since libedit skips setting raw mode when it believes it is set.
        rl_deprep_terminal()
        rl_prep_terminal(0)
        // A resize while stopped is covered by drawing afresh at the current width.
        _ = laif_window_resized_take()
        lineIsRewrapped = false
        redrawKeysLeft = 0
        rl_resize_terminal()
        write(isDumbTerminal ? "\r" : "\r\u{1B}[J")
        rl_forced_update_display()
    }

    /// Goes back to the row the prompt starts on, clears from there down and lets libedit
    /// draw the prompt and the line again (its redraw assumes the cursor at the prompt's
    /// start). After a resize the rows are where a terminal that re-wraps them to its new
    /// width put them (tmux, VTE, kitty, iTerm2, ...); else where libedit drew them.
    private static func redrawLine() -> Int32 {
        let rewrapped = lineIsRewrapped
        lineIsRewrapped = false
        redrawKeysLeft = 0
        rl_resize_terminal()
        var rows: Int32 = 0
        var columns: Int32 = 0
        rl_get_screen_size(&rows, &columns)
        let prompt = rl_prompt.map { String(cString: $0) } ?? ""
        let line = lineAroundCursor()
        let rowsAbove = rewrapped
            ? LineLayout.rewrappedCursorRow(before: prompt + line.before, after: line.after, columns: Int(columns))
            : LineLayout.row(after: prompt + line.before, columns: Int(columns))
        if isDumbTerminal {
            write("\r\n")   // no way up: the line starts again below
        } else {
            write("\r" + (rowsAbove > 0 ? "\u{1B}[\(rowsAbove)A" : "") + "\u{1B}[J")
        }
        rl_forced_update_display()
        return 0
    }

    /// TERM=dumb (Emacs' shell buffer) has no cursor movement and no erasing.
    private static let isDumbTerminal = ProcessInfo.processInfo.environment["TERM"] == "dumb"

    /// Writes where libedit writes, flushed, so the two never interleave out of order.
    private static func write(_ text: String) {
        let stream = rl_outstream ?? stdout
        fputs(text, stream)
        fflush(stream)
    }
}
