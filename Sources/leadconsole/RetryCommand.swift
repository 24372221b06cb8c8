import ArgumentParser
import Foundation
import LeadStore
import ParamantraAPI

/// `leadconsole retry`: deliver everything queued or held now.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Deliver every queued or held lead now and print a summary.",
        discussion: "Exit status: 0 when the outbox is empty afterwards; 75 when leads remain queued; 77 when the credentials were refused.")

    @Option(help: ArgumentHelp("A file holding the API key (mode 600).", valueName: "path")) var apiKeyFile: String?
    @Option(help: "Give up on one attempt after this many seconds.") var timeout: Double = 30
    @Flag(help: "Log each request (without the key) to stderr.") var verbose = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        Logs.bootstrap(verbose: verbose)
        try await failing {
            let effective = try store.settings(keyFile: apiKeyFile)
            let credentials = try CredentialSource.credentials(effective)
            let database = try store.database()
            guard let lock = try DeliveryLock.tryAcquire(store.locations.deliveryLockFile) else {
                throw CommandFailure(message: "another leadconsole is delivering this outbox; it will send the queued leads", status: ExitStatus.temporary)
            }
            defer { withExtendedLifetime(lock) {} }
            try await database.recoverInterrupted()
            try await database.releaseAndRetryNow()
            let seconds = Duration.milliseconds(Int64(timeout * 1000))
            let client = ParamantraClient(transport: URLSessionTransport(attemptTimeout: min(seconds, .seconds(15))), deadline: seconds)
            let deliverer = Deliverer(database: database, client: client, phoneFormat: effective.settings.phoneFormat, credentials: credentials)
            // Each lead gets one attempt now; those that fail again wait for their backoff.
            let sent = try await deliverer.deliverAllDue()
            var outcomes: [String: Int] = [:]
            for lead in sent { outcomes[lead.state.rawValue, default: 0] += 1 }
            let counts = try await database.counts()
            let summary = ["accepted", "duplicate", "rejected", "held", "queued"].compactMap { key in
                outcomes[key].map { "\($0) \(key)" }
            }
            writeLine("sent \(sent.count): " + (summary.isEmpty ? "nothing was due" : summary.joined(separator: ", "))
                + "; outbox now: \(counts[.queued, default: 0]) queued, \(counts[.held, default: 0]) held")
            if counts[.held, default: 0] > 0 { throw ExitCode(ExitStatus.unauthorized) }
            if counts[.queued, default: 0] + counts[.sending, default: 0] > 0 { throw ExitCode(ExitStatus.temporary) }
        }
    }
}
