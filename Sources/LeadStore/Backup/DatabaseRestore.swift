import Foundation
import GRDB

/// Putting a backup back as the lead database. Never loses a lead silently: a database holding
/// leads the backup lacks is replaced only when forced, and the replaced file is kept. Run it
/// holding the delivery lock.
public enum DatabaseRestore {
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The backup fails SQLite's integrity check (or is not a LeadConsole database).
        case damaged(path: String, why: String)
        /// The current database holds leads the backup does not: restoring would lose them.
        case wouldLose(count: Int, newest: String)

        public var description: String {
            switch self {
            case .damaged(let path, let why): return "\(path) is not a sound LeadConsole backup: \(why)"
            case .wouldLose(let count, let newest):
                return
                    "the current database holds \(count) lead\(count == 1 ? "" : "s") the backup lacks (the newest: \(newest)); restoring would lose them. Run leadconsole backup first, or restore --force (the current file is kept beside it)"
            }
        }
    }

    public struct Report: Sendable, Equatable {
        public var leads: Int
        /// Where the replaced database went (nil when there was none).
        public var keptAt: String?
        /// Ids the folder gave after the backup was made (its marker says so): not in the
        /// backup, recorded as lost, and never given again.
        public var notInBackup: ClosedRange<Int64>?
    }

    /// Restores `backup` (a database file) into `directory`; `marker` is the folder's record of
    /// how many leads it held, brought up to date.
    public static func run(
        backup: URL, into directory: URL, force: Bool, marker: OutboxMarker? = nil, now: Date = Date()
    ) async throws -> Report {
        let problems = DatabaseDoctor.check(backup.path)
        guard problems.isEmpty else {
            throw Refusal.damaged(path: backup.path, why: problems.prefix(2).joined(separator: "; "))
        }
        let source: LeadDatabase
        do { source = try LeadDatabase.reading(file: backup) } catch {
            throw Refusal.damaged(path: backup.path, why: "\(error)")
        }
        let file = directory.appendingPathComponent("leads.sqlite")
        let exists = FileManager.default.fileExists(atPath: file.path)
        if exists, !force {
            let current = try LeadDatabase(directory: directory)
            if let (count, newest) = try await leadsMissing(from: backup, in: current) {
                throw Refusal.wouldLose(count: count, newest: newest)
            }
        }
        try PrivateFiles.ensureDirectory(directory, .dataFolder)
        let incoming = directory.appendingPathComponent("leads.sqlite.restoring")
        let leads = try await DatabaseBackup.write(from: source, to: incoming)
        var keptAt: String?
        if exists { keptAt = try moveAside(file, as: "replaced", now: now) }
        guard rename(incoming.path, file.path) == 0 else {
            throw StoreError.io(file.path, String(cString: strerror(errno)))
        }
        // Opened once as the outbox: back to WAL, schema brought up to date.
        let restored = try LeadDatabase(directory: directory)
        var report = Report(leads: leads, keptAt: keptAt)
        let issued = try await restored.read(LeadDatabase.issued)
        if let record = try marker?.read(), record.highestID > issued.highest {
            // Leads given after the backup was made: not in it. Their ids stay used (a new lead
            // must never take one), and a later doctor knows where they went.
            let missing = (issued.highest + 1)...record.highestID
            try await restored.write { db in
                try LeadGaps.note(db, missing, reason: LeadGap.lost, at: now)
                try LeadGaps.raiseSequence(db, table: "lead", to: missing.upperBound)
            }
            report.notInBackup = missing
        } else {
            marker?.note(highestID: issued.highest, leads: issued.leads, now: now)
        }
        return report
    }

    /// How many leads of `current` the backup lacks (by their uuid), and the newest of them;
    /// nil when none.
    static func leadsMissing(from backup: URL, in current: LeadDatabase) async throws -> (Int, String)? {
        let path = backup.path
        return try await current.outsideTransaction { db -> (Int, String)? in
            // Attached read-only: the backup is only read.
            try db.execute(sql: "ATTACH DATABASE ? AS incoming", arguments: ["file:\(path)?mode=ro"])
            defer { try? db.execute(sql: "DETACH DATABASE incoming") }
            let missing = "FROM main.lead WHERE uuid NOT IN (SELECT uuid FROM incoming.lead)"
            let count = try Int.fetchOne(db, sql: "SELECT count(*) \(missing)") ?? 0
            guard count > 0 else { return nil }
            let newest = try Row.fetchOne(db, sql: "SELECT id, phone, state \(missing) ORDER BY id DESC LIMIT 1")
            return (count, newest.map { "#\($0[0] as Int64) \($0[1] as String) \($0[2] as String)" } ?? "")
        }
    }
}
