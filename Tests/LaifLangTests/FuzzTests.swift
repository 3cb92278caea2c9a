import Foundation
import Testing
@testable import LaifLang

/// Throws generated and mutated scripts at the interpreter: every one must end in a value or
/// a LaifError (never a trap, never another error type). Fixed seed, so failures reproduce.
private let fragments: [String] = [
    "let", "fn", "if", "else", "for", "in", "while", "break", "continue", "return", "true", "false", "nil",
    "and", "or", "not", "assert", "param", "x", "y", "xs", "f", "r", "print", "len", "range", "sort", "str",
    "seed", "min", "max", "sum", "map", "filter", "keys", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";",
    "+", "-", "*", "/", "%", "**", "@", "++", "==", "!=", "<", "<=", ">", ">=", "=", "!", "&&", "||",
    "0", "1", "-1", "2.5", "1e308", "1e-320", "99999999999999999999", "0.1", "3", "\"s\"", "\"{x}\"",
    "'raw'", "\"a{1 + 2}b\"", "\n", " ", "#c\n", "_", "\"\\u{41}\"", "{a: 1}", "[1, 2, 3]", "fn (a) { a }",
    "vec(1, 2)", "v", "v.size", "v.sqrt()", "v[0]",
]

private let prelude = "let x = 1\nlet y = [1, 2]\nlet xs = [3, 1, 2]\nlet r = {a: 1, b: [2]}\nfn f(a, b: 2) { a }\nlet v = vec(4, 9)\n"

private func tokenSoup(_ generator: inout SplitMix) -> String {
    let count = 1 + generator.below(40)
    return prelude + (0..<count).map { _ in generator.pick(fragments) }.joined(separator: generator.below(3) == 0 ? "" : " ")
}

private func mutate(_ source: String, _ generator: inout SplitMix) -> String {
    var scalars = Array(source.unicodeScalars)
    let edits = 1 + generator.below(4)
    for _ in 0..<edits {
        guard !scalars.isEmpty else { break }
        let at = generator.below(scalars.count)
        switch generator.below(6) {
        case 0: // delete a span
            let end = min(scalars.count, at + 1 + generator.below(12))
            scalars.removeSubrange(at..<end)
        case 1: // duplicate a span
            let end = min(scalars.count, at + 1 + generator.below(30))
            scalars.insert(contentsOf: scalars[at..<end], at: at)
        case 2: // insert a fragment
            scalars.insert(contentsOf: generator.pick(fragments).unicodeScalars, at: at)
        case 3: // swap two characters
            let other = generator.below(scalars.count)
            scalars.swapAt(at, other)
        case 4: // truncate
            scalars.removeSubrange(at...)
        default: // replace with a random scalar
            scalars[at] = Unicode.Scalar(UInt8(truncatingIfNeeded: generator.next()))
        }
    }
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars)
    return result
}

private func garbage(_ generator: inout SplitMix) -> String {
    let bytes = (0..<(1 + generator.below(300))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    return String(decoding: bytes, as: UTF8.self)
}

private func exampleScripts() -> [String] {
    scriptNames().compactMap { try? String(contentsOf: scriptsFolder.appendingPathComponent($0), encoding: .utf8) }
}

/// LAIF_FUZZ_SEED and LAIF_FUZZ_ROUNDS run a longer or different campaign locally.
@Test func fuzzedScriptsEndInAValueOrALaifError() {
    let environment = ProcessInfo.processInfo.environment
    var generator = SplitMix(seed: environment["LAIF_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x1AF_2026)
    let rounds = environment["LAIF_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 3000
    let examples = exampleScripts()
    // The registry with a domain type, so operator dispatch to objects is fuzzed too.
    let registry = vecRegistry()
    var outcomes = (values: 0, errors: 0)
    for round in 0..<rounds {
        let source: String
        switch round % 3 {
        case 0: source = tokenSoup(&generator)
        case 1: source = examples.isEmpty ? tokenSoup(&generator) : mutate(generator.pick(examples), &generator)
        default: source = round % 2 == 0 ? garbage(&generator) : mutate(tokenSoup(&generator), &generator)
        }
        _ = Interpreter.isIncomplete(source)
        _ = try? Interpreter.parameters(in: source, file: "fuzz.laif")
        let interpreter = Interpreter(registry: registry, output: { _ in })
        interpreter.plotSink = { _ in throw SinkRefused() }
        // A budget of safe points ends endless loops the generator writes.
        var polls = 0
        interpreter.shouldInterrupt = {
            polls += 1
            return polls > 5_000
        }
        do {
            if let value = try interpreter.run(source, file: "fuzz.laif") { _ = format(value) }
            outcomes.values += 1
        } catch let error as LaifError {
            _ = error.description
            outcomes.errors += 1
        } catch {
            Issue.record("round \(round): non-LaifError \(error) for:\n\(source)")
        }
    }
    // Both kinds of ending occur, so the generator is exercising the interpreter.
    #expect(outcomes.values > 50)
    #expect(outcomes.errors > 500)
}

/// A plot sink's failure that says nothing about where or why.
private struct SinkRefused: Error {}
