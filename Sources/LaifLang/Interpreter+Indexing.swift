/// `xs[i]`, `xs[a:b]`, `s[i]`, `r["key"]` and assignment into them. Indices are whole
/// numbers; negative ones count from the end; slices clamp to the bounds as in Python.
extension Interpreter {
    func element(of container: Value, _ indices: [IndexValue], at location: SourceLocation) throws -> Value {
        if case .object(let object) = container {
            if let value = try located(at: location, { try object.subscripted(indices) }) { return value }
            throw LaifError(kind: .runtime, message: "a \(object.typeName) cannot be indexed", location: location)
        }
        guard indices.count == 1, let index = indices.first else {
            throw LaifError(kind: .runtime, message: "a \(container.typeName) takes one index, got \(indices.count)", location: location)
        }
        switch (container, index) {
        case (.list(let items), .single(let position)):
            return items[try resolve(position, count: items.count, in: container, at: location)]
        case (.list(let items), .slice(let start, let end)):
            let range = try sliceRange(start, end, count: items.count, at: location)
            return .list(Array(items[range]))
        case (.string(let text), .single(let position)):
            let characters = characterTable(of: text)
            return .string(characters.character(try resolve(position, count: characters.count, in: container, at: location)))
        case (.string(let text), .slice(let start, let end)):
            let characters = characterTable(of: text)
            return .string(characters.characters(try sliceRange(start, end, count: characters.count, at: location)))
        case (.record(let record), .single(.string(let key))):
            if let value = record[key] { return value }
            var message = "record has no field '\(key)'"
            if let near = Suggestions.closest(to: key, in: record.keys) { message += "; did you mean '\(near)'?" }
            throw LaifError(kind: .runtime, message: message, location: location)
        case (.record, _):
            throw LaifError(kind: .runtime, message: "a record is indexed by a string key, as in r[\"name\"]", location: location)
        default:
            throw LaifError(kind: .runtime, message: "a \(container.typeName) cannot be indexed", location: location)
        }
    }

    func setElement(of container: inout Value, indices: [IndexValue], to value: Value, at location: SourceLocation) throws {
        guard indices.count == 1, case .single(let index) = indices[0] else {
            throw LaifError(kind: .runtime, message: "assign to one element at a time, as in xs[i] = v", location: location)
        }
        // Checked first, written after the switch: a copy of the container that the switch
        // holds would make its array shared, so the write would copy it and the replaced
        // element would die later by Swift's recursion instead of through ValueRelease.
        let place: ElementPlace
        switch container {
        case .list(let items):
            place = .position(try resolve(index, count: items.count, in: container, at: location))
        case .record(let record):
            guard case .string(let key) = index else {
                throw LaifError(kind: .runtime, message: "a record is indexed by a string key, as in r[\"name\"]", location: location)
            }
            // Records grew without bound here, then keys(r) made a list past the list limit.
            if record.count >= Limits.maxListLength, record[key] == nil {
                throw LaifError(kind: .runtime, message: "a record holds at most \(Limits.maxListLength) fields; "
                                + "keep that many entries in a list or a tensor", location: location)
            }
            place = .key(key)
        case .string:
            throw LaifError(kind: .runtime, message: "strings cannot be changed in place; build a new one", location: location)
        default:
            throw LaifError(kind: .runtime, message: "cannot assign into an element of a \(container.typeName)", location: location)
        }
        switch place {
        case .position(let position):
            var items = container.takeList()!
            ValueRelease.drop(&items[position])
            items[position] = value
            container = .list(items)
        case .key(let key):
            var record = container.takeRecord()!
            record.replaceField(key, with: value)
            container = .record(record)
        }
    }

    /// Where `setElement` writes: a checked list position or a record key.
    private enum ElementPlace {
        case position(Int)
        case key(String)
    }

    /// A checked position for `count` items; negative counts from the end.
    func resolve(_ index: Value, count: Int, in container: Value, at location: SourceLocation) throws -> Int {
        guard case .number(let number) = index else {
            throw LaifError(kind: .runtime, message: "a \(container.typeName) index must be a number, got \(index.typeName)", location: location)
        }
        guard let int = Numeric.exactInt(number) else {
            let problem = Numeric.isWhole(number) ? "is out of range for a \(container.typeName) of length \(count)" : "is not a whole number"
            throw LaifError(kind: .runtime, message: "index \(ValuePrinter.formatNumber(number)) \(problem)", location: location)
        }
        let position = int < 0 ? int &+ count : int
        guard position >= 0, position < count else {
            throw LaifError(kind: .runtime,
                            message: "index \(int) is out of range for a \(container.typeName) of length \(count)",
                            location: location)
        }
        return position
    }

    func sliceRange(_ start: Value?, _ end: Value?, count: Int, at location: SourceLocation) throws -> Range<Int> {
        func bound(_ value: Value?, default fallback: Int) throws -> Int {
            guard let value, !value.isNil else { return fallback }
            guard case .number(let number) = value else {
                throw LaifError(kind: .runtime, message: "slice bounds must be numbers, got \(value.typeName)", location: location)
            }
            guard !number.isNaN, number == number.rounded() else {
                throw LaifError(kind: .runtime, message: "slice bound \(ValuePrinter.formatNumber(number)) is not a whole number", location: location)
            }
            let clamped = min(max(number, -Double(count)), Double(count))
            let int = Int(clamped)
            return int < 0 ? int + count : int
        }
        let lower = try bound(start, default: 0)
        let upper = try bound(end, default: count)
        return lower..<max(lower, upper)
    }
}
