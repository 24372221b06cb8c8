import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// Lead ids known not to be leads: what migration v5 finds in an older file, and what doctor
/// counts as accounted for.
@Suite("lead gaps")
struct LeadGapTests {
    /// Before v5, an import that found its row already there still used up an id. Those gaps
    /// are noted when v5 first opens the file, so doctor does not call them missing.
    @Test func idsAnOlderImportUsedUpAreNotedAsUnusedWhenV5Opens() async throws {
        try await TempFolder.with { folder in
            let path = folder.url.appendingPathComponent("leads.sqlite").path
            let pool = try DatabasePool(path: path)
            try LeadDatabase.migrator.migrate(pool, upTo: "v4: stats tallies")
            try await pool.write { db in
                for key in ["a", "a", "b", "c", "c"] {
                    try db.execute(
                        sql: """
                            INSERT INTO lead (uuid, created_at, updated_at, first_name, last_name, phone, phone_as_typed, email,
                                project, notes, subject, channel, rep, alert_client, alert_rep, state, search_text, import_key)
                            VALUES (?, 0, 0, '', '', '9820000000', '', '', '', '', 's', 'c', 'r', 0, 0, 'queued', '', ?)
                            ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING
                            """, arguments: [UUID().uuidString, key])
                }
            }
            #expect(try await pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM lead ORDER BY id") } == [1, 3, 4])
            try pool.close()
            let database = try LeadDatabase(directory: folder.url)
            let gaps = try await database.read { try LeadGaps.recorded($0) }
            #expect(gaps.map(\.range) == [2...2, 5...5] && gaps.allSatisfy { $0.reason == LeadGap.unused })
            let report = try await DatabaseDoctor.run(directory: folder.url)
            #expect(report.verdict == .sound && report.isComplete && report.accountedFor == 2)
        }
    }
}
