import Foundation
import ParamantraAPI
import ParamantraSandbox
import TestSupport
import Testing

@testable import LeadOutbox

/// The deliverer against the real sandbox and a real SQLite file: no lead is ever lost.
@Suite("Delivery: no lead is lost")
struct DeliveryTests {
    static let quick = DeliveryRig.quick
    typealias Rig = DeliveryRig
    static func withRig(_ body: (Rig) async throws -> Void) async throws { try await DeliveryRig.with(body) }

    /// Each fault is on for the first attempts, then clears: every lead must end delivered, once.
    @Test(
        "no-loss matrix",
        arguments: [
            SandboxFaults(mode: .status, status: 500, count: 3),
            SandboxFaults(mode: .status, status: 502, count: 3),
            SandboxFaults(mode: .status, status: 503, count: 3),
            SandboxFaults(mode: .status, status: 429, count: 3, retryAfter: "0"),
            SandboxFaults(mode: .html, count: 3),
            SandboxFaults(mode: .drop, count: 3),
            SandboxFaults(mode: .truncated, count: 3),
            SandboxFaults(mode: .empty, count: 3),
            SandboxFaults(mode: .notJSON, count: 3),
            SandboxFaults(mode: .acceptNoAnswer, count: 2)
        ])
    func noLoss(fault: SandboxFaults) async throws {
        try await Self.withRig { rig in
            let phones = (0..<5).map { "90000000\(10 + $0)" }
            for phone in phones { _ = try await rig.database.enqueue(validLead(phone)) }
            await rig.sandbox.setFaults(fault)
            // Generous per-attempt time: under a loaded test run a short one would itself cause
            // lost answers (and duplicates); accept_no_answer waits this long per attempt.
            let deliverer = rig.deliverer(attemptTimeout: .seconds(1), deadline: .seconds(3))
            #expect(try await rig.drain(deliverer))
            let leads = try await rig.database.history(HistoryQuery(limit: 100))
            #expect(leads.count == 5)
            #expect(leads.allSatisfy { $0.state.isDelivered }, "\(leads.map { "\($0.state) \($0.lastError ?? "")" })")
            // Each phone reached the CRM exactly once; a duplicate answer only where an earlier
            // answer was lost (the lead is marked uncertain).
            let arrived = await rig.sandbox.leads().map(\.contactNumber)
            #expect(arrived.sorted() == phones.sorted())
            for lead in leads where lead.state == .duplicate { #expect(lead.uncertain) }
            for lead in leads {
                #expect(
                    lead.crmID
                        == (await rig.sandbox.leads().first { $0.contactNumber == lead.phone }.map { String($0.id) }))
            }
        }
    }

    @Test func theServerDownThenUp() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let key = "store-key-0123456789"
            // Bind a sandbox to learn a port, stop it: that port now refuses connections.
            let first = try await Sandbox.start(SandboxConfiguration(apiKey: key, appName: "STORE"))
            let port = first.port
            await first.stop()
            let credentials = Credentials(endpoint: first.endpoint, apiKey: APIKey(key), appName: "STORE")
            let client = ParamantraClient(
                transport: HTTPClientTransport(attemptTimeout: .seconds(2)), deadline: .seconds(5))
            let deliverer = Deliverer(database: database, client: client, policy: Self.quick, credentials: credentials)
            let lead = try await database.enqueue(validLead())
            let down = try #require(try await deliverer.deliverNext())
            #expect(
                down.state == .queued && down.attempts == 1 && down.lastError == "temporary failure: connection refused"
            )
            // The server comes back on the same port; the lead goes through on a later attempt.
            let again = try await Sandbox.start(SandboxConfiguration(port: port, apiKey: key, appName: "STORE"))
            let delivered = await waitUntil(timeout: .seconds(30)) {
                _ = try? await deliverer.deliverAllDue()
                return (try? await database.lead(id: lead.id).state) == .accepted
            }
            #expect(delivered)
            #expect(await again.leads().count == 1)
            await again.stop()
        }
    }

    @Test func refusedCredentialsHoldTheQueueUntilTheyChange() async throws {
        try await Self.withRig { rig in
            for n in 0..<3 { _ = try await rig.database.enqueue(validLead("900000002\(n)")) }
            var wrong = rig.credentials
            wrong.apiKey = APIKey("not-the-key-0000")
            let held = rig.deliverer(credentials: wrong)
            let sent = try await held.deliverAllDue()
            #expect(sent.count == 1 && sent[0].state == .held)  // one refusal stops the queue
            #expect(try await rig.database.hasHeldLeads())
            #expect(try await held.deliverNext() == nil)
            // The two behind it are held with it (no attempt will come for them until a fix).
            let counts = try await rig.database.counts()
            #expect(counts[.held] == 3 && counts[.queued, default: 0] == 0, "\(counts)")
            #expect(await rig.sandbox.leadRequestCount() == 1)

            // Another deliverer (another process) with the wrong key does not hammer the CRM either.
            #expect(try await rig.deliverer(credentials: wrong).deliverNext() == nil)
            let fixed = rig.deliverer(credentials: wrong)
            await fixed.use(rig.credentials, phoneFormat: .tenDigits)
            try await rig.database.releaseAndRetryNow()
            #expect(try await rig.drain(fixed))
            #expect(try await rig.database.counts()[.accepted] == 3)
        }
    }

    @Test func aRejectionIsFinalAndNotRetried() async throws {
        try await Self.withRig { rig in
            let lead = try await rig.database.enqueue(validLead())
            await rig.sandbox.setFaults(SandboxFaults(mode: .status, status: 402, message: "Lead quota used up"))
            let deliverer = rig.deliverer()
            #expect(try await rig.drain(deliverer))
            let after = try await rig.database.lead(id: lead.id)
            #expect(after.state == .rejected && after.attempts == 1)
            #expect(after.lastError == "rejected by the CRM (HTTP 402): Lead quota used up")
            #expect(await rig.sandbox.leadRequestCount() == 1)
        }
    }

    @Test func retryAfterFromTheServerDelaysTheNextAttempt() async throws {
        try await Self.withRig { rig in
            let lead = try await rig.database.enqueue(validLead())
            await rig.sandbox.setFaults(SandboxFaults(mode: .status, status: 429, retryAfter: "60"))
            let deliverer = Deliverer(
                database: rig.database, client: ParamantraClient(), policy: .standard, credentials: rig.credentials)
            let after = try #require(try await deliverer.deliverNext())
            #expect(after.state == .queued)
            let wait = after.nextAttemptAt!.timeIntervalSinceNow
            #expect(wait > 55 && wait <= 60)
            #expect(try await deliverer.deliverNext() == nil)  // not due yet
            _ = lead
        }
    }

    @Test func onlyOneDelivererHoldsTheLock() async throws {
        try await TempFolder.with { folder in
            let url = folder.url.appendingPathComponent("deliver.lock")
            let first = try DeliveryLock.tryAcquire(url)
            #expect(first != nil)
            #expect(try DeliveryLock.tryAcquire(url) == nil)
            withExtendedLifetime(first) {}
        }
    }
}
