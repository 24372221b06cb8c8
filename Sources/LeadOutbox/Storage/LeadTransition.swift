import Foundation
import ParamantraAPI

/// The lead's state machine: what an attempt's outcome makes of a lead. Pure (no SQL, no clock of
/// its own), so every rule is a row in a table test; `LeadDatabase.record` writes what it says.
///
/// - accepted / duplicate: delivered, with the CRM's id;
/// - rejected: final, with the server's words;
/// - refused credentials, a wrong endpoint, headers too large: held, and so is every lead queued
///   behind it (each would get the same answer);
/// - temporary: queued again after the policy's backoff (a server's Retry-After honoured up to its
///   cap), or at once when a connection closed under the request for the first time in a row;
/// - uncertain (an answer that cannot be read): queued again after the backoff.
public struct LeadTransition: Sendable, Equatable {
    public var state: LeadState
    public var crmID: String?
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    /// The CRM may hold the lead already (an attempt may have arrived): a later duplicate answer
    /// then means the first attempt got through.
    public var uncertain: Bool
    public var hold: LeadHold?
    /// Every lead still queued is held too, with the same words.
    public var holdsTheQueue: Bool { hold != nil }

    public static func after(_ report: DeliveryReport, of lead: StoredLead, policy: RetryPolicy, now: Date)
        -> LeadTransition
    {
        let attempts = lead.attempts + 1
        var next = LeadTransition(
            state: .queued, crmID: lead.crmID, attempts: attempts, nextAttemptAt: nil, lastError: nil,
            uncertain: lead.uncertain || report.mayHaveArrived, hold: LeadHold.of(report.outcome))
        switch report.outcome {
        case .accepted(let id):
            next.state = .accepted
            next.crmID = id
        case .duplicate(let id):
            next.state = .duplicate
            next.crmID = id
        case .rejected:
            next.state = .rejected
            next.lastError = report.outcome.description
        case .unauthorized, .wrongEndpoint, .headersTooLarge:
            next.state = .held
            next.lastError = report.outcome.description
        case .temporary(_, let retryAfter):
            next.lastError = report.outcome.description
            // A connection closed under the request: one more attempt at once, on a new
            // connection (the CRM's duplicate check covers a request that did arrive). The same
            // failure twice in a row backs off.
            let atOnce = report.retryAtOnce && lead.lastError != next.lastError
            next.nextAttemptAt =
                atOnce ? now : now + policy.delay(afterFailures: attempts, retryAfter: retryAfter).seconds
        case .uncertain:
            next.lastError = report.outcome.description
            next.nextAttemptAt = now + policy.delay(afterFailures: attempts).seconds
        }
        return next
    }

    /// The lead as it stands once this transition is written at `now`.
    public func applied(to lead: StoredLead, at now: Date) -> StoredLead {
        var after = lead
        after.state = state
        after.crmID = crmID
        after.attempts = attempts
        after.nextAttemptAt = nextAttemptAt
        after.lastError = lastError
        after.uncertain = uncertain
        after.hold = hold
        after.updatedAt = now
        return after
    }
}
