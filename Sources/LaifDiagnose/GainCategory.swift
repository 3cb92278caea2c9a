import LaifSim

/// Where an entry's change between the SFT and the RL model belongs, decided from the oracles'
/// knowledge and the SFT model's own probabilities (see `classify`).
///
///     GainCategory.elicited.rawValue   // "elicited"
public enum GainCategory: String, CaseIterable, Sendable {
    /// The critic knows the entry, the teacher did not, and the SFT model already gave the gold
    /// token some probability: RL can find it by sampling and being rewarded.
    case elicited
    /// The critic knows the entry, the teacher did not, and the SFT model gave gold almost no
    /// probability: RL never samples it, so it cannot learn it; SFT on the critic would teach it.
    case unreachable
    /// Teacher and critic both know the entry: RL can only sharpen what SFT already taught.
    case sharpened
    /// The critic does not know the entry and RL did not move toward its wrong belief: the
    /// critic's knowledge caps any gain here.
    case ceiling
    /// The critic does not know the entry and RL raised the probability of the critic's wrong
    /// belief (its family habit): the critic's reward pulled the student the wrong way.
    case harm

    /// One line saying what the category means, for tables and help.
    ///
    ///     GainCategory.unreachable.meaning   // "critic knows, teacher did not, outside SFT support"
    public var meaning: String {
        switch self {
        case .elicited: return "critic knows, teacher did not, in SFT support"
        case .unreachable: return "critic knows, teacher did not, outside SFT support"
        case .sharpened: return "teacher and critic both know"
        case .ceiling: return "critic does not know"
        case .harm: return "critic does not know, RL moved to its wrong belief"
        }
    }

    /// The category of one entry. `sftGold` is the SFT model's mean probability of the gold
    /// token there; `beliefRise` is how much the RL model raised the probability of the critic's
    /// belief over the SFT model. An entry the critic does not know is `harm` when that rise
    /// exceeds `harmThreshold`, else `ceiling`; an entry it knows is `sharpened` when the
    /// teacher knew it too, else `elicited` when `sftGold >= supportThreshold`, else `unreachable`.
    ///
    ///     GainCategory.classify(teacherKnows: false, criticKnows: true, sftGold: 0.001, beliefRise: 0,
    ///                           supportThreshold: 0.05, harmThreshold: 0.01)   // .unreachable
    public static func classify(teacherKnows: Bool, criticKnows: Bool, sftGold: Double, beliefRise: Double,
                                supportThreshold: Double, harmThreshold: Double) -> GainCategory {
        guard criticKnows else { return beliefRise > harmThreshold ? .harm : .ceiling }
        if teacherKnows { return .sharpened }
        return sftGold >= supportThreshold ? .elicited : .unreachable
    }
}
