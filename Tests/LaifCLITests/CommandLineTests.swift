import Foundation
import Testing

@Test func evaluatePrintsTheValue() throws {
    let run = try runLaif(["-e", "let x = 20\nx * 2 + 2"])
    #expect(run.status == 0)
    #expect(run.stdout == "42\n")
    #expect(run.stderr.isEmpty)
}

@Test func anExpressionMayStartWithAMinus() throws {
    // Found by fuzzing -e: a leading '-' was taken for an option ("Missing value for '-e <expr>'").
    let run = try runLaif(["-e", "-1 + 2"])
    #expect(run.status == 0)
    #expect(run.stdout == "1\n")
    #expect(run.stderr.isEmpty)
    let flagLike = try runLaif(["-e", "--x"])   // -(-x): evaluated, not taken for a flag
    #expect(flagLike.status == 70)
    #expect(flagLike.stderr.hasPrefix("-e:1:3: undefined name 'x'"))
}

@Test func everyExpressionRunsInTurnInOneSession() throws {
    // `laif -e 1 -e 2` evaluated only the last expression.
    let run = try runLaif(["-e", "let x = 20", "-e", "x * 2 + 2", "-e", "-1"])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout == "42\n-1\n")
    let failing = try runLaif(["-e", "1", "-e", "1 + \"a\"", "-e", "print(3)"])
    #expect(failing.status == 70)
    #expect(failing.stdout == "1\n", "the first failure stops the rest")
    #expect(failing.stderr.hasPrefix("-e[2]:1:3: cannot apply '+'"))
}

@Test func expressionsAndInteractiveFilesAreRefusedWhereTheyWouldBeIgnored() throws {
    // `laif -e 1 run p.laif` ran p.laif and dropped -e in silence; -e with -i dropped -i.
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "print(\"ran\")\n".write(to: folder.appendingPathComponent("p.laif"), atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
        (["-e", "1", "run", "p.laif"], "Error: -e cannot be combined with 'laif run'; drop -e, or use it on its own"),
        (["run", "p.laif", "-e", "1"], "Error: -e cannot be combined with 'laif run'"),
        (["-i", "p.laif", "run", "p.laif"], "Error: -i cannot be combined with 'laif run'; drop -i"),
        (["-e", "1", "help", "print"], "Error: -e cannot be combined with 'laif help'"),
        (["-e", "1", "-i", "p.laif"], "Error: -e and -i cannot be combined; use -e to evaluate and exit, or -i to run a script"),
        // `-i -` read all of stdin as the script, then found no file named '-'.
        (["-i", "-"], "Error: -i needs a script file; stdin is where the REPL reads its entries"),
        // All but the last -i were dropped in silence.
        (["-i", "p.laif", "-i", "p.laif"], "Error: -i takes one script"),
    ]
    for (arguments, message) in cases {
        let run = try runLaif(arguments, input: "", in: folder)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
        #expect(run.stderr.hasPrefix(message), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty, "\(arguments): nothing runs")
    }
}

@Test func helpWithANameAndMarkdownIsAUsageError() throws {
    let run = try runLaif(["help", "print", "--markdown"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--markdown prints the whole reference; drop print"), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
}

/// Sizes valid alone can make a tensor past the element limit together: that is a runtime
/// error (70) naming the options to lower, not ArgumentParser's exit 1 naming a layer. (DPO:
/// SFT runs in micro-batches of about 256 positions, so its tensors stay small at any size.)
@Test func benchSizesTooLargeTogetherExit70NamingTheOptions() throws {
    let run = try runLaif(["bench", "--models", "transformer", "--modes", "dpo", "--batch", "4096", "--seq", "1024",
                           "--seconds", "0.1"])
    #expect(run.status == 70, "\(run.stderr)")
    #expect(run.stderr.contains("laif bench: transformer dpo at --batch 4096 --seq 1024: "), "\(run.stderr)")
    #expect(run.stderr.hasSuffix("; lower --batch or --seq\n"), "\(run.stderr)")
}

@Test func benchNumbersMayStartWithAMinusAndHearTheirRange() throws {
    // Found by fuzzing: `--seconds -0` took "-0" for a flag and said "Missing value for '--seconds <seconds>'".
    // Each value fails validation, so no benchmark runs.
    for (option, range) in [("--seconds", "(0, 3600]"), ("--batch", "1...4096"), ("--seq", "...1024")] {
        let run = try runLaif(["bench", option, "-0"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("\(option) must be in ") && run.stderr.contains(range), "\(run.stderr)")
        #expect(!run.stderr.contains("Missing value"))
    }
}

@Test func aNegativeThreadCountHearsTheRange() throws {
    // `--threads` takes a list, and ArgumentParser ends a list at an argument starting with '-':
    // it said "Missing value for '--threads <threads>'" for `--threads -1`.
    for (arguments, count) in [(["bench", "--threads", "-1"], "-1"), (["bench", "--threads", "1", "-2", "--seconds", "1"], "-2"),
                               (["bench", "--threads", "0"], "0"), (["bench", "--threads", "1", "300"], "300")] {
        let run = try runLaif(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: --threads must be in 1...256, got \(count)\nUsage: laif bench "), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
    // Options that follow the list and other subcommands are left to ArgumentParser.
    let model = try runLaif(["bench", "--threads", "1", "--models", "-3"])
    #expect(model.status == 64)
    #expect(model.stderr.contains("Missing value for '--models <models>'"), "\(model.stderr)")
}

@Test func outputKeepsNULCharactersAndWhatFollowsThem() throws {
    // Output used to go through fputs, which stopped at the NUL: "a" and no newline.
    let run = try runLaif(["-e", "print(\"a\\0b\")\nerror(\"c\\0d\")"])
    #expect(run.stdout == "a\u{0}b\n")
    #expect(run.stderr.hasPrefix("-e:2:6: c\u{0}d\n"))
}

@Test func errorsMapToTheDocumentedExitCodes() throws {
    let syntax = try runLaif(["-e", "1 +"])
    #expect(syntax.status == 65)
    #expect(syntax.stderr.hasPrefix("-e:1:"))
    let runtime = try runLaif(["-e", "1 / \"a\""])
    #expect(runtime.status == 70)
    let assertion = try runLaif(["-e", "assert 1 == 2, \"one is not two\""])
    #expect(assertion.status == 1)
    #expect(assertion.stderr.contains("one is not two"))
    let usage = try runLaif(["--no-such-flag"])
    #expect(usage.status == 64)
    let missing = try runLaif(["run", "does-not-exist.laif"])
    #expect(missing.status == 74)
    #expect(missing.stderr.contains("does-not-exist.laif"))
    let folder = try runLaif(["run", NSTemporaryDirectory()])
    #expect(folder.status == 74)
    #expect(folder.stderr.contains("not a regular file"))
}

@Test func aBinaryFileIsASyntaxErrorWithAPlace() throws {
    let path = NSTemporaryDirectory() + "laif-binary-\(UUID().uuidString).laif"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var bytes: [UInt8] = Array("let x = 1\n".utf8)
    bytes += [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x80]   // not UTF-8
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let run = try runLaif(["run", path])
    #expect(run.status == 65)
    #expect(run.stderr.hasPrefix("\(path):2:1: unexpected character"))
}

@Test func stdinThatIsNotATerminalRunsAsAScript() throws {
    let run = try runLaif([], input: "let x = [1,\n2]\nprint(\"sum\", x[0] + x[1])\nlen(x)\n")
    #expect(run.status == 0)
    #expect(run.stdout == "sum 3\n2\n")
    #expect(!run.stdout.contains("laif>"), "no prompts")
    #expect(!run.stdout.contains("\u{1b}"), "no escape codes")
    let failing = try runLaif([], input: "print(1)\nlet y = nope\nprint(2)\n")
    #expect(failing.status == 70)
    #expect(failing.stdout == "1\n")
    #expect(failing.stderr.contains("<stdin>:2:"))
}

/// Runs laif with stdout going to `standardOutput`; returns the exit status, how it ended, and stderr.
private func runLaif(_ arguments: [String], standardOutput: Any, in folder: URL) throws
    -> (status: Int32, reason: Process.TerminationReason, stderr: String) {
    let errURL = folder.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = try laifBinary()
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["LAIF_PLOT_DIR"] = folder.appendingPathComponent("plots").path
    process.environment = environment
    process.standardOutput = standardOutput
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, process.terminationReason, try String(contentsOf: errURL, encoding: .utf8))
}

#if os(Linux)
@Test func aFullStandardOutputIsAnIOErrorSaidOnce() throws {
    // Write errors on stdout were ignored: `laif -e 1 > /dev/full` exited 0, the output lost.
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "# %% A\nfor i in range(500) { print(i) }\n".write(to: folder.appendingPathComponent("p.laif"), atomically: true, encoding: .utf8)
    for arguments in [["-e", "1"], ["-e", "for i in range(500) { print(i) }"], ["run", "p.laif"]] {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let run = try runLaif(arguments, standardOutput: full, in: folder)
        #expect(run.status == 74, "\(arguments): \(run.stderr)")
        #expect(run.stderr == "laif: cannot write to standard output: No space left on device\n", "\(arguments)")
    }
    // A failing script keeps its own exit code.
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    #expect(try runLaif(["-e", "print(1)\nassert false"], standardOutput: full, in: folder).status == 1)
}
#endif

@Test func aClosedPipeOnStandardOutputStillEndsLaifWithSIGPIPE() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    let run = try runLaif(["-e", "for i in range(100000) { print(i) }"], standardOutput: pipe, in: folder)
    #expect(run.reason == .uncaughtSignal && run.status == SIGPIPE, "status \(run.status), stderr: \(run.stderr)")
    #expect(run.stderr.isEmpty)
}

@Test func interactiveFlagRunsTheFileFirst() throws {
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "let preloaded = 7\n".write(to: folder.appendingPathComponent("pre.laif"), atomically: true, encoding: .utf8)
    // stdin is not a terminal here, so the REPL reads lines without prompts until EOF.
    let run = try runLaif(["-i", "pre.laif"], input: "preloaded * 6\n", in: folder)
    #expect(run.status == 0)
    #expect(run.stdout.contains("42"))
}

@Test func interactiveFlagRunsExactlyThePathGiven() throws {
    // -i went through `:load` parsing, which strips one pair of quotes and trims blanks:
    // `laif -i '"q.laif"'` ran q.laif, and `laif -i 'ts.laif '` ran ts.laif.
    let folder = try makeScratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in [("q.laif", "plain"), ("\"q.laif\"", "quoted"), ("ts.laif", "trimmed"), ("ts.laif ", "blank")] {
        try "print(\"\(text)\")\n".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    for (path, expected) in [("\"q.laif\"", "quoted\n"), ("ts.laif ", "blank\n"), ("q.laif", "plain\n")] {
        let run = try runLaif(["-i", path], input: "", in: folder)
        #expect(run.status == 0, "-i '\(path)': \(run.stderr)")
        #expect(run.stdout == expected, "-i '\(path)'")
    }
}

@Test func interactiveFlagWithAnUnreadableFileFailsLikeRun() throws {
    let run = try runLaif(["-i", "no-such-script.laif"], input: "1 + 1\n")
    #expect(run.status == 74)
    #expect(run.stderr.contains("cannot read 'no-such-script.laif'"))
    #expect(run.stdout.isEmpty)
}

@Test func ctrlCDuringATrainerInAnExpressionExitsWith130() throws {
    // The trainer returns its model so far when interrupted; `-e` must still report the interrupt.
    let expression = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
        let d = oracle(w).demos(w.prompts(64))
        print("training")
        sft(transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2), d, min_steps: 10000000, batch: 4)
        """
    let run = try interruptExpression(expression, once: "training", timeout: 60)
    #expect(run.status == 130)
    #expect(run.stderr.contains("interrupted"))
}

@Test func ctrlCStopsSamplingManyPromptsAtOnce() throws {
    // Sampling a million replies is one library call (minutes in a debug build, past the
    // timeout); it checks for Ctrl-C between batches, so it stops at once.
    let expression = """
        let w = world(tasks: 2, vocab: 6, prompt_len: [1, 2])
        let m = transformer(vocab: w.vocab_size, d_model: 16, layers: 1, heads: 2)
        let ps = w.prompts(1000000)
        print("sampling")
        m.replies(ps)
        """
    let run = try interruptExpression(expression, once: "sampling", timeout: 90)
    #expect(run.status == 130)
    #expect(run.stderr.contains("interrupted"))
}

/// A single huge product or random draw checks for Ctrl-C as it goes: interrupted, not waited for.
@Test func ctrlCStopsAHugeProductAndAHugeRandomDraw() throws {
    let product = try interruptExpression("""
        let a = randn(3072, 3072)
        print("multiplying")
        a @ a @ a @ a @ a @ a
        """, once: "multiplying", timeout: 60)
    #expect(product.status == 130)
    #expect(product.stderr.contains("interrupted"))
    // Stopped inside the products: had they run to the end, -e would have printed the result.
    #expect(!product.stdout.contains("tensor("))
    let draw = try interruptExpression("""
        print("drawing")
        randn(16384, 16384)
        """, once: "drawing", timeout: 60)
    #expect(draw.status == 130)
    #expect(draw.stderr.contains("interrupted"))
    #expect(!draw.stdout.contains("tensor("))
}

/// Runs `laif -e expression` and sends SIGINT shortly after `marker` appears on its stdout.
private func interruptExpression(_ expression: String, once marker: String, timeout: Double) throws -> LaifRun {
    try runLaif(["-e", expression], timeout: timeout) { process, stdout in
        _ = waitForFile(stdout, toContain: marker)
        usleep(400_000)
        process.interrupt()
    }
}

@Test func helpListsTopicsAndShowsOneBuiltin() throws {
    let overview = try runLaif(["help"])
    #expect(overview.status == 0)
    #expect(overview.stdout.contains("Builtins by topic:"))
    #expect(overview.stdout.contains("plot: plot"))
    let one = try runLaif(["help", "plot"])
    #expect(one.status == 0)
    #expect(one.stdout.hasPrefix("plot(data, x: nil"))
    #expect(one.stdout.contains("example: plot("))
    let subcommand = try runLaif(["help", "run"])
    #expect(subcommand.status == 0)
    #expect(subcommand.stdout.contains("--keep-going"))
    let unknown = try runLaif(["help", "no_such_builtin"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("no_such_builtin"))
}

@Test func helpOnATypeListsItsValuesMethods() throws {
    let list = try runLaif(["help", "list"])
    #expect(list.status == 0)
    #expect(list.stdout.hasPrefix("Methods of list values (x.name(...)):\n  list.contains(x)\n"))
    #expect(list.stdout.contains("  list.map(f)\n      "))
    // A builtin that also names a type: the builtin, then its values' methods.
    let oracle = try runLaif(["help", "oracle"])
    #expect(oracle.stdout.hasPrefix("oracle(w, preset: "))
    #expect(oracle.stdout.contains("\nMethods of oracle values (x.name(...)):\n"))
    #expect(oracle.stdout.contains("  oracle.respond("))
    // A topic that also names a type: the topic's builtins, then the methods.
    let model = try runLaif(["help", "model"])
    #expect(model.stdout.hasPrefix("Topic model:\n"))
    #expect(model.stdout.contains("\nMethods of model values (x.name(...)):\n"))
    for row in (list.stdout + oracle.stdout + model.stdout).split(separator: "\n") where !row.hasPrefix("    example: ") {
        #expect(row.count <= 80, "\(row)")
    }
}

@Test func committedReferenceMatchesTheRegistry() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let committed = try String(contentsOf: repository.appendingPathComponent("docs/reference.md"), encoding: .utf8)
    let generated = try runLaif(["help", "--markdown"])
    #expect(generated.status == 0)
    #expect(generated.stdout == committed,
            "docs/reference.md is out of date: regenerate it with `laif help --markdown > docs/reference.md`")
}

/// A training step larger than the memory laif may use is refused before it starts, with the
/// option to lower (it used to run until the system killed laif, or abort with exit 134).
/// LAIF_MEMORY_LIMIT stands in for a small machine.
@Test func aTrainingStepBeyondTheMemoryBudgetIsRefused() throws {
    let script = "let w = world(tasks: 2, vocab: 8); let m = transformer(w.vocab_size, d_model: 16, layers: 1, heads: 2); "
        + "let d = oracle(w).demos(w.prompts(64)); "
    // SFT holds one micro-batch's activations at a time (13 of the 64 rows here).
    let refused = try runLaif(["-e", script + "sft(m, d, batch: 64, max_steps: 1)"], environment: ["LAIF_MEMORY_LIMIT": "600K"])
    #expect(refused.status == 70)   // a runtime error
    #expect(refused.stderr.contains("sft(): one training step over 64 rows of up to 17 tokens, in micro-batches of 13, needs about "),
            "\(refused.stderr)")
    #expect(refused.stderr.contains("more than this process may use (600 KB, LAIF_MEMORY_LIMIT); use a smaller batch, e.g. batch: 8;"),
            "\(refused.stderr)")
    let suggested = try runLaif(["-e", script + "type(sft(m, d, batch: 8, max_steps: 1))"], environment: ["LAIF_MEMORY_LIMIT": "600K"])
    #expect(suggested.status == 0, "\(suggested.stderr)")
    let split = try runLaif(["-e", script + "type(sft(m, d, batch: 64, max_steps: 1))"], environment: ["LAIF_MEMORY_LIMIT": "1M"])
    #expect(split.status == 0, "\(split.stderr)")
    let rl = try runLaif(["-e", script + "rloo(m, prompts: w.prompts(8), reward: oracle(w), steps: 1, prompts_per_step: 64, k: 8)"],
                         environment: ["LAIF_MEMORY_LIMIT": "1M"])
    #expect(rl.stderr.contains("use a smaller prompts_per_step, e.g. prompts_per_step: "), "\(rl.stderr)")
    let ei = try runLaif(["-e", script + "expert_iteration(m, oracle(w), prompts: w.prompts(32), rounds: 1, n: 2)"],
                         environment: ["LAIF_MEMORY_LIMIT": "1M"])
    #expect(ei.stderr.contains("expert_iteration(): one training step over 32 rows"), "\(ei.stderr)")
    let fits = try runLaif(["-e", script + "type(sft(m, d, batch: 8, max_steps: 1))"], environment: ["LAIF_MEMORY_LIMIT": "1G"])
    #expect(fits.status == 0 && fits.stdout.hasSuffix("\"model\"\n"), "\(fits.stdout) \(fits.stderr)")
}


/// Tensors a script keeps are held to the same budget: each one is capped at 1 GiB, but a
/// script could keep making them until the system killed laif (four 16384 x 16384 tensors
/// under LAIF_MEMORY_LIMIT=1G reached 5.2 GB). Refused before the memory is taken.
@Test func tensorsBeyondTheMemoryBudgetAreRefused() throws {
    let script = "let xs = []\nfor i in range(3) { xs = xs ++ [ones(1024, 1024)] }\nprint(len(xs))"
    let refused = try runLaif(["-e", script], environment: ["LAIF_MEMORY_LIMIT": "10M"])
    #expect(refused.status == 70, "\(refused.stderr)")
    #expect(refused.stderr.contains("ones(): a tensor of shape [1024, 1024] (4.0 MB) would take the memory tensors hold from 8.0 MB "),
            "\(refused.stderr)")
    #expect(refused.stderr.contains("past what this process may use (10.0 MB, LAIF_MEMORY_LIMIT); let go of large tensors"),
            "\(refused.stderr)")
    // Arithmetic on a kept tensor is refused the same way; letting go of it makes room.
    let sum = try runLaif(["-e", "let a = ones(1024, 1024)\nlet b = a + 1\nlet c = b * 2"], environment: ["LAIF_MEMORY_LIMIT": "10M"])
    #expect(sum.stderr.contains("'*' on shapes [1024, 1024] and []: a tensor of shape [1024, 1024] (4.0 MB) would take"),
            "\(sum.stderr)")
    let exp = try runLaif(["-e", "let a = ones(1024, 1024)\nlet b = a.exp()\nlet c = b.exp()"], environment: ["LAIF_MEMORY_LIMIT": "10M"])
    #expect(exp.stderr.contains("exp(): a tensor of shape [1024, 1024] (4.0 MB) would take"), "\(exp.stderr)")
    // So are the functions whose output C kernels or permutations fill, and copies.
    for (call, op) in [("a.softmax()", "softmax"), ("a.log_softmax()", "log_softmax"), ("a.gelu()", "gelu"),
                       ("a.transpose()", "transpose"), ("where(a, a, a)", "where"), ("tensor(a)", "tensor")] {
        let made = try runLaif(["-e", "let a = ones(1024, 1024)\nlet b = a + 1\nlet c = \(call)"], environment: ["LAIF_MEMORY_LIMIT": "10M"])
        #expect(made.status == 70 && made.stderr.contains("\(op)(): a tensor of shape [1024, 1024] (4.0 MB) would take"),
                "\(call): \(made.stderr)")
    }
    // A reshape shares its input's memory, so it is not counted.
    let freed = try runLaif(["-e", "let a = ones(1024, 1024)\nlet b = a + 1\nlet r = b.reshape(-1)\na = nil\nlet c = b * 2\nprint(c.shape, r.shape)"],
                            environment: ["LAIF_MEMORY_LIMIT": "10M"])
    #expect(freed.status == 0 && freed.stdout == "[1024, 1024] [1048576]\n", "\(freed.stdout) \(freed.stderr)")
}

/// A mistyped setting used to be dropped in silence (the library falls back to its default),
/// so a run meant to stay under a memory limit ran without one. It is a usage error now,
/// before anything runs; an empty value counts as unset.
@Test func mistypedEnvironmentSettingsAreRefusedBeforeAnythingRuns() throws {
    for (name, value) in [("LAIF_MEMORY_LIMIT", "0.5G"), ("LAIF_MEMORY_LIMIT", "-1"), ("LAIF_THREADS", "two"), ("LAIF_THREADS", "0")] {
        let refused = try runLaif(["-e", "print(1)"], environment: [name: value])
        #expect(refused.status == 64, "\(name)=\(value): \(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("laif: \(name)=\(value) is not a "), "\(refused.stderr)")
    }
    for (name, value) in [("LAIF_MEMORY_LIMIT", "512M"), ("LAIF_MEMORY_LIMIT", ""), ("LAIF_THREADS", "2"), ("LAIF_THREADS", "")] {
        let accepted = try runLaif(["-e", "print(1)"], environment: [name: value])
        #expect(accepted.status == 0 && accepted.stdout == "1\n", "\(name)=\(value): \(accepted.stderr)")
    }
}
