/// An ordered record `{a: 1, b: "x"}`: fields keep their insertion order.
///
///     var r = Record([("a", .number(1))])
///     r["b"] = .string("x")
///     r.keys   // ["a", "b"]
public struct Record {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    /// Creates a record from fields in order; a repeated key keeps its first position and
    /// its last value.
    ///
    ///     Record([("loss", .number(0.5))])
    public init(_ fields: [(String, Value)] = []) {
        for (key, value) in fields { self[key] = value }
    }

    /// The field `key`; assigning nil removes it.
    ///
    ///     record["loss"]   // Optional(.number(0.5))
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The fields in order.
    ///
    ///     for (key, value) in record.fields { ... }
    public var fields: [(key: String, value: Value)] { keys.map { ($0, storage[$0] ?? Value.nil) } }

    /// Number of fields.
    public var count: Int { keys.count }
}

extension Record {
    /// True when no other record value shares this one's fields, so freeing it frees them
    /// (`ValueRelease` asks). Records share their storage and their key list together (a copy
    /// shares both until one is written), so the key list answers.
    ///
    ///     var r = Record([("a", .number(1))])
    ///     r.holdsFieldsAlone()   // true
    mutating func holdsFieldsAlone() -> Bool { keys.holdsStorageAlone() }

    /// Sets field `key` to `value`, freeing the old value through `ValueRelease` (a deeply
    /// nested old value dies without recursion); a new key goes last.
    ///
    ///     record.replaceField("deep", with: .nil)
    mutating func replaceField(_ key: String, with value: Value) {
        if var old = self[key] {
            self[key] = Value.nil
            ValueRelease.drop(&old)
        }
        self[key] = value
    }
}
