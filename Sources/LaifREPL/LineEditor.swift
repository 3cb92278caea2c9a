import CEditLine
import CSupport
import Foundation

/// What one call to `LineEditor.readLine(prompt:)` produced.
///
///     switch editor.readLine(prompt: "> ") {
///     case .line(let text): print(text)
///     case .interrupted: break          // Ctrl-C: drop the pending input
///     case .endOfInput: exit(0)         // Ctrl-D
///     }
public enum LineRead: Equatable, Sendable {
    /// A full line, without its newline.
    case line(String)
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the input closed.
    case endOfInput
}

/// A line editor over libedit's native API: prompt, history file, Tab completion. On a
/// terminal a resized window gets the line redrawn at its new width, and Ctrl-Z suspends to
/// the shell, `fg` bringing the line back as it was (see `EditorSignals`).
///
/// libedit calls back into C function pointers that cannot capture anything; each callback
/// finds its editor through the EditLine's client data.
///
///     let editor = LineEditor(historyFile: "/home/me/.laif_history") { request in
///         Completions(candidates: ["print"].filter { $0.hasPrefix(request.word) }, appendSpace: true)
///     }
///     if case .line(let text) = editor?.readLine(prompt: "laif> ") { editor?.remember(text) }
public final class LineEditor {
    /// Lines kept in the history file.
    public static let historyLimit = 1000

    /// libedit's editor (an `EditLine *`); ended in deinit.
    let editLine: OpaquePointer
    /// The entries Up and Down recall; the history file is read into it.
    let entries: EditHistory
    private let history: HistoryFile?
    /// Why the history file is not used this session (unreadable, not a history file,
    /// read-only), said once when the REPL starts; nil when it is used or there is none.
    public var historyProblem: String? { history?.problem }
    /// Lines of the history file that could not be read and were left out, said once when the
    /// REPL starts; nil when every line was read.
    public private(set) var historyNotice: String?
    /// Whether libedit edits lines on a terminal, so resizes, Ctrl-Z and fg concern it.
    let editsTerminal: Bool
    /// Whether prompts and the edited line go to stderr (output is piped): a newline that ends
    /// a prompt's line belongs there too.
    public let drawsOnStandardError: Bool
    /// Whether a prompt is drawn on a terminal at all, so that Ctrl-C or Ctrl-D leaves a line
    /// to end (none is when neither stdout nor stderr is a terminal).
    public let drawsPrompts: Bool
    /// Where libedit draws: stdout, or stderr when output is piped.
    let output: UnsafeMutablePointer<FILE>
    /// Proposes the candidates Tab offers.
    let completer: (CompletionRequest) -> Completions
    /// The state Tab keeps between presses (a second Tab lists the candidates).
    var tabCompletion = TabCompletion()
    /// Where Up and Down are in the history for the line being edited.
    var historyNavigation = HistoryNavigation()
    /// What resizes, Ctrl-Z and fg do to the line being edited.
    private(set) lazy var signals = EditorSignals(editor: self)
    /// The prompt libedit draws, as the C string its prompt callback hands over.
    private var promptText: UnsafeMutablePointer<CChar>
    /// The prompt as text, for redrawing and the completion listing.
    private(set) var prompt = ""
    /// The question Tab is waiting on an answer to ("Display all 195 possibilities?"), which
    /// `fg` draws again instead of the line.
    var pendingQuestion: String?
    /// A line of unedited input that arrived together with an interrupt: `readLine` reports
    /// the interrupt first and hands this line over at the next call.
    private var lineAfterInterrupt: String?

    /// Starts libedit, loads the history file (a missing file is fine) and installs the
    /// completer, which receives the line up to the cursor and the word being completed.
    /// Nil when libedit cannot start (no memory for its buffers).
    ///
    ///     let editor = LineEditor(historyFile: nil) { _ in Completions(candidates: [], appendSpace: false) }
    public init?(historyFile: String?, completer: @escaping (CompletionRequest) -> Completions) {
        LineEditor.useUTF8CharacterType()
        editsTerminal = LineEditor.libeditWillEdit(STDIN_FILENO)
        // With output going to a pipe or file (`laif | tee log`) the prompt and the line being
        // edited belong on the terminal, not in the output: libedit then draws on stderr, as
        // Python's REPL does.
        drawsOnStandardError = editsTerminal && isatty(STDOUT_FILENO) == 0 && isatty(STDERR_FILENO) != 0
        // With neither on a terminal (`laif 2>/dev/null | cat`) no prompt reaches the screen.
        drawsPrompts = isatty(STDOUT_FILENO) != 0 || drawsOnStandardError
        output = drawsOnStandardError ? stderr : stdout
        guard let entries = EditHistory(limit: LineEditor.historyLimit),
              let editLine = el_init("laif", stdin, output, LineEditor.libeditMessages(editing: editsTerminal)) else { return nil }
        self.entries = entries
        self.editLine = editLine
        self.completer = completer
        promptText = strdup("")
        history = historyFile.map { HistoryFile(named: $0, entries: entries) }
        configure()
        historyNotice = history?.load()
    }

    deinit {
        el_end(editLine)
        free(promptText)
    }

    /// Where libedit reports problems (a terminal type it does not know, a bad ~/.editrc line):
    /// stderr while it edits; nowhere when it does not, where they concern nothing laif does
    /// (TERM=emacs, which has no terminfo entry, had every start say so).
    private static func libeditMessages(editing: Bool) -> UnsafeMutablePointer<FILE> {
        if editing { return stderr }
        // Opened once and kept: libedit may write to it for as long as it runs.
        return discardedMessages ?? stderr
    }

    private static let discardedMessages = fopen("/dev/null", "w")

    /// The editor a libedit callback was called for.
    static func editor(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = laif_el_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Emacs keys, as the readline library has them, plus laif's own commands (see
    /// EditorKeys.swift), a user's ~/.editrc read in between.
    private func configure() {
        // Unretained: libedit holds the pointer only as long as this object holds libedit.
        _ = laif_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = laif_el_set_editor(editLine, "emacs")
        // The REPL's SIGINT handler (CSupport) must stay in charge: libedit would re-raise the
        // signal. Resizes, Ctrl-Z and fg are then ours too: EditorSignals reads the keys and
        // acts on them between keys.
        _ = laif_el_set_signal_handling(editLine, 0)
        if !editsTerminal && isatty(STDIN_FILENO) != 0 { _ = laif_el_set_edit_mode(editLine, 0) }
        _ = laif_el_set_history(editLine, entries.list)
        _ = laif_el_set_prompt(editLine) { editLine in LineEditor.editor(of: editLine)?.promptText }
        _ = laif_el_set_reader(editLine) { editLine, character in
            guard let editor = LineEditor.editor(of: editLine), let character else { return -1 }
            let read = editor.editsTerminal
                ? editor.signals.readCharacter(from: stdin)
                : UneditedInput.readCharacter(from: stdin)
            // 0 is end of input for libedit; Ctrl-C ends the read the same way, and readLine
            // tells the two apart by the interrupt flag.
            guard read >= 0 else { return 0 }
            character.pointee = wchar_t(read)
            return 1
        }
        addCommands()
        // Keys a user's ~/.editrc (or $EDITRC) may change are bound before it is read; laif's
        // own after it, since `bind -e` or `bind -v` there starts from libedit's keys, which
        // left no completion and let a resize type the redraw key into the line.
        for (key, command) in LineEditor.readlineKeys { _ = laif_el_bind(editLine, key, command) }
        _ = el_source(editLine, nil)
        bindLaifKeys(vi: laif_el_uses_vi_keys(editLine) != 0)
    }

    /// Whether libedit will edit lines read from `descriptor`: not when it is no terminal
    /// (piped input), and, as libedit itself decides, not when the terminal does not echo or
    /// TERM is "emacs". Then the terminal stays in its own mode and needs no signal handling.
    private static func libeditWillEdit(_ descriptor: Int32) -> Bool {
        var attributes = termios()
        guard tcgetattr(descriptor, &attributes) == 0 else { return false }
        return attributes.c_lflag & tcflag_t(ECHO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "emacs"
    }

    /// libedit reads multibyte input through the C library, which stays in the "C" locale
    /// (ASCII only: it silently drops é, 中 or 😀) until the program selects one. Only the
    /// character type is taken from the environment (numbers keep printing with a `.`); when
    /// that is not UTF-8 (LANG unset, a POSIX locale), UTF-8 is chosen anyway, since laif
    /// source and strings are UTF-8.
    static func useUTF8CharacterType() {
        if setlocale(LC_CTYPE, "") != nil, isUTF8CharacterType() { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8CharacterType() { return }
        }
    }

    private static func isUTF8CharacterType() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Shows `prompt` and reads one line with editing, history recall and completion.
    /// Ctrl-C (the CSupport handler's flag) gives `.interrupted` and clears the flag. On a
    /// terminal that drops the line being typed; unedited input loses nothing (see below).
    ///
    ///     let answer = editor.readLine(prompt: "... ")
    public func readLine(prompt: String) -> LineRead {
        if let line = lineAfterInterrupt {
            lineAfterInterrupt = nil
            return .line(line)
        }
        setPrompt(prompt)
        laif_interrupt_clear()
        UneditedInput.lineStarted = false
        tabCompletion = TabCompletion()
        historyNavigation = HistoryNavigation()
        if editsTerminal { signals.startWatching() }
        var count: Int32 = 0
        let raw = el_wgets(editLine, &count)
        // Outside the editor a resize needs nothing (libedit measures the window at each line)
        // and Ctrl-Z must stop a running entry at once.
        if editsTerminal { signals.stopWatching() }
        let line = raw.flatMap { count > 0 ? LineEditor.text(of: $0, count: Int(count)) : nil }
        if laif_interrupt_pending() != 0 {
            laif_interrupt_clear()
            // Unedited text was sent whole, and the interrupt came while laif waited for it or
            // read it: the interrupt is answered in its turn, and the line is kept, not dropped.
            if !editsTerminal { lineAfterInterrupt = line }
            return .interrupted
        }
        guard let line else { return .endOfInput }
        return .line(line)
    }

    /// The line libedit read, without its newline.
    private static func text(of characters: UnsafePointer<wchar_t>, count: Int) -> String {
        let line = text(of: UnsafeBufferPointer(start: characters, count: count))
        return line.hasSuffix("\n") ? String(line.dropLast()) : line
    }

    /// libedit's wide characters (Unicode scalars) as text.
    private static func text(of characters: UnsafeBufferPointer<wchar_t>) -> String {
        var scalars = String.UnicodeScalarView()
        for character in characters {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: character)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Sets the prompt libedit draws from now on.
    func setPrompt(_ text: String) {
        guard text != prompt, let copy = strdup(text) else { return }
        free(promptText)
        promptText = copy
        prompt = text
    }

    /// The line being edited, split at the cursor, read from libedit's own wide-character
    /// buffer (nothing of it is kept once this returns).
    ///
    ///     let (before, after) = editor.editedLine()
    func editedLine() -> (before: String, after: String) {
        guard let info = el_wline(editLine)?.pointee, let start = info.buffer else { return ("", "") }
        func text(_ from: UnsafePointer<wchar_t>, _ to: UnsafePointer<wchar_t>?) -> String {
            guard let to, to > from else { return "" }
            return LineEditor.text(of: UnsafeBufferPointer(start: from, count: to - from))
        }
        let cursor = info.cursor ?? start
        return (text(start, cursor), text(cursor, info.lastchar))
    }

    /// Adds a non-blank entry (one line, or several joined by newlines, which libedit shows
    /// and edits as one buffer and its history file keeps escaped) to the history and saves the
    /// history file right away (through a temporary file and a rename, so a crash never leaves
    /// half a file). Returns why the file could not be saved, or nil; the entry stays in this
    /// session's history either way.
    ///
    ///     if let problem = editor.remember("let x = 1") { print(problem) }
    @discardableResult
    public func remember(_ entry: String) -> String? {
        guard !entry.allSatisfy(\.isWhitespace) else { return nil }
        guard let history else {
            entries.enter(entry)
            return nil
        }
        return history.record(entry)
    }

    /// The Ctrl-D command: on an empty line the end of input (what libedit does, without the
    /// `^D` it echoed after the prompt); else the character under the cursor is deleted, and at
    /// the end of the line it beeps.
    func deleteOrEnd() -> UInt8 {
        let line = editedLine()
        if line.before.isEmpty && line.after.isEmpty { return UInt8(CC_EOF) }
        guard !line.after.isEmpty else { return UInt8(CC_ERROR) }
        _ = el_cursor(editLine, 1)
        el_deletestr(editLine, 1)
        return UInt8(CC_REFRESH)
    }

    /// Inserts `text` at the cursor, straight into libedit's wide-character line; false when
    /// its buffer cannot take it.
    ///
    ///     editor.insertAtCursor("print")
    @discardableResult
    func insertAtCursor(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        let wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        return wide.withUnsafeBufferPointer { el_winsertstr(editLine, $0.baseAddress) } == 0
    }

    /// The window's width as libedit last measured it (`el_resize`).
    var screenColumns: Int {
        var rows: Int32 = 0
        var columns: Int32 = 0
        laif_el_screen_size(editLine, &rows, &columns)
        return Int(columns)
    }

    /// Goes up `rows` rows, to the start of the row there, and clears from there down: where
    /// a prompt and line, or a question, are drawn again.
    ///
    ///     editor.clearUpward(rows: 2)
    func clearUpward(rows: Int) {
        write("\r" + (rows > 0 ? "\u{1B}[\(rows)A" : "") + "\u{1B}[J")
    }

    /// Writes `text` where libedit draws, flushed, so the two never interleave out of order.
    ///
    ///     editor.write("\r\n")
    func write(_ text: String) {
        fputs(text, output)
        fflush(output)
    }
}
