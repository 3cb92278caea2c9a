import CEditLine
import CSupport
import Foundation

/// What one call to `LineEditor.readLine(prompt:)` produced.
///
/// ```swift
/// switch editor.readLine(prompt: "> ") {
/// case .line(let text): print(text)
/// case .interrupted: break          // Ctrl-C: drop the pending input
/// case .endOfInput: exit(0)         // Ctrl-D
/// }
/// ```
public enum LineRead: Equatable, Sendable {
    /// A full line, without its newline.
    case line(String)
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the input closed.
    case endOfInput
}

/// Proposals for completing the word before the cursor; every candidate is the full
/// replacement for that word (libedit's word, split at `completionWordBreaks`).
///
/// ```swift
/// Completions(candidates: ["print", "prompts"], appendSpace: false)
/// ```
public struct Completions: Equatable, Sendable {
    /// Full replacements for the word, sorted.
    public var candidates: [String]
    /// Whether a single, final candidate should get a space after it (not for folders).
    public var appendSpace: Bool

    /// Makes a completion answer.
    ///
    /// ```swift
    /// let none = Completions(candidates: [], appendSpace: false)
    /// ```
    public init(candidates: [String], appendSpace: Bool) {
        self.candidates = candidates
        self.appendSpace = appendSpace
    }
}

/// The characters that end the word Tab completes. `.`, `:`, `?`, `/` and `"` are NOT
/// among them, so the completer sees `model.tr`, `:he`, `?so` and `"data/tr` whole and can
/// tell member, command, help and path completion apart.
let completionWordBreaks = " \t\n(),[]{}=+-*<>;!&|%^~@$`'\\"

/// A line editor over libedit (readline API): prompt, history file, Tab completion. On a
/// terminal a resized window gets the line redrawn at its new width, and Ctrl-Z suspends to
/// the shell, `fg` bringing the line back as it was (see `EditorSignals`).
///
/// libedit keeps global state, so only one editor should be active at a time; the completion
/// callback is therefore held in a static slot the C callback reads.
///
/// ```swift
/// let editor = LineEditor(historyFile: "/home/me/.laif_history") { request in
///     Completions(candidates: ["print"].filter { $0.hasPrefix(request.word) }, appendSpace: true)
/// }
/// if case .line(let text) = editor.readLine(prompt: "laif> ") { editor.remember(text) }
/// ```
public final class LineEditor {
    /// Lines kept in the history file.
    public static let historyLimit = 1000

    private let history: HistoryFile?
    /// Why the history file is not used this session (unreadable, not a history file,
    /// read-only), said once when the REPL starts; nil when it is used or there is none.
    public var historyProblem: String? { history?.problem }
    /// Whether libedit edits lines on a terminal, so resizes, Ctrl-Z and fg concern it.
    private let editsTerminal: Bool
    /// Whether prompts and the edited line go to stderr (output is piped): a newline that ends
    /// a prompt's line belongs there too.
    public let drawsOnStandardError: Bool
    /// Whether a prompt is drawn on a terminal at all, so that Ctrl-C or Ctrl-D leaves a line
    /// to end (none is when neither stdout nor stderr is a terminal).
    public let drawsPrompts: Bool
    /// A line of unedited input that arrived together with an interrupt: `readLine` reports
    /// the interrupt first and hands this line over at the next call.
    private var lineAfterInterrupt: String?
    /// The active completer; libedit's C callback cannot capture context, so it reads this.
    nonisolated(unsafe) static var activeCompleter: ((CompletionRequest) -> Completions)?

    /// Starts libedit, loads the history file (a missing file is fine) and installs the
    /// completer, which receives the line up to the cursor and the word being completed.
    ///
    /// ```swift
    /// let editor = LineEditor(historyFile: nil) { _ in Completions(candidates: [], appendSpace: false) }
    /// ```
    public init(historyFile: String?, completer: @escaping (CompletionRequest) -> Completions) {
        history = historyFile.map(HistoryFile.init(named:))
        LineEditor.useUTF8CharacterType()
        rl_readline_name = UnsafePointer(strdup("laif"))
        // Our SIGINT handler (CSupport) must stay in charge: libedit would re-raise the signal.
        // Resizes, Ctrl-Z and fg are then ours too: EditorSignals reads the keys and acts on them.
        rl_catch_signals = 0
        editsTerminal = LineEditor.libeditWillEdit(STDIN_FILENO)
        // With output going to a pipe or file (`laif | tee log`) the prompt and the line being
        // edited belong on the terminal, not in the output: libedit then draws on stderr, as
        // Python's REPL does.
        drawsOnStandardError = editsTerminal && isatty(STDOUT_FILENO) == 0 && isatty(STDERR_FILENO) != 0
        if drawsOnStandardError { rl_outstream = stderr }
        // With neither on a terminal (`laif 2>/dev/null | cat`) no prompt reaches the screen.
        drawsPrompts = isatty(STDOUT_FILENO) != 0 || drawsOnStandardError
        // rl_initialize installs the reader.
        if editsTerminal {
            rl_getc_function = { EditorSignals.readCharacter(from: $0) }
        } else {
            rl_getc_function = { UneditedInput.readCharacter(from: $0) }
        }
        rl_initialize()
        if editsTerminal { EditorSignals.bindRedrawKey() }
        using_history()
        stifle_history(Int32(LineEditor.historyLimit))
        history?.load()
        let breaks = strdup(completionWordBreaks)
        rl_basic_word_break_characters = UnsafePointer(breaks)
        rl_completer_word_break_characters = breaks
        LineEditor.activeCompleter = completer
        rl_attempted_completion_function = { text, _, _ in
            LineEditor.libeditMatches(for: text.map { String(cString: $0) } ?? "")
        }
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

    deinit {
        LineEditor.activeCompleter = nil
        rl_attempted_completion_function = nil
    }

    /// Shows `prompt` and reads one line with editing, history recall and completion.
    /// Ctrl-C (the CSupport handler's flag) gives `.interrupted` and clears the flag. On a
    /// terminal that drops the line being typed; unedited input loses nothing (see below).
    ///
    /// ```swift
    /// let answer = editor.readLine(prompt: "... ")
    /// ```
    public func readLine(prompt: String) -> LineRead {
        if let line = lineAfterInterrupt {
            lineAfterInterrupt = nil
            return .line(line)
        }
        laif_interrupt_clear()
        UneditedInput.lineStarted = false
        if editsTerminal { EditorSignals.startWatching() }
        let answer = readline(prompt)
        // Outside readline a resize needs nothing (libedit measures the window at each line)
        // and Ctrl-Z must stop a running entry at once.
        if editsTerminal { EditorSignals.stopWatching() }
        guard let raw = answer else {
            if laif_interrupt_pending() != 0 {
                laif_interrupt_clear()
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        if laif_interrupt_pending() != 0 {
            laif_interrupt_clear()
            // Unedited text was sent whole, and the interrupt came while laif waited for it or
            // read it: the interrupt is answered in its turn, and the line is kept, not dropped.
            if !editsTerminal { lineAfterInterrupt = String(cString: raw) }
            return .interrupted
        }
        return .line(String(cString: raw))
    }

    /// Adds a non-blank entry (one line, or several joined by newlines, which libedit shows
    /// and edits as one buffer and its history file keeps escaped) to the history and saves the
    /// history file right away (through a temporary file and a rename, so a crash never leaves
    /// half a file). Returns why the file could not be saved, or nil; the entry stays in this
    /// session's history either way.
    ///
    /// ```swift
    /// if let problem = editor.remember("let x = 1") { print(problem) }
    /// ```
    @discardableResult
    public func remember(_ entry: String) -> String? {
        guard !entry.allSatisfy(\.isWhitespace) else { return nil }
        guard let history else {
            _ = add_history(entry)
            return nil
        }
        return history.record(entry)
    }

    /// The readline convention: a malloc'd, NULL-terminated array whose first entry is the
    /// text to insert (the common prefix of all candidates) followed by the candidates.
    private static func libeditMatches(for word: String) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1   // never fall back to libedit's own file completion
        guard let completer = activeCompleter else { return nil }
        let answer = completer(CompletionRequest(lineBeforeCursor: lineBeforeCursor(), word: word))
        guard !answer.candidates.isEmpty else { return nil }
        // libedit appends this character after a single match (0: nothing); it ignores
        // rl_completion_suppress_append.
        rl_completion_append_character = answer.appendSpace ? 32 : 0
        let entries = [commonPrefix(answer.candidates)] + (answer.candidates.count > 1 ? answer.candidates : [])
        // libedit releases the array and every entry with free(), so both come from malloc.
        let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1)
        guard let array = malloc(size)?.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self) else {
            return nil
        }
        for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
        array[entries.count] = nil
        return array
    }
}

/// The edited line up to the cursor, during a completion. libedit's completer sets `rl_point`
/// from its wide-character line, so there it counts characters (Unicode scalars), while
/// `rl_line_buffer` holds UTF-8 bytes: read as bytes, a line with "é" before the cursor was
/// cut short, and Tab replaced the typed word with unfiltered candidates.
private func lineBeforeCursor() -> String {
    lineAroundCursor(pointCountsScalars: true).before
}

/// The edited line split at the cursor. In a bound command (libedit's `_rl_update_pos`)
/// `rl_point` is a byte offset into `rl_line_buffer`; in a completion it counts scalars.
func lineAroundCursor(pointCountsScalars: Bool = false) -> (before: String, after: String) {
    guard let buffer = rl_line_buffer else { return ("", "") }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                    count: strlen(buffer))
    let point = max(0, Int(rl_point))
    if pointCountsScalars {
        let line = String(decoding: bytes, as: UTF8.self)
        let scalars = line.unicodeScalars
        let cursor = scalars.index(scalars.startIndex, offsetBy: point, limitedBy: scalars.endIndex) ?? scalars.endIndex
        return (String(scalars[..<cursor]), String(scalars[cursor...]))
    }
    let cursor = min(point, bytes.count)
    return (String(decoding: bytes[..<cursor], as: UTF8.self), String(decoding: bytes[cursor...], as: UTF8.self))
}

/// The longest common prefix of `words` (by characters).
func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map({ Substring($0) }) else { return "" }
    for word in words.dropFirst() {
        while !word.hasPrefix(prefix) { prefix = prefix.dropLast() }
    }
    return String(prefix)
}
