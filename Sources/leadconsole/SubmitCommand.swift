import ArgumentParser
import Foundation
import Logging
import ParamantraAPI

/// `leadconsole submit`: send one lead and print what became of it in one line.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send one lead to Paramantra and print the outcome.",
        discussion: """
            Prints one line: the outcome, with the CRM id when there is one.
            Exit status: 0 accepted or already in the CRM; 1 rejected for good; 65 invalid lead
            (each problem printed); 75 temporary failure; 77 credentials rejected; 78 configuration.
            """
    )

    @Option(help: "Customer first name.") var firstName: String = ""
    @Option(help: "Customer last name.") var lastName: String = ""
    @Option(help: "Customer phone: ten digits, +91/0091/0 prefixes allowed.") var phone: String = ""
    @Option(help: "Customer email.") var email: String = ""
    @Option(help: "What identifies the source, e.g. \"Walk-in at Expo\".") var subject: String = ""
    @Option(help: "The lead channel as created in Paramantra, e.g. Walk-in.") var channel: String = ""
    @Option(help: "The representative the lead is assigned to.") var rep: String = ""
    @Option(help: "Free comments (may hold newlines).") var notes: String = ""
    @Option(help: "Project of interest (proje_1).") var project: String = ""
    @Flag(help: "Ask Paramantra to notify the customer.") var alertClient = false
    @Flag(help: "Ask Paramantra to notify the rep.") var alertRep = false

    @Option(help: ArgumentHelp("A file holding the API key (mode 600); else PARAMANTRA_API_KEY.", valueName: "path"))
    var apiKeyFile: String?
    @Option(help: ArgumentHelp("Endpoint URL; else PARAMANTRA_URL, else Paramantra's cloud.", valueName: "url"))
    var url: String?
    @Option(help: ArgumentHelp("App name sent as ACTION-ON; else PARAMANTRA_APP_NAME.", valueName: "name"))
    var appName: String?
    @Option(help: "Phone form on the wire: ten-digits or 91-ten-digits.")
    var phoneFormat: PhoneNumber.WireFormat = .tenDigits
    @Option(help: "Give up on the attempt after this many seconds.") var timeout: Double = 30
    @Flag(help: "Print the outcome as one JSON object.") var json = false
    @Flag(help: "Log the request (without the key) and the answer to stderr.") var verbose = false

    mutating func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    var lead: Lead {
        Lead(firstName: firstName, lastName: lastName, phone: phone, email: email, project: project, notes: notes,
             subject: subject, channel: channel, rep: rep, alertClient: alertClient, alertRep: alertRep)
    }

    func run() async throws {
        Logs.bootstrap(verbose: verbose)
        let valid: ValidLead
        switch lead.validated() {
        case .failure(let failure):
            for problem in failure.problems {
                writeLine("\(problem.severity == .error ? "invalid" : "warning"): \(problem)", toError: true)
            }
            throw ExitCode(ExitStatus.invalidLead)
        case .success(let ok):
            valid = ok
        }
        for warning in valid.warnings { writeLine("warning: \(warning)", toError: true) }

        let credentials: Credentials
        do {
            credentials = try CredentialSource.load(environment: ProcessInfo.processInfo.environment, keyFile: apiKeyFile,
                                                    endpointOverride: url, appNameOverride: appName)
        } catch {
            writeLine(error.message, toError: true)
            throw ExitCode(error.status)
        }
        if let warning = Self.plainHTTPWarning(credentials) { writeLine(warning, toError: true) }

        let seconds = Duration.milliseconds(Int64(timeout * 1000))
        let client = ParamantraClient(
            transport: URLSessionTransport(attemptTimeout: min(seconds, .seconds(15))),
            deadline: seconds)
        let report = await client.send(valid, credentials: credentials, phoneFormat: phoneFormat)
        writeLine(json ? Self.json(report, phone: valid.phone) : Self.line(report, phone: valid.phone))
        throw ExitCode(ExitStatus.of(report.outcome))
    }

    /// Basic auth over plain http travels in clear; on loopback (the sandbox) it never leaves the machine.
    static func plainHTTPWarning(_ credentials: Credentials) -> String? {
        guard credentials.isPlainHTTP && !credentials.isLoopback else { return nil }
        return "warning: \(credentials.endpoint.absoluteString) is plain http: the API key travels unencrypted"
    }

    /// One word a script can match on.
    static func label(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .accepted: return "accepted"
        case .duplicate: return "duplicate"
        case .unauthorized: return "unauthorized"
        case .redirected: return "redirected"
        case .rejected: return "rejected"
        case .temporary: return "temporary"
        case .uncertain: return "uncertain"
        }
    }

    static func line(_ report: DeliveryReport, phone: PhoneNumber) -> String {
        "\(label(report.outcome)): \(report.outcome) (phone \(phone))"
    }

    static func json(_ report: DeliveryReport, phone: PhoneNumber) -> String {
        var object: [String: Any] = [
            "outcome": label(report.outcome),
            "message": report.outcome.description,
            "phone": phone.tenDigits,
            "delivered": report.outcome.isDelivered,
        ]
        if let id = report.outcome.crmID { object["crm_id"] = id }
        if let status = report.httpStatus { object["http_status"] = status }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension PhoneNumber.WireFormat: ExpressibleByArgument {}
