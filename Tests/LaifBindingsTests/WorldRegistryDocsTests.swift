import Testing
import LaifBindings
import LaifLang

/// Every world, oracle, dataset, evaluation, bandit, base-model and training builtin is in
/// the standard registry with a one-line doc and an example that runs.
struct WorldRegistryDocsTests {
    static let functions = ["world", "oracle", "save_jsonl", "load_jsonl", "bandit", "base_model", "base_families", "evaluate",
                            "sft", "dpo", "reward_model", "rloo", "ppo", "expert_iteration", "best_of_n"]
    static let methodOwners = ["world", "prompts", "oracle", "dataset", "preferences", "log", "policy", "reward_model"]
    static let modelMethods = ["pairs", "quality", "replies"]

    static func allBuiltins() -> [Builtin] {
        let registry = standardRegistry()
        return functions.compactMap(registry.lookup)
            + methodOwners.flatMap(registry.methods(of:))
            + modelMethods.compactMap { registry.method($0, of: "model") }
    }

    @Test func everyBuiltinIsRegistered() {
        let registry = standardRegistry()
        for name in Self.functions { #expect(registry.lookup(name) != nil, "\(name) is missing") }
        for name in Self.modelMethods { #expect(registry.method(name, of: "model") != nil, "model.\(name) is missing") }
        #expect(registry.methods(of: "log").map(\.name) == ["first", "last", "plot", "series", "steps", "to_csv", "to_jsonl"])
        #expect(Self.allBuiltins().count >= 45)
    }

    @Test(arguments: allBuiltins().map(\.qualifiedName))
    func docAndExampleRun(_ name: String) throws {
        let builtin = try #require(Self.allBuiltins().first { $0.qualifiedName == name })
        #expect(!builtin.doc.isEmpty && builtin.doc.hasSuffix("."), "\(name): doc")
        #expect(!builtin.doc.contains("\n"), "\(name): doc must be one line")
        #expect(!builtin.example.isEmpty && !builtin.example.contains("\n"), "\(name): example must be one line")
        let (interpreter, _) = makeTestInterpreter()
        do {
            _ = try interpreter.run(builtin.example, file: "example")
        } catch {
            Issue.record("\(name): example `\(builtin.example)` failed: \(error)")
        }
    }
}
