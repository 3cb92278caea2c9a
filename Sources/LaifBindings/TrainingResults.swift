import LaifLang
import LaifModels
import LaifSim
import LaifTensor
import LaifTrain

/// Turns a trainer's result into the laif value it returns: a new model whose lineage adds
/// `step` (and notes an interruption) and whose `log` is the training log, or `[model, log]`
/// when `with_log: true` (handy for `let (m, log) = ...`). An
/// interruption (Ctrl-C) also writes a line saying the model so far is kept.
///
///     return try finishTraining(result, from: input, step: "sft(...)", args, context)
func finishTraining(_ result: TrainingResult, from input: ModelValue, step: String, _ args: Arguments,
                    _ context: CallContext) throws -> Value {
    try refuseOverflowedOutputs(result, args)
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

/// Refuses a trained model whose outputs are NaN or +infinity on a one-token row (the rule
/// `sample` applies to logits). Every update checks the loss before it and the weights after
/// it, but the last update can overflow the outputs while each weight stays finite, and no
/// later loss sees that: sft(m, d, lr: 1e38, optimizer: "sgd", max_steps: 1) returned a model
/// that only failed when used. Reads one forward pass; the model is unchanged.
private func refuseOverflowedOutputs(_ result: TrainingResult, _ args: Arguments) throws {
    guard result.stepsDone > 0 else { return }  // nothing was updated: the input is as it came
    let logits = try tensorCall { try Tensor.withoutGrad { try result.model.logits([0], batch: 1, length: 1).toArray() } }
    guard logits.contains(where: { $0.isNaN || $0 == .infinity }) else { return }
    let rate = result.log.last(Metric.learningRate).map { " (lr: was \(stepNumber($0)) at the last step)" } ?? ""
    throw args.error("the last update (step \(result.stepsDone)) left the model's outputs NaN or infinite although every weight "
        + "stayed finite; train again with a lower learning rate\(rate) or clip gradients harder (optimizer: {clip: 1})")
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
