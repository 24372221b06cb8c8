import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The history and outbox against a real SQLite file.
@Suite("Outbox database")
struct OutboxDatabaseTests {
    @Test func filesAreOwnerOnlyAndDurable() async throws {
        try await TempFolder.with { folder in
            let dir = folder.url.appendingPathComponent("data")
            let database = try LeadDatabase(directory: dir)
            _ = try await database.enqueue(validLead())
            #expect(mode(dir.path) == 0o700)
            for suffix in ["", "-wal", "-shm"] {
                let path = dir.appendingPathComponent("leads.sqlite" + suffix).path
                #expect(FileManager.default.fileExists(atPath: path), "\(suffix)")
                #expect(mode(path) == 0o600, "\(suffix)")
            }
            let (journal, synchronous) = try await database.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(journal == "wal")
            #expect(synchronous == 2)  // FULL
        }
    }

    @Test func anImportsRelaxedOutcomesLeaveTheWriterDurableForTheNextLead() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let first = try await database.enqueue(validLead())
            let claimed = try #require(try await database.claimNextDue(durable: false))
            #expect(claimed.id == first.id)
            let recorded = try await database.record(
                report(.accepted(crmID: "7")), for: first.id, policy: .standard, durable: false)
            #expect(recorded.state == .accepted && recorded.crmID == "7")
            // The writer connection is back to FULL: the next lead's first write is fsync'd.
            let synchronous = try await database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2)
            // And what the relaxed writes committed is visible to another connection.
            let other = try LeadDatabase(directory: folder.url)
            #expect(try await other.lead(id: first.id).state == .accepted)
        }
    }

    @Test func anExistingLooseFolderIsRefusedAndLeftAsItIs() async throws {
        try await TempFolder.with { folder in
            let dir = folder.url.appendingPathComponent("data")
            try FileManager.default.createDirectory(
                at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            chmod(dir.path, 0o755)
            let error = #expect(throws: StoreError.self) { try LeadDatabase(directory: dir) }
            #expect(
                error.map { "\($0)" }
                    == "\(dir.path) is open to other users (mode 755) and holds customers' details; fix it with: chmod 700 \(dir.path) (or choose another --data-dir)"
            )
            #expect(error.map(ExitStatus.of) == ExitStatus.configuration)
            // Never chmod'ed, and nothing created in it.
            #expect(mode(dir.path) == 0o755)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }

    @Test func missingFoldersAreCreatedPrivate() async throws {
        try await TempFolder.with { folder in
            let dir = folder.url.appendingPathComponent("a/b/data")
            _ = try LeadDatabase(directory: dir)
            #expect(mode(dir.path) == 0o700 && mode(folder.url.appendingPathComponent("a").path) == 0o700)
        }
    }

    @Test func aQueuedLeadIsOnDiskForAnotherConnection() async throws {
        try await TempFolder.with { folder in
            let first = try LeadDatabase(directory: folder.url)
            let stored = try await first.enqueue(validLead(first: "नमस्ते", last: "José 👋"))
            #expect(stored.state == .queued && stored.attempts == 0)
            let second = try LeadDatabase(directory: folder.url)  // migrations run once, then no-op
            let read = try await second.lead(id: stored.id)
            #expect(read.lead.firstName == "नमस्ते" && read.lead.lastName == "José 👋")
            #expect(read.phone == "9876543210" && read.uuid == stored.uuid)
        }
    }

    @Test func theOldestDueLeadIsClaimedFirst() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Date()
            let a = try await database.enqueue(validLead("9000000001"), now: now)
            let b = try await database.enqueue(validLead("9000000002"), now: now)
            let claimed = try #require(try await database.claimNextDue(now: now))
            #expect(claimed.id == a.id && claimed.state == .sending)
            #expect(try await database.lead(id: a.id).state == .sending)
            // A retried lead waits for its backoff; the next one goes first.
            try await database.record(
                report(.temporary(reason: "HTTP 503", retryAfter: nil), status: 503), for: a.id, policy: .standard,
                now: now)
            #expect(try await database.claimNextDue(now: now)?.id == b.id)
            #expect(try await database.claimNextDue(now: now) == nil)
            let due = try #require(try await database.nextDueDate())
            #expect(due.timeIntervalSince(now) >= 24 && due.timeIntervalSince(now) <= 36)
            #expect(try await database.claimNextDue(now: due)?.id == a.id)
        }
    }

    @Test(
        "each outcome moves the lead",
        arguments: [
            (DeliveryOutcome.accepted(crmID: "2882"), LeadState.accepted, String?("2882"), false),
            (.duplicate(crmID: "2879"), .duplicate, "2879", false),
            (.rejected(status: 402, message: "quota"), .rejected, nil, false),
            (.unauthorized(message: "Not authorized"), .held, nil, false),
            (.wrongEndpoint(url: "https://x", status: 404, answer: "Not Found"), .held, nil, false),
            (.temporary(reason: "connection refused", retryAfter: nil), .queued, nil, false),
            (.uncertain(reason: "empty body"), .queued, nil, true)
        ])
    func outcomes(outcome: DeliveryOutcome, state: LeadState, crmID: String?, uncertain: Bool) async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let lead = try await database.enqueue(validLead())
            _ = try await database.claimNextDue()
            let after = try await database.record(report(outcome), for: lead.id, policy: .standard)
            #expect(after.state == state)
            #expect(after.crmID == crmID)
            #expect(after.attempts == 1)
            #expect(after.uncertain == uncertain)
            #expect((after.lastError != nil) == !state.isDelivered)
            #expect((after.nextAttemptAt != nil) == (state == .queued))
            let attempts = try await database.attempts(leadID: lead.id)
            #expect(attempts.count == 1)
            #expect(attempts.first?.message == outcome.description)
            #expect(attempts.first?.rawBody == "{}")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Date()
            let lead = try await database.enqueue(validLead(), now: now)
            let after = try await database.record(
                report(.temporary(reason: "429", retryAfter: .seconds(300)), status: 429),
                for: lead.id, policy: .standard, now: now)
            #expect(after.nextAttemptAt!.timeIntervalSince(now).rounded() == 300)
        }
    }

    @Test func aCrashMidRequestRequeuesTheLeadAsUncertain() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let lead = try await database.enqueue(validLead())
            _ = try await database.claimNextDue()
            // The process dies here. The next deliverer finds the lead in `sending`.
            let reopened = try LeadDatabase(directory: folder.url)
            #expect(try await reopened.recoverInterrupted() == 1)
            let recovered = try await reopened.lead(id: lead.id)
            #expect(recovered.state == .queued && recovered.uncertain)
            #expect(try await reopened.claimNextDue()?.id == lead.id)
            // The resend answers duplicate: the first attempt got through; it counts as delivered.
            let done = try await reopened.record(report(.duplicate(crmID: "2880")), for: lead.id, policy: .standard)
            #expect(done.state == .duplicate && done.state.isDelivered && done.uncertain)
        }
    }

    @Test func heldLeadsReturnToTheQueueOnRelease() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Date()
            let a = try await database.enqueue(validLead("9000000001"), now: now)
            let b = try await database.enqueue(validLead("9000000002"), now: now)
            try await database.record(
                report(.unauthorized(message: "Not authorized"), status: 401), for: a.id, policy: .standard, now: now)
            try await database.record(
                report(.temporary(reason: "503", retryAfter: nil), status: 503), for: b.id, policy: .standard, now: now)
            #expect(try await database.hasHeldLeads())
            #expect(try await database.claimNextDue(now: now) == nil)
            #expect(try await database.releaseAndRetryNow(now: now) == 2)
            #expect(!(try await database.hasHeldLeads()))
            #expect(try await database.claimNextDue(now: now)?.id == a.id)
            #expect(try await database.claimNextDue(now: now)?.id == b.id)
        }
    }

    /// Refused credentials hold every lead waiting behind the refused one, and a lead saved
    /// while they are known bad is held at once with the same words: no lead shows "queued" with
    /// no attempt coming. Released together, they all go again.
    @Test func aHeldOutboxHoldsWhatWaitsAndWhatIsSavedMeanwhile() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Date()
            let a = try await database.enqueue(validLead("9000000001"), now: now)
            let b = try await database.enqueue(validLead("9000000002"), now: now)
            #expect(b.state == .queued)
            let claimed = try #require(try await database.claimNextDue(now: now))
            #expect(claimed.id == a.id)
            try await database.record(
                report(.unauthorized(message: "Not authorized"), status: 401), for: a.id, policy: .standard, now: now)
            let behind = try await database.lead(id: b.id)
            #expect(behind.state == .held && behind.hold == .credentials, "\(behind)")
            #expect(behind.lastError == "credentials rejected: Not authorized" && behind.attempts == 0)
            let saved = try await database.enqueue(validLead("9000000003"), now: now)
            #expect(saved.state == .held && saved.hold == .credentials)
            #expect(saved.lastError == "credentials rejected: Not authorized")
            let batch = try await database.enqueue(batch: [validLead("9000000004")], now: now)
            #expect(try await database.lead(id: batch[0]).state == .held)
            // The lead whose answer holds the outbox is the refused one, not the newest held.
            #expect(try await database.newestHeld()?.id == a.id)
            #expect(try await database.releaseHeld(now: now) == 4)
            #expect(try await database.counts()[.queued] == 4)
            // Nothing held: a new lead is queued as before.
            #expect(try await database.enqueue(validLead("9000000005"), now: now).state == .queued)
        }
    }

    @Test func aRejectedLeadCanBeEditedAndResent() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let lead = try await database.enqueue(validLead("9000000001"))
            try await database.record(
                report(.rejected(status: 402, message: "bad channel"), status: 402), for: lead.id, policy: .standard)
            #expect(try await database.claimNextDue() == nil)
            let edited = try await database.resend(id: lead.id, with: validLead("9000000009", first: "Asha K"))
            #expect(edited.state == .queued && edited.phone == "9000000009" && edited.lead.firstName == "Asha K")
            // What it was stays in its history, next to the CRM's answer to it.
            let notes = try await database.attempts(leadID: lead.id).map { "\($0.outcome): \($0.message)" }
            #expect(
                notes.contains(
                    "edited: corrected (in the console): phone \"9000000001\" → \"9000000009\"; first name \"Asha\" → \"Asha K\""
                ), "\(notes)")
            #expect(try await database.claimNextDue()?.id == lead.id)
        }
    }

    @Test func theSamePhoneIsFoundInTheHistory() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            #expect(try await database.previousLead(phone: PhoneNumber(tenDigits: "9876543210")) == nil)
            let lead = try await database.enqueue(validLead("+91 98765 43210"))
            try await database.record(report(.accepted(crmID: "77")), for: lead.id, policy: .standard)
            let found = try #require(try await database.previousLead(phone: PhoneNumber(tenDigits: "9876543210")))
            #expect(found.id == lead.id && found.crmID == "77")
        }
    }
}
