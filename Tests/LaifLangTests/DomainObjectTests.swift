import Testing
@testable import LaifLang

/// A tiny domain type standing in for tensors: element-wise arithmetic with numbers and
/// other vectors (both operand orders), `@` as a dot product, indexing and iteration.
final class Vec: DomainObject {
    let values: [Double]
    init(_ values: [Double]) { self.values = values }

    var typeName: String { "vec" }
    func describe() -> String { "vec(\(values.map(ValuePrinter.formatNumber).joined(separator: ", ")))\n  size \(values.count)" }
    var summary: String { "vec[\(values.count)]" }
    var byteSize: Int { 8 * values.count }
    var propertyNames: [String] { ["size"] }
    var length: Int? { values.count }

    func property(_ name: String) throws -> Value? {
        name == "size" ? .number(Double(values.count)) : nil
    }

    func binary(_ op: BinaryOperator, _ other: Value, selfIsLeft: Bool) throws -> Value? {
        let rhs: [Double]
        switch other {
        case .number(let n): rhs = Array(repeating: n, count: values.count)
        case .object(let object as Vec):
            guard object.values.count == values.count else {
                throw LaifError.runtime("sizes \(values.count) and \(object.values.count) differ")
            }
            rhs = object.values
        default: return nil
        }
        let (a, b) = selfIsLeft ? (values, rhs) : (rhs, values)
        switch op {
        case .add: return .object(Vec(zip(a, b).map(+)))
        case .subtract: return .object(Vec(zip(a, b).map(-)))
        case .multiply: return .object(Vec(zip(a, b).map(*)))
        case .matmul: return .number(zip(a, b).map(*).reduce(0, +))
        default: return nil
        }
    }

    func unary(_ op: UnaryOperator) throws -> Value? {
        op == .negate ? .object(Vec(values.map { -$0 })) : nil
    }

    func subscripted(_ indices: [IndexValue]) throws -> Value? {
        guard indices.count == 1, case .single(.number(let n)) = indices[0], let i = Int(exactly: n), values.indices.contains(i) else {
            throw LaifError.runtime("vec index must be a whole number below \(values.count)")
        }
        return .number(values[i])
    }

    func elements() throws -> [Value]? { values.map(Value.number) }
}

func vecRegistry() -> BuiltinRegistry {
    let registry = BuiltinRegistry.core()
    registry.register(Builtin(name: "vec", parameters: [.variadic("values")], doc: "A vector.", example: "vec(1, 2)", topic: "vec") { args, _ in
        .object(Vec(try args.rest.map { value in
            guard case .number(let n) = value else { throw LaifError.runtime("vec takes numbers") }
            return n
        }))
    })
    registry.registerMethod(typeName: "vec", Builtin(name: "sqrt", parameters: [], doc: "Element-wise root.", example: "vec(4).sqrt()", topic: "vec") { args, _ in
        guard let vec = args.receiver?.object(as: Vec.self) else { throw args.error("needs a vec") }
        return .object(Vec(vec.values.map { $0.squareRoot() }))
    })
    return registry
}

private func vecEval(_ source: String) throws -> String {
    let (interpreter, _) = makeTestInterpreter(registry: vecRegistry())
    return try interpreter.run(source, file: "v.laif").map(format) ?? ""
}

@Test func domainObjectsGetOperatorsInBothOrders() throws {
    #expect(try vecEval("vec(1, 2) + 1") == "vec(2, 3)\n  size 2")
    #expect(try vecEval("10 - vec(1, 2)") == "vec(9, 8)\n  size 2")
    #expect(try vecEval("vec(1, 2) * vec(3, 4)") == "vec(3, 8)\n  size 2")
    #expect(try vecEval("vec(1, 2) @ vec(3, 4)") == "11")
    #expect(try vecEval("-vec(1)") == "vec(-1)\n  size 1")
}

@Test func domainObjectsIndexIterateAndMeasure() throws {
    #expect(try vecEval("let v = vec(5, 6, 7)\n[v[1], len(v), v.size]") == "[6, 3, 3]")
    #expect(try vecEval("let t = 0\nfor x in vec(1, 2, 3) { t = t + x }\nt") == "6")
    #expect(try vecEval("let (a, b) = vec(1, 2)\na + b") == "3")
    #expect(try vecEval("[vec(1, 2)]") == "[vec[2]]")
}

@Test func domainMethodsAndMathForwarding() throws {
    #expect(try vecEval("vec(4, 9).sqrt()") == "vec(2, 3)\n  size 2")
    #expect(try vecEval("sqrt(vec(16))") == "vec(4)\n  size 1")
    let (interpreter, _) = makeTestInterpreter(registry: vecRegistry())
    let names = interpreter.memberNames(of: .object(Vec([1])))
    #expect(names == ["size", "sqrt"])
}

@Test func domainErrorsGetLocations() throws {
    let (interpreter, _) = makeTestInterpreter(registry: vecRegistry())
    func message(_ source: String) -> String {
        do { _ = try interpreter.run(source, file: "v.laif"); return "<none>" } catch let error as LaifError { return firstLine(error) } catch { return "\(error)" }
    }
    #expect(message("vec(1, 2) + vec(1)") == "v.laif:1:11: sizes 2 and 1 differ")
    #expect(message("vec(1)[3]") == "v.laif:1:7: vec index must be a whole number below 1")
    #expect(message("vec(1) / 2") == "v.laif:1:8: cannot apply '/' to vec and number")
    #expect(message("vec(1).nope()") == "v.laif:1:8: vec has no method 'nope'; its methods: sqrt")
    #expect(message("vec(1).nope") == "v.laif:1:8: vec has no member 'nope'; its properties: size; its methods: sqrt")
    #expect(message("vec(\"a\")") == "v.laif:1:4: vec(): vec takes numbers")
}

@Test func objectEqualityIsIdentityByDefault() throws {
    #expect(try vecEval("let v = vec(1)\n[v == v, v == vec(1), v != 1]") == "[true, false, true]")
}

@Test func unknownMemberErrorsShortenLongListsAndPointToHelp() throws {
    let registry = vecRegistry()
    for i in 0..<40 {
        let name = String(format: "m%02d", i)
        registry.registerMethod(typeName: "vec", Builtin(name: name, parameters: [], doc: "A method.", example: "vec(1).\(name)()",
                                                         topic: "vec") { _, _ in .nil })
    }
    let (interpreter, _) = makeTestInterpreter(registry: registry)
    func message(_ source: String) -> String {
        do { _ = try interpreter.run(source, file: "v.laif"); return "<none>" } catch let error as LaifError { return firstLine(error) } catch { return "\(error)" }
    }
    let names = (0..<40).map { String(format: "m%02d", $0) }
    // 41 methods in name order: 32 are listed, the 9 left are counted, and `laif help vec` has them all.
    #expect(message("vec(1).nope()") == "v.laif:1:8: vec has no method 'nope'; its methods: \(names.prefix(32).joined(separator: ", ")) and 9 more (laif help vec)")
    // The property comes first when the member is read, and counts against the same 32.
    #expect(message("vec(1).nope") == "v.laif:1:8: vec has no member 'nope'; its properties: size; its methods: \(names.prefix(31).joined(separator: ", ")) and 10 more (laif help vec)")
}
