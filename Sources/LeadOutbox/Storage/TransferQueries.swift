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

    /// The rejected leads among `ids`, with the CRM's reason (`rejection`): an import writes the
    /// rows they came from to FILE.crm-rejected.csv, matched by `lead_id` or by who they are.
    public func rejectedLeads(ids: [Int64]) async throws -> [StoredLead] {
        try await read(ids: ids) { db, chunk, list in
            try Row.fetchAll(
                db, sql: "SELECT \(StoredLead.columns) FROM lead WHERE state = 'rejected' AND id IN (\(list))",
                arguments: StatementArguments(chunk)
            ).map(StoredLead.init(row:))
        }
    }
}
