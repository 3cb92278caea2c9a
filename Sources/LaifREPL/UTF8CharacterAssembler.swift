import Foundation

/// Gathers the bytes of one UTF-8 encoded character as they are read, one at a time, from
/// the terminal. Bytes that cannot start or continue a character are dropped, as libedit's own
/// reader drops them; a byte that breaks a sequence starts the next one.
///
///     var assembler = UTF8CharacterAssembler()
///     assembler.add(0xC3)   // nil: "é" goes on
///     assembler.add(0xA9)   // "é"
struct UTF8CharacterAssembler {
    private var bytes: [UInt8] = []

    /// Whether no character is half read.
    var isEmpty: Bool { bytes.isEmpty }

    /// Adds `byte`; returns the character it completes, or nil while one is incomplete or
    /// after dropping bytes that are not UTF-8.
    ///
    ///     var assembler = UTF8CharacterAssembler()
    ///     assembler.add(0x41)   // "A"
    mutating func add(_ byte: UInt8) -> Unicode.Scalar? {
        if !bytes.isEmpty, byte & 0xC0 != 0x80 { bytes.removeAll() }
        bytes.append(byte)
        guard let length = UTF8CharacterAssembler.sequenceLength(startingWith: bytes[0]) else {
            bytes.removeAll()
            return nil
        }
        guard bytes.count == length else { return nil }
        defer { bytes.removeAll() }
        // Overlong forms and surrogates pass the length check; the standard decoder refuses them.
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        guard case .valid(let encoded) = parser.parseScalar(from: &iterator) else { return nil }
        return Unicode.UTF8.decode(encoded)
    }

    /// How many bytes a character whose first byte is `lead` takes; nil for a byte that
    /// cannot start one.
    private static func sequenceLength(startingWith lead: UInt8) -> Int? {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return nil
        }
    }
}

extension UTF8CharacterAssembler {
    /// libedit's character reader loop, shared by the REPL's two readers (`EditorSignals` on
    /// a terminal, `UneditedInput` otherwise): reads `stream` one byte at a time until a whole
    /// UTF-8 character is in, and returns its code point; -1 at end of input or on a read error.
    /// While no character is half read, `betweenCharacters` runs first on every pass (a signal
    /// that woke the read comes back here) and may return a key to hand libedit instead. A read
    /// a signal interrupted ends with -1 when `endsOnInterrupt(readAny)` says so, `readAny`
    /// telling whether this call has read any byte (even one dropped as not UTF-8).
    ///
    ///     UTF8CharacterAssembler.readCharacter(from: stream) { _ in laif_interrupt_pending() != 0 }
    static func readCharacter(from stream: UnsafeMutablePointer<FILE>?, betweenCharacters: () -> Int32? = { nil },
                              endsOnInterrupt: (_ readAny: Bool) -> Bool) -> Int32 {
        let descriptor = stream.map { fileno($0) } ?? STDIN_FILENO
        var assembler = UTF8CharacterAssembler()
        var readAny = false
        while true {
            // Never between the bytes of one character: they would be lost.
            if assembler.isEmpty, let key = betweenCharacters() { return key }
            var byte: UInt8 = 0
            let count = read(descriptor, &byte, 1)
            if count == 1 {
                readAny = true
                if let character = assembler.add(byte) { return Int32(bitPattern: character.value) }
            } else if count == 0 || errno != EINTR || endsOnInterrupt(readAny) {
                return -1
            }
        }
    }
}
