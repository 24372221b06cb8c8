import Foundation
import GRDB

/// Reads for import and export: oldest first by key, never OFFSET, so a million leads stream
/// out a page at a time.
extension LeadDatabase {
    /// Up to `limit` leads after `id`, oldest first, optionally one state and created since a date.
    public func exportPage(after id: Int64, state: LeadState? = nil, since: Date? = nil, limit: Int = 1_000)
        async throws -> [StoredLead]
    {
        try await read { db in
            var sql = "SELECT \(StoredLead.columns) FROM lead WHERE id > ?"
            var arguments: [any DatabaseValueConvertible] = [id]
            if let state {
                sql += " AND state = ?"
                arguments.append(state.rawValue)
            }
            if let since {
                sql += " AND created_at >= ?"
                arguments.append(since.timeIntervalSince1970)
            }
            sql += " ORDER BY id LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(StoredLead.init(row:))
        }
    }

    /// The newest lead id (0 when empty): an import's leads are the imported ones after it.
    public func lastID() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM lead") ?? 0 }
    }

    /// How many imported leads with ids after `id` are in each state.
    public func importedStates(after id: Int64) async throws -> [LeadState: Int] {
        try await read { db in
            var counts: [LeadState: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT state, COUNT(*) AS n FROM lead WHERE id > ? AND import_key IS NOT NULL GROUP BY state",
                arguments: [id])
            {
                if let state = LeadState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}
