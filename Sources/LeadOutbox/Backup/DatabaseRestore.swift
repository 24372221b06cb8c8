import Foundation
import GRDB

/// Putting a backup back as the lead database. Never loses a lead silently: a database holding
/// leads the backup lacks is replaced only when forced, and the replaced file is kept. Never
/// takes code from the file either: the backup is read, not adopted. Its rows of our tables
/// are copied by their columns into a new database our own migrations made (`OutboxRebuild`);
/// a trigger, view or table of its own is named and left behind. Run it holding the delivery
/// lock.
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
        /// Ids the folder gave that the backup lacks (the leads saved after it was made, by the
        /// folder's marker or the replaced file): recorded as lost, never given again.
        public var notInBackup: [ClosedRange<Int64>] = []
        /// Schema objects of the backup that LeadConsole did not make ("trigger zz_evil"): not copied.
        public var leftBehind: [String] = []
    }

    /// Restores `backup` (a database file) into `directory`; `marker` is the folder's record of
    /// how many leads it held, brought up to date.
    public static func run(
        backup: URL, into directory: URL, force: Bool, marker: OutboxMarker? = nil, now: Date = Date()
    ) async throws -> Report {
        let path = backup.path
        let problems = try await offThePool { DatabaseDoctor.check(path) }
        guard problems.isEmpty else {
            throw Refusal.damaged(path: path, why: problems.prefix(2).joined(separator: "; "))
        }
        // Its schema is read (never run) to say what is not ours, and that it is ours at all.
        let objects = try await offThePool { try schema(of: path) }
        guard objects.contains(where: { $0.type == "table" && $0.name == "lead" && OurSchema.objects.contains($0) })
        else {
            throw Refusal.damaged(path: path, why: "it holds no lead table of LeadConsole's")
        }
        let salvage = try await offThePool { OutboxSalvage(path: path) }
        let file = directory.appendingPathComponent("leads.sqlite")
        var currentHighest: Int64 = 0
        if FileManager.default.fileExists(atPath: file.path) {
            do {
                let current = try await offThePool { try LeadDatabase(directory: directory) }
                currentHighest = try await current.read(LeadDatabase.issued).highest
                if !force, let (count, newest) = try await leadsMissing(from: salvage, in: current) {
                    throw Refusal.wouldLose(count: count, newest: newest)
                }
            } catch let error as StoreError where force {
                // A current file too damaged to open is replaced when forced (and kept aside):
                // the marker still says how far its ids went.
                _ = error
            }
        }
        try PrivateFiles.ensureDirectory(directory, .dataFolder)
        let highest = max(salvage.highestLeadID, currentHighest, try marker?.read()?.highestID ?? 0)
        let outcome = try await OutboxRebuild(
            directory: directory, salvage: salvage, highest: highest, missingReason: LeadGap.lost,
            aside: "replaced", now: now
        ).run()
        let restored = try await offThePool { try LeadDatabase(directory: directory) }
        let issued = try await restored.read(LeadDatabase.issued)
        marker?.note(highestID: issued.highest, leads: issued.leads, now: now)
        return Report(
            leads: Int(issued.leads), keptAt: outcome.movedTo, notInBackup: outcome.missing,
            leftBehind: OurSchema.foreignObjects(objects).map(\.description))
    }

    /// The backup's schema objects, read on a read-only connection.
    static func schema(of path: String) throws -> Set<OurSchema.Object> {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try DatabaseQueue(path: path, configuration: configuration).read { db in
                try OurSchema.read(db, schema: "main")
            }
        } catch {
            throw Refusal.damaged(path: path, why: "\(error)")
        }
    }

    /// How many leads of `current` the backup lacks (by their uuid), and the newest of them;
    /// nil when none. The backup's uuids are read from its pages, by the rows' shape.
    static func leadsMissing(from backup: OutboxSalvage, in current: LeadDatabase) async throws -> (Int, String)? {
        var uuids = Set<String>()
        for id in backup.leads.keys {
            if let values = backup.values(of: backup.leads[id]!), values.count > 1, case .text(let uuid) = values[1] {
                uuids.insert(uuid)
            }
        }
        let kept = uuids
        return try await current.read { db -> (Int, String)? in
            var count = 0
            var newest: String?
            let rows = try Row.fetchCursor(db, sql: "SELECT uuid, id, phone, state FROM lead ORDER BY id DESC")
            while let row = try rows.next() {
                guard !kept.contains(row[0] as String) else { continue }
                count += 1
                if newest == nil { newest = "#\(row[1] as Int64) \(row[2] as String) \(row[3] as String)" }
            }
            return count == 0 ? nil : (count, newest ?? "")
        }
    }
}
