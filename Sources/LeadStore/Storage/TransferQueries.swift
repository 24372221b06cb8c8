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

    /// The rejected leads among `ids`, by import key, with the CRM's reason ("rejected (402):
    /// Invalid mobile number"): an import writes the rows they came from to FILE.crm-rejected.csv.
    public func rejectedImports(ids: [Int64]) async throws -> [String: String] {
        let rows = try await read(ids: ids) { db, chunk, list in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT \(StoredLead.columns), import_key FROM lead WHERE state = 'rejected' AND import_key IS NOT NULL AND id IN (\(list))",
                arguments: StatementArguments(chunk)
            ).map { (StoredLead(row: $0), $0["import_key"] as String) }
        }
        return Dictionary(rows.map { ($0.1, $0.0.rejection) }, uniquingKeysWith: { first, _ in first })
    }
}
