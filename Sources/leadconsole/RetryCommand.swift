import ArgumentParser
import Foundation
import LeadOutbox
import ParamantraAPI

/// `leadconsole retry`: deliver everything queued or held now; with `--rejected` or `--id`, leads
/// the CRM refused go again as they are.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Deliver every queued or held lead now and print a summary.",
        discussion: """
            With --rejected, leads the CRM rejected for good are sent again as they are: after the cause was fixed on the CRM's side (the channel or rep created in Paramantra, the account's lead limit raised). A lead whose own details were wrong is fixed in the console instead (F3, e), since the same lead gets the same answer. --id sends just the leads named (rejected, held or queued).

            Exit status: 0 when the outbox is empty afterwards; 1 when a lead was rejected by the CRM; 73/74 the database cannot be used; 75 when leads remain queued; 77 when the credentials were refused; 78 when the endpoint URL is wrong.
            """)

    @Flag(help: "Also send every rejected lead again, as it is.") var rejected = false
    @Option(
        name: .customLong("id"), parsing: .upToNextOption,
        help: ArgumentHelp("Send only these leads again (repeatable; rejected, held or queued).", valueName: "lead-id"))
    var ids: [Int64] = []
    @Option(help: ArgumentHelp("A file holding the API key (mode 600).", valueName: "path"), completion: .file())
    var apiKeyFile: String?
    @Option(help: "Give up on one attempt after this many seconds.") var timeout: Double = 30
    @Flag(help: "Log each request (without the key) to stderr.") var verbose = false
    @OptionGroup var store: StoreOptions

    mutating func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    func run() async throws {
        Logs.bootstrap(verbose: verbose)
        try await failing {
            let effective = try store.settings(keyFile: apiKeyFile)
            let credentials = try CredentialSource.credentials(effective)
            let database = try store.database()
            let seconds = Duration.milliseconds(Int64(timeout * 1000))
            guard
                let session = try await DeliverySession.begin(
                    database: database, locations: store.locations, credentials: credentials,
                    phoneFormat: effective.settings.phoneFormat, timeout: seconds)
            else {
                throw CommandFailure(
                    message: "another leadconsole is delivering this outbox; it will send the queued leads",
                    status: ExitStatus.temporary)
            }
            if rejected || !ids.isEmpty {
                let again = try await database.requeue(rejected: ids.isEmpty ? nil : ids)
                let skipped = ids.filter { !again.contains($0) }
                for id in skipped {
                    let state =
                        (try? await database.lead(id: id)).map { "it is \($0.state.rawValue)" }
                        ?? "there is no such lead"
                    writeLine("lead #\(id) not sent again: \(state)", toError: true)
                }
                writeLine(
                    "\(again.count) lead\(again.count == 1 ? "" : "s") queued again as \(again.count == 1 ? "it is" : "they are")",
                    toError: true)
            }
            try await database.releaseAndRetryNow()
            // Each lead gets one attempt now; those that fail again wait for their backoff.
            let sent = try await session.deliverer.deliverAllDue()
            var outcomes: [String: Int] = [:]
            for lead in sent { outcomes[lead.state.rawValue, default: 0] += 1 }
            let counts = try await database.counts()
            let summary = ["accepted", "duplicate", "rejected", "held", "queued"].compactMap { key in
                outcomes[key].map { "\($0) \(key)" }
            }
            writeLine(
                "sent \(sent.count): " + (summary.isEmpty ? "nothing was due" : summary.joined(separator: ", "))
                    + "; outbox now: \(counts[.queued, default: 0]) queued, \(counts[.held, default: 0]) held")
            for lead in sent where lead.state == .rejected {
                writeLine(
                    "lead #\(lead.id) (\(lead.phone)) \(TerminalText.clean(lead.lastError ?? "rejected"))",
                    toError: true)
            }
            if let hold = try await database.currentHold() {
                writeLine("held leads wait until \(hold.until) (\(hold.command))", toError: true)
                throw ExitCode(ExitStatus.of(hold))
            }
            if counts[.queued, default: 0] + counts[.sending, default: 0] > 0 { throw ExitCode(ExitStatus.temporary) }
            if outcomes["rejected", default: 0] > 0 { throw ExitCode(ExitStatus.rejected) }
        }
    }
}
