import Foundation
import ParamantraAPI

/// One lead as the history and outbox hold it.
public struct StoredLead: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let uuid: UUID
    public let createdAt: Date
    public var updatedAt: Date
    public var lead: Lead
    /// The ten digits, for the duplicate look-up.
    public var phone: String
    public var state: LeadState
    public var crmID: String?
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    /// An attempt's answer was lost (a crash mid-request, an unreadable 2xx): the CRM may have
    /// it already, and a later duplicate answer means it did.
    public var uncertain: Bool
}

/// One attempt to deliver a lead, with what the server said.
public struct DeliveryAttempt: Sendable, Hashable {
    public let leadID: Int64
    public let at: Date
    public let outcome: String
    public let httpStatus: Int?
    public let message: String
    /// Capped, control characters escaped.
    public let rawBody: String
    public let elapsedMilliseconds: Int
}
