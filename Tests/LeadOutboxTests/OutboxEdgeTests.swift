import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The outbox at its edges: why a lead is held, a connection closed under a request, rejected
/// leads sent again, re-imported rows, and storage failures named by kind.
@Suite("Outbox edges")
struct OutboxEdgeTests {
    @Test func aWrongEndpointHoldsTheLeadForTheEndpointUntilReleased() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let a = try await database.enqueue(validLead("9876543210"))
            let b = try await database.enqueue(validLead("9876543211"))
            _ = try await database.claimNextDue()
            let held = try await database.record(
                report(.wrongEndpoint(url: "https://crm.example/x", status: 404, answer: "Not Found"), status: 404),
                for: a.id, policy: .standard)
            #expect(held.state == .held && held.hold == .endpoint)
            #expect(try await database.currentHold() == .endpoint)
            _ = try await database.claimNextDue()
            let refused = try await database.record(
                report(.unauthorized(message: "Not authorized"), status: 401), for: b.id, policy: .standard)
            #expect(refused.hold == .credentials)
            // The newest answer says what is wrong now.
            #expect(try await database.currentHold() == .credentials)
            #expect(try await database.releaseHeld() == 2)
            #expect(try await database.currentHold() == nil)
            #expect(try await database.lead(id: a.id).hold == nil)
            #expect(ExitStatus.of(LeadHold.endpoint) == 78 && ExitStatus.of(LeadHold.credentials) == 77)
        }
    }

    @Test func aConnectionClosedBeforeTheAnswerIsRetriedAtOnceThenBacksOff() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Date()
            let lead = try await database.enqueue(validLead(), now: now)
            let closed = DeliveryReport(
                outcome: ResponseClassifier.classify(TransportError.connectionClosedBeforeAnswer), httpStatus: nil,
                rawBody: "", elapsed: .milliseconds(3), mayHaveArrived: true)
            let first = try await database.record(closed, for: lead.id, policy: .standard, now: now)
            #expect(first.state == .queued && first.uncertain)
            #expect(abs(first.nextAttemptAt!.timeIntervalSince(now)) < 0.01)  // due at once, on a new connection
            let second = try await database.record(closed, for: lead.id, policy: .standard, now: now)
            #expect(second.nextAttemptAt!.timeIntervalSince(now) >= 24)  // the same failure twice: the backoff
            #expect(try await database.attempts(leadID: lead.id).count == 2)  // each one recorded
        }
    }

    @Test func rejectedLeadsGoBackToTheQueueAllOrByID() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            var ids: [Int64] = []
            for phone in ["9876543210", "9876543211", "9876543212"] {
                let lead = try await database.enqueue(validLead(phone))
                _ = try await database.claimNextDue()
                try await database.record(
                    report(.rejected(status: 402, message: "quota"), status: 402), for: lead.id, policy: .standard)
                ids.append(lead.id)
            }
            let accepted = try await database.enqueue(validLead("9876543219"))
            _ = try await database.claimNextDue()
            try await database.record(report(.accepted(crmID: "1")), for: accepted.id, policy: .standard)

            #expect(try await database.requeue(rejected: [ids[1], accepted.id, 999]) == [ids[1]])
            #expect(try await database.lead(id: accepted.id).state == .accepted)
            #expect(try await database.requeue(rejected: nil) == [ids[0], ids[2]])
            #expect(try await database.counts()[.rejected, default: 0] == 0)
            #expect(try await database.counts()[.queued, default: 0] == 3)
        }
    }

    @Test func reimportedRowsAreFoundByWhoTheyAreWhateverTheOptions() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let rows = [ImportedRow(lead: validLead("9876543210")), ImportedRow(lead: validLead("9876543211"))]
            let first = try await database.importRows(rows)
            #expect(first == [.queued(1, rejectedSamePhone: nil), .queued(2, rejectedSamePhone: nil)])
            _ = try await database.claimNextDue()
            try await database.record(
                report(.rejected(status: 402, message: "quota"), status: 402), for: 1, policy: .standard)
            // The same people read with other options (another subject, notes from another
            // column, the names in capitals): found, nothing new.
            var other = validLead("9876543210", first: "ASHA", last: " Rao ").lead
            other.subject = "Expo"
            other.notes = "Budget: 50 L"
            let again = try await database.importRows([
                ImportedRow(lead: try other.validated().get()), ImportedRow(lead: validLead("9876543211"))
            ])
            #expect(again == [.sameAsEarlier(1), .sameAsEarlier(2)])
            #expect(try await database.states(ids: again.map(\.id)) == [.rejected: 1, .queued: 1])
            #expect(
                try await database.rejectedLeads(ids: again.map(\.id)).map(\.rejection) == ["rejected (402): quota"])
            // Another person with the rejected lead's phone: queued, and the rejected one named.
            let namesake = try await database.importRows([ImportedRow(lead: validLead("9876543210", first: "Ravi"))])
            #expect(namesake == [.queued(3, rejectedSamePhone: 1)])
        }
    }

    @Test func aRowWithTheLeadIDOfARejectedLeadCorrectsThatLead() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let wrong = try await database.enqueue(validLead("9830010000", first: "François"))
            _ = try await database.claimNextDue()
            try await database.record(
                report(.rejected(status: 402, message: "Invalid mobile number"), status: 402), for: wrong.id,
                policy: .standard)
            let fixed = ImportedRow(
                lead: validLead("9830010001", first: "François"), uuid: wrong.uuid,
                place: "expo.crm-rejected.csv, row 2")
            #expect(try await database.importRows([fixed]) == [.corrected(wrong.id)])
            let after = try await database.lead(id: wrong.id)
            #expect(after.state == .queued && after.phone == "9830010001" && after.uuid == wrong.uuid)
            #expect(try await database.counts()[.rejected, default: 0] == 0, "retry --rejected has nothing to send")
            let edit = try #require(try await database.attempts(leadID: wrong.id).first { $0.outcome == "edited" })
            #expect(edit.message.contains("phone \"9830010000\" → \"9830010001\""), "\(edit.message)")
            #expect(edit.message.contains("expo.crm-rejected.csv, row 2"))
            // The same row again: nothing changes, nothing is noted twice.
            #expect(try await database.importRows([fixed]) == [.sameAsEarlier(wrong.id)])
            #expect(try await database.attempts(leadID: wrong.id).filter { $0.outcome == "edited" }.count == 1)
            // The first sheet's row, with the number that was wrong and no lead_id: that same
            // lead, not a new one (the superseded number is never sent).
            let original = ImportedRow(lead: validLead("9830010000", first: "François"))
            #expect(try await database.importRows([original]) == [.sameAsEarlier(wrong.id)])
            // Once the CRM has it, its lead_id is never sent again, whatever the row says.
            _ = try await database.claimNextDue()
            try await database.record(report(.accepted(crmID: "3168")), for: wrong.id, policy: .standard)
            let late = ImportedRow(lead: validLead("9830010002", first: "François"), uuid: wrong.uuid)
            #expect(try await database.importRows([late]) == [.alreadyInCRM(wrong.id)])
            #expect(try await database.lead(id: wrong.id).phone == "9830010001")
            // A lead_id this history never gave: another machine's lead, kept with its id.
            let foreign = UUID()
            let outcome = try await database.importRows([ImportedRow(lead: validLead("9830010005"), uuid: foreign)])
            #expect(outcome == [.fromElsewhere(2)])
            #expect(try await database.lead(id: 2).uuid == foreign)
        }
    }

    @Test func aPhoneTheCRMHoldsIsRecordedAsAVisitNotSent() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let sent = try await database.enqueue(validLead("9820028800", first: "Meera"))
            _ = try await database.claimNextDue()
            try await database.record(report(.accepted(crmID: "2880")), for: sent.id, policy: .standard)
            let visit = ImportedRow(lead: validLead("9820028800", first: "Meera", email: "meera@example.com"))
            #expect(try await database.importRows([visit]) == [.visit(2)])
            let recorded = try await database.lead(id: 2)
            #expect(recorded.state == .duplicate && recorded.crmID == "2880")
            #expect(recorded.lastError == "duplicate, not sent: CRM #2880 has this phone")
            #expect(try await database.claimNextDue() == nil, "nothing to send")
            let card = try await database.customer(phone: try PhoneNumber.parse("9820028800").get())
            #expect(card?.visits == 2 && card?.names == ["Meera Rao"], "each name once")
            // --again sends such a row (another person, or the CRM is to hear of it anyway).
            let other = ImportedRow(lead: validLead("9820028800", first: "Kiran", email: "kiran@example.com"))
            #expect(try await database.importRows([other], again: true) == [.queued(3, rejectedSamePhone: nil)])
        }
    }

    @Test func aDamagedDatabaseIsNamedAndClassified() async throws {
        try await TempFolder.with { folder in
            do {
                let database = try LeadDatabase(directory: folder.url)
                for n in 0..<200 { _ = try await database.enqueue(validLead(String(9_800_000_000 + n))) }
            }
            // Garbage over every page but the first (the header stays readable).
            let path = folder.url.appendingPathComponent("leads.sqlite").path
            try DamagedDatabase.overwritePages(of: path)
            do {
                let database = try LeadDatabase(directory: folder.url)
                _ = try await database.exportPage(after: 0, limit: 1000)
                Issue.record("a damaged database was read without an error")
            } catch let error as StoreError {
                guard case .database(let named, _, let failure) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(named == path)
                #expect(failure == .corrupt)
                #expect(ExitStatus.of(error) == ExitStatus.cannotCreate)
                #expect("\(error)".contains("the database is damaged"))
            }
        }
    }

    @Test func sqliteResultCodesMapToFailures() {
        #expect(StorageFailure.of(DatabaseError(resultCode: .SQLITE_FULL)) == .full)
        #expect(StorageFailure.of(DatabaseError(resultCode: .SQLITE_IOERR_WRITE)) == .io)
        #expect(StorageFailure.of(DatabaseError(resultCode: .SQLITE_NOTADB)) == .corrupt)
        #expect(StorageFailure.of(DatabaseError(resultCode: .SQLITE_BUSY)) == .locked)
        #expect(StorageFailure.of(DatabaseError(resultCode: .SQLITE_READONLY)) == .notWritable)
        #expect(ExitStatus.of(StoreError.database("/x", "disk I/O error", .io)) == ExitStatus.ioError)
        #expect(ExitStatus.of(StoreError.database("/x", "database or disk is full", .full)) == ExitStatus.cannotCreate)
    }

    @Test func withoutCredentialsADelivererHoldsQueuedLeadsSayingWhatIsMissing() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let lead = try await database.enqueue(validLead())
            var settings = Settings()
            settings.appName = "ACME"
            let deliverer = Deliverer(
                database: database, client: ParamantraClient(), credentials: settings.credentials,
                missing: settings.missingCredentials)
            #expect(try await deliverer.deliverAllDue().map(\.state) == [.held])  // no attempt: held, and told
            let held = try await database.lead(id: lead.id)
            #expect(held.state == .held && held.hold == .settings && held.attempts == 0)
            #expect(held.lastError == "no API key: set it in Settings (F4) or with leadconsole config")
            #expect(try await database.currentHold() == .settings)
            #expect(ExitStatus.of(LeadHold.settings) == ExitStatus.configuration)
        }
    }
}
