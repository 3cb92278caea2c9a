/// Every failure the language reports: a kind (which decides the exit code), a message and,
/// when known, where in the source it happened.
///
///     do { _ = try interpreter.run("1 +", file: "x.laif") }
///     catch let error as LaifError { print(error) }   // x.laif:1:4: expected an expression ...
public struct LaifError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, broadly; decides `exitCode`.
    ///
    ///     LaifError(kind: .assertion, message: "assertion failed").exitCode   // 1
    public enum Kind: String, Sendable {
        case syntax, runtime, assertion, io, interrupted, usage
    }

    public let kind: Kind
    public let message: String
    public let location: SourceLocation?
    /// The source line the error points into (shown with a caret under the column).
    public let sourceLine: String?
    /// The laif functions the error passed through, innermost first, as
    /// "f(n), called at demo.laif:5:1": at most `maxFrames`, the innermost and the outermost
    /// ones (where the error happened and where the script started it); `omittedFrames` counts
    /// those between.
    public var callStack: [String] { innerFrames + outerFrames }
    /// Frames between the innermost and the outermost shown (deep recursion), counted but not listed.
    public private(set) var omittedFrames = 0
    static let maxFrames = 8
    /// How many of the shown frames are the outermost: the call the script itself made was
    /// lost in a deep recursion when only the innermost eight were kept.
    static let outermostFrames = 3
    private var innerFrames: [String] = []
    private var outerFrames: [String] = []
    /// Set by the parser when the error is "the input ended too early": the REPL then asks
    /// for another line instead of reporting.
    let isUnexpectedEnd: Bool

    /// Creates an error; `sourceLine` defaults to the line `location` points into.
    ///
    ///     LaifError(kind: .runtime, message: "division of a list", location: nil)
    public init(kind: Kind, message: String, location: SourceLocation? = nil, sourceLine: String? = nil) {
        self.init(kind: kind, message: message, location: location, sourceLine: sourceLine, isUnexpectedEnd: false)
    }

    init(kind: Kind, message: String, location: SourceLocation?, sourceLine: String?, isUnexpectedEnd: Bool) {
        self.kind = kind
        self.message = message
        self.location = location
        self.sourceLine = sourceLine ?? location?.sourceLine
        self.isUnexpectedEnd = isUnexpectedEnd
    }

    /// A runtime error without a location yet; the interpreter adds the location of the
    /// call that raised it. Builtins and domain objects throw these.
    ///
    ///     throw LaifError.runtime("shapes [2, 3] and [4] do not broadcast")
    public static func runtime(_ message: String) -> LaifError {
        LaifError(kind: .runtime, message: message)
    }

    /// An I/O error (exit code 74), e.g. a file that cannot be read.
    ///
    ///     throw LaifError.io("cannot read 'model.safetensors': no such file")
    public static func io(_ message: String) -> LaifError {
        LaifError(kind: .io, message: message)
    }

    /// A usage error (exit code 64), e.g. a parameter override of the wrong type.
    ///
    ///     throw LaifError.usage("unknown parameter 'sed'")
    public static func usage(_ message: String) -> LaifError {
        LaifError(kind: .usage, message: message)
    }

    /// The same error pinned to `location` unless it already has one.
    ///
    ///     error.located(at: call.location)
    public func located(at location: SourceLocation) -> LaifError {
        if self.location != nil { return self }
        return LaifError(kind: kind, message: message, location: location, sourceLine: nil,
                         isUnexpectedEnd: isUnexpectedEnd)
    }

    /// The same error with `prefix` put before the message ("f(): ...").
    func prefixed(_ prefix: String) -> LaifError {
        var copy = LaifError(kind: kind, message: prefix + message, location: location, sourceLine: sourceLine,
                             isUnexpectedEnd: isUnexpectedEnd)
        copy.innerFrames = innerFrames
        copy.outerFrames = outerFrames
        copy.omittedFrames = omittedFrames
        return copy
    }

    /// The same error noting that it left the laif function `signature` called at `location`.
    func addingFrame(_ signature: String, calledAt location: SourceLocation) -> LaifError {
        var copy = self
        let frame = "\(signature), called at \(location)"
        if copy.innerFrames.count < LaifError.maxFrames - LaifError.outermostFrames {
            copy.innerFrames.append(frame)
        } else {
            copy.outerFrames.append(frame)
            if copy.outerFrames.count > LaifError.outermostFrames {
                copy.outerFrames.removeFirst()
                copy.omittedFrames += 1
            }
        }
        return copy
    }

    /// `file:line:col: message`, then the source line and a caret under the column, then the
    /// laif calls the error passed through.
    ///
    ///     demo.laif:3:11: expected an expression after '+'
    ///         let x = 1 +
    ///                   ^
    ///       in f(x), called at demo.laif:7:1
    public var description: String {
        guard let location else { return message }
        var text = "\(location): \(message)"
        if let sourceLine, location.column >= 1 {
            let shown = LaifError.printable(sourceLine.prefix(400))
            text += "\n    " + shown
            // The column counts scalars; tabs stay tabs and wide characters (中, 😀) take two
            // blanks, so the caret lines up in a terminal.
            text += "\n    " + DisplayWidth.caretLead(in: sourceLine.prefix(400), column: location.column) + "^"
        }
        for frame in innerFrames { text += "\n  in " + frame }
        if omittedFrames > 0 { text += "\n  ... \(omittedFrames) more call\(omittedFrames == 1 ? "" : "s")" }
        for frame in outerFrames { text += "\n  in " + frame }
        return text
    }

    /// The source line as shown under an error: control characters other than tab (a binary
    /// file's bytes, a stray escape) become U+FFFD, one character each, so the terminal shows
    /// them without acting on them and the caret still lines up.
    ///
    ///     LaifError.printable("a\u{1}b")   // "a\u{FFFD}b"
    static func printable(_ line: Substring) -> String {
        String(line.map { ch -> Character in
            guard ch != "\t", ch.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return ch }
            return "\u{FFFD}"
        })
    }

    /// The process exit code for this kind: syntax 65, runtime 70, assertion 1, io 74,
    /// interrupted 130, usage 64 (BSD sysexits where one fits).
    ///
    ///     LaifError.runtime("x").exitCode   // 70
    public var exitCode: Int32 {
        switch kind {
        case .syntax: return 65
        case .runtime: return 70
        case .assertion: return 1
        case .io: return 74
        case .interrupted: return 130
        case .usage: return 64
        }
    }
}
