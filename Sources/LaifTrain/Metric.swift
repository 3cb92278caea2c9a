/// The metric names trainers log, spelled as TRL logs them so its users can read them.
///
///     result.log.series(Metric.margins)   // "rewards/margins" per step
public enum Metric {
    /// The minimised objective of the step.
    public static let loss = "loss"
    /// β × (policy − reference) log-prob of the chosen reply (DPO's implicit reward), batch mean.
    public static let rewardsChosen = "rewards/chosen"
    /// The same for the rejected reply.
    public static let rewardsRejected = "rewards/rejected"
    /// Share of pairs whose chosen reward beats the rejected one.
    public static let accuracies = "rewards/accuracies"
    /// Mean chosen minus rejected reward.
    public static let margins = "rewards/margins"
    /// Mean summed log-prob of the chosen reply under the policy.
    public static let logpsChosen = "logps/chosen"
    /// Mean summed log-prob of the rejected reply under the policy.
    public static let logpsRejected = "logps/rejected"
    /// DPO's added NLL term on the chosen reply (per-token mean).
    public static let nllLoss = "nll_loss"
    /// Mean sequence-level KL estimate to the reference (policy − reference log-prob of the samples).
    public static let kl = "objective/kl"
    /// Mean score the reward gave the samples.
    public static let scores = "objective/scores"
    /// Mean score minus the KL penalty (what RL maximises).
    public static let rlhfReward = "objective/rlhf_reward"
    /// Mean summed per-token entropy of the policy along its samples (nats per reply).
    public static let entropy = "entropy"
    /// Mean tokens per sampled reply (EOS included).
    public static let responseLength = "response_length"
    /// Global gradient norm before clipping.
    public static let gradNorm = "grad_norm"
    /// Learning rate used by the step.
    public static let learningRate = "learning_rate"
    /// Fractional epoch reached by the step.
    public static let epoch = "epoch"
    /// Mean gold quality of the model's replies on the held-out prompts (at intervals).
    public static let goldQuality = "eval/gold_quality"
    /// PPO: the clipped policy loss.
    public static let policyLoss = "loss/policy"
    /// PPO: the value-head loss.
    public static let valueLoss = "loss/value"
    /// PPO: share of tokens whose ratio was clipped.
    public static let clipFraction = "policy/clipfrac"
    /// Reward model: share of training pairs ordered right in the step's batch.
    public static let accuracy = "accuracy"
    /// Reward model: share of held-out pairs ordered right.
    public static let heldOutAccuracy = "eval/accuracy"
    /// Best-of-n / expert iteration: mean score of the picked replies.
    public static let bestScore = "objective/best_score"
}
