import LaifLang
import Testing
@testable import LaifNotebook

private func usageMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as LaifError {
        return error.kind == .usage && error.exitCode == 64 ? error.message : "wrong kind \(error.kind)"
    } catch {
        return "unexpected \(error)"
    }
}

@Test func overridesSplitAtTheFirstEquals() throws {
    let override = try ParameterOverride(parsing: "title=a=b")
    #expect(override.name == "title" && override.text == "a=b")
    #expect(try ParameterOverride(parsing: "x=").text == "")
    #expect(usageMessage { try ParameterOverride(parsing: "seed") }?.contains("expected name=value") == true)
    #expect(usageMessage { try ParameterOverride(parsing: "=3") }?.contains("not a parameter name") == true)
    #expect(usageMessage { try ParameterOverride(parsing: "1x=3") }?.contains("not a parameter name") == true)
}

@Test func valuesTakeTheTypeOfTheDefault() throws {
    #expect(try ParameterOverride(parsing: "n=200").value(like: .number(2000)).summary == "200")
    #expect(try ParameterOverride(parsing: "lr=1e-3").value(like: .number(0.1)).summary == Value.number(0.001).summary)
    #expect(try ParameterOverride(parsing: "on=TRUE").value(like: .bool(false)).summary == "true")
    #expect(try ParameterOverride(parsing: "family=mistral").value(like: .string("yi")).summary == "\"mistral\"")
    #expect(try ParameterOverride(parsing: "family=\"two words\"").value(like: .string("")).summary == "\"two words\"")
    let list = try ParameterOverride(parsing: "sizes=[1, 2, 3]").value(like: .list([]))
    #expect(list.summary == "[1, 2, 3]")
    let record = try ParameterOverride(parsing: "opts={\"b\": true, \"a\": \"x\"}").value(like: .record(Record()))
    #expect(record.summary == Value.record(Record([("a", .string("x")), ("b", .bool(true))])).summary)
    #expect(try ParameterOverride(parsing: "k=3").value(like: .nil).summary == "3")
    #expect(try ParameterOverride(parsing: "k=words").value(like: .nil).summary == "\"words\"")
}

@Test func wrongTypesAreUsageErrorsNamingTheParameter() throws {
    #expect(usageMessage { try ParameterOverride(parsing: "n=ten").value(like: .number(1)) }?.contains("parameter 'n' expects a number") == true)
    #expect(usageMessage { try ParameterOverride(parsing: "n=nan").value(like: .number(1)) } != nil)
    #expect(usageMessage { try ParameterOverride(parsing: "n=1e999").value(like: .number(1)) } != nil)
    // Numbers read as the language's literals do: hexadecimal was taken and `1_000` refused.
    #expect(usageMessage { try ParameterOverride(parsing: "n=0x10").value(like: .number(1)) } != nil)
    #expect(try ParameterOverride(parsing: "n=1_000").value(like: .number(1)).summary == "1000")
    #expect(usageMessage { try ParameterOverride(parsing: "on=yes").value(like: .bool(true)) }?.contains("true or false") == true)
    #expect(usageMessage { try ParameterOverride(parsing: "xs=1,2").value(like: .list([])) }?.contains("a list written as JSON") == true)
    #expect(usageMessage { try ParameterOverride(parsing: "xs={}").value(like: .list([])) } != nil, "a record is not a list")
}

@Test func unknownParametersAreUsageErrorsListingTheKnownOnes() throws {
    let declarations = try Interpreter.parameters(in: "param seed = 0\nparam n = 10", file: "f.laif")
    let typed = try NotebookRunner.typedOverrides([try ParameterOverride(parsing: "n=3")], declarations: declarations)
    #expect(typed["n"].map(format) == "3")
    let message = usageMessage {
        try NotebookRunner.typedOverrides([try ParameterOverride(parsing: "sed=3")], declarations: declarations)
    }
    #expect(message?.contains("unknown parameter 'sed'") == true)
    #expect(message?.contains("seed, n") == true)
    #expect(usageMessage { try NotebookRunner.typedOverrides([try ParameterOverride(parsing: "a=1")], declarations: []) }?
        .contains("declares no parameters") == true)
}

@Test func repeatedNamesAndRepeatedJSONKeysAreRefused() throws {
    // Both used to keep one of the values without a word: the last -p, the first JSON key.
    let declarations = try Interpreter.parameters(in: "param n = 1\nparam r = {a: 0}", file: "f.laif")
    let twice = usageMessage {
        try NotebookRunner.typedOverrides([try ParameterOverride(parsing: "n=5"), try ParameterOverride(parsing: "n=6")],
                                          declarations: declarations)
    }
    #expect(twice == "-p n: given twice; give each parameter once")
    #expect(usageMessage { try ParameterOverride(parsing: #"r={"a": 1, "a": 2}"#).value(like: .record(Record())) }
        == #"-p r: key "a" appears twice in one object (column 10); give each key once"#)
    #expect(usageMessage { try ParameterOverride(parsing: #"x=[{"a": 1}, {"b": {"\u0061": 1, "a": 2}}]"#).value(like: .nil) }?
        .contains(#"key "a" appears twice"#) == true, "keys compare after their escapes are decoded")
    // Text that is not JSON is no object with keys: a nil default takes it as a string.
    #expect(try ParameterOverride(parsing: #"x={"a": 1, "a": 2"#).value(like: .nil).typeName == "string")
    #expect(usageMessage { try ParameterOverride(parsing: #"r={"a": 1, "a": 2"#).value(like: .record(Record())) }?
        .contains("expects a record written as JSON") == true)
    #expect(usageMessage { try ParameterOverride(parsing: #"x={"a\"b": 1, "a\"b": 2}"#).value(like: .nil) }?
        .contains(#"key "a\"b" appears twice"#) == true, "the key is shown as JSON writes it")
    let distinct = try ParameterOverride(parsing: #"x=[{"a": 1}, {"a": "{\"a\": 2}"}]"#).value(like: .nil)
    #expect(format(distinct) == #"[{a: 1}, {a: "\{\"a\": 2\}"}]"#, "the same key in two objects, or inside a string, is fine")
}

@Test func deeplyNestedJSONIsRefusedByItsDepthNotCalledNonJSON() throws {
    func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
    // Past 512 levels JSONDecoder refuses the text, which used to read "expects a list written as JSON".
    let message = usageMessage { try ParameterOverride(parsing: "l=\(nested(600))").value(like: .list([])) }
    #expect(message == "-p l: parameter 'l' is nested 600 levels deep; at most 200 are supported, as for a literal in a script")
    #expect(usageMessage { try ParameterOverride(parsing: "k=\(nested(600))").value(like: .nil) }?.contains("nested 600 levels deep") == true,
            "a nil default must not take the text as a string instead")
    let deepest = try ParameterOverride(parsing: "l=\(nested(200))").value(like: .list([]))
    #expect(deepest.typeName == "list")
    #expect(ParameterOverride.jsonNestingDepth("[[1], {\"a\": \"[[\\\"[\"}]") == 2, "brackets inside strings do not count")
}
