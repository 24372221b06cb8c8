import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// A file's schema is never adopted: what our migrations did not make is damage to doctor and
/// left behind by a rebuild, and rows in a planted table are never read as leads.
@Suite("foreign schema objects")
struct ForeignSchemaTests {
    @Test func doctorLeavesBehindWhatWeDidNotMakeAndReadsNoPlantedRows() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let ids = try await database.enqueue(batch: (0..<300).map { validLead(String(9_820_000_000 + $0)) })
            let columns = OutboxRows.leadColumns.joined(separator: ", ")
            try await database.outsideTransaction { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER zz_evil AFTER INSERT ON lead BEGIN
                            UPDATE lead SET rep = 'attacker', notes = 'call 9000000000 instead' WHERE id = new.id;
                        END;
                        CREATE VIEW zz_view AS SELECT * FROM lead;
                        -- Lead-shaped rows, newer than the real ones: never to be read as leads.
                        CREATE TABLE zz_copy (id INTEGER PRIMARY KEY, uuid, created_at, updated_at, first_name, last_name,
                            phone, phone_as_typed, email, project, notes, subject, channel, rep, alert_client, alert_rep, state,
                            crm_id, attempts, next_attempt_at, last_error, uncertain, search_text, import_key, hold);
                        INSERT INTO zz_copy (\(columns)) SELECT \(columns) FROM lead;
                        UPDATE zz_copy SET notes = 'planted', updated_at = 9e9;
                        """)
            }
            // And the lead table's root page lost: its leaves are no longer reached, and only the
            // planted table's pages would still be, were they believed.
            let (root, size) = try await database.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'lead'")!,
                    try Int.fetchOne(db, sql: "PRAGMA page_size")!
                )
            }
            try await database.outsideTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            let handle = try #require(FileHandle(forUpdatingAtPath: database.path))
            try handle.seek(toOffset: UInt64((root - 1) * size))
            try handle.write(contentsOf: Data(count: size))
            try handle.close()
            let damaged = try await DatabaseDoctor.run(directory: folder.url)
            #expect(damaged.verdict == .rebuilt && damaged.isComplete, "\(damaged)")
            let rebuiltOnce = try LeadDatabase(directory: folder.url)
            for id in ids {
                #expect(try await rebuiltOnce.lead(id: id).lead.notes == "", "lead \(id) read from the planted table")
            }
            // The rebuilt file holds what was planted no more; plant it again on a sound file.
            try await rebuiltOnce.outsideTransaction { db in
                try db.execute(
                    sql:
                        "CREATE TRIGGER zz_evil AFTER INSERT ON lead BEGIN UPDATE lead SET rep = 'attacker' WHERE id = new.id; END; CREATE VIEW zz_view AS SELECT 1; CREATE TABLE zz_copy (x);"
                )
            }
            let report = try await DatabaseDoctor.run(directory: folder.url)
            #expect(report.verdict == .rebuilt && report.isComplete, "\(report)")
            #expect(report.foreignObjects == ["table zz_copy", "trigger zz_evil", "view zz_view"])
            let rebuilt = try LeadDatabase(directory: folder.url)
            let names = try await rebuilt.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
            #expect(!names.contains { $0.hasPrefix("zz_") }, "\(names)")
            for id in ids { #expect(try await rebuilt.lead(id: id).lead.notes == "") }
            let next = try await rebuilt.enqueue(validLead("9820000009"))
            #expect(next.lead.rep == "smith" && next.lead.notes == "")
            #expect(try await DatabaseDoctor.run(directory: folder.url).verdict == .sound)
        }
    }
}
