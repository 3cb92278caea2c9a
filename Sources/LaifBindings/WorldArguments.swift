import LaifLang
import LaifSim

/// Argument readers shared by the world, oracle, dataset, evaluation and training bindings:
/// seeds, optional knobs, prompts and replies given as text or token ids, and the mapping of
/// LaifSim's errors onto laif errors that name the call.
extension Arguments {
    /// Runs a LaifSim call; its `SimError` becomes a runtime error naming this call and its
    /// signature (a message that already starts with the call's own name drops that prefix).
    ///
    ///     let w = try args.simulating { try World(tasks: 0) }   // "world(): tasks must be 1...64, got 0; ..."
    func simulating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SimError {
            throw self.error(strippingOwnName(error.message))
        }
    }

    /// The message without a leading "name: " when it repeats this builtin's name.
    func strippingOwnName(_ message: String) -> String {
        let own = builtin.name + ": "
        return message.hasPrefix(own) ? String(message.dropFirst(own.count)) : message
    }

    /// A seed: a whole number in 0...2^53 (what a laif number holds exactly).
    ///
    ///     let seed = try args.seedValue("seed")
    func seedValue(_ name: String) throws -> UInt64 {
        let number = try number(name)
        guard number.isFinite, number >= 0, number <= 9_007_199_254_740_992, number == number.rounded() else {
            // Past 2^53 a laif number no longer holds every whole number (1e18 is one, but 1e18 + 1
            // reads as the same seed), so the message gives the range, not just "whole".
            throw error("argument '\(name)' must be a whole number from 0 to 9007199254740992 (2^53), got \(formatLaifNumber(number))")
        }
        return UInt64(number)
    }

    /// A seed when given, else the next seed derived from the session seed (so a script is
    /// reproducible and two calls without a seed still differ).
    ///
    ///     let seed = try args.seedOrDerived("seed", context)
    func seedOrDerived(_ name: String, _ context: CallContext) throws -> UInt64 {
        isNil(name) ? context.nextSeed() : try seedValue(name)
    }

    /// A number when given, else nil.
    ///
    ///     if let beta = try args.numberIfGiven("beta") { config.beta = beta }
    func numberIfGiven(_ name: String) throws -> Double? {
        isNil(name) ? nil : try number(name)
    }

    /// A whole number when given, else nil.
    ///
    ///     let steps = try args.intIfGiven("steps")
    func intIfGiven(_ name: String) throws -> Int? {
        isNil(name) ? nil : try int(name)
    }

    /// A string when given, else nil.
    ///
    ///     let family = try args.stringIfGiven("family")
    func stringIfGiven(_ name: String) throws -> String? {
        isNil(name) ? nil : try string(name)
    }

    /// A whole number within `range`, else an error naming the argument and the range.
    ///
    ///     let n = try args.int("n", in: 1...1_000)
    func int(_ name: String, within range: ClosedRange<Int>) throws -> Int {
        let value = try int(name)
        guard range.contains(value) else {
            throw error("argument '\(name)' must be \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// The world object passed as `name`.
    ///
    ///     let w = try args.world("w")
    func world(_ name: String) throws -> WorldObject {
        try object(name, as: WorldObject.self, expected: "a world (make one with world(...))")
    }

    /// The prompt set passed as `name`.
    ///
    ///     let ps = try args.promptSet("prompts")
    func promptSet(_ name: String) throws -> PromptSetObject {
        try object(name, as: PromptSetObject.self, expected: "a prompt set (make one with w.prompts(n))")
    }

    /// Refuses an empty prompt set where a mean over its replies is asked for: a mean over no
    /// replies has no value, and 0 would read as replies that are all wrong.
    ///
    ///     try args.requireSomePrompts(prompts)
    func requireSomePrompts(_ prompts: PromptSetObject, _ name: String = "prompts") throws {
        guard !prompts.prompts.isEmpty else { throw error("\(name) is empty; give at least one prompt, e.g. w.prompts(100)") }
    }

    /// The prompt set passed as `name`, which must come from `world`; otherwise an error
    /// "<label> come from another world than <owner>".
    ///
    ///     let ps = try args.promptSet("prompts", from: oracle.world, owner: "the oracle's")
    func promptSet(_ name: String, from world: World, owner: String, label: String = "the prompts") throws -> PromptSetObject {
        let prompts = try promptSet(name)
        guard prompts.world === world else { throw error("\(label) come from another world than \(owner)") }
        return prompts
    }

    /// The oracle passed as `name`.
    ///
    ///     let judge = try args.oracle("judge")
    func oracle(_ name: String) throws -> OracleObject {
        try object(name, as: OracleObject.self, expected: "an oracle (make one with oracle(w, preset: \"gpt-4\"))")
    }

    /// A prompt of `world` given as a prompt value, its text ("t0 a b") or token ids.
    ///
    ///     let p = try args.prompt("prompt", in: w)
    func prompt(_ name: String, in world: World) throws -> Prompt {
        let value = try value(name)
        switch value {
        case .object(let object as PromptObject):
            guard object.world === world else {
                throw error("argument '\(name)' is a prompt of another world; draw it from this world")
            }
            return object.prompt
        case .string(let text):
            return try simulating { try world.prompt(text: text) }
        case .list:
            let tokens = try tokenIDs(name, world: world)
            return try simulating { try world.prompt(tokens: tokens) }
        default:
            throw error("argument '\(name)' must be a prompt, its text like \"t0 a b\" or a list of token ids, got \(value.typeName)")
        }
    }

    /// A reply given as text ("b c <eos>") or token ids, checked against the world's vocabulary.
    ///
    ///     let reply = try args.reply("response", in: w)
    func reply(_ name: String, in world: World) throws -> [Int32] {
        let value = try value(name)
        switch value {
        case .string(let text):
            return try simulating { try world.layout.tokens(from: text) }
        case .list:
            return try tokenIDs(name, world: world)
        default:
            throw error("argument '\(name)' must be a reply as text like \"a b <eos>\" or a list of token ids, got \(value.typeName)")
        }
    }

    /// A list of whole numbers that are token ids of `world`.
    func tokenIDs(_ name: String, world: World) throws -> [Int32] {
        let items = try list(name)
        return try items.enumerated().map { index, item in
            guard case .number(let number) = item, let id = Int(exactly: number), id >= 0, id < world.vocabSize else {
                throw error("\(name)[\(index)] must be a token id 0...\(world.vocabSize - 1), got \(item.summary)")
            }
            return Int32(id)
        }
    }
}
