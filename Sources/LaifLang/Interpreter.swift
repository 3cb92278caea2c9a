import CSupport
import Foundation
import LaifPlot
import LaifSupport

/// A `param` line of a script: its name, default and line.
///
///     try Interpreter.parameters(in: "param seed = 0", file: "f.laif")   // [seed = 0 at line 1]
public struct ParameterDeclaration {
    public let name: String
    public let defaultValue: Value
    public let line: Int
}

/// The tree-walking interpreter: holds the globals of one session (a script run or a REPL)
/// and runs chunks of source in it.
///
///     let interpreter = Interpreter(output: { print($0, terminator: "") })
///     let value = try interpreter.run("1 + 2", file: "<repl>")   // .number(3)
public final class Interpreter {
    public let registry: BuiltinRegistry
    let output: (String) -> Void
    var globals = Environment()

    /// Values for `param` lines, by name; a missing name keeps the script's default.
    public var parameterOverrides: [String: Value] = [:]
    /// Polled at safe points (each loop iteration and call); true stops the run with an
    /// `.interrupted` error. The caller clears the flag (`laif_interrupt_clear`) before runs.
    public var shouldInterrupt: () -> Bool = { laif_interrupt_pending() != 0 }
    /// Receives charts from `plot(...)`; returns the path written, or throws (a
    /// `PlotSinkError` names the folder and the reason in `plot`'s error).
    public var plotSink: ((Chart) throws -> String)?

    /// The session seed; `seed(n)` sets it and restarts the derived-seed sequence.
    public var seed: UInt64 = 0 {
        didSet { seedState = seed }
    }
    private var seedState: UInt64 = 0

    /// Where the session's random sequence stands (`seed(n)` and every draw move it): the REPL
    /// compares it around a failed entry, whose draws a saved script would not repeat.
    ///
    ///     let before = interpreter.randomState   // ... run ...; interpreter.randomState != before
    public var randomState: UInt64 { seedState }

    /// A count that grows whenever a builtin changes a session setting (the tensor print
    /// options): the REPL compares it around a failed entry, as it does bindings and the
    /// random sequence, since a saved script leaving that entry out would not replay it.
    ///
    ///     let before = interpreter.settingChanges   // ... run ...; interpreter.settingChanges != before
    public private(set) var settingChanges = 0

    /// Records that a session setting changed (see `settingChanges`).
    ///
    ///     interpreter.noteSettingChanged()
    public func noteSettingChanged() { settingChanges += 1 }

    @exclusivity(unchecked) var callDepth = 0
    /// Character tables of the long strings indexed last (see `characterTable(of:)`).
    var characterTables: [CharacterTable] = []
    /// How many character tables were built: each is a walk over a whole string, which a loop
    /// indexing one string should make once.
    var characterTablesBuilt = 0
    @exclusivity(unchecked) var evaluationDepth = 0
    /// The last chunk's value, kept until the next run replaces it on the large-stack thread,
    /// so a caller dropping its copy never frees a deeply nested value on a small stack.
    private var lastResult: Value?
    /// Evaluation frames allowed in total (calls times expression depth): keeps the stack safe.
    static let maxEvaluationDepth = 30_000

    /// Creates an interpreter; `output` receives everything `print` and friends write, each
    /// call a complete chunk with its newline.
    ///
    ///     Interpreter(registry: .core(), output: { text in captured += text })
    public init(registry: BuiltinRegistry = .core(), output: @escaping (String) -> Void) {
        self.registry = registry
        self.output = output
    }

    /// Runs a chunk (a whole script, or one REPL entry). Returns the value of a final
    /// expression statement, or nil when the chunk ends in another statement, the final
    /// expression ends in `;`, or its value is laif `nil`. Every top-level expression
    /// statement with a value (not silenced by `;`) binds it to `_`. Throws `LaifError` only.
    /// `firstLine` numbers the chunk's first line in messages (a notebook cell's place in its
    /// script).
    ///
    ///     try interpreter.run("let x = 2\nx * 3", file: "demo.laif")   // .number(6)
    public func run(_ source: String, file: String, firstLine: Int = 1) throws -> Value? {
        try Interpreter.onLargeStack {
            // Library loops that check for cancellation (sampling many prompts) stop on Ctrl-C
            // like the interpreter does; the installed check lives on this thread only.
            try Cancellation.whenever({ [unowned self] in self.shouldInterrupt() }) {
                try self.runParsed(source, file: file, firstLine: firstLine)
            }
        }
    }

    private func runParsed(_ source: String, file: String, firstLine: Int) throws -> Value? {
        let program = try Parser.parse(source, file: file, firstLine: firstLine)
        self.lastResult = nil
        // A builtin may run a chunk from inside a call: keep the outer depths.
        let savedDepths = (self.callDepth, self.evaluationDepth)
        defer { (self.callDepth, self.evaluationDepth) = savedDepths }
        var last: Value?
        for statement in program {
            last = nil
            switch try self.execute(statement, in: self.globals) {
            case .normal(let value):
                last = value
                // `_` is the last shown value, in scripts as in the REPL, so a session
                // saved with `:save` runs the same way as it was typed.
                if let value, !value.isNil { self.globals.define("_", value) }
            case .breakLoop, .continueLoop, .returnValue:
                // The parser rejects these outside loops and functions.
                break
            }
        }
        if let last, last.isNil { return nil }
        self.lastResult = last
        return last
    }

    deinit {
        let holder = ReleaseHolder(globals)
        globals = Environment()
        lastResult = nil
        _ = try? Interpreter.onLargeStack { holder.object = nil }
    }

    /// True when `source` is unfinished (open bracket, brace or string, trailing operator or
    /// comma, `fn f()` without a body): the REPL then asks for another line.
    ///
    ///     Interpreter.isIncomplete("fn f(x) {")   // true
    public static func isIncomplete(_ source: String) -> Bool {
        do {
            _ = try onLargeStack { try Parser.parse(source, file: "<input>") }
            return false
        } catch let error as LaifError {
            return error.isUnexpectedEnd
        } catch {
            return false
        }
    }

    /// True when `source` ends inside a string literal, so the next line would be part of the
    /// string: a notebook's `# %%` line there is the string's text, not a cell marker.
    ///
    ///     Interpreter.endsInsideString("let doc = \"line one\n")   // true
    public static func endsInsideString(_ source: String) -> Bool { Lexer.endsInsideString(source) }

    /// The `param` declarations of a script, in order, without running it.
    ///
    ///     try Interpreter.parameters(in: "param n = 10", file: "f.laif").first?.name   // "n"
    public static func parameters(in source: String, file: String, firstLine: Int = 1) throws -> [ParameterDeclaration] {
        try onLargeStack {
            let program = try Parser.parse(source, file: file, firstLine: firstLine)
            let scratch = Interpreter(registry: BuiltinRegistry(), output: { _ in })
            return try program.compactMap { statement in
                guard case .parameter(let name, let expr) = statement.kind else { return nil }
                return ParameterDeclaration(name: name, defaultValue: try scratch.evaluate(expr, in: scratch.globals),
                                            line: statement.location.line)
            }
        }
    }

    /// The language's reserved words, sorted (for completion and help).
    ///
    ///     Interpreter.keywords.contains("fn")   // true
    public static let keywords: [String] = Keyword.allCases.map(\.rawValue).sorted()

    /// Names bound at the top level by the user (sorted).
    ///
    ///     interpreter.globalNames()   // ["model", "x"]
    public func globalNames() -> [String] { globals.boundNames.sorted() }

    /// A global's value, or nil when unbound.
    ///
    ///     interpreter.global("x")
    public func global(_ name: String) -> Value? { globals.lookup(name) }

    /// A count that grows whenever a global is bound or rebound: equal before and after a run
    /// that failed means the run changed no global.
    ///
    ///     let before = interpreter.globalWrites   // ... run ...; interpreter.globalWrites != before
    public var globalWrites: Int { globals.writes }

    /// Binds a global (the REPL sets `_` to the last value).
    ///
    ///     interpreter.setGlobal("_", value)
    public func setGlobal(_ name: String, _ value: Value) {
        let scope = globals
        // The value it replaces may be deeply nested: free it where the stack is large.
        _ = try? Interpreter.onLargeStack { scope.define(name, value) }
    }

    /// Drops every user global (builtins, seed and overrides stay).
    ///
    ///     interpreter.reset()
    public func reset() {
        // Freeing deeply nested values recurses: drop the last reference where the stack is large.
        let holder = ReleaseHolder(globals)
        globals = Environment()
        lastResult = nil
        characterTables = []
        _ = try? Interpreter.onLargeStack { holder.object = nil }
    }

    /// Members `value.` can complete to: record fields, domain properties, then methods.
    ///
    ///     interpreter.memberNames(of: .list([]))   // ["contains", "filter", "map", ...]
    public func memberNames(of value: Value) -> [String] {
        var names: [String] = []
        if case .record(let record) = value { names += record.keys }
        if case .object(let object) = value { names += object.propertyNames }
        names += registry.methods(of: value.typeName).map(\.name)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The next seed of the deterministic sequence derived from `seed` (SplitMix64): the same
    /// session seed gives the same sequence. Builtins use `CallContext.nextSeed()`.
    ///
    ///     interpreter.seed = 42
    ///     let modelSeed = interpreter.nextDerivedSeed()
    public func nextDerivedSeed() -> UInt64 {
        seedState &+= 0x9E37_79B9_7F4A_7C15
        var z = seedState
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func checkInterrupt(at location: SourceLocation) throws {
        if shouldInterrupt() { throw Interpreter.interrupted(at: location) }
    }

    /// The error every Ctrl-C stop reports, at the statement or call it stopped.
    static func interrupted(at location: SourceLocation) -> LaifError {
        LaifError(kind: .interrupted, message: "interrupted", location: location)
    }

    /// Runs `body` on a thread with a large stack, so deep (but limited) recursion in the
    /// tree walker cannot overflow even in debug builds. When no such thread can be created
    /// (memory limits), it runs on the caller's thread instead.
    static func onLargeStack<T>(_ body: @escaping () throws -> T) throws -> T {
        let job = StackJob<T>(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Limits.interpreterStackBytes)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if os(Linux)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            #if os(Linux)
            guard let raw else { return nil }
            #endif
            Unmanaged<AnyStackJob>.fromOpaque(raw).takeRetainedValue().execute()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<AnyStackJob>.fromOpaque(context).release()
            job.execute()
        } else {
            #if os(Linux)
            pthread_join(thread, nil)
            #else
            if let thread { pthread_join(thread, nil) }
            #endif
        }
        switch job.result {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw LaifError.runtime("internal: interpreter thread ended without a result")
        }
    }
}

/// Owns an object until the large-stack thread drops it.
private final class ReleaseHolder: @unchecked Sendable {
    var object: AnyObject?
    init(_ object: AnyObject) { self.object = object }
}

/// Work handed to the large-stack thread through a C callback (which cannot be generic).
class AnyStackJob {
    func execute() {}
}

private final class StackJob<T>: AnyStackJob, @unchecked Sendable {
    let body: () throws -> T
    var result: Result<T, Error>?

    init(_ body: @escaping () throws -> T) {
        self.body = body
    }

    override func execute() {
        do { result = .success(try body()) } catch { result = .failure(error) }
    }
}
