import ArgumentParser
import Foundation
import LaifBindings
import LaifREPL

/// `laif help [NAME] [--markdown]`: the builtins by topic, one builtin, or the reference.
struct HelpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "List builtins by topic, show one (laif help NAME), or print the Markdown reference.")

    @Argument(help: "A builtin, type.method, topic, REPL command or laif subcommand.")
    var name: String?

    @Flag(help: "Print the language reference as Markdown (docs/reference.md).")
    var markdown = false

    func validate() throws {
        // The reference is the whole document; a NAME beside it was ignored in silence.
        if markdown, let name {
            throw ValidationError("--markdown prints the whole reference; drop \(name), or drop --markdown to see one entry")
        }
    }

    func run() throws {
        let registry = standardRegistry()
        if markdown {
            Terminal.out(ReferenceDocument.markdown(registry: registry))
            return
        }
        guard let name else {
            Terminal.out(HelpText.overview(registry: registry, includeCommands: false))
            Terminal.out("Run `laif --help` for the command line itself.\n")
            return
        }
        // ArgumentParser points people at `laif help <subcommand>`; answer that too.
        if let subcommand = Laif.configuration.subcommands.first(where: { $0.configuration.commandName == name }) {
            Terminal.out(Laif.helpMessage(for: subcommand) + "\n")
            return
        }
        guard let entry = HelpText.entry(for: name, registry: registry) else {
            Terminal.err("laif help: no builtin, type, method or topic called '\(name)'; `laif help` lists them\n")
            throw ExitCode(64)
        }
        Terminal.out(entry)
    }
}
