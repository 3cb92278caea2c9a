import LaifLang
import LaifSim
import LaifTrain

/// Turns a trainer's result into the laif value it returns: a new model whose lineage adds
/// `step` (and notes an interruption) and whose `log` is the training log, or `[model, log]`
/// when `with_log: true` (handy for `let (m, log) = ...`). An
/// interruption (Ctrl-C) also writes a line saying the model so far is kept.
///
///     return try finishTraining(result, from: input, step: "sft(...)", args, context)
func finishTraining(_ result: TrainingResult, from input: ModelValue, step: String, _ args: Arguments,
                    _ context: CallContext) throws -> Value {
    var text = step
    if result.interrupted {
        text += " [interrupted at step \(result.stepsDone) of \(result.stepsPlanned)]"
        context.write("\(args.builtin.name): interrupted at step \(result.stepsDone) of \(result.stepsPlanned); returning the model so far\n")
    }
    let log = TrainingLogObject(result.log, interrupted: result.interrupted)
    let model = Value.object(input.derived(result.model, step: text, log: log))
    if try args.bool("with_log") {
        return .list([model, .object(log)])
    }
    return model
}

/// Reads `with_log` before any training, so a bad value fails at once instead of after the
/// whole run (`finishTraining` reads it again at the end).
///
///     try checkWithLog(args)
func checkWithLog(_ args: Arguments) throws {
    _ = try args.bool("with_log")
}

/// A number for a lineage step (`0.001`, `3`).
func stepNumber(_ x: Double) -> String { formatLaifNumber(x) }
