import Foundation
import GRDB

/// `leadconsole doctor`: SQLite's integrity check of the lead database and, when the file is
/// damaged, a new database built from every lead that can still be read. The damaged file is
/// moved aside, never deleted. Run it holding the delivery lock (no other process writing).
public enum DatabaseDoctor {
    public struct Report: Sendable, Equatable {
        /// The integrity check's findings; empty when the file is sound.
        public var problems: [String] = []
        /// Where the damaged file went (nil when it was sound or there was none).
        public var movedTo: String?
        /// Leads in the database (when sound) or copied into the new one, per state.
        public var saved: [LeadState: Int] = [:]
        /// Lead ids that could not be read from the damaged file.
        public var lost: [Int64] = []
        /// Leads copied without (all of) their attempts: the attempt rows could not be read.
        public var attemptsLost = 0

        public var savedTotal: Int { saved.values.reduce(0, +) }
    }

    /// Checks the database in `directory` and rebuilds it if damaged. A missing database is sound.
    public static func run(directory: URL, now: Date = Date()) async throws -> Report {
        let file = directory.appendingPathComponent("leads.sqlite")
        guard FileManager.default.fileExists(atPath: file.path) else { return Report() }
        var report = Report()
        report.problems = check(file.path)
        if report.problems.isEmpty {
            let database = try LeadDatabase(directory: directory)
            report.saved = try await database.counts().filter { $0.value > 0 }
            return report
        }
        let aside = try moveAside(file, as: "damaged", now: now)
        report.movedTo = aside
        let fresh = try LeadDatabase(directory: directory)
        try await copyReadable(from: aside, into: fresh, report: &report)
        report.saved = try await fresh.counts().filter { $0.value > 0 }
        return report
    }

    /// `PRAGMA integrity_check` on a read-only connection; a file SQLite cannot open as a
    /// database at all is reported as such.
    static func check(_ path: String) -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let rows = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check(20)") }
            return rows == ["ok"] ? [] : rows
        } catch {
            return ["\(error)"]
        }
    }

    /// Copies lead by lead (by id, so one damaged page costs only the leads on it), each with
    /// its state, CRM id, attempts and attempt rows. A lead caught mid-attempt goes back to the
    /// queue marked uncertain, as after a crash: a resend is answered as a duplicate.
    static func copyReadable(from path: String, into fresh: LeadDatabase, report: inout Report) async throws {
        var configuration = Configuration()
        configuration.readonly = true
        guard let damaged = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        let columns = try await fresh.read { db in try db.columns(in: "lead").map(\.name) }
        let attemptColumns = try await fresh.read { db in try db.columns(in: "attempt").map(\.name) }
        let highest = highestID(damaged)
        guard highest > 0 else { return }
        let select = "SELECT \(columns.joined(separator: ", ")) FROM lead WHERE id = ?"
        let insert =
            "INSERT INTO lead (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        let selectAttempts =
            "SELECT \(attemptColumns.joined(separator: ", ")) FROM attempt WHERE lead_id = ? ORDER BY id"
        let insertAttempt =
            "INSERT INTO attempt (\(attemptColumns.joined(separator: ", "))) VALUES (\(attemptColumns.map { _ in "?" }.joined(separator: ", ")))"
        let stateIndex = columns.firstIndex(of: "state")!
        let uncertainIndex = columns.firstIndex(of: "uncertain")!
        var batch: [(lead: [DatabaseValue], attempts: [[DatabaseValue]])] = []
        var lost: [Int64] = []
        var attemptsLost = 0
        func flush() async throws {
            let rows = batch
            batch = []
            try await fresh.write { db in
                for row in rows {
                    try db.execute(sql: insert, arguments: StatementArguments(row.lead))
                    for attempt in row.attempts {
                        try db.execute(sql: insertAttempt, arguments: StatementArguments(attempt))
                    }
                }
            }
        }
        for id in 1...highest {
            guard var (values, attempts) = readLead(damaged, id: id, select: select, selectAttempts: selectAttempts),
                values.count == columns.count
            else {
                lost.append(id)
                continue
            }
            if String.fromDatabaseValue(values[stateIndex]) == "sending" {
                values[stateIndex] = "queued".databaseValue
                values[uncertainIndex] = 1.databaseValue
            }
            if attempts == nil { attemptsLost += 1 }
            batch.append((values, attempts ?? []))
            if batch.count >= 500 { try await flush() }
        }
        try await flush()
        report.lost = lost
        report.attemptsLost = attemptsLost
    }

    /// One lead's values and its attempts' (nil attempts: they could not be read); nil when the
    /// lead itself cannot be read.
    static func readLead(_ damaged: DatabaseQueue, id: Int64, select: String, selectAttempts: String)
        -> (values: [DatabaseValue], attempts: [[DatabaseValue]]?)?
    {
        guard
            let values = try? damaged.read({ db in
                try Row.fetchOne(db, sql: select, arguments: [id]).map { Array($0.databaseValues) }
            })
        else { return nil }
        let attempts = try? damaged.read { db in
            try Row.fetchAll(db, sql: selectAttempts, arguments: [id]).map { Array($0.databaseValues) }
        }
        return (values, attempts)
    }

    /// The last lead id the damaged file knows: AUTOINCREMENT's own counter, else the largest
    /// id, else as far as a scan gets before the damage.
    static func highestID(_ damaged: DatabaseQueue) -> Int64 {
        if let seq = try? damaged.read({
            try Int64.fetchOne($0, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'lead'")
        }) {
            return seq
        }
        if let max = try? damaged.read({ try Int64.fetchOne($0, sql: "SELECT max(id) FROM lead") }) { return max }
        var highest: Int64 = 0
        try? damaged.read { db in
            let cursor = try Int64.fetchCursor(db, sql: "SELECT id FROM lead ORDER BY id")
            while let id = try cursor.next() { highest = id }
        }
        return highest
    }
}

/// Moves a database file aside as `NAME.LABEL-TIME`, with its -wal and -shm under the matching
/// name (SQLite finds them by name, so the moved copy still opens whole). Never deletes.
func moveAside(_ file: URL, as label: String, now: Date) throws -> String {
    let stamp = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        .replacingOccurrences(of: ":", with: "")
    let aside = file.path + ".\(label)-" + stamp
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: file.path + suffix) {
        guard rename(file.path + suffix, aside + suffix) == 0 else {
            throw StoreError.io(file.path + suffix, String(cString: strerror(errno)))
        }
    }
    return aside
}
