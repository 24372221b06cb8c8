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
    /// Why a held lead waits; nil for every other state.
    public var hold: LeadHold?

    public init(
        id: Int64, uuid: UUID, createdAt: Date, updatedAt: Date, lead: Lead, phone: String, state: LeadState,
        crmID: String?, attempts: Int, nextAttemptAt: Date?, lastError: String?, uncertain: Bool, hold: LeadHold? = nil
    ) {
        self.hold = hold
        self.id = id
        self.uuid = uuid
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lead = lead
        self.phone = phone
        self.state = state
        self.crmID = crmID
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.uncertain = uncertain
    }
}

extension StoredLead {
    /// What the rep is told when this lead's phone comes up again: "already sent on 2026-11-18
    /// as CRM #2882 (lead #7)", or that it is still in the outbox.
    public var sentBeforeNote: String {
        let date = createdAt.formatted(.iso8601.year().month().day())
        if state.isDelivered {
            return "already sent on \(date)" + (crmID.map { " as CRM #\($0)" } ?? "") + " (lead #\(id))"
        }
        return "already in the history (lead #\(id), \(state.rawValue), \(date))"
    }
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

    public init(
        leadID: Int64, at: Date, outcome: String, httpStatus: Int?, message: String, rawBody: String,
        elapsedMilliseconds: Int
    ) {
        self.leadID = leadID
        self.at = at
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.message = message
        self.rawBody = rawBody
        self.elapsedMilliseconds = elapsedMilliseconds
    }
}

extension StoredLead {
    /// A rejected lead in one phrase, the state said once: "rejected (402): Invalid mobile
    /// number" rather than "rejected: rejected by the CRM (HTTP 402): Invalid mobile number".
    /// Cleaned of control sequences.
    public var rejection: String {
        let clean = TerminalText.clean(lastError ?? "no reason given")
        guard clean.hasPrefix("rejected by the CRM"), let range = clean.range(of: "): ") else {
            return "rejected: " + (clean.hasPrefix("rejected: ") ? String(clean.dropFirst(10)) : clean)
        }
        let head = clean[..<range.lowerBound]
        let status = head.range(of: "(HTTP ").map { " (" + head[$0.upperBound...] + ")" } ?? ""
        return "rejected" + status + ": " + clean[range.upperBound...]
    }
}
