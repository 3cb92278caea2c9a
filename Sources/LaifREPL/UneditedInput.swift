import CSupport
import Foundation

/// libedit's character reader when it does not edit the line: piped input, or a terminal that
/// does not echo or is Emacs' (TERM=emacs). Such text arrives whole, sent rather than typed,
/// so an interrupt must cost none of it. libedit's own reader throws away the part of a line
/// it has read when a read is interrupted; this one only lets an interrupt end the wait
/// before the first byte of a line (the line read then ends and the REPL reads the flag).
/// Once a line has begun it reads on to its end, and `LineEditor` answers the interrupt
/// before handing the line over.
///
///     UneditedInput.lineStarted = false   // before each line
///     let character = UneditedInput.readCharacter(from: stdin)
enum UneditedInput {
    /// Whether a character of the line being read has been handed to libedit; reset before
    /// each line. With the bytes of the current call, that is whether any byte has arrived.
    nonisolated(unsafe) static var lineStarted = false

    /// One character from `stream` (UTF-8, as `EditorSignals.readCharacter`), or -1 at end of
    /// input, on a read error, or on an interrupt before the line's first byte.
    static func readCharacter(from stream: UnsafeMutablePointer<FILE>?) -> Int32 {
        let character = UTF8CharacterAssembler.readCharacter(from: stream) { readAny in
            !lineStarted && !readAny && laif_interrupt_pending() != 0
        }
        if character >= 0 { lineStarted = true }
        return character
    }
}
