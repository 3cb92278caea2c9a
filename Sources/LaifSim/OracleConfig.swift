/// The knobs of a simulated LLM (one kind of value plays teacher, critic and judge).
///
/// As a *teacher*: `strength` decides what it knows (entry e is known when
/// `difficulty(e) + jitter × z_family(e) < strength`, with `z_family(e)` a standard normal fixed
/// per family and entry, so two families of equal strength know different entries while one
/// family's knowledge nests by strength); where it does not know it answers its family's
/// `habit` (a fixed wrong token per entry) with probability `habitRate`, else a random token;
/// it slips on a known entry with probability `slipRate`; with probability `verbosity` it
/// appends 1...`maxFillers` filler tokens before EOS, a share `voice` of them its family's
/// signature filler (its voice) and the rest uniform over the world's fillers.
/// As a *critic or judge*: score = m × (aligned matches with its beliefs / max(m, n) −
/// 0.02 × fillers) + `lengthBias` × fillers + `familyBias` × (1 if the reply has a filler in
/// its family's voice) − `familyBias` × (1 if it has a filler in another voice) (the gold
/// quality it believes, scaled by m, plus its length bias and its self-preference), with
/// believed quality −1 for a reply that does not follow the instruction
/// (no EOS within m + 4 answer tokens); it prefers the first-shown reply with probability
/// σ((s₁ − s₂)/`temperature` + `positionBias`). A sampled label is then flipped with
/// probability `flipRate`; a judge's win rate averages the preference itself, without flips.
///
///     var c = try OracleConfig.preset("gpt-4")
///     c.lengthBias = 1.0
public struct OracleConfig: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A display name ("gpt-4").
    public var name: String
    /// The family: fixes the knowledge jitter and the habits ("openai", "anthropic", "llama").
    public var family: String
    /// Knowledge threshold on difficulty; `.infinity` knows everything.
    public var strength: Double
    /// Standard deviation of the family's knowledge jitter.
    public var jitter: Double
    /// Probability of answering the family habit on an unknown entry (else a random token).
    public var habitRate: Double
    /// Probability of a wrong token on a known entry.
    public var slipRate: Double
    /// Probability that a reply carries fillers.
    public var verbosity: Double
    /// Most fillers a verbose reply appends (uniform in 1...maxFillers).
    public var maxFillers: Int
    /// Critic score added per filler in a reply (a length-biased judge has > 0).
    public var lengthBias: Double
    /// Share of its fillers written in its family's voice (the family's signature filler, see
    /// `Oracle.signatureFiller`); the rest are uniform over the world's fillers. 0: all uniform.
    public var voice: Double
    /// Critic score added to a reply that carries a filler in its family's voice, and taken
    /// from one that carries a filler in another voice: self-preference, a judge favouring
    /// replies that sound like its own family's (0: none; the presets have 0.75).
    public var familyBias: Double
    /// Logit added in favour of the reply shown first.
    public var positionBias: Double
    /// Bradley–Terry temperature on the score difference; 0 makes a hard decision.
    public var temperature: Double
    /// Probability that a sampled preference label is flipped (label noise; judges' win rates
    /// are not affected).
    public var flipRate: Double
    /// Seed of this oracle's replies and labels (its family draws do not depend on it).
    public var seed: UInt64

    /// An oracle configuration; defaults are CALIBRATION.md's shared values.
    ///
    ///     OracleConfig(name: "mine", family: "openai", strength: 0.7)
    public init(name: String, family: String, strength: Double, jitter: Double = 0.1,
                habitRate: Double = 0.7, slipRate: Double = 0.02, verbosity: Double = 0.2,
                maxFillers: Int = 3, lengthBias: Double = 0, voice: Double = 0, familyBias: Double = 0,
                positionBias: Double = 0, temperature: Double = 0.5, flipRate: Double = 0.05, seed: UInt64 = 0) {
        self.name = name
        self.family = family
        self.strength = strength
        self.jitter = jitter
        self.habitRate = habitRate
        self.slipRate = slipRate
        self.verbosity = verbosity
        self.maxFillers = maxFillers
        self.lengthBias = lengthBias
        self.voice = voice
        self.familyBias = familyBias
        self.positionBias = positionBias
        self.temperature = temperature
        self.flipRate = flipRate
        self.seed = seed
    }

    /// The presets' share of fillers in their family's voice.
    public static let presetVoice = 0.8
    /// The presets' self-preference: a reply in the judge's own voice gains three quarters of
    /// one right entry's score, one in another family's voice loses as much.
    public static let presetFamilyBias = 0.75

    /// Names accepted by `preset(_:)`.
    public static let presetNames = ["davinci", "gpt-3.5", "gpt-4", "claude", "gold"]

    /// A named bundle of knobs, every one overridable afterwards. Values (CALIBRATION.md's
    /// tested regime) and why:
    ///
    /// | preset  | family    | strength | verbosity | why |
    /// |---------|-----------|----------|-----------|-----|
    /// | davinci | openai    | 0.35     | 0.1       | AlpacaEval 1.0's reference: weakest, terse |
    /// | gpt-3.5 | openai    | 0.55     | 0.2       | the weak teacher of ShareGPT replies |
    /// | gpt-4   | openai    | 0.85     | 0.3       | the strong critic/judge; knows a superset of gpt-3.5 (same family) |
    /// | claude  | anthropic | 0.85     | 0.4       | about as strong as gpt-4 but another family: different entries, habits |
    /// | gold    | gold      | ∞        | 0         | the world's truth: no slips, no bias, no flips |
    ///
    /// All share jitter 0.1, habit rate 0.7, slip 0.02, at most 3 fillers, judge temperature
    /// 0.5, flip rate 0.05, no length or position bias (set those to study judge bias).
    /// All but gold write 80% of their fillers in their family's voice (`presetVoice`) and, as
    /// critics and judges, prefer that voice (`presetFamilyBias` 0.75). Why: LLM judges favour
    /// replies in their own style, and the study's same-family judge read gains well above
    /// what others read. Without it the simulated same-family inflation came only from shared
    /// wrong habits: +2.1 to +8.2 win-rate points over gold for gpt-4 judging a gpt-4 critic's
    /// DPO (seeds 0-4), inside the gains' own seed spread; with it +5.4 to +11.1 (+4.4 to +13.1
    /// with OpenBLAS's Haswell kernels), and every seed's judged gain lies above every seed's
    /// gold gain (scripts/paper/f7_judge_dependence.laif).
    /// At 1.0 the mean judged RL gain passed CALIBRATION.md's +20 ceiling on one seed; at 0.5
    /// it moved the inflation by about one point.
    ///
    ///     let c = try OracleConfig.preset("claude")
    public static func preset(_ name: String) throws -> OracleConfig {
        var config: OracleConfig
        switch name.lowercased() {
        case "davinci", "text-davinci-003":
            config = OracleConfig(name: "davinci", family: "openai", strength: 0.35, verbosity: 0.1)
        case "gpt-3.5", "gpt35", "gpt-3.5-turbo":
            config = OracleConfig(name: "gpt-3.5", family: "openai", strength: 0.55, verbosity: 0.2)
        case "gpt-4", "gpt4":
            config = OracleConfig(name: "gpt-4", family: "openai", strength: 0.85, verbosity: 0.3)
        case "claude":
            config = OracleConfig(name: "claude", family: "anthropic", strength: 0.85, verbosity: 0.4)
        case "gold":
            return Oracle.goldConfig
        default:
            throw SimError("oracle: unknown preset \"\(name)\"; choose one of "
                + presetNames.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        // Every simulated LLM writes in its family's voice and prefers it; gold has neither.
        config.voice = presetVoice
        config.familyBias = presetFamilyBias
        return config
    }

    /// The largest magnitude of a bias or jitter: beyond it scores overflow to infinity and a
    /// preference between two replies with the same bias became inf - inf = NaN, which labels
    /// and win rates then used as if it were a probability.
    static let knobLimit = 1e6

    private func requireBounded(_ value: Double, _ place: String) throws {
        guard value.isFinite, abs(value) <= OracleConfig.knobLimit else {
            throw SimError("\(place) must be a number from -1e6 to 1e6, got \(value)")
        }
    }

    /// The configuration itself, or an error naming the bad knob.
    ///
    ///     try OracleConfig.preset("gpt-4").validated()
    public func validated() throws -> OracleConfig {
        guard !strength.isNaN else { throw SimError("oracle \(name): strength must be a number, got nan") }
        guard jitter.isFinite, jitter >= 0, jitter <= OracleConfig.knobLimit else {
            throw SimError("oracle \(name): jitter must be from 0 to 1e6, got \(jitter)")
        }
        try requireProbability(habitRate, "oracle \(name): habit_rate")
        try requireProbability(slipRate, "oracle \(name): slip")
        try requireProbability(verbosity, "oracle \(name): verbosity")
        try requireRange(maxFillers, 0...16, "oracle \(name): max_fillers")
        try requireBounded(lengthBias, "oracle \(name): length_bias")
        try requireProbability(voice, "oracle \(name): voice")
        try requireBounded(familyBias, "oracle \(name): family_bias")
        try requireBounded(positionBias, "oracle \(name): position_bias")
        guard temperature.isFinite, temperature >= 0 else {
            throw SimError("oracle \(name): temperature must be finite and >= 0, got \(temperature)")
        }
        try requireProbability(flipRate, "oracle \(name): flip")
        guard !name.isEmpty else { throw SimError("oracle: name must not be empty (it labels the oracle in tables and seeds its draws)") }
        guard !family.isEmpty else { throw SimError("oracle \(name): family must not be empty") }
        return self
    }

    public var description: String {
        let s = strength.isInfinite ? (strength > 0 ? "∞" : "-∞") : String(strength)
        var parts = ["family \(family)", "strength \(s)", "verbosity \(verbosity)"]
        if slipRate != 0.02 { parts.append("slip \(slipRate)") }
        if habitRate != 0.7 { parts.append("habit \(habitRate)") }
        if lengthBias != 0 { parts.append("length bias \(lengthBias)") }
        if voice != 0 { parts.append("voice \(voice)") }
        if familyBias != 0 { parts.append("family bias \(familyBias)") }
        if positionBias != 0 { parts.append("position bias \(positionBias)") }
        parts.append("temperature \(temperature)")
        parts.append("flip \(flipRate)")
        return "\(name) (\(parts.joined(separator: ", ")))"
    }
}
