import LaifLang

/// The registry every front end uses: the language's core builtins plus the bindings of the
/// domain libraries (tensors, models, the simulated world, trainers) as they are added here.
/// `laif help`, `?name` and Tab completion all read this one registry.
///
///     let registry = standardRegistry()
///     registry.lookup("print")?.signature   // "print(values..., sep: \" \", end: \"\\n\")"
public func standardRegistry() -> BuiltinRegistry {
    let registry = BuiltinRegistry.core()
    // Domain bindings register here (tensor, model, world, training, diagnosis).
    let tensorPrintOptions = registerTensorBindings(in: registry)
    registerModelBindings(in: registry, printOptions: tensorPrintOptions)
    registerWorldBindings(in: registry)
    registerOracleBindings(in: registry)
    registerDatasetBindings(in: registry)
    registerBanditBindings(in: registry)
    registerBaseModelBindings(in: registry)
    registerModelPairBindings(in: registry)
    registerEvaluationBindings(in: registry)
    registerTrainingBindings(in: registry)
    registerDiagnoseBindings(in: registry)
    return registry
}

/// Creates an interpreter with the standard registry; the REPL, the notebook runner and the
/// CLI create interpreters only through this.
///
///     let interpreter = makeInterpreter(output: { print($0, terminator: "") })
///     try interpreter.run("print(1 + 1)", file: "<e>")   // writes "2\n"
public func makeInterpreter(output: @escaping (String) -> Void) -> Interpreter {
    Interpreter(registry: standardRegistry(), output: output)
}
