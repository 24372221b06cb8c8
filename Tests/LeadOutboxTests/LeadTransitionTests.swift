import Foundation
import ParamantraAPI
import Testing

@testable import LeadOutbox

/// The lead's state machine as a table: an outcome, the lead as it stood, now → its new state,
/// next attempt, hold. No SQLite: `LeadTransition` is a pure function, the SQL only writes it.
@Suite("the lead's state machine")
struct LeadTransitionTests {
    /// 30 s doubling to 15 minutes, no jitter, so the next attempt is exact.
    static let policy = RetryPolicy(base: .seconds(30), multiplier: 2, cap: .seconds(900), jitter: 0)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func lead(attempts: Int = 0, lastError: String? = nil, uncertain: Bool = false) -> StoredLead {
        StoredLead(
            id: 7, uuid: UUID(), createdAt: now, updatedAt: now, lead: Lead(), phone: "9820011111", state: .sending,
            crmID: nil, attempts: attempts, nextAttemptAt: nil, lastError: lastError, uncertain: uncertain)
    }

    static func report(_ outcome: DeliveryOutcome, mayHaveArrived: Bool = false) -> DeliveryReport {
        DeliveryReport(
            outcome: outcome, httpStatus: 200, rawBody: "{}", elapsed: .milliseconds(5), mayHaveArrived: mayHaveArrived)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let outcome: DeliveryOutcome
        let attemptsBefore: Int
        let lastErrorBefore: String?
        let state: LeadState
        let crmID: String?
        /// Seconds after now; nil: no next attempt.
        let nextIn: Double?
        let hold: LeadHold?
        var testDescription: String { name }
    }

    static let closed = DeliveryOutcome.closedBeforeAnswer.description
    static let rows: [Row] = [
        Row(
            name: "accepted", outcome: .accepted(crmID: "2882"), attemptsBefore: 0, lastErrorBefore: nil,
            state: .accepted, crmID: "2882", nextIn: nil, hold: nil),
        Row(
            name: "duplicate", outcome: .duplicate(crmID: "2879"), attemptsBefore: 2, lastErrorBefore: "x",
            state: .duplicate, crmID: "2879", nextIn: nil, hold: nil),
        Row(
            name: "rejected (402)", outcome: .rejected(status: 402, message: "limit"), attemptsBefore: 0,
            lastErrorBefore: nil, state: .rejected, crmID: nil, nextIn: nil, hold: nil),
        Row(
            name: "credentials refused", outcome: .unauthorized(message: "Not authorized"), attemptsBefore: 0,
            lastErrorBefore: nil, state: .held, crmID: nil, nextIn: nil, hold: .credentials),
        Row(
            name: "wrong endpoint", outcome: .wrongEndpoint(url: "https://x", status: 404, answer: ""),
            attemptsBefore: 0, lastErrorBefore: nil, state: .held, crmID: nil, nextIn: nil, hold: .endpoint),
        Row(
            name: "headers too large", outcome: .headersTooLarge(answer: ""), attemptsBefore: 0,
            lastErrorBefore: nil, state: .held, crmID: nil, nextIn: nil, hold: .settings),
        Row(
            name: "first failure: 30 s", outcome: .temporary(reason: "503", retryAfter: nil), attemptsBefore: 0,
            lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 30, hold: nil),
        Row(
            name: "third failure: 120 s", outcome: .temporary(reason: "503", retryAfter: nil), attemptsBefore: 2,
            lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 120, hold: nil),
        Row(
            name: "the cap: 900 s", outcome: .temporary(reason: "503", retryAfter: nil), attemptsBefore: 40,
            lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 900, hold: nil),
        Row(
            name: "Retry-After honoured", outcome: .temporary(reason: "429", retryAfter: .seconds(200)),
            attemptsBefore: 0, lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 200, hold: nil),
        Row(
            name: "Retry-After capped", outcome: .temporary(reason: "429", retryAfter: .seconds(86_400)),
            attemptsBefore: 0, lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 900, hold: nil),
        Row(
            name: "closed under the request: at once", outcome: .closedBeforeAnswer, attemptsBefore: 0,
            lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 0, hold: nil),
        Row(
            name: "closed twice in a row: backs off", outcome: .closedBeforeAnswer, attemptsBefore: 1,
            lastErrorBefore: closed, state: .queued, crmID: nil, nextIn: 60, hold: nil),
        Row(
            name: "unreadable answer", outcome: .uncertain(reason: "HTML"), attemptsBefore: 0,
            lastErrorBefore: nil, state: .queued, crmID: nil, nextIn: 30, hold: nil)
    ]

    @Test("each outcome's new state", arguments: rows)
    func eachOutcome(row: Row) {
        let before = Self.lead(attempts: row.attemptsBefore, lastError: row.lastErrorBefore)
        let next = LeadTransition.after(Self.report(row.outcome), of: before, policy: Self.policy, now: Self.now)
        #expect(next.state == row.state)
        #expect(next.crmID == row.crmID)
        #expect(next.attempts == row.attemptsBefore + 1)
        #expect(next.nextAttemptAt == row.nextIn.map { Self.now + $0 })
        #expect(next.hold == row.hold)
        #expect(next.holdsTheQueue == (row.hold != nil))
        // Delivered leads keep no error; every other outcome says what happened.
        #expect((next.lastError == nil) == (row.state == .accepted || row.state == .duplicate))
        // Only the delivery fields change: the lead itself, its identity and its birth stay.
        #expect(next.lead == before.lead && next.id == before.id && next.createdAt == before.createdAt)
        #expect(next.updatedAt == Self.now)
    }

    /// Once an attempt may have arrived, the lead stays uncertain whatever comes after, so a
    /// later duplicate is read as the first attempt having got through.
    @Test func uncertaintyIsKept() {
        let unsure = LeadTransition.after(
            Self.report(.temporary(reason: "reset", retryAfter: nil), mayHaveArrived: true), of: Self.lead(),
            policy: Self.policy, now: Self.now)
        #expect(unsure.uncertain)
        let later = LeadTransition.after(
            Self.report(.duplicate(crmID: "2879")), of: Self.lead(attempts: 1, uncertain: true), policy: Self.policy,
            now: Self.now)
        #expect(later.uncertain && later.state == .duplicate)
        #expect(
            !LeadTransition.after(
                Self.report(.accepted(crmID: "1")), of: Self.lead(), policy: Self.policy, now: Self.now
            )
            .uncertain)
    }
}
