import ArgumentParser
import Foundation
import LeadOutbox
import LeadTransfer
import Logging
import ParamantraAPI

/// `leadconsole submit`: queue one lead durably, send it, print what became of it in one line.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue one lead durably, send it to Paramantra and print the outcome.",
        // One line per paragraph: ArgumentParser wraps them to the terminal.
        discussion: """
            The lead is on disk before the first byte goes out, and stays in the outbox until the CRM has it. Prints one line: the outcome, with the CRM id when there is one.

            Exit status: 0 accepted or already in the CRM (or queued, with --no-wait); 1 rejected by the CRM; 65 invalid lead or argument (each problem printed); 73 the database cannot be used (disk full, damaged, locked); 74 disk I/O error; 75 kept in the outbox, will be retried; 77 credentials rejected (held); 78 configuration: no key, broken config, wrong endpoint URL (held).
            """
    )

    @Option(help: "Customer first name.") var firstName: String = ""
    @Option(help: "Customer last name.") var lastName: String = ""
    @Option(help: "Customer phone: ten digits, +91/0091/0 prefixes allowed.") var phone: String = ""
    @Option(help: "Customer email.") var email: String = ""
    @Option(help: "What identifies the source, e.g. \"Walk-in at Expo\" (default: the settings').") var subject: String?
    @Option(help: "The lead channel as created in Paramantra, e.g. Walk-in (default: the settings').") var channel:
        String?
    @Option(help: "The representative the lead is assigned to (default: the settings').") var rep: String?
    @Option(help: "Free comments (may hold newlines).") var notes: String = ""
    @Option(help: "Project of interest, proje_1 (default: the settings').") var project: String?
    @Flag(help: "Ask Paramantra to notify the customer.") var alertClient = false
    @Flag(help: "Ask Paramantra to notify the rep.") var alertRep = false

    @Option(
        help: ArgumentHelp(
            "A file holding the API key (mode 600); else PARAMANTRA_API_KEY or the config.", valueName: "path"),
        completion: .file())
    var apiKeyFile: String?
    @Option(
        help: ArgumentHelp("Endpoint URL; else PARAMANTRA_URL, the config, or Paramantra's cloud.", valueName: "url"))
    var url: String?
    @Option(
        help: ArgumentHelp("App name sent as ACTION-ON; else PARAMANTRA_APP_NAME or the config.", valueName: "name"))
    var appName: String?
    @Option(help: "Phone form on the wire: ten-digits or 91-ten-digits (default: the settings').")
    var phoneFormat: PhoneNumber.WireFormat?
    @Option(help: "Give up on one attempt after this many seconds.") var timeout: Double = 30
    @Flag(help: "Return once the lead is queued; the next retry, import or console delivers it.") var noWait = false
    @Option(help: "When another leadconsole is delivering, wait this long for its answer.") var wait: Double = 30
    @Flag(help: "Print the outcome as one JSON object.") var json = false
    @Flag(help: "Log the request (without the key) and the answer to stderr.") var verbose = false
    @OptionGroup var store: StoreOptions

    mutating func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        guard wait >= 0, wait <= 3600 else { throw ValidationError("--wait must be between 0 and 3600 seconds") }
    }

    func lead(_ settings: Settings) -> Lead {
        Lead(
            firstName: firstName, lastName: lastName, phone: phone, email: email,
            project: project ?? settings.defaultProject,
            notes: notes, subject: subject ?? settings.defaultSubject, channel: channel ?? settings.defaultChannel,
            rep: rep ?? settings.defaultRep, alertClient: alertClient || settings.alertClient,
            alertRep: alertRep || settings.alertRep)
    }

    func run() async throws {
        Logs.bootstrap(verbose: verbose)
        try await failing {
            var effective = try store.settings(keyFile: apiKeyFile)
            if let url {
                do { try effective.settings.set(.endpoint, url) } catch {
                    throw CommandFailure(
                        message:
                            "error: the endpoint \"\(TerminalText.clean(url))\" is not a URL (expected https://host/paramantra/api/data/new/format/json)",
                        status: ExitStatus.configuration)
                }
            }
            if let appName { effective.settings.appName = appName }
            let settings = effective.settings

            let valid: ValidLead
            switch lead(settings).validated() {
            case .failure(let failure):
                for problem in failure.problems {
                    writeLine("\(problem.severity == .error ? "invalid" : "warning"): \(problem)", toError: true)
                }
                throw ExitCode(ExitStatus.invalidLead)
            case .success(let ok):
                valid = ok
            }
            for warning in valid.warnings { writeLine("warning: \(warning)", toError: true) }
            let credentials = try CredentialSource.credentials(effective)
            if let warning = Self.plainHTTPWarning(credentials) { writeLine(warning, toError: true) }

            let database = try store.database()
            if let earlier = try await database.previousLead(phone: valid.phone) {
                writeLine("note: this phone was \(earlier.sentBeforeNote)", toError: true)
            }
            let queued = try await database.enqueue(valid)
            if noWait {
                // Saved behind a hold (refused credentials, a wrong endpoint): it waits with the
                // same words, and the exit status says it will not go until that is fixed.
                if queued.state == .held {
                    let hold = queued.hold ?? .credentials
                    writeLine(
                        json
                            ? Self.json(queued, attempt: nil)
                            : "held: lead #\(queued.id) is in the outbox, held until \(hold.until): \(queued.lastError ?? hold.fix) (phone \(valid.phone)); fix it with: \(hold.command)"
                    )
                    throw ExitCode(ExitStatus.of(hold))
                }
                writeLine(
                    json
                        ? Self.json(queued, attempt: nil)
                        : "queued: lead #\(queued.id) is in the outbox (phone \(valid.phone))")
                return
            }
            let locations = store.locations
            let (seconds, format) = (Duration.milliseconds(Int64(timeout * 1000)), phoneFormat ?? settings.phoneFormat)
            let final = try await DeliverySession.awaitAttempt(
                of: queued, database: database, lockFile: locations.deliveryLockFile,
                wait: .milliseconds(Int64(wait * 1000))
            ) { lock in
                try await DeliverySession.begin(
                    database: database, locations: locations, credentials: credentials, phoneFormat: format,
                    timeout: seconds, lock: lock)
            }
            let attempt = try await database.attempts(leadID: final.id).last
            // No attempt because an older lead's answer held the outbox (the endpoint or the
            // credentials are wrong for every lead): say so, with the fix, not "another process".
            if attempt == nil, final.state == .queued || final.state == .held,
                let held = try await database.newestHeld(), held.id != final.id
            {
                let hold = held.hold ?? .credentials
                writeLine(
                    json
                        ? Self.json(final, attempt: nil)
                        : "held: lead #\(final.id) is in the outbox, waiting until \(hold.until): lead #\(held.id) was just answered \(held.lastError ?? "with a refusal") (phone \(final.phone)); fix it with: \(hold.command)"
                )
                throw ExitCode(ExitStatus.of(hold))
            }
            writeLine(json ? Self.json(final, attempt: attempt) : Self.line(final, attempt: attempt))
            throw ExitCode(Self.exitStatus(final, attempt: attempt))
        }
    }

    static func exitStatus(_ lead: StoredLead, attempt: DeliveryAttempt?) -> Int32 {
        switch lead.state {
        case .accepted, .duplicate: return ExitStatus.delivered
        case .rejected: return ExitStatus.rejected
        case .held: return ExitStatus.of(lead.hold ?? .credentials)
        case .queued, .sending: return ExitStatus.temporary
        }
    }

    /// Basic auth over plain http travels in clear; on loopback (the sandbox) it never leaves the machine.
    static func plainHTTPWarning(_ credentials: Credentials) -> String? {
        guard credentials.isPlainHTTP && !credentials.isLoopback else { return nil }
        return "warning: \(credentials.endpoint.absoluteString) is plain http: the API key travels unencrypted"
    }

    static func line(_ lead: StoredLead, attempt: DeliveryAttempt?) -> String {
        guard let attempt else {
            return
                "queued: lead #\(lead.id) is in the outbox; another leadconsole is delivering it (phone \(lead.phone))"
        }
        var text = "\(attempt.outcome): \(attempt.message) (phone \(lead.phone))"
        if lead.state == .queued {
            let next = lead.nextAttemptAt.map { " in \(max(0, Int($0.timeIntervalSinceNow.rounded()))) s" } ?? ""
            text += "; kept in the outbox as lead #\(lead.id), next attempt\(next)"
        } else if lead.state == .held {
            let hold = lead.hold ?? .credentials
            text += "; lead #\(lead.id) is held until \(hold.until) (\(hold.command))"
        }
        return text
    }

    /// One JSON object: the lead as `export` and `history --json` write it, with its outcome.
    static func json(_ lead: StoredLead, attempt: DeliveryAttempt?) -> String {
        let data = (try? LeadExport.submitted(lead, attempt: attempt)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension PhoneNumber.WireFormat: ExpressibleByArgument {}
