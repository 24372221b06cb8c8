import ArgumentParser
import Foundation
import LeadOutbox

/// `leadconsole`: the console and its command-line companions.
@main
struct LeadConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadconsole",
        abstract: "Send walk-in leads to the Paramantra CRM and see what became of them.",
        // One line per paragraph: ArgumentParser wraps them to the terminal.
        discussion: """
            Start with: leadconsole --demo (the console; no account needed). Settings live in config.json (leadconsole config path); PARAMANTRA_URL, PARAMANTRA_API_KEY and PARAMANTRA_APP_NAME override it. The key is never taken on the command line.

            Exit status: \(ExitStatus.sentence).
            """,
        version: "leadconsole \(LeadConsole.version)",
        subcommands: [
            ConsoleCommand.self, PromptCommand.self, SubmitCommand.self, HistoryCommand.self, RetryCommand.self,
            ImportCommand.self,
            ExportCommand.self, ReportCommand.self,
            ConfigCommand.self, BackupCommand.self, RestoreCommand.self, DoctorCommand.self, SandboxCommand.self,
            VersionCommand.self, ManualSectionsCommand.self
        ],
        // `leadconsole` alone (or `leadconsole --demo`) opens the console.
        defaultSubcommand: ConsoleCommand.self
    )

    /// The release and the commit it was built from (embedded by the EmbedCommit plugin).
    static let version = "0.2.0 (commit \(BuildCommit.id))"

    /// Refuses arguments that are not UTF-8 before parsing them (see `ArgumentEncoding`).
    static func main() async {
        // -V as well as --version and `leadconsole version`, as most tools answer; answered before
        // the parser, which reflects over every command first (half of --version's time).
        let arguments = CommandLine.arguments.dropFirst()
        if arguments == ["-V"] || arguments == ["--version"] {
            writeLine("leadconsole \(version)")
            return
        }
        if let option = ArgumentEncoding.invalidArgument(ArgumentEncoding.processArguments) {
            writeLine(
                "error: \(option) is not valid UTF-8 text (was it written in another encoding, such as Latin-1?); nothing was queued",
                toError: true)
            Foundation.exit(ExitStatus.invalidLead)
        }
        // The console as a rep starts it all day (`leadconsole`, `leadconsole --demo`,
        // `leadconsole console`) needs no parser: ArgumentParser's reflection over the command
        // was a third of the time to the first drawn form (perf). Anything else is parsed.
        if let launch = fastConsole(Array(arguments)) {
            do {
                // Up to the first frame or question on this thread, before the first await.
                let start = try launch.begin()
                try await launch.run(from: start)
            } catch { ConsoleCommand.exit(withError: error) }
            return
        }
        // Other console options are parsed on their own: the root parser first reflects over
        // every command, which the first drawn form would wait for.
        // A mistyped option falls through to the root parser, whose message names the full command.
        if let console = consoleArguments(Array(arguments)), let command = try? ConsoleCommand.parse(console) {
            do { try await command.run() } catch { ConsoleCommand.exit(withError: error) }
            return
        }
        await main(nil)
    }

    /// The console for a command line that is only `console` and the flags `--demo`,
    /// `--no-color` and `--no-mouse`, each at most once; nil for anything else (the parser reads
    /// it, and says what is wrong with it). The folders come from the environment, as the
    /// parser's defaults do.
    static func fastConsole(_ arguments: [String]) -> ConsoleLaunch? {
        // `prompt` (plain mode) starts the same way, its first prompt as quick as the form.
        let prompt = arguments.first == "prompt"
        let flags = arguments.first == "console" || prompt ? Array(arguments.dropFirst()) : arguments
        // Arrays, not Sets: a Set's first use makes the runtime look up String: Hashable, a scan
        // of all 9,000 conformance records (0.5 ms) before the first form is drawn.
        let known = prompt ? ["--demo"] : ["--demo", "--no-color", "--no-mouse", "--plain"]
        guard flags.allSatisfy(known.contains), known.allSatisfy({ flag in flags.count { $0 == flag } <= 1 }) else {
            return nil
        }
        return ConsoleLaunch(
            demo: flags.contains("--demo"), noColor: flags.contains("--no-color"),
            noMouse: flags.contains("--no-mouse"),
            plain: prompt || flags.contains("--plain"))
    }

    /// The arguments for the console when the command line opens it (`leadconsole`,
    /// `leadconsole --demo`, `leadconsole console ...`); nil for anything else, and for help.
    static func consoleArguments(_ arguments: [String]) -> [String]? {
        guard !arguments.contains(where: { ["-h", "--help", "help"].contains($0) }) else { return nil }
        if arguments.isEmpty || arguments == ["--demo"] { return arguments }
        if arguments.first == "console" { return Array(arguments.dropFirst()) }
        return nil
    }
}

/// `leadconsole version`: the release and the commit it was built from.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version and the commit this binary was built from.")
    func run() { writeLine("leadconsole \(LeadConsole.version)") }
}
