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
public enum LeadTransition {
    /// The lead as the attempt's outcome leaves it: only its delivery fields (state, CRM id,
    /// attempts, next attempt, last error, uncertain, hold) change.
    public static func after(_ report: DeliveryReport, of lead: StoredLead, policy: RetryPolicy, now: Date)
        -> StoredLead
    {
        let attempts = lead.attempts + 1
        var next = lead
        (next.state, next.attempts, next.nextAttemptAt, next.lastError) = (.queued, attempts, nil, nil)
        next.uncertain = lead.uncertain || report.mayHaveArrived
        next.hold = LeadHold.of(report.outcome)
        next.updatedAt = now
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
}

extension StoredLead {
    /// Every lead still queued is held too, with the same words.
    public var holdsTheQueue: Bool { hold != nil }
}
