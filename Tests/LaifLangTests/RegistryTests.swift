import Testing
@testable import LaifLang

@Test func everyBuiltinHasDocsAndAParsableExample() {
    let registry = BuiltinRegistry.core()
    let everything = registry.all + registry.allMethods
    #expect(everything.count > 40)
    for builtin in everything {
        #expect(!builtin.doc.isEmpty, "\(builtin.qualifiedName) lacks a doc line")
        #expect(!builtin.doc.contains("\n"), "\(builtin.qualifiedName) doc must be one line")
        #expect(!builtin.example.isEmpty && !builtin.example.contains("\n"), "\(builtin.qualifiedName) needs a one-line example")
        #expect(!Interpreter.isIncomplete(builtin.example), "\(builtin.qualifiedName) example is incomplete")
        #expect(throws: Never.self, "\(builtin.qualifiedName) example does not parse") {
            _ = try Parser.parse(builtin.example, file: "example")
        }
        #expect(builtin.signature.hasPrefix(builtin.qualifiedName + "("))
    }
}

@Test func examplesThatNeedNoSetupRun() throws {
    // Examples are standalone except those showing a fragment (a let, a statement).
    let registry = BuiltinRegistry.core()
    for builtin in registry.all + registry.allMethods where builtin.name != "error" {
        let (interpreter, _) = makeTestInterpreter()
        interpreter.plotSink = { _ in "chart.svg" }
        #expect(throws: Never.self, "\(builtin.qualifiedName): \(builtin.example)") {
            _ = try interpreter.run(builtin.example, file: "example")
        }
    }
}

@Test func registryListsTopicsAndMethods() {
    let registry = BuiltinRegistry.core()
    #expect(registry.topics.starts(with: ["core", "math"]))
    #expect(registry.topics.contains("list") && registry.topics.contains("string") && registry.topics.contains("record"))
    #expect(registry.methods(of: "list").map(\.name).contains("map"))
    #expect(registry.lookup("print")?.signature == "print(values..., sep: \" \", end: \"\\n\")")
    #expect(registry.method("map", of: "list")?.signature == "list.map(f)")
    #expect(registry.lookup("nope") == nil)
}

@Test func registeringReplacesByName() {
    let registry = BuiltinRegistry()
    let first = Builtin(name: "f", parameters: [], doc: "One.", example: "f()") { _, _ in .number(1) }
    let second = Builtin(name: "f", parameters: [], doc: "Two.", example: "f()") { _, _ in .number(2) }
    registry.register(first)
    registry.register(second)
    #expect(registry.all.count == 1)
    #expect(registry.lookup("f")?.doc == "Two.")
}

@Test func builtinArgumentBindingIsUniform() throws {
    let registry = BuiltinRegistry()
    registry.register(Builtin(name: "train", parameters: [.required("model"), .optional("beta", .number(0.1)), .keywords("knobs")],
                              doc: "Test.", example: "train(1)") { args, _ in
        .list([try args.value("model"), .number(try args.number("beta")), .list(args.extraKeywords.map { .string($0.name) })])
    })
    let (interpreter, _) = makeTestInterpreter(registry: registry)
    #expect(try interpreter.run("train(1)", file: "t").map(format) == "[1, 0.1, []]")
    #expect(try interpreter.run("train(beta: 2, model: 3, lr: 1, wd: 0)", file: "t").map(format) == "[3, 2, [\"lr\", \"wd\"]]")
    #expect(throws: LaifError.self) { try interpreter.run("train()", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("train(1, model: 2)", file: "t") }
    #expect(throws: LaifError.self) { try interpreter.run("train(1, 2, 3)", file: "t") }
}

@Test func argumentAccessorsRejectBadNumbers() throws {
    let registry = BuiltinRegistry()
    registry.register(Builtin(name: "steps", parameters: [.required("n")], doc: "Test.", example: "steps(1)") { args, _ in
        .number(Double(try args.int("n")))
    })
    let (interpreter, _) = makeTestInterpreter(registry: registry)
    for bad in ["0 / 0", "1 / 0", "2.5"] {
        let error = #expect(throws: LaifError.self) { try interpreter.run("steps(\(bad))", file: "t") }
        #expect(error?.message.hasPrefix("steps(): argument 'n' must be a whole number") == true, "\(bad): \(error?.message ?? "")")
    }
    // Whole but beyond Int: said "must be a whole number", which 1e300 is.
    for (bad, shown) in [("1e300", "1e+300"), ("-1e19", "-1e+19")] {
        let error = #expect(throws: LaifError.self) { try interpreter.run("steps(\(bad))", file: "t") }
        #expect(error?.message.hasPrefix("steps(): argument 'n' is \(shown), beyond the whole numbers an argument can hold") == true,
                "\(bad): \(error?.message ?? "")")
    }
    #expect(try interpreter.run("steps(-3)", file: "t").map(format) == "-3")
}

@Test func keywordsAreExposedForCompletion() {
    #expect(Interpreter.keywords.contains("param"))
    #expect(Interpreter.keywords == Interpreter.keywords.sorted())
    #expect(Interpreter.keywords.count == Keyword.allCases.count)
}

@Test func languageGuideExamplesRun() throws {
    let examples = LanguageGuide.examples
    #expect(examples.count == 2)
    for example in examples {
        let (interpreter, _) = makeTestInterpreter()
        #expect(throws: Never.self, "\(example)") { _ = try interpreter.run(example, file: "guide") }
    }
}
