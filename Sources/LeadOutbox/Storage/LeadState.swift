import ParamantraAPI

/// Where a lead stands. A lead is never deleted: `accepted` and `duplicate` mean the CRM holds it.
public enum LeadState: String, Sendable, Codable, CaseIterable, Hashable {
    /// On disk, waiting for its next attempt.
    case queued
    /// An attempt is in flight (found at start-up: the process died mid-request).
    case sending
    /// The CRM added it.
    case accepted
    /// The CRM already had this phone: delivered.
    case duplicate
    /// Refused for good (4xx): edit and resend.
    case rejected
    /// Waiting for the credentials (or endpoint) to be fixed.
    case held

    /// The CRM holds the lead.
    public var isDelivered: Bool { self == .accepted || self == .duplicate }
    /// No further attempt will be made without a person acting.
    public var isSettled: Bool { isDelivered || self == .rejected }
}

/// Why a lead is held: what a person must fix before it can go out. Every lead of the outbox
/// would fail the same way, so the whole queue waits until the settings change.
public enum LeadHold: String, Sendable, Codable, CaseIterable, Hashable {
    /// The CRM refused the API key or app name (401/403, "Not authorized").
    case credentials
    /// The endpoint URL is wrong: a redirect, 404, 405 or 410.
    case endpoint
    /// Nothing can be sent: the API key, app name or endpoint URL is not set, or the server
    /// refused them as too large for a request's headers (431).
    case settings

    /// What to fix, in a person's words.
    public var fix: String {
        switch self {
        case .credentials: return "check the API key and app name"
        case .endpoint: return "check the endpoint URL"
        case .settings: return "set the API key, app name and endpoint URL right"
        }
    }

    /// What releases the hold, as the end of "held until …".
    public var until: String {
        switch self {
        case .credentials: return "the credentials are fixed"
        case .endpoint: return "the endpoint URL is fixed"
        case .settings: return "the API key, app name and endpoint URL are set right"
        }
    }

    /// The command line that fixes it.
    public var command: String {
        switch self {
        case .credentials: return "leadconsole config set-key"
        case .endpoint: return "leadconsole config set endpoint URL"
        case .settings: return "leadconsole config set-key; leadconsole config set app_name NAME"
        }
    }

    public static func of(_ outcome: DeliveryOutcome) -> LeadHold? {
        switch outcome {
        case .unauthorized: return .credentials
        case .wrongEndpoint: return .endpoint
        case .headersTooLarge: return .settings
        default: return nil
        }
    }
}
