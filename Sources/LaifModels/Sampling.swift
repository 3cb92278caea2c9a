#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LaifSupport
import LaifTensor

/// How `sample` picks each next token.
///
/// Temperature divides the logits (0 means greedy); `topK` keeps the k most likely tokens
/// (0 keeps all); `topP` keeps the smallest most-likely set whose probability reaches p
/// (1 keeps all); generation stops after `maxNewTokens`, at the model's `maxLength`, or right
/// after `eosToken` when `stopAtEOS`.
///
///     let options = SamplingOptions(temperature: 1.0, topP: 0.9, maxNewTokens: 12, eosToken: 2)
public struct SamplingOptions: Equatable, Sendable {
    /// Softmax temperature, >= 0; 0 picks the most likely token (like `greedy`).
    public var temperature: Float
    /// Keep only the k most likely tokens; 0 disables the filter.
    public var topK: Int
    /// Nucleus filter in (0, 1]; 1 disables it.
    public var topP: Float
    /// Always pick the most likely token (lowest id on ties); consumes no randomness.
    public var greedy: Bool
    /// Most tokens to generate per prompt; the model's `maxLength` also bounds prompt + response.
    public var maxNewTokens: Int
    /// The end-of-sequence token, if the vocabulary has one.
    public var eosToken: Int32?
    /// Stop a row right after it produces `eosToken` (the EOS is kept in the response).
    public var stopAtEOS: Bool
    /// Prompts run through the model together; results do not depend on it.
    public var batchSize: Int

    /// Options with the given settings; the defaults sample the model's plain distribution
    /// until its `maxLength`.
    ///
    ///     SamplingOptions(greedy: true, maxNewTokens: 8, eosToken: 2)
    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, greedy: Bool = false,
        maxNewTokens: Int = .max, eosToken: Int32? = nil, stopAtEOS: Bool = true, batchSize: Int = 64
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.greedy = greedy
        self.maxNewTokens = maxNewTokens
        self.eosToken = eosToken
        self.stopAtEOS = stopAtEOS
        self.batchSize = batchSize
    }

    /// Whether each pick is the argmax (greedy, or temperature 0).
    ///
    ///     SamplingOptions(temperature: 0).isGreedy   // true
    public var isGreedy: Bool { greedy || temperature == 0 }

    /// Why a temperature and top-p given in Double by a caller (the language, the simulation)
    /// cannot drive sampling, which runs in Float, in words the caller wraps in its own error;
    /// nil when both are usable. Checked before the conversion, which would turn 1e300 into
    /// infinity and 1e-300 into zero and make `validate` report a value the caller never gave.
    /// `format` prints the caller's numbers its own way.
    ///
    ///     SamplingOptions.problem(temperature: -1, topP: 0.9)
    ///     // "temperature must be a finite number >= 0 (0 means greedy), got -1.0"
    public static func problem(temperature: Double, topP: Double,
                               format: (Double) -> String = { "\($0)" }) -> String? {
        guard temperature.isFinite, temperature >= 0 else {
            return "temperature must be a finite number >= 0 (0 means greedy), got \(format(temperature))"
        }
        guard Float(temperature).isFinite else {
            return "temperature \(format(temperature)) is too large for sampling's 32-bit floats (at most \(Float.greatestFiniteMagnitude)); use a temperature like 1"
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            return "top_p must be in (0, 1] (1 keeps every token), got \(format(topP))"
        }
        guard Float(topP) > 0 else {
            return "top_p \(format(topP)) is too small for sampling's 32-bit floats (at least \(Float.leastNonzeroMagnitude)); use a top_p like 0.9"
        }
        return nil
    }

    /// Throws an `InferenceError` for a nonsensical option; `vocabSize` also checks `eosToken`.
    ///
    ///     try SamplingOptions(topP: 0).validate()   // throws: topP must be in (0, 1]
    public func validate(vocabSize: Int? = nil) throws {
        func fail(_ message: String) -> InferenceError { InferenceError(function: "sample", message: message) }
        guard temperature.isFinite, temperature >= 0 else {
            throw fail("temperature must be a finite number >= 0 (0 means greedy), got \(temperature)")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw fail("topP must be in (0, 1] (1 keeps every token), got \(topP)")
        }
        guard topK >= 0 else { throw fail("topK must be >= 0 (0 keeps every token), got \(topK)") }
        guard maxNewTokens >= 0 else { throw fail("maxNewTokens must be >= 0, got \(maxNewTokens)") }
        guard batchSize >= 1 else { throw fail("batchSize must be >= 1, got \(batchSize)") }
        if let eosToken, let vocabSize, eosToken < 0 || Int(eosToken) >= vocabSize {
            throw fail("eosToken \(eosToken) is outside the model's vocabulary 0..<\(vocabSize)")
        }
    }
}

/// Generates a response for each prompt and returns the new tokens only (ending with the EOS
/// token when one was produced). Prompts may differ in length: rows are left-aligned, so each
/// keeps its true positions, and finished rows leave the batch. Each prompt draws from its own
/// stream forked from `rng` in order, so a row's result depends on the seed and its index, not
/// on batching. No gradients are recorded.
///
///     var rng = RandomGenerator(seed: 1)
///     let replies = try sample(model: model, prompts: [[1, 5, 6], [1, 7]],
///                              options: SamplingOptions(topP: 0.9, eosToken: 2), rng: &rng)
public func sample(
    model: LanguageModel, prompts: [[Int32]], options: SamplingOptions = SamplingOptions(),
    rng: inout RandomGenerator
) throws -> [[Int32]] {
    try options.validate(vocabSize: model.vocabSize)
    try validateTokenRows(prompts, what: "prompt", vocabSize: model.vocabSize, allowEmpty: false, function: "sample")
    for (row, prompt) in prompts.enumerated() where prompt.count > model.maxLength
        || (prompt.count == model.maxLength && options.maxNewTokens > 0) {
        throw InferenceError(function: "sample", message:
            "prompt \(row) has \(prompt.count) tokens; the model's maxLength \(model.maxLength) leaves no room for a response (shorten the prompt)")
    }
    var streams = prompts.map { _ in rng.fork() }
    var responses = [[Int32]](repeating: [], count: prompts.count)
    try Tensor.withoutGrad {
        var start = 0
        while start < prompts.count {
            try Cancellation.check()
            let end = min(start + options.batchSize, prompts.count)
            try generate(model: model, prompts: prompts, rows: Array(start..<end), options: options,
                         streams: &streams, responses: &responses)
            start = end
        }
    }
    return responses
}

/// Generates for `rows` together until every row is finished, one model call per new token;
/// each call covers only the unfinished rows and only up to the longest of them.
private func generate(
    model: LanguageModel, prompts: [[Int32]], rows: [Int], options: SamplingOptions,
    streams: inout [RandomGenerator], responses: inout [[Int32]]
) throws {
    let vocabSize = model.vocabSize
    var sequences = rows.map { prompts[$0] }
    let budgets = rows.map { min(options.maxNewTokens, model.maxLength - prompts[$0].count) }
    var active = rows.indices.filter { budgets[$0] > 0 }
    let window = model.nextTokenContext
    while !active.isEmpty {
        // One check per token: a long generation stops on Ctrl-C like any other long work.
        try Cancellation.check()
        let current = active.map { local in window.map { Array(sequences[local].suffix($0)) } ?? sequences[local] }
        let length = current.reduce(0) { max($0, $1.count) }
        // Only each row's last position is read: the model may skip the others' last block.
        let lastPositions = current.enumerated().map { $0.offset * length + $0.element.count - 1 }
        let logits = try model.logits(paddedTokens(current, length: length, padToken: 0), batch: current.count,
                                      length: length, at: lastPositions)
        guard logits.shape == [current.count, vocabSize] else {
            throw InferenceError(function: "sample", message:
                "the model returned next-token logits of shape \(logits.shape), expected [\(current.count), \(vocabSize)]")
        }
        let values = logits.toArray()
        var stillActive: [Int] = []
        for (slot, local) in active.enumerated() {
            let row = rows[local]
            let base = slot * vocabSize
            let probabilities = try nextTokenProbabilities(
                logits: Array(values[base..<(base + vocabSize)]), options: options)
            let token = Int32(options.isGreedy
                ? probabilities.indices.first { probabilities[$0] == 1 } ?? 0
                : draw(probabilities, rng: &streams[row]))
            sequences[local].append(token)
            responses[row].append(token)
            let stopped = options.stopAtEOS && token == options.eosToken
            if !stopped && responses[row].count < budgets[local] { stillActive.append(local) }
        }
        active = stillActive
    }
}

/// The distribution `sample` draws the next token from, given one position's logits:
/// temperature applied, then top-k, then top-p, renormalised. Greedy options give a one-hot
/// vector at the most likely token (lowest id on ties). Throws on NaN or +infinity logits
/// (a diverged model) or when every logit is -infinity.
///
///     let p = try nextTokenProbabilities(logits: [2, 1, 0], options: SamplingOptions(topK: 2))
///     // p[2] == 0, p[0] + p[1] == 1
public func nextTokenProbabilities(logits: [Float], options: SamplingOptions) throws -> [Double] {
    try options.validate()
    func fail(_ message: String) -> InferenceError { InferenceError(function: "sample", message: message) }
    guard !logits.isEmpty else { throw fail("no logits to sample from (vocabulary of size 0)") }
    if let bad = logits.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
        throw fail("the model produced a non-finite logit (\(logits[bad]) for token \(bad)); the model has diverged")
    }
    guard let maximum = logits.max(), maximum > -.infinity else {
        throw fail("every logit is -infinity; no token can be sampled")
    }
    var probabilities = [Double](repeating: 0, count: logits.count)
    if options.isGreedy {
        probabilities[logits.firstIndex(of: maximum)!] = 1
        return probabilities
    }
    let temperature = Double(options.temperature)
    for (token, logit) in logits.enumerated() {
        probabilities[token] = exp((Double(logit) - Double(maximum)) / temperature)
    }
    // Most likely first, lower id first on ties, so filters are deterministic.
    var order = Array(logits.indices)
    order.sort { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
    var keep = order.count
    if options.topK > 0 { keep = min(keep, options.topK) }
    if options.topP < 1 {
        let total = order.prefix(keep).reduce(0.0) { $0 + probabilities[$1] }
        var cumulative = 0.0
        var nucleus = 0
        // Include tokens while the mass before them is still short of topP.
        while nucleus < keep, cumulative < Double(options.topP) * total {
            cumulative += probabilities[order[nucleus]]
            nucleus += 1
        }
        keep = max(1, nucleus)
    }
    for token in order.dropFirst(keep) { probabilities[token] = 0 }
    let total = order.prefix(keep).reduce(0.0) { $0 + probabilities[$1] }
    for token in order.prefix(keep) { probabilities[token] /= total }
    return probabilities
}

/// Draws an index with the given probabilities (which sum to 1) by inverse CDF.
private func draw(_ probabilities: [Double], rng: inout RandomGenerator) -> Int {
    let target = rng.nextDouble()
    var cumulative = 0.0
    var last = 0
    for (token, probability) in probabilities.enumerated() where probability > 0 {
        cumulative += probability
        last = token
        if target < cumulative { return token }
    }
    return last  // rounding left the sum just under 1
}
