import LaifSupport

/// One tensor of a safetensors file: its shape and its values converted to `Float`.
///
///     let t = try SafetensorsTensor(shape: [2, 2], values: [1, 2, 3, 4])
///     t.storedDType   // .f32
public struct SafetensorsTensor: Equatable, Sendable {
    /// Sizes of each dimension; `[]` is a scalar holding one value.
    public let shape: [Int]
    /// Row-major values, `shape.reduce(1, *)` of them.
    public let values: [Float]
    /// The element type the file stored (laif always writes `.f32`).
    public let storedDType: SafetensorsDType

    /// A tensor to write; `values.count` must equal the product of `shape`.
    ///
    ///     try SafetensorsTensor(shape: [3], values: [0.5, 1, 2])
    public init(shape: [Int], values: [Float]) throws {
        try self.init(shape: shape, values: values, storedDType: .f32, file: "<memory>")
    }

    init(shape: [Int], values: [Float], storedDType: SafetensorsDType, file: String) throws {
        guard let count = elementCount(shape) else {
            throw SafetensorsError(.invalidTensor, file: file, "shape \(shape) has a negative or too large size")
        }
        guard count == values.count else {
            throw SafetensorsError(.invalidTensor, file: file,
                                   "shape \(shape) holds \(count) values but \(values.count) were given")
        }
        self.shape = shape
        self.values = values
        self.storedDType = storedDType
    }
}

/// Product of `shape`, or nil when a size is negative or the product overflows.
func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for size in shape {
        guard size >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { return nil }
        count = product
    }
    return count
}

/// Named tensors plus a string metadata map, in the safetensors format that Python's
/// `safetensors` package and Hugging Face tools read: an 8-byte little-endian header length,
/// a JSON header (dtype, shape, data offsets per tensor; `__metadata__`), then raw
/// little-endian data. laif writes F32 and reads F32, F16, BF16, F64, I32 and I64.
///
///     var file = SafetensorsFile(metadata: ["kind": "demo"])
///     try file.add("w", try SafetensorsTensor(shape: [2], values: [1, 2]))
///     try file.write(toFile: "demo.safetensors")
///     let back = try SafetensorsFile(contentsOfFile: "demo.safetensors")
///     back["w"]?.values   // [1.0, 2.0]
public struct SafetensorsFile: Equatable, Sendable {
    /// The largest JSON header accepted (the limit the reference implementation uses).
    public static let maximumHeaderBytes = 100_000_000
    /// The largest file `init(contentsOfFile:)` reads into memory (2 GiB).
    public static let maximumFileBytes = 1 << 31

    /// Tensor names in file order (insertion order for files built in memory).
    public private(set) var tensorNames: [String] = []
    private var tensorsByName: [String: SafetensorsTensor] = [:]
    /// Free-form string metadata, stored in the header's `__metadata__` object.
    public var metadata: [String: String]

    /// An empty file with the given metadata.
    ///
    ///     let file = SafetensorsFile(metadata: ["note": "hello"])
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    ///
    ///     file["blocks.0.attn.qkv.weight"]?.shape
    public subscript(name: String) -> SafetensorsTensor? { tensorsByName[name] }

    /// Adds a tensor; names must be non-empty, unique and not `__metadata__`.
    ///
    ///     try file.add("bias", try SafetensorsTensor(shape: [4], values: [0, 0, 0, 0]))
    public mutating func add(_ name: String, _ tensor: SafetensorsTensor) throws {
        try Self.checkName(name, file: "<memory>")
        guard tensorsByName[name] == nil else {
            throw SafetensorsError(.invalidName, file: "<memory>", "tensor name \"\(name)\" is used twice")
        }
        tensorNames.append(name)
        tensorsByName[name] = tensor
    }

    private static func checkName(_ name: String, file: String) throws {
        guard !name.isEmpty else {
            throw SafetensorsError(.invalidName, file: file, "a tensor has an empty name")
        }
        guard name != "__metadata__" else {
            throw SafetensorsError(.invalidName, file: file, "\"__metadata__\" is reserved and cannot name a tensor")
        }
    }

    // MARK: Writing

    /// The file's bytes: tensors as F32 in `tensorNames` order, metadata keys sorted, the header
    /// padded with spaces so the data starts 8-byte aligned. Same contents, same bytes.
    ///
    ///     let bytes = try file.encoded()
    public func encoded() throws -> [UInt8] {
        var members: [(key: String, value: HeaderJSON)] = []
        if !metadata.isEmpty {
            let entries = metadata.keys.sorted().map { (key: $0, value: HeaderJSON.string(metadata[$0]!)) }
            members.append((key: "__metadata__", value: .object(entries)))
        }
        var offset = 0
        for name in tensorNames {
            let tensor = tensorsByName[name]!
            let byteCount = tensor.values.count * 4
            members.append((key: name, value: .object([
                (key: "dtype", value: .string(SafetensorsDType.f32.rawValue)),
                (key: "shape", value: .array(tensor.shape.map { .integer($0) })),
                (key: "data_offsets", value: .array([.integer(offset), .integer(offset + byteCount)])),
            ])))
            offset += byteCount
        }
        var header = Array(HeaderJSONWriter.serialize(.object(members)).utf8)
        while (8 + header.count) % 8 != 0 { header.append(0x20) }
        guard header.count <= Self.maximumHeaderBytes else {
            throw SafetensorsError(.headerTooLarge, file: "<memory>",
                                   "header would take \(header.count) bytes, more than the limit of \(Self.maximumHeaderBytes)")
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        for name in tensorNames {
            for value in tensorsByName[name]!.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Writes the file atomically: a temporary file in the same folder, flushed, then renamed
    /// over `path`, so a crash never leaves a half-written checkpoint.
    ///
    ///     try file.write(toFile: "runs/sft.safetensors")
    public func write(toFile path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch let error as SafetensorsError {
            throw SafetensorsError(error.kind, file: path, error.message)
        }
        do {
            try writeFileAtomically(bytes, to: path, creatingFolders: true, followingSymlinks: true)
        } catch let error as FileIOError {
            throw SafetensorsError(.io, file: error.path, error.message)
        }
    }

    // MARK: Reading

    /// Reads and validates a safetensors file.
    ///
    ///     let file = try SafetensorsFile(contentsOfFile: "model.safetensors")
    public init(contentsOfFile path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: Self.maximumFileBytes)
        } catch let error as FileIOError {
            throw SafetensorsError(.io, file: error.path, error.message)
        }
        try self.init(decoding: bytes, file: path)
    }

    /// Parses and validates safetensors bytes; `file` names the source in error messages.
    /// Checks the header length, the JSON's shape, each tensor's dtype, shape and byte span,
    /// and that the data offsets tile the data section exactly (no holes, no overlaps).
    ///
    ///     let file = try SafetensorsFile(decoding: bytes, file: "download.safetensors")
    public init(decoding bytes: [UInt8], file: String = "<memory>") throws {
        func failure(_ kind: SafetensorsError.Kind, _ message: String) -> SafetensorsError {
            SafetensorsError(kind, file: file, message)
        }
        guard bytes.count >= 8 else {
            throw failure(.truncated, "file has \(bytes.count) bytes; a safetensors file starts with an 8-byte header length")
        }
        let announced = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard announced <= UInt64(Self.maximumHeaderBytes) else {
            throw failure(.headerTooLarge,
                          "header length \(announced) exceeds the limit of \(Self.maximumHeaderBytes) bytes (corrupt file, or not a safetensors file)")
        }
        let headerLength = Int(announced)
        guard headerLength <= bytes.count - 8 else {
            throw failure(.truncated, "truncated: header says it is \(headerLength) bytes, but only \(bytes.count - 8) bytes follow the length")
        }
        guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else {
            throw failure(.invalidHeader, "the header does not start with '{' (not a safetensors file?)")
        }
        let header: HeaderJSON
        do {
            header = try HeaderJSONParser.parse(Array(bytes[8..<(8 + headerLength)]))
        } catch let error as HeaderJSONError {
            throw failure(.invalidHeader, "header JSON at byte \(error.offset): \(error.message)")
        }
        guard case let .object(members) = header else {
            throw failure(.invalidHeader, "the header must be a JSON object")
        }

        struct Entry {
            let name: String
            let dtype: SafetensorsDType
            let shape: [Int]
            let begin: Int
            let end: Int
        }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw failure(.invalidHeader, "__metadata__ must be an object of strings, found \(value.typeName)")
                }
                for (key, item) in pairs {
                    guard case let .string(text) = item else {
                        throw failure(.invalidHeader, "__metadata__[\"\(key)\"] must be a string, found \(item.typeName)")
                    }
                    metadata[key] = text
                }
                continue
            }
            try Self.checkName(name, file: file)
            let parsed = try Self.parseEntry(name: name, value: value, failure: failure)
            entries.append(Entry(name: name, dtype: parsed.dtype, shape: parsed.shape, begin: parsed.begin, end: parsed.end))
        }

        let dataLength = bytes.count - 8 - headerLength
        let dataEnd = entries.map(\.end).max() ?? 0
        if dataEnd > dataLength {
            throw failure(.truncated, "truncated: header says \(dataEnd) bytes of data, file has \(dataLength)")
        }
        let byOffset = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expectedBegin = 0
        for entry in byOffset {
            if entry.begin > expectedBegin {
                throw failure(.invalidOffsets, "bytes \(expectedBegin)..<\(entry.begin) of the data belong to no tensor (a hole before \"\(entry.name)\")")
            }
            if entry.begin < expectedBegin {
                throw failure(.invalidOffsets, "tensor \"\(entry.name)\" starts at data byte \(entry.begin), overlapping the tensor that ends at \(expectedBegin)")
            }
            expectedBegin = entry.end
        }
        if expectedBegin != dataLength {
            throw failure(.invalidOffsets, "the file has \(dataLength) bytes of data but its tensors cover only \(expectedBegin) (trailing bytes)")
        }

        self.metadata = metadata
        let dataStart = 8 + headerLength
        try bytes.withUnsafeBytes { raw in
            for entry in byOffset {
                guard entry.dtype.isReadable else {
                    throw failure(.unsupportedDType, "tensor \"\(entry.name)\" has dtype \(entry.dtype.rawValue); laif reads F32, F16, BF16, F64, I32 and I64")
                }
                let count = (entry.end - entry.begin) / entry.dtype.byteWidth
                let values = entry.dtype.decode(raw, offset: dataStart + entry.begin, count: count)
                tensorNames.append(entry.name)
                tensorsByName[entry.name] = try SafetensorsTensor(
                    shape: entry.shape, values: values, storedDType: entry.dtype, file: file)
            }
        }
    }

    /// Validates one tensor's header entry: known dtype, shape of whole numbers, two ordered
    /// offsets whose span matches dtype width × element count.
    private static func parseEntry(
        name: String, value: HeaderJSON, failure: (SafetensorsError.Kind, String) -> SafetensorsError
    ) throws -> (dtype: SafetensorsDType, shape: [Int], begin: Int, end: Int) {
        guard case let .object(fields) = value else {
            throw failure(.invalidHeader, "tensor \"\(name)\" must be an object with dtype, shape and data_offsets, found \(value.typeName)")
        }
        var dtypeText: String?
        var shape: [Int]?
        var offsets: [Int]?
        for (key, field) in fields {
            switch key {
            case "dtype":
                guard case let .string(text) = field else {
                    throw failure(.invalidHeader, "tensor \"\(name)\": dtype must be a string, found \(field.typeName)")
                }
                dtypeText = text
            case "shape":
                shape = try integers(field, what: "shape", name: name, failure: failure)
            case "data_offsets":
                offsets = try integers(field, what: "data_offsets", name: name, failure: failure)
            default:
                throw failure(.invalidHeader, "tensor \"\(name)\" has an unknown field \"\(key)\"")
            }
        }
        guard let dtypeText, let shape, let offsets else {
            let missing = [("dtype", dtypeText == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)]
                .filter(\.1).map(\.0).joined(separator: ", ")
            throw failure(.invalidHeader, "tensor \"\(name)\" lacks \(missing)")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else {
            throw failure(.invalidHeader, "tensor \"\(name)\" has an unknown dtype \"\(dtypeText)\"")
        }
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw failure(.invalidOffsets, "tensor \"\(name)\": data_offsets must be [begin, end] with begin <= end, found \(offsets)")
        }
        guard let count = elementCount(shape) else {
            throw failure(.invalidTensor, "tensor \"\(name)\": shape \(shape) is too large")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        let span = offsets[1] - offsets[0]
        guard !overflow, needed == span else {
            throw failure(.invalidTensor, "tensor \"\(name)\": dtype \(dtype.rawValue) with shape \(shape) needs \(overflow ? "too many" : String(needed)) bytes, but data_offsets \(offsets) span \(span)")
        }
        return (dtype, shape, offsets[0], offsets[1])
    }

    private static func integers(
        _ value: HeaderJSON, what: String, name: String,
        failure: (SafetensorsError.Kind, String) -> SafetensorsError
    ) throws -> [Int] {
        guard case let .array(items) = value else {
            throw failure(.invalidHeader, "tensor \"\(name)\": \(what) must be an array of whole numbers, found \(value.typeName)")
        }
        return try items.map { item in
            guard case let .integer(number) = item else {
                throw failure(.invalidHeader, "tensor \"\(name)\": \(what) must hold whole numbers, found \(item.typeName)")
            }
            return number
        }
    }
}
