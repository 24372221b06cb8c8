import Foundation
import GRDB

extension LeadDatabase {
    /// Leads left in `sending`: an attempt was cut off (a crash, a kill, or a write that failed).
    public func interruptedCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT n FROM state_count WHERE state = 'sending'") ?? 0 }
    }

    /// SQLite's quick check of every page (`PRAGMA quick_check`): the first problems found, or
    /// none. Cheap enough to run before a lead whose last attempt was cut off goes out again.
    public func damage(limit: Int = 5) async throws -> [String] {
        try await read { db in
            let rows = try String.fetchAll(db, sql: "PRAGMA quick_check(\(limit))")
            return rows == ["ok"] ? [] : rows
        }
    }

    /// Refuses to go on with a damaged file: a lead recorded in it might be sent again.
    public func requireIntact() async throws {
        let problems = try await damage()
        guard problems.isEmpty else {
            throw StoreError.database(path, problems.joined(separator: "; "), .corrupt)
        }
    }
}
