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
