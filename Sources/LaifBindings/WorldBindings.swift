import LaifLang
import LaifSim

/// Registers the rule world: `world(...)`, its methods (`prompts`, `prompt`, `gold`,
/// `gold_reply`, `text`, `tokens`, `difficulty`) and the methods of prompt sets
/// (`split`, `concat`, `first`, `shuffle`).
///
///     let registry = BuiltinRegistry.core()
///     registerWorldBindings(in: registry)
public func registerWorldBindings(in registry: BuiltinRegistry) {
    registry.register(WorldBuiltins.world)
    for method in [WorldBuiltins.prompts, WorldBuiltins.prompt, WorldBuiltins.gold, WorldBuiltins.goldReply,
                   WorldBuiltins.text, WorldBuiltins.tokens, WorldBuiltins.difficulty] {
        registry.registerMethod(typeName: "world", method)
    }
    for method in [PromptSetMethods.split, PromptSetMethods.concat, PromptSetMethods.first, PromptSetMethods.tokens] {
        registry.registerMethod(typeName: "prompts", method)
    }
}

enum WorldBuiltins {
    static func receiver(_ args: Arguments) throws -> World {
        guard let object = args.receiver?.object(as: WorldObject.self) else { throw args.error("needs a world receiver") }
        return object.world
    }

    /// `world(tasks: 4, vocab: 16, prompt_len: [2, 5], fillers: 3, seed: 0)`: a rule world.
    ///
    ///     let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
    static let world = Builtin(
        name: "world",
        parameters: [.optional("tasks", .number(4)), .optional("vocab", .number(16)),
                     .optional("prompt_len", .list([.number(2), .number(5)])), .optional("fillers", .number(3)),
                     .optional("seed", .number(0))],
        doc: "A rule world: tasks hidden tables over vocab content tokens; prompt_len is [shortest, longest] (or one number).",
        example: "world(tasks: 2, vocab: 6, prompt_len: [1, 3], seed: 1)",
        topic: "world"
    ) { args, _ in
        let lengths: ClosedRange<Int>
        switch args["prompt_len"] ?? .nil {
        case .number:
            let n = try args.int("prompt_len")
            lengths = n...n
        case .list(let ends):
            guard ends.count == 2, case .number(let lo) = ends[0], case .number(let hi) = ends[1],
                  let shortest = Int(exactly: lo), let longest = Int(exactly: hi) else {
                throw args.error("prompt_len must be a whole number or [shortest, longest], got \((args["prompt_len"] ?? .nil).summary)")
            }
            lengths = try args.simulating { try WorldConfig.promptRange(shortest, longest) }
        default:
            throw args.error("prompt_len must be a whole number or [shortest, longest]")
        }
        let config = WorldConfig(tasks: try args.int("tasks"), vocab: try args.int("vocab"), promptLength: lengths,
                                 fillers: try args.int("fillers"), seed: try args.seedValue("seed"))
        return .object(WorldObject(try args.simulating { try World(config) }))
    }

    /// `w.prompts(n, seed: nil)`: n prompts drawn from the world (seed nil: derived from the
    /// session seed, so two calls differ but a rerun is identical).
    ///
    ///     let ps = w.prompts(100, seed: 0)
    static let prompts = Builtin(
        name: "prompts", parameters: [.required("n"), .optional("seed", .nil)],
        doc: "n prompts drawn from the world (seed nil: the next seed of the session).",
        example: "world().prompts(3, seed: 0)", topic: "world"
    ) { args, context in
        let world = try receiver(args)
        let n = try args.int("n", within: 0...World.maxPrompts)
        let seed = try args.seedOrDerived("seed", context)
        return .object(PromptSetObject(try args.simulating { try world.prompts(n, seed: seed) }, world: world))
    }

    /// `w.prompt(text)`: one prompt from its text ("t0 a b") or token ids.
    ///
    ///     w.prompt("t1 c a")
    static let prompt = Builtin(
        name: "prompt", parameters: [.required("text")],
        doc: "One prompt of the world from its text like \"t0 a b\" (or its token ids).",
        example: "world().prompt(\"t1 c a\")", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        return .object(PromptObject(try args.prompt("text", in: world), world: world))
    }

    /// `w.gold(prompt, response)`: the gold quality of a reply (share of positions right minus
    /// 0.02 per filler).
    ///
    ///     w.gold("t0 a b", "c d <eos>")
    static let gold = Builtin(
        name: "gold", parameters: [.required("prompt"), .required("response")],
        doc: "Gold quality of a reply to a prompt: share of answer positions right, minus 0.02 per filler.",
        example: "let w = world(); w.gold(\"t0 a b\", w.gold_reply(\"t0 a b\"))", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        let prompt = try args.prompt("prompt", in: world)
        return .number(world.gold(prompt, try args.reply("response", in: world)))
    }

    /// `w.gold_reply(prompt)`: the gold reply's text.
    ///
    ///     w.gold_reply("t0 a b")   # "f k <eos>"
    static let goldReply = Builtin(
        name: "gold_reply", parameters: [.required("prompt")],
        doc: "The gold reply to a prompt, as text.",
        example: "world().gold_reply(\"t0 a b\")", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        return .string(world.text(world.goldResponse(try args.prompt("prompt", in: world))))
    }

    /// `w.text(tokens)`: token ids spelled as words.
    ///
    ///     w.text([1, 4, 8, 2])   # "<bos> t0 a <sep>"
    static let text = Builtin(
        name: "text", parameters: [.required("tokens")],
        doc: "Token ids spelled as the world's words.",
        example: "world().text([1, 4, 8, 2])", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        return .string(world.text(try args.tokenIDs("tokens", world: world)))
    }

    /// `w.tokens(text)`: words back to token ids.
    ///
    ///     w.tokens("a b <eos>")
    static let tokens = Builtin(
        name: "tokens", parameters: [.required("text")],
        doc: "The token ids of space-separated words like \"a b <eos>\".",
        example: "world().tokens(\"a b <eos>\")", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        let text = try args.string("text")
        return tokenList(try args.simulating { try world.layout.tokens(from: text) })
    }

    /// `w.difficulty(task, token)`: an entry's difficulty in [0, 1] (oracles of strength above
    /// it, give or take the family jitter, know it).
    ///
    ///     w.difficulty(0, "a")
    static let difficulty = Builtin(
        name: "difficulty", parameters: [.required("task"), .required("token")],
        doc: "Difficulty in [0, 1] of the entry (task index, content token as a letter or index).",
        example: "world().difficulty(0, \"a\")", topic: "world"
    ) { args, _ in
        let world = try receiver(args)
        return .number(world.difficulty(try entry(args, in: world)))
    }

    /// The entry named by arguments `task` (index) and `token` (letter like "c" or content index).
    static func entry(_ args: Arguments, in world: World) throws -> Entry {
        let task = try args.int("task")
        guard task >= 0, task < world.config.tasks else {
            throw args.error("task must be 0...\(world.config.tasks - 1), got \(task)")
        }
        let token: Int
        switch args["token"] ?? .nil {
        case .string(let word):
            guard let id = world.layout.token(forWord: word), let index = world.layout.contentIndex(id) else {
                throw args.error("token \"\(word)\" is not a content token of this world (a...\(world.text([world.layout.contentToken(world.config.vocab - 1)])))")
            }
            token = index
        default:
            token = try args.int("token")
            guard token >= 0, token < world.config.vocab else {
                throw args.error("token must be 0...\(world.config.vocab - 1) or a letter, got \(token)")
            }
        }
        return Entry(task: task, token: token)
    }
}

enum PromptSetMethods {
    static func receiver(_ args: Arguments) throws -> PromptSetObject {
        guard let object = args.receiver?.object(as: PromptSetObject.self) else { throw args.error("needs a prompt set receiver") }
        return object
    }

    /// `ps.split(fraction, shuffle: false, seed: nil)`: `[first part, rest]`, for
    /// `let (a, b) = ps.split(0.1)`; `seed` (default 0) draws the shuffled split.
    ///
    ///     let (p10, p90) = w.prompts(100).split(0.1)
    static let split = Builtin(
        name: "split", parameters: [.required("fraction"), .optional("shuffle", .bool(false)), .optional("seed", .nil)],
        doc: "[the first fraction of the prompts, the rest]; shuffle: true draws the first part at random (seed: default 0).",
        example: "let (a, b) = world().prompts(10).split(0.3)", topic: "world"
    ) { args, _ in
        let set = try receiver(args)
        let fraction = try args.number("fraction")
        let shuffle = try args.bool("shuffle")
        // A seed without shuffle changed nothing, without a word.
        if !shuffle && !args.isNil("seed") {
            throw args.error("seed only draws a shuffled split; add shuffle: true, or drop seed")
        }
        let seed = args.isNil("seed") ? 0 : try args.seedValue("seed")
        let (head, tail) = try args.simulating { try set.prompts.split(fraction, shuffle: shuffle, seed: seed) }
        return .list([.object(PromptSetObject(head, world: set.world)), .object(PromptSetObject(tail, world: set.world))])
    }

    /// `ps.concat(other)`: the same as `ps ++ other`.
    ///
    ///     a.concat(b)
    static let concat = Builtin(
        name: "concat", parameters: [.required("other")],
        doc: "This prompt set followed by other (same as ++).",
        example: "let w = world(); w.prompts(2).concat(w.prompts(3))", topic: "world"
    ) { args, _ in
        let set = try receiver(args)
        return .object(try set.concatenated(with: try args.promptSet("other")))
    }

    /// `ps.first(n)`: the first n prompts (all when fewer).
    ///
    ///     ps.first(10)
    static let first = Builtin(
        name: "first", parameters: [.required("n")],
        doc: "The first n prompts (all when there are fewer).",
        example: "world().prompts(10).first(3)", topic: "world"
    ) { args, _ in
        let set = try receiver(args)
        return .object(PromptSetObject(set.prompts.first(try args.int("n", within: 0...World.maxPrompts)), world: set.world))
    }

    /// `ps.tokens()`: every prompt's model-facing token ids (BOS ... SEP), for `model.sample`.
    ///
    ///     ps.tokens()   # [[1, 4, 8, 9, 2], ...]
    static let tokens = Builtin(
        name: "tokens", parameters: [],
        doc: "Every prompt's token ids (with BOS and SEP), the form model.sample takes.",
        example: "world().prompts(2).tokens()", topic: "world"
    ) { args, _ in
        .list(try receiver(args).prompts.map { tokenList($0.tokens) })
    }
}
