import Foundation
import Testing
@testable import LaifModels

/// A fresh folder under the system temp folder, removed when the value is released.
final class ModelIOScratchFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "laif-modelio-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds safetensors bytes by hand: length prefix, header text, data.
private func rawFile(header: String, data: [UInt8]) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + headerBytes + data
}

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

/// Runs `body`, expecting a SafetensorsError of `kind` whose text contains every fragment.
private func expectFailure(
    _ kind: SafetensorsError.Kind, containing fragments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a \(kind) error, got success", sourceLocation: sourceLocation)
    } catch let error as SafetensorsError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected SafetensorsError, got \(error)", sourceLocation: sourceLocation)
    }
}

private func sampleFile() throws -> SafetensorsFile {
    var file = SafetensorsFile(metadata: ["kind": "transformer", "note": "quote \" backslash \\ newline \n ünïcode ✓"])
    try file.add("embed.weight", SafetensorsTensor(shape: [3, 2], values: [1, -2, 3.5, .pi, -0.0, 1e-30]))
    try file.add("scalar", SafetensorsTensor(shape: [], values: [42]))
    try file.add("empty", SafetensorsTensor(shape: [0, 4], values: []))
    try file.add("odd \"name\"/é", SafetensorsTensor(shape: [1, 1, 3], values: [.infinity, -.infinity, 7]))
    return file
}

@Suite("Safetensors format")
struct SafetensorsTests {
    @Test("encode then decode gives the same names, shapes, values and metadata")
    func roundTripInMemory() throws {
        let file = try sampleFile()
        let bytes = try file.encoded()
        let back = try SafetensorsFile(decoding: bytes)
        #expect(back == file)
        #expect(back.tensorNames == file.tensorNames)
        #expect(back["scalar"]?.shape == [])
        #expect(back["empty"]?.values == [])
        #expect(back["embed.weight"]?.storedDType == .f32)
        // The data section starts 8-byte aligned, as the reference writer does.
        let headerLength = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4 * (6 + 1 + 0 + 3))
    }

    @Test("the same contents always encode to the same bytes")
    func deterministicBytes() throws {
        var first = SafetensorsFile(metadata: ["b": "2", "a": "1", "c": "3"])
        try first.add("x", SafetensorsTensor(shape: [2], values: [1, 2]))
        var second = SafetensorsFile(metadata: ["c": "3", "a": "1", "b": "2"])
        try second.add("x", SafetensorsTensor(shape: [2], values: [1, 2]))
        #expect(try first.encoded() == second.encoded())
    }

    @Test("NaN bits survive a round trip")
    func nanRoundTrip() throws {
        var file = SafetensorsFile()
        try file.add("n", SafetensorsTensor(shape: [1], values: [.nan]))
        let back = try SafetensorsFile(decoding: file.encoded())
        #expect(back["n"]?.values.first?.isNaN == true)
    }

    @Test("writing is atomic: it replaces an existing file and leaves no temporary file")
    func atomicWrite() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("w.safetensors")
        try Array("old contents".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
        let file = try sampleFile()
        try file.write(toFile: path)
        #expect(try folder.contents() == ["w.safetensors"])
        #expect(try SafetensorsFile(contentsOfFile: path) == file)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
    }

    @Test("reading converts F16, BF16, F64, I32 and I64 to Float")
    func readsOtherDTypes() throws {
        let f16: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x7C00, 0x3555]  // 1, -2, smallest subnormal, inf, ~1/3
        let bf16: [UInt16] = [0x3F80, 0xC0A0]                            // 1, -5
        let f64 = [0.25, -1e10].map { $0.bitPattern }
        let i32: [Int32] = [-7, 123_456]
        let i64: [Int64] = [-3, 1 << 40]
        let data = littleEndianBytes(f64) + littleEndianBytes(i64) + littleEndianBytes(i32)
            + littleEndianBytes(f16) + littleEndianBytes(bf16) + [0, 0]
        let header = """
        {"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},
         "l":{"dtype":"I64","shape":[2,1],"data_offsets":[16,32]},
         "i":{"dtype":"I32","shape":[2],"data_offsets":[32,40]},
         "h":{"dtype":"F16","shape":[5],"data_offsets":[40,50]},
         "b":{"dtype":"BF16","shape":[2],"data_offsets":[50,54]},
         "z":{"dtype":"F16","shape":[1],"data_offsets":[54,56]}}
        """
        let file = try SafetensorsFile(decoding: rawFile(header: header, data: data))
        #expect(file.tensorNames == ["d", "l", "i", "h", "b", "z"])
        #expect(file["d"]?.values == [0.25, -1e10])
        #expect(file["l"]?.values == [-3, Float(1 << 40)])
        #expect(file["l"]?.shape == [2, 1])
        #expect(file["i"]?.values == [-7, 123_456])
        let halves = try #require(file["h"]?.values)
        #expect(halves[0] == 1 && halves[1] == -2 && halves[2] == 0x1p-24 && halves[3] == .infinity)
        #expect(abs(halves[4] - 1.0 / 3.0) < 1e-3)
        #expect(file["b"]?.values == [1, -5])
        #expect(file["b"]?.storedDType == .bf16)
        #expect(file["z"]?.values == [0])
        #expect(file.metadata.isEmpty)
    }

    @Test("every half-precision value converts exactly")
    func halfConversionIsExact() {
        // A Float represents every binary16 value; compare with an independent formula.
        for bits in UInt16.min...UInt16.max {
            let exponent = Int((bits >> 10) & 0x1F)
            let mantissa = Double(bits & 0x3FF)
            let sign: Double = bits & 0x8000 != 0 ? -1 : 1
            let converted = floatFromHalfBits(bits)
            if exponent == 31 {
                #expect(mantissa == 0 ? converted == Float(sign * .infinity) : converted.isNaN)
            } else {
                let expected = exponent == 0
                    ? sign * mantissa * pow(2, -24)
                    : sign * (1 + mantissa / 1024) * pow(2, Double(exponent - 15))
                if Double(converted) != expected { Issue.record("half \(bits): \(converted) != \(expected)"); return }
            }
        }
    }

    @Test("valid but unsupported dtypes give a clear error naming the tensor")
    func unsupportedDType() {
        expectFailure(.unsupportedDType, containing: ["\"mask\"", "U8", "F32"]) {
            _ = try SafetensorsFile(decoding: rawFile(
                header: #"{"mask":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, data: [1, 0]), file: "m.safetensors")
        }
        expectFailure(.invalidHeader, containing: ["unknown dtype", "F12"]) {
            _ = try SafetensorsFile(decoding: rawFile(
                header: #"{"w":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        }
    }

    @Test("truncated files say how much was announced and how much is there")
    func truncation() throws {
        expectFailure(.truncated, containing: ["t.safetensors", "5 bytes"]) {
            _ = try SafetensorsFile(decoding: [1, 2, 3, 4, 5], file: "t.safetensors")
        }
        var file = SafetensorsFile()
        try file.add("w", SafetensorsTensor(shape: [300], values: [Float](repeating: 1, count: 300)))
        let bytes = try file.encoded()
        let headerLength = bytes.count - 1200 - 8
        expectFailure(.truncated, containing: ["t.safetensors", "truncated: header says 1200 bytes of data, file has 800"]) {
            _ = try SafetensorsFile(decoding: Array(bytes.prefix(8 + headerLength + 800)), file: "t.safetensors")
        }
        expectFailure(.truncated, containing: ["header says it is \(headerLength) bytes", "only 10 bytes follow"]) {
            _ = try SafetensorsFile(decoding: Array(bytes.prefix(18)))
        }
        // Every prefix of a valid file is an error, never a crash.
        for cut in 0..<bytes.count {
            #expect(throws: SafetensorsError.self) { _ = try SafetensorsFile(decoding: Array(bytes.prefix(cut))) }
        }
    }

    @Test("an absurd header length is refused before any allocation")
    func headerTooLarge() {
        let bytes = littleEndianBytes([UInt64(SafetensorsFile.maximumHeaderBytes + 1)]) + Array("{}".utf8)
        expectFailure(.headerTooLarge, containing: ["exceeds the limit"]) { _ = try SafetensorsFile(decoding: bytes) }
        let huge = littleEndianBytes([UInt64.max]) + Array("{}".utf8)
        expectFailure(.headerTooLarge) { _ = try SafetensorsFile(decoding: huge) }
    }

    @Test("malformed headers are invalidHeader errors that say what is wrong", arguments: [
        (#"[1,2]"#, "start with '{'"),
        (#"{"w": 3}"#, "must be an object"),
        (#"{"w":{"dtype":"F32","shape":[1]}}"#, "lacks data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}"#, "unknown field \"extra\""),
        (#"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, "dtype must be a string"),
        (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, "negative numbers"),
        (#"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, "whole number"),
        (#"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, "shape must be an array"),
        (#"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#, "too large"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, "appears twice"),
        (#"{"__metadata__":{"a":1}}"#, "must be a string"),
        (#"{"__metadata__":[]}"#, "must be an object"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, "unexpected end"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x"#, "unexpected text"),
        (#"{"bad\q":1}"#, "unknown escape"),
        (#"{"\ud800":1}"#, "surrogate"),
        ("{\"tab\there\":1}", "control character"),
    ] as [(String, String)])
    func malformedHeaders(header: String, fragment: String) {
        expectFailure(.invalidHeader, containing: [fragment]) {
            _ = try SafetensorsFile(decoding: rawFile(header: header, data: [0, 0, 0, 0]))
        }
    }

    @Test("deeply nested headers are refused without exhausting the stack")
    func deepNesting() {
        let header = "{\"__metadata__\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        expectFailure(.invalidHeader, containing: ["nested deeper"]) {
            _ = try SafetensorsFile(decoding: rawFile(header: header, data: []))
        }
    }

    @Test("header strings: escapes and \\u sequences decode; invalid UTF-8 is refused")
    func headerStrings() throws {
        let header = #"{"__metadata__":{"k":"a\"b\\c\/d\n\u00e9\ud83d\ude00"}}"#
        let file = try SafetensorsFile(decoding: rawFile(header: header, data: []))
        #expect(file.metadata["k"] == "a\"b\\c/d\né😀")
        var bad = rawFile(header: #"{"__metadata__":{"k":"xx"}}"#, data: [])
        bad[8 + 23] = 0xFF
        expectFailure(.invalidHeader, containing: ["UTF-8"]) { _ = try SafetensorsFile(decoding: bad) }
    }

    @Test("offsets must tile the data exactly", arguments: [
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "hole"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "overlapping"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "trailing bytes"),
        (#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, 4, "begin <= end"),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, 4, "[begin, end]"),
        (#"{}"#, 4, "trailing bytes"),
    ] as [(String, Int, String)])
    func badOffsets(header: String, dataBytes: Int, fragment: String) {
        expectFailure(.invalidOffsets, containing: [fragment]) {
            _ = try SafetensorsFile(decoding: rawFile(header: header, data: [UInt8](repeating: 0, count: dataBytes)))
        }
    }

    @Test("dtype, shape and byte span must agree")
    func spanMismatch() {
        expectFailure(.invalidTensor, containing: ["\"w\"", "needs 12 bytes", "span 8"]) {
            _ = try SafetensorsFile(decoding: rawFile(
                header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
        expectFailure(.invalidTensor, containing: ["too large"]) {
            _ = try SafetensorsFile(decoding: rawFile(
                header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
        expectFailure(.invalidTensor, containing: ["too many"]) {
            _ = try SafetensorsFile(decoding: rawFile(
                header: #"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
    }

    @Test("tensor names must be unique, non-empty and not reserved")
    func names() throws {
        var file = SafetensorsFile()
        try file.add("w", SafetensorsTensor(shape: [1], values: [1]))
        expectFailure(.invalidName, containing: ["\"w\" is used twice"]) {
            try file.add("w", SafetensorsTensor(shape: [1], values: [2]))
        }
        expectFailure(.invalidName, containing: ["empty name"]) { try file.add("", SafetensorsTensor(shape: [1], values: [2])) }
        expectFailure(.invalidName, containing: ["reserved"]) {
            try file.add("__metadata__", SafetensorsTensor(shape: [1], values: [2]))
        }
        expectFailure(.invalidName, containing: ["empty name"]) {
            _ = try SafetensorsFile(decoding: rawFile(header: #"{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        }
        #expect(file.tensorNames == ["w"])
    }

    @Test("tensor values must match their shape")
    func tensorValidation() {
        expectFailure(.invalidTensor, containing: ["holds 6 values but 5"]) {
            _ = try SafetensorsTensor(shape: [2, 3], values: [1, 2, 3, 4, 5])
        }
        expectFailure(.invalidTensor, containing: ["negative"]) { _ = try SafetensorsTensor(shape: [-1], values: []) }
    }

    @Test("I/O errors name the path and the reason")
    func ioErrors() throws {
        let folder = try ModelIOScratchFolder()
        expectFailure(.io, containing: [folder.file("missing.safetensors"), "No such file"]) {
            _ = try SafetensorsFile(contentsOfFile: folder.file("missing.safetensors"))
        }
        expectFailure(.io, containing: ["not a regular file"]) { _ = try SafetensorsFile(contentsOfFile: folder.path) }
        expectFailure(.io, containing: ["empty file path"]) { _ = try SafetensorsFile(contentsOfFile: "") }
        // Missing folders are made, as for reports, plots and logs.
        try SafetensorsFile().write(toFile: folder.file("new-folder/deeper/w.safetensors"))
        #expect(FileManager.default.fileExists(atPath: folder.file("new-folder/deeper/w.safetensors")))
        try Data([1]).write(to: URL(fileURLWithPath: folder.file("plain")))
        expectFailure(.io, containing: ["plain"]) { try SafetensorsFile().write(toFile: folder.file("plain/w.safetensors")) }
        for name in ["new-folder", "plain"] { try FileManager.default.removeItem(atPath: folder.file(name)) }
        expectFailure(.io, containing: ["folder"]) { try SafetensorsFile().write(toFile: folder.path + "/") }
        // Renaming over a folder fails after the temporary file was written: it must be cleaned up.
        try FileManager.default.createDirectory(atPath: folder.file("taken"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: folder.file("taken/inner"), withIntermediateDirectories: false)
        expectFailure(.io, containing: ["move the finished file"]) { try SafetensorsFile().write(toFile: folder.file("taken")) }
        #expect(try folder.contents() == ["taken"])
    }

    @Test("random corruption of a valid file gives an error or a valid file, never a crash")
    func corruptionFuzz() throws {
        let bytes = try sampleFile().encoded()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // xorshift64, enough to pick bytes deterministically
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        var failures = 0
        for _ in 0..<2000 {
            var corrupt = bytes
            for _ in 0..<(1 + Int(next() % 3)) {
                corrupt[Int(next() % UInt64(corrupt.count))] = UInt8(truncatingIfNeeded: next())
            }
            do { _ = try SafetensorsFile(decoding: corrupt) } catch is SafetensorsError { failures += 1 }
        }
        // Most corruptions hit the header or length; data-only changes still decode.
        #expect(failures > 100)
    }
}

/// Runs Python for the cross-check tests; output goes through files so no pipe can fill up.
enum PythonSafetensors {
    /// Whether `python3` can import `safetensors` and `numpy`.
    static let isAvailable: Bool = {
        guard let result = try? run(["-c", "import safetensors.numpy, numpy"]) else { return false }
        return result.status == 0
    }()

    static let skipReason: Comment =
        "Python's safetensors (or numpy) is not installed: `python3 -m pip install safetensors numpy` enables this cross-check"

    /// Runs `python3 arguments...` and returns its exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let folder = try ModelIOScratchFolder()
        let outPath = folder.file("out"), errPath = folder.file("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        process.waitUntilExit()
        let output = try String(contentsOfFile: outPath, encoding: .utf8)
        let errors = try String(contentsOfFile: errPath, encoding: .utf8)
        return (process.terminationStatus, output, errors)
    }

    /// Runs a script and parses the JSON object it prints; records the error text on failure.
    static func runJSON(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try run(["-c", script] + arguments)
        guard result.status == 0 else {
            throw PythonFailure(message: "python3 exited with \(result.status): \(result.errors)")
        }
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        guard let dictionary = object as? [String: Any] else {
            throw PythonFailure(message: "python3 printed no JSON object: \(result.output)")
        }
        return dictionary
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

@Suite("Safetensors interoperability with Python")
struct SafetensorsPythonTests {
    @Test("Python's safetensors loads what laif writes", .enabled(if: PythonSafetensors.isAvailable, PythonSafetensors.skipReason))
    func pythonReadsLaif() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("from-laif.safetensors")
        var file = SafetensorsFile(metadata: ["kind": "transformer", "unicode": "ünïcode ✓ \"q\""])
        try file.add("blocks.0.attn.qkv.weight", SafetensorsTensor(shape: [2, 3], values: [1, -2, 0.1, 1e-20, 3e30, -0.0]))
        try file.add("scalar", SafetensorsTensor(shape: [], values: [42.5]))
        try file.add("empty", SafetensorsTensor(shape: [0, 3], values: []))
        try file.add("z", SafetensorsTensor(shape: [1, 1, 2], values: [.pi, -.pi]))
        try file.write(toFile: path)

        let script = """
        import json, sys
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file
        tensors = load_file(sys.argv[1])
        with safe_open(sys.argv[1], framework="np") as f:
            metadata = f.metadata()
        print(json.dumps({"metadata": metadata, "tensors": {
            name: {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.astype(np.float64).ravel().tolist()}
            for name, a in tensors.items()}}))
        """
        let loaded = try PythonSafetensors.runJSON(script, [path])
        #expect((loaded["metadata"] as? [String: String]) == file.metadata)
        let tensors = try #require(loaded["tensors"] as? [String: [String: Any]])
        #expect(Set(tensors.keys) == Set(file.tensorNames))
        for name in file.tensorNames {
            let entry = try #require(tensors[name])
            #expect(entry["dtype"] as? String == "float32")
            #expect((entry["shape"] as? [Int]) == file[name]?.shape, "\(name)")
            let values = try #require(entry["values"] as? [Double]).map(Float.init)
            #expect(values == file[name]?.values, "\(name)")
        }
    }

    @Test("laif reads what Python's safetensors writes", .enabled(if: PythonSafetensors.isAvailable, PythonSafetensors.skipReason))
    func laifReadsPython() throws {
        let folder = try ModelIOScratchFolder()
        let path = folder.file("from-python.safetensors")
        let script = """
        import json, sys
        import numpy as np
        from safetensors.numpy import save_file
        rng = np.random.default_rng(7)
        tensors = {
            "weight": rng.standard_normal((4, 5)).astype(np.float32),
            "half": rng.standard_normal(6).astype(np.float16),
            "double": rng.standard_normal((2, 2)),
            "ints": np.array([-3, 0, 7, 100000], dtype=np.int32),
            "longs": np.array([[-5], [1 << 40]], dtype=np.int64),
            "scalar": np.array(2.5, dtype=np.float32),
        }
        save_file(tensors, sys.argv[1], metadata={"kind": "mlp", "vocab_size": "16"})
        print(json.dumps({name: {"shape": list(a.shape), "dtype": str(a.dtype),
                                 "values": a.astype(np.float32).astype(np.float64).ravel().tolist()}
                          for name, a in tensors.items()}))
        """
        let expected = try PythonSafetensors.runJSON(script, [path])
        let file = try SafetensorsFile(contentsOfFile: path)
        #expect(file.metadata == ["kind": "mlp", "vocab_size": "16"])
        #expect(Set(file.tensorNames) == Set(expected.keys))
        let dtypes = ["float32": SafetensorsDType.f32, "float16": .f16, "float64": .f64, "int32": .i32, "int64": .i64]
        for (name, value) in expected {
            let entry = try #require(value as? [String: Any])
            let tensor = try #require(file[name], "laif lacks \(name)")
            #expect(tensor.shape == entry["shape"] as? [Int], "\(name)")
            #expect(tensor.storedDType == dtypes[entry["dtype"] as? String ?? ""], "\(name)")
            let values = try #require(entry["values"] as? [Double]).map(Float.init)
            #expect(tensor.values == values, "\(name)")
        }
    }
}
