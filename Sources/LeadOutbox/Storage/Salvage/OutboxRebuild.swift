import Foundation
import GRDB

/// A new outbox made of the rows a salvage read, with our own schema, put in place of the data
/// folder's database: what `doctor` does with a damaged file and `restore` with a backup. Only
/// rows of our tables are copied, by their columns; nothing of the source's schema (a trigger,
/// a view, a table of its own) is ever created.
///
/// Built beside (`.doctor-rebuild`), then renamed into place: a rebuild cut short (a crash, a
/// full disk) leaves the old file where it was. Written without a sync per batch; the whole
/// file is synced once before it takes the old one's place.
struct OutboxRebuild {
    /// What was written, and what the old file became.
    struct Outcome {
        var writer: RebuildWriter
        /// Ids from 1 to the highest that are neither a lead nor a known gap (recorded as gaps).
        var missing: [ClosedRange<Int64>]
        /// Where the replaced file went (nil when there was none).
        var movedTo: String?
    }

    let directory: URL
    let salvage: OutboxSalvage
    /// The highest lead id given, from every witness: the new database never gives one again.
    let highest: Int64
    /// Why the missing ids are missing (`LeadGap`).
    let missingReason: String
    /// The name the replaced file moves aside under (`damaged`, `replaced`).
    let aside: String
    let now: Date

    /// Ids up to `highest` that `saved` and the source's recorded gaps leave out.
    func missing(_ saved: [Int64]) -> [ClosedRange<Int64>] {
        let known = salvage.gaps.map { $0.first...$0.last }
        return highest > 0 ? IDRanges.subtract([1...highest], IDRanges.of(saved) + known) : []
    }

    func run() async throws -> Outcome {
        let file = directory.appendingPathComponent("leads.sqlite")
        let staging = directory.appendingPathComponent(".doctor-rebuild")
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let fresh = try await offThePool { try LeadDatabase(directory: staging) }
        var writer = RebuildWriter(fresh: fresh, salvage: salvage, now: now)
        try await writer.copyLeads()
        try await writer.copyAttempts()
        let missing = missing(writer.saved)
        let (gaps, highest, reason, now) = (salvage.gaps, highest, missingReason, now)
        let attemptSequence = max(salvage.sequence["attempt"] ?? 0, writer.highestAttemptID)
        try await fresh.write { db in
            for gap in gaps { try LeadGaps.note(db, gap.first...gap.last, reason: gap.reason, at: now) }
            for range in missing { try LeadGaps.note(db, range, reason: reason, at: now) }
            try LeadGaps.raiseSequence(db, table: "lead", to: highest)
            try LeadGaps.raiseSequence(db, table: "attempt", to: attemptSequence)
        }
        try await fresh.outsideTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let (directory, aside) = (directory, aside)
        let movedTo = try await offThePool { () throws -> String? in
            try fresh.close()
            let rebuilt = staging.appendingPathComponent("leads.sqlite")
            try PrivateFiles.syncFile(rebuilt.path)
            let moved =
                FileManager.default.fileExists(atPath: file.path) ? try moveAside(file, as: aside, now: now) : nil
            guard rename(rebuilt.path, file.path) == 0 else {
                throw StoreError.io(file.path, String(cString: strerror(errno)))
            }
            try PrivateFiles.syncFile(directory.path)
            return moved
        }
        return Outcome(writer: writer, missing: missing, movedTo: movedTo)
    }
}
