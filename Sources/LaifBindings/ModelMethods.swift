import LaifLang
import LaifModels
import LaifTensor

/// Methods of models: sampling, log-probabilities and logits. Token rows are lists of whole
/// numbers; a method given one flat row answers for that row alone, given a list of rows it
/// answers with a list.
enum ModelMethods {
    /// Rows run through the model per call; the interrupt flag is checked between chunks.
    static let chunkSize = 64

    static func all(_ options: TensorPrintOptions) -> [Builtin] {
        [sample, logprob, tokenLogprobs, logits(options)]
    }

    /// The model a method was called on.
    static func receiver(_ args: Arguments) throws -> ModelValue {
        guard let value = args.receiver?.object(as: ModelValue.self) else {
            throw args.error("must be called on a model")
        }
        return value
    }

    /// `m.sample(prompts, temperature: 1, top_k: 0, top_p: 1, greedy: false, max_new: nil, eos: nil, seed: nil)`:
    /// a continuation (new tokens only) for each prompt.
    ///
    ///     m.sample([[1, 4, 5], [1, 7]], temperature: 0.7, max_new: 8)
    static let sample = Builtin(
        name: "sample",
        parameters: [.required("prompts"), .optional("temperature", .number(1)), .optional("top_k", .number(0)),
                     .optional("top_p", .number(1)), .optional("greedy", .bool(false)), .optional("max_new", .nil),
                     .optional("eos", .nil), .optional("seed", .nil)],
        doc: "New tokens for each prompt (a list of token lists; one flat list gives one reply), until max_new, max_len or eos; seeded from the session.",
        example: "mlp(vocab: 8, embedding: 4, hidden: 8).sample([[1, 2]], max_new: 4)", topic: "model"
    ) { args, context in
        let value = try receiver(args)
        let (prompts, single) = try TensorConversion.tokenRows(try TensorBuiltins.argument(args, "prompts"), what: "prompts")
        // Checked here, in the language's names and before Float conversion turns 1e300 into inf;
        // LaifModels checks again in its own (Swift) names.
        let temperature = try args.number("temperature"), topK = try args.int("top_k"), topP = try args.number("top_p")
        if let problem = SamplingOptions.problem(temperature: temperature, topP: topP, format: formatLaifNumber) {
            throw args.error(problem)
        }
        guard topK >= 0 else { throw args.error("top_k must be >= 0 (0 keeps every token), got \(topK)") }
        var options = SamplingOptions(temperature: Float(temperature), topK: topK, topP: Float(topP), greedy: try args.bool("greedy"))
        if !args.isNil("max_new") {
            let maxNew = try args.int("max_new")
            guard maxNew >= 0 else { throw args.error("max_new must be >= 0, got \(maxNew)") }
            options.maxNewTokens = maxNew
        }
        if !args.isNil("eos") {
            let eos = try args.int("eos")
            guard let token = Int32(exactly: eos) else { throw args.error("eos \(eos) is not a token id") }
            options.eosToken = token
        }
        var rng = RandomGenerator(seed: try TensorBuiltins.seed(args, context))
        var replies: [[Int32]] = []
        let longestPrompt = prompts.map(\.count).max() ?? 0
        let reach = longestPrompt.addingReportingOverflow(options.maxNewTokens)
        let rowsPerCall = try rowsPerCall(value.model, length: rowLength(value.model, reach.overflow ? .max : reach.partialValue), args)
        options.batchSize = rowsPerCall
        // Each prompt forks its own stream from `rng` in order, so chunking does not change results.
        var start = 0
        while start < prompts.count {
            try context.checkInterrupt()
            let end = min(start + rowsPerCall, prompts.count)
            let chunk = Array(prompts[start..<end])
            replies += try rowErrors(offset: start) {
                try LaifModels.sample(model: value.model, prompts: chunk, options: options, rng: &rng)
            }
            start = end
        }
        let lists = replies.map { Value.list($0.map { .number(Double($0)) }) }
        return single ? (lists.first ?? .list([])) : .list(lists)
    }

    /// `m.logprob(prompt, response)`: log p(response | prompt), summed over the response tokens.
    ///
    ///     m.logprob([1, 4, 5], [6, 2])
    static let logprob = Builtin(
        name: "logprob", parameters: [.required("prompt"), .required("response")],
        doc: "The summed log-probability of response given prompt (token lists; lists of them give a list).",
        example: "mlp(vocab: 8, embedding: 4, hidden: 8).logprob([1, 2], [3, 4])", topic: "model"
    ) { args, context in
        let value = try receiver(args)
        let (prompts, responses, single) = try pairedRows(args)
        let rowsPerCall = try rowsPerCall(value.model, length: rowLength(value.model, pairLength(prompts, responses)), args)
        var scores: [Double] = []
        var start = 0
        while start < prompts.count {
            try context.checkInterrupt()
            let end = min(start + rowsPerCall, prompts.count)
            let logps = try rowErrors(offset: start) {
                try Tensor.withoutGrad {
                    try responseLogProbs(model: value.model, prompts: Array(prompts[start..<end]),
                                         responses: Array(responses[start..<end]))
                }
            }
            let chunk = logps.toArray()
            if let bad = chunk.firstIndex(where: \.isNaN) { throw divergedRow(start + bad, args) }
            scores += chunk.map(Double.init)
            start = end
        }
        return single ? .number(scores.first ?? 0) : .list(scores.map(Value.number))
    }

    /// `m.token_logprobs(prompt, response)`: the log-probability of each response token.
    ///
    ///     m.token_logprobs([1, 4, 5], [6, 2])   # two numbers
    static let tokenLogprobs = Builtin(
        name: "token_logprobs", parameters: [.required("prompt"), .required("response")],
        doc: "The log-probability of each response token given the prompt and the tokens before it.",
        example: "mlp(vocab: 8, embedding: 4, hidden: 8).token_logprobs([1, 2], [3, 4])", topic: "model"
    ) { args, context in
        let value = try receiver(args)
        let (prompts, responses, single) = try pairedRows(args)
        let rowsPerCall = try rowsPerCall(value.model, length: rowLength(value.model, pairLength(prompts, responses)), args)
        var rows: [[Float]] = []
        var start = 0
        while start < prompts.count {
            try context.checkInterrupt()
            let end = min(start + rowsPerCall, prompts.count)
            let chunk = try rowErrors(offset: start) {
                try tokenLogProbs(model: value.model, prompts: Array(prompts[start..<end]),
                                  responses: Array(responses[start..<end]))
            }
            if let bad = chunk.firstIndex(where: { $0.contains(where: \.isNaN) }) { throw divergedRow(start + bad, args) }
            rows += chunk
            start = end
        }
        let lists = rows.map { Value.list($0.map { .number(Double($0)) }) }
        return single ? (lists.first ?? .list([])) : .list(lists)
    }

    /// `m.logits(tokens)`: next-token logits at every position, `[len, vocab]` for one row or
    /// `[batch, len, vocab]` for equal-length rows.
    ///
    ///     m.logits([1, 4, 5]).shape   # [3, vocab]
    static func logits(_ options: TensorPrintOptions) -> Builtin {
        Builtin(name: "logits", parameters: [.required("tokens")],
                doc: "Next-token logits at every position: [len, vocab] for one token list, [batch, len, vocab] for equal-length lists.",
                example: "mlp(vocab: 8, embedding: 4, hidden: 8).logits([1, 2, 3])", topic: "model") { args, _ in
            let value = try receiver(args)
            let (rows, single) = try TensorConversion.tokenRows(try TensorBuiltins.argument(args, "tokens"), what: "tokens")
            guard let length = rows.first?.count, length > 0 else {
                throw args.error("give at least one non-empty token list")
            }
            if let bad = rows.firstIndex(where: { $0.count != length }) {
                throw args.error("token lists must have the same length: tokens[0] has \(length), tokens[\(bad)] has \(rows[bad].count)")
            }
            guard try rowsPerCall(value.model, length: length, args, limit: rows.count) >= rows.count else {
                throw args.error("\(rows.count) rows of \(length) tokens need more memory than one call may use; pass fewer rows at a time")
            }
            let output = try tensorCall {
                try Tensor.withoutGrad {
                    try value.model.logits(rows.flatMap { $0 }, batch: rows.count, length: length).detached()
                }
            }
            let shaped = single ? try tensorCall { try output.reshape([length, value.model.vocabSize]) } : output
            return .object(TensorValue(shaped, options: options))
        }
    }

    /// The tokens a row really runs through the model: the longest row the call was given,
    /// capped at max_len (longer rows are refused row by row). Sizing calls by max_len alone
    /// refused `m.logprob([1], [2])` on a valid model with a long max_len ("one row of
    /// 30000000 tokens ...") although the row holds two.
    static func rowLength(_ model: LanguageModel, _ longest: Int) -> Int {
        min(model.maxLength, max(longest, 1))
    }

    /// The longest prompt + response of paired rows.
    private static func pairLength(_ prompts: [[Int32]], _ responses: [[Int32]]) -> Int {
        zip(prompts, responses).map { $0.count + $1.count }.max() ?? 0
    }

    /// How many rows of `length` tokens one model call may take (at most `limit`): the widest
    /// activation of a row times the rows must stay within the tensor size limit.
    static func rowsPerCall(_ model: LanguageModel, length: Int, _ args: Arguments, limit: Int = chunkSize) throws -> Int {
        let architecture = model.architecture
        func size(_ key: String) -> Int { architecture[key].flatMap { Int($0) } ?? 0 }
        let width = max(model.vocabSize, size("d_model") * max(3, size("mlp_ratio")), size("hidden"),
                        size("context").multipliedReportingOverflow(by: size("embedding")).partialValue, 1)
        let (perRow, overflow) = max(length, 1).multipliedReportingOverflow(by: width)
        guard !overflow, perRow <= Tensor.maxElementCount else {
            throw args.error("one row of \(length) tokens needs activations of \(length) x \(width) values, more than a tensor may hold; use a smaller model or shorter rows")
        }
        return max(1, min(limit, Tensor.maxElementCount / perRow))
    }

    /// The error for a NaN log-probability, as `sample` refuses non-finite logits: a model whose
    /// weights diverged (a trainer's last update at too high a learning rate is checked by no
    /// later loss) otherwise hands back `nan` as if it were a score.
    private static func divergedRow(_ row: Int, _ args: Arguments) -> LaifError {
        args.error("row \(row): the model gives NaN log-probabilities; its weights have diverged "
            + "(retrain it with a lower lr, e.g. lr: 0.0005)")
    }

    /// Prompt and response rows of equal number; `single` when both were flat lists.
    private static func pairedRows(_ args: Arguments) throws -> (prompts: [[Int32]], responses: [[Int32]], single: Bool) {
        let prompt = try TensorBuiltins.argument(args, "prompt")
        let response = try TensorBuiltins.argument(args, "response")
        let (prompts, promptSingle) = try TensorConversion.tokenRows(prompt, what: "prompt")
        // An empty response list is one empty response when the prompt is a single row.
        if promptSingle, case .list(let items) = response, items.isEmpty { return (prompts, [[]], true) }
        let (responses, responseSingle) = try TensorConversion.tokenRows(response, what: "response")
        guard promptSingle == responseSingle else {
            throw args.error("give one prompt and one response (two token lists) or lists of them, not one of each")
        }
        guard prompts.count == responses.count else {
            throw args.error("got \(prompts.count) prompts but \(responses.count) responses; give one response per prompt")
        }
        return (prompts, responses, promptSingle)
    }

    /// Runs a chunk, renumbering "prompt 3" style row numbers in errors to the caller's rows.
    private static func rowErrors<T>(offset: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InferenceError where offset > 0 {
            throw LaifError.runtime("\(error.message) (row numbers count from \(offset), the start of this chunk)")
        } catch {
            return try tensorCall { () throws -> T in throw error }
        }
    }
}
