import Foundation

/// What became of one attempt to deliver a lead. Every message in here is clean of control
/// characters and safe to put on a screen.
public enum DeliveryOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The CRM added the lead. The id is nil only when the server said "added" without one.
    case accepted(crmID: String?)
    /// The CRM already holds a lead with this phone: delivered, not an error.
    case duplicate(crmID: String?)
    /// The key or app name was refused: hold every lead until the credentials change.
    case unauthorized(message: String)
    /// The endpoint URL is wrong: a redirect (never followed with the credentials: http that
    /// moved to https, an expo Wi-Fi login page) or 404/405/410 (a mistyped path, a wrong host).
    /// A configuration problem, not the lead's: hold every lead until the endpoint changes.
    /// `answer` says what came back ("a redirect to https://…", "Not Found").
    case wrongEndpoint(url: String, status: Int, answer: String)
    /// The server refused the request's headers as too large (431): what every request carries
    /// there is the API key and the app name, so it is the settings, not the lead, that must
    /// change. Held like a missing setting; `answer` is what the server said.
    case headersTooLarge(answer: String)
    /// Refused for good (402 and other 4xx, or a 2xx that says "failed"): edit and resend.
    case rejected(status: Int, message: String)
    /// Try again later: 5xx, 408, 429, timeouts, refused or dropped connections.
    case temporary(reason: String, retryAfter: Duration?)
    /// The request may have arrived but the answer could not be read (a 2xx with an empty,
    /// HTML, truncated or unknown body). Resending is safe: the CRM deduplicates by phone.
    case uncertain(reason: String)

    /// A connection closed under the request before any answer (see `DeliveryReport.retryAtOnce`).
    public static let closedBeforeAnswer = DeliveryOutcome.temporary(
        reason: TransportError.connectionClosedBeforeAnswer.description,
        retryAfter: nil)

    /// The CRM holds the lead.
    public var isDelivered: Bool {
        switch self {
        case .accepted, .duplicate: return true
        default: return false
        }
    }

    /// Sending the same lead again can change the answer.
    public var isRetryable: Bool {
        switch self {
        case .temporary, .uncertain: return true
        default: return false
        }
    }

    public var crmID: String? {
        switch self {
        case .accepted(let id), .duplicate(let id): return id
        default: return nil
        }
    }

    /// One line for a person.
    public var description: String {
        switch self {
        case .accepted(let id): return id.map { "accepted as CRM #\($0)" } ?? "accepted (the CRM gave no id)"
        case .duplicate(let id): return id.map { "already in the CRM as #\($0)" } ?? "already in the CRM"
        case .unauthorized(let message): return "credentials rejected: \(message)"
        case .wrongEndpoint(let url, let status, let answer):
            return "check the endpoint URL: \(url.isEmpty ? "it" : url) answered HTTP \(status), \(answer)"
        case .headersTooLarge(let answer):
            return
                "the server refused the request's headers as too large (HTTP 431): the API key or app name is too long for it (\(answer))"
        case .rejected(let status, let message): return "rejected by the CRM (HTTP \(status)): \(message)"
        case .temporary(let reason, let retryAfter):
            return "temporary failure: \(reason)"
                + (retryAfter.map { " (server asks to wait \(Int($0.components.seconds)) s)" } ?? "")
        case .uncertain(let reason): return "answer unreadable, the lead may have arrived: \(reason)"
        }
    }
}

/// The full record of one attempt, for the history: outcome plus what the server actually said.
public struct DeliveryReport: Sendable, Hashable {
    public let outcome: DeliveryOutcome
    /// nil when no HTTP answer arrived.
    public let httpStatus: Int?
    /// The body as received: capped, with control characters escaped (`\u{1B}`), never acted on.
    public let rawBody: String
    public let elapsed: Duration
    /// The request may have reached the CRM although no usable answer came back (a timeout or a
    /// dropped connection after sending, an unreadable 2xx, a gateway error). A later duplicate
    /// answer for this lead then means this attempt got through.
    public let mayHaveArrived: Bool
    /// The server closed the connection before answering (a keep-alive connection closed under
    /// the request): the next attempt may go at once, on a new connection, instead of after the
    /// backoff — once; a second such failure in a row waits like any other.
    public var retryAtOnce: Bool { outcome == .closedBeforeAnswer }

    public init(
        outcome: DeliveryOutcome, httpStatus: Int?, rawBody: String, elapsed: Duration, mayHaveArrived: Bool = false
    ) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.rawBody = rawBody
        self.elapsed = elapsed
        if case .uncertain = outcome {
            self.mayHaveArrived = true
        } else {
            self.mayHaveArrived = mayHaveArrived
        }
    }
}
