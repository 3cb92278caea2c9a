import LaifLang
import LaifSim
import LaifTrain

/// A trained Bradley–Terry reward model (`type(rm) == "reward_model"`): a scorer usable as
/// `reward:` of rloo/ppo and as the scorer of best_of_n/expert_iteration. Properties accuracy
/// (held-out, nil when nothing was held out), held_out, log; `rm.score(prompt, reply)`.
///
///     let rm = RewardModelObject(try rewardModel(s35, prefs: prefs))
///     try rm.property("accuracy")   // .number(0.8)
public final class RewardModelObject: DomainObject {
    public let rewardModel: RewardModel

    /// Wraps a reward model.
    ///
    ///     RewardModelObject(try rewardModel(model, prefs: prefs))
    public init(_ rewardModel: RewardModel) { self.rewardModel = rewardModel }

    public var typeName: String { "reward_model" }

    /// One line: parameters (backbone plus the scalar head), training steps and held-out accuracy (or
    /// "no held-out pairs"), marked "(interrupted)" when training was stopped early.
    ///
    ///     print(rm)   // reward model: ... parameters, ... steps, held-out accuracy 0.75... on 12 pairs
    public func describe() -> String {
        let accuracy = rewardModel.heldOutAccuracy.map {
            "held-out accuracy \(TrainingLogObject.format($0)) on \(rewardModel.heldOutCount) pairs"
        } ?? "no held-out pairs"
        return "reward model: \(rewardModel.backbone.parameterCount + rewardModel.backbone.vocabSize + 1) parameters, "
            + "\(rewardModel.log.count) steps, \(accuracy)\(rewardModel.interrupted ? " (interrupted)" : "")"
    }

    public var summary: String {
        "reward_model(accuracy \(rewardModel.heldOutAccuracy.map(TrainingLogObject.format) ?? "n/a"))"
    }

    public var byteSize: Int { 4 * (rewardModel.backbone.parameterCount + rewardModel.backbone.vocabSize + 1) }
    public var propertyNames: [String] { ["accuracy", "held_out", "log", "interrupted"] }

    /// `rm.accuracy` (share of held-out pairs ranked right, ties half; nil when none were held out),
    /// `rm.held_out` (their count), `rm.log` (the training log) and `rm.interrupted`.
    ///
    ///     try rm.property("held_out")   // .number(12) for 48 pairs and held_out: 0.25
    public func property(_ name: String) throws -> Value? {
        switch name {
        case "accuracy": return rewardModel.heldOutAccuracy.map(Value.number) ?? .nil
        case "held_out": return .number(Double(rewardModel.heldOutCount))
        case "log": return .object(TrainingLogObject(rewardModel.log, interrupted: rewardModel.interrupted))
        case "interrupted": return .bool(rewardModel.interrupted)
        default: return nil
        }
    }
}
