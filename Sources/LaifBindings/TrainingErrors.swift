import LaifLang
import LaifSim
import LaifTrain

/// Runs a LaifTrain or LaifSim call and maps its errors onto laif errors naming the call:
/// bad arguments, divergence (with its fix), and inference problems.
///
///     let result = try trainCall(args) { try sft(model, data: data) }
func trainCall<T>(_ args: Arguments, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as TrainingError {
        // The call already names the trainer, as itself or as its receiver's type
        // (reward_model.score()); saying it again read "reward_model.score(): reward_model: ...".
        let namesTrainer = error.trainer == args.builtin.name || error.trainer == args.builtin.ownerType
        let message = namesTrainer
            ? (error.argument.isEmpty ? error.message : "\(error.argument) \(error.message)")
            : error.description
        throw args.error(message)
    } catch let error as TrainingDiverged {
        // LaifTrain keeps the last good model in the error; a laif error carries no value, so the
        // message says how to rerun instead of pointing at a model the script cannot reach.
        let head = "\(args.builtin.qualifiedName)(): the \(error.quantity) became NaN or infinite at step \(error.step) and training stopped; "
        // PPO makes ppo_epochs x mini_batches updates within one step, and has a value head.
        let manyUpdatesPerStep = args.builtin.name == "ppo"
        if error.step == 1 && error.quantity != "weights" && !manyUpdatesPerStep {
            // No update has happened yet, so the learning rate cannot be the cause: the input is.
            throw LaifError.runtime(head + "no update had run yet, so the inputs (the model, its data or the rewards) already give "
                + "non-finite values; check them, e.g. with model.logits(...)")
        }
        if manyUpdatesPerStep {
            throw LaifError.runtime(head + "lower the learning rates (lr for the policy, value_lr for the value head) "
                + "or clip gradients harder (optimizer: {clip: 1})")
        }
        let rate = error.lastGood.log.last(Metric.learningRate).map { " (lr: was \(stepNumber($0)) at that step)" } ?? ""
        throw LaifError.runtime(head + "lower the learning rate\(rate) or clip gradients harder (optimizer: {clip: 1})")
    } catch let error as SimError {
        throw args.error(args.strippingOwnName(error.message))
    }
}
