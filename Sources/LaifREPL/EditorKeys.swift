import CEditLine
import Foundation

/// laif's editor commands and the keys bound to them. libedit calls a command through a C
/// function pointer that captures nothing; each finds its editor through the client data.
extension LineEditor {
    /// Registers laif's commands with libedit (keys are bound separately).
    func addCommands() {
        _ = laif_el_add_command(editLine, "laif-complete", "Complete the word before the cursor") { editLine, _ in
            LineEditor.editor(of: editLine)?.completeWordBeforeCursor() ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-redraw-line", "Draw the prompt and the line afresh") { editLine, _ in
            LineEditor.editor(of: editLine)?.signals.redrawLine() ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-previous-history", "Show the previous history entry") { editLine, _ in
            LineEditor.editor(of: editLine)?.recallHistory(older: true) ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-next-history", "Show the next history entry") { editLine, _ in
            LineEditor.editor(of: editLine)?.recallHistory(older: false) ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-search-previous-history",
                                "Show the previous history entry that starts with the text before the cursor") { editLine, _ in
            LineEditor.editor(of: editLine)?.recallHistory(older: true, startingWithTextBeforeCursor: true) ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-search-next-history",
                                "Show the next history entry that starts with the text before the cursor") { editLine, _ in
            LineEditor.editor(of: editLine)?.recallHistory(older: false, startingWithTextBeforeCursor: true) ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-search-history", "Search back through the history as you type") { editLine, _ in
            LineEditor.editor(of: editLine)?.searchHistoryBackward() ?? UInt8(CC_ERROR)
        }
        _ = laif_el_add_command(editLine, "laif-delete-or-end", "Delete the character under the cursor; on an empty line, leave") { editLine, _ in
            LineEditor.editor(of: editLine)?.deleteOrEnd() ?? UInt8(CC_ERROR)
        }
        // Where the terminal does not turn Ctrl-Z into a signal itself, the key still suspends.
        _ = laif_el_add_command(editLine, "laif-suspend", "Suspend laif to the shell") { _, _ in
            kill(getpid(), SIGTSTP)
            return UInt8(CC_NORM)
        }
    }

    /// Keys readline users expect that libedit's emacs map lacks: Home, End, Delete and
    /// Ctrl-arrows as the common terminals send them.
    static let readlineKeys: [(String, String)] = [
        ("\\e[1~", "ed-move-to-beg"), ("\\e[7~", "ed-move-to-beg"), ("\\e[H", "ed-move-to-beg"), ("\\eOH", "ed-move-to-beg"),
        ("\\e[4~", "ed-move-to-end"), ("\\e[8~", "ed-move-to-end"), ("\\e[F", "ed-move-to-end"), ("\\eOF", "ed-move-to-end"),
        ("\\e[3~", "ed-delete-next-char"),
        ("\\e[1;5C", "em-next-word"), ("\\e[5C", "em-next-word"), ("\\e\\e[C", "em-next-word"),
        ("\\e[1;5D", "ed-prev-word"), ("\\e[5D", "ed-prev-word"), ("\\e\\e[D", "ed-prev-word"),
    ]

    /// Binds laif's commands, over whatever ~/.editrc bound: Tab, the history keys and Ctrl-R
    /// (libedit's own history commands cut a line being typed past 1,024 characters), Ctrl-D
    /// (libedit's echoed `^D` after the prompt), Ctrl-Z, and the
    /// redraw key (unbound, a resize typed it into the line). With vi keys the history keys
    /// go to command mode (k, j, -, + and the arrows): an escape sequence bound in insert mode
    /// made Esc wait for its next key, so command mode could not be reached.
    func bindLaifKeys(vi: Bool) {
        _ = laif_el_bind(editLine, "^I", "laif-complete")
        _ = laif_el_bind(editLine, EditorSignals.redrawKeyName, "laif-redraw-line")
        _ = laif_el_bind(editLine, "^Z", "laif-suspend")
        _ = laif_el_bind(editLine, "^R", "laif-search-history")
        _ = laif_el_bind(editLine, "^D", "laif-delete-or-end")
        let previous = ["^P", "\\e[A", "\\eOA"], next = ["^N", "\\e[B", "\\eOB"]
        if vi {
            _ = laif_el_bind_command_mode(editLine, EditorSignals.redrawKeyName, "laif-redraw-line")
            _ = laif_el_bind_command_mode(editLine, "^R", "laif-search-history")
            // "-" as "\\055": bind reads a leading "-" as one of its options.
            for key in previous + ["k", "\\055"] { _ = laif_el_bind_command_mode(editLine, key, "laif-previous-history") }
            for key in next + ["j", "+"] { _ = laif_el_bind_command_mode(editLine, key, "laif-next-history") }
        } else {
            for key in previous { _ = laif_el_bind(editLine, key, "laif-previous-history") }
            for key in next { _ = laif_el_bind(editLine, key, "laif-next-history") }
            for key in ["\\ep", "\\eP"] { _ = laif_el_bind(editLine, key, "laif-search-previous-history") }
            for key in ["\\en", "\\eN"] { _ = laif_el_bind(editLine, key, "laif-search-next-history") }
        }
    }
}
