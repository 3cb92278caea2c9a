import CEditLine
import CSupport
import Foundation

/// What the line editor does about a window resize, Ctrl-Z and `fg` while a line is edited.
///
/// libedit's own signal handling is off (`EL_SIGNAL` 0): it would take SIGINT from the REPL's
/// handler, and it redraws inside its handlers. Instead the CSupport handlers only set flags,
/// and libedit reads keys through `readCharacter`, which acts on the flags between keys, where
/// calling libedit is safe:
///
/// - Ctrl-Z: the terminal goes back to the shell's mode, the process stops; after `fg` the
///   terminal is in libedit's mode again and the prompt and the line are drawn anew.
/// - A resize: libedit learns the new width, then the key `redrawKey` makes it run
///   `redrawLine`, which (unlike the reader) sees the line and the cursor, so it can go back
///   to the prompt's row before drawing the line at the new width.
///
///     let signals = EditorSignals(editor: editor)   // its reader and redraw command go to libedit
///     signals.startWatching()
///     let line = el_wgets(editor.editLine, &count)
///     signals.stopWatching()
final class EditorSignals {
    /// Ctrl-^, unbound in libedit's emacs map; the reader hands it to libedit after a resize.
    /// Typed by the user, it draws the line afresh too.
    static let redrawKey: Int32 = 0x1E
    /// `redrawKey` in libedit's key notation.
    static let redrawKeyName = "^^"

    /// The editor whose line is redrawn; it owns this object.
    private unowned let editor: LineEditor
    /// Whether the terminal re-wrapped the line to a new width since libedit drew it.
    private var lineIsRewrapped = false
    /// How many more times the reader hands libedit `redrawKey` for the last resize. libedit
    /// swallows a key that does not complete a key sequence it waits on (after Esc), so the
    /// key comes a second time if the redraw has not happened; never more, whatever took it.
    private var redrawKeysLeft = 0
    /// The width libedit last drew the line at.
    private var drawnColumns = 80

    /// Watches over `editor`'s line.
    ///
    ///     let signals = EditorSignals(editor: editor)
    init(editor: LineEditor) {
        self.editor = editor
    }

    /// Installs the signal handlers for the line about to be read.
    ///
    ///     signals.startWatching()
    func startWatching() {
        lineIsRewrapped = false
        redrawKeysLeft = 0
        // libedit measures the window as it starts the line, and draws at that width.
        el_resize(editor.editLine)
        drawnColumns = editor.screenColumns
        laif_editing_signals_install()
    }

    /// Restores the signal handlers once the line is read; a Ctrl-Z that came after the last
    /// key stops the process now.
    ///
    ///     signals.stopWatching()
    func stopWatching() {
        laif_editing_signals_restore()
    }

    /// libedit's character reader: one character from `stream` (UTF-8, which the REPL reads
    /// and libedit is set up for), -1 at end of input, on an error or on Ctrl-C (the line read
    /// then ends and the REPL reads the interrupt flag).
    ///
    ///     let character = signals.readCharacter(from: stdin)
    func readCharacter(from stream: UnsafeMutablePointer<FILE>?) -> Int32 {
        // A Ctrl-C libedit has not acted on yet ends this read before it waits: the completion
        // query ("Display all 195 possibilities? (y or n)") takes one end of input as "n" and
        // reads on, and the line typed next was then dropped as the interrupted one.
        if laif_interrupt_pending() != 0 { return -1 }
        // Any signal but Ctrl-C (a resize, fg, ...) only wakes the read up: the flags are acted
        // on before the next character.
        return UTF8CharacterAssembler.readCharacter(from: stream, betweenCharacters: {
            self.actOnSignals()
            guard self.redrawKeysLeft > 0 else { return nil }
            self.redrawKeysLeft -= 1
            return EditorSignals.redrawKey
        }, endsOnInterrupt: { _ in laif_interrupt_pending() != 0 })
    }

    /// Acts on the flags the signal handlers set.
    private func actOnSignals() {
        if laif_suspend_requested_take() != 0 {
            // The shell needs its own terminal mode back while laif is stopped.
            _ = laif_el_prepare_terminal(editor.editLine, 0)
            laif_suspend_self()
            _ = laif_continued_take()
            resume()
        } else if laif_continued_take() != 0 {
            // Stopped some other way (kill -STOP): the shell may have changed the terminal.
            resume()
        }
        if laif_window_resized_take() != 0 {
            el_resize(editor.editLine)
            lineIsRewrapped = true
            redrawKeysLeft = 2
        }
    }

    /// After `fg`: libedit's terminal mode again, the window's current size, and the prompt
    /// and the line drawn on the fresh line the shell left the cursor on.
    private func resume() {
        // Through cooked mode, since libedit skips setting raw mode when it believes it is set.
        _ = laif_el_prepare_terminal(editor.editLine, 0)
        _ = laif_el_prepare_terminal(editor.editLine, 1)
        // A resize while stopped is covered by drawing afresh at the current width.
        _ = laif_window_resized_take()
        lineIsRewrapped = false
        redrawKeysLeft = 0
        el_resize(editor.editLine)
        if EditorSignals.isDumbTerminal { editor.write("\r") } else { editor.clearUpward(rows: 0) }
        if let question = editor.pendingQuestion {
            editor.write(question)   // the line is drawn again once it is answered
        } else {
            _ = laif_el_refresh(editor.editLine)
        }
    }

    /// Drops what a resize left to do: the question Tab asks has drawn itself again, and the
    /// line is drawn afresh below the list once it is answered.
    ///
    ///     signals.forgetResize()
    func forgetResize() {
        lineIsRewrapped = false
        redrawKeysLeft = 0
    }

    /// The `redrawKey` command: goes back to the row the prompt starts on, clears from there
    /// down and lets libedit draw the prompt and the line again (its redraw assumes the cursor
    /// at the prompt's start). After a resize the rows are where a terminal that re-wraps them
    /// to its new width put them (tmux, VTE, kitty, iTerm2, ...); else where libedit drew them.
    ///
    ///     signals.redrawLine()   // libedit runs it for Ctrl-^
    func redrawLine() -> UInt8 {
        clearFromPromptRow()
        _ = laif_el_refresh(editor.editLine)
        return UInt8(CC_NORM)
    }

    /// Goes back to the row the prompt starts on and clears from there down, for libedit to
    /// draw the prompt and the line anew (after a resize, at the window's new width). The rows
    /// are where the terminal re-wrapped what libedit drew, after a resize; else where libedit
    /// drew them.
    ///
    ///     signals.clearFromPromptRow()
    ///     _ = laif_el_refresh(editor.editLine)
    func clearFromPromptRow() {
        let rewrapped = lineIsRewrapped
        lineIsRewrapped = false
        redrawKeysLeft = 0
        el_resize(editor.editLine)
        let columns = editor.screenColumns
        let prompt = editor.prompt
        let line = editor.editedLine()
        let rowsAbove = rewrapped
            ? LineLayout.rewrappedCursorRow(before: prompt + line.before, after: line.after, columns: columns,
                                            drawnColumns: drawnColumns)
            : LineLayout.row(after: prompt + line.before, columns: columns)
        drawnColumns = columns
        if EditorSignals.isDumbTerminal {
            editor.write("\r\n")   // no way up: the line starts again below
        } else {
            editor.clearUpward(rows: rowsAbove)
        }
    }

    /// TERM=dumb (Emacs' shell buffer) has no cursor movement and no erasing.
    static let isDumbTerminal = ProcessInfo.processInfo.environment["TERM"] == "dumb"
}
