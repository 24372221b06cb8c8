import ArgumentParser

/// `leadconsole`: the console and its command-line companions.
@main
struct LeadConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadconsole",
        abstract: "Send walk-in leads to the Paramantra CRM and see what became of them.",
        discussion: """
            Credentials come from the environment (PARAMANTRA_URL, PARAMANTRA_API_KEY,
            PARAMANTRA_APP_NAME) or --api-key-file; the key is never taken on the command line.

            Exit status: 0 the CRM holds the lead; 1 rejected for good; 64 bad usage;
            65 invalid lead; 75 temporary failure, try again; 77 credentials rejected;
            78 configuration problem (missing key, unsafe key file, wrong endpoint).
            """,
        version: "0.1.0",
        subcommands: [ConsoleCommand.self, SubmitCommand.self, HistoryCommand.self, RetryCommand.self, ConfigCommand.self, SandboxCommand.self]
    )
}
