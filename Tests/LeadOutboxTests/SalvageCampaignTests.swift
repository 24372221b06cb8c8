import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The corruption campaign: one outbox of a few hundred leads (queued, accepted, rejected; some
/// notes long enough to overflow a page; attempts), damaged in a copy per placement the way a
/// failing disk or a pulled stick damages a file. Which leaf page holds each lead is read from
/// the pristine file by SQLite itself (dbstat), not by the reader under test. For each
/// placement: every lead whose leaf page was untouched is saved, as itself; and the report
/// calls the rebuild complete (exit 0) exactly when every lead, every field and every attempt
/// came back.
@Suite("salvage campaign")
struct SalvageCampaignTests {
    /// An outbox as bytes, and what SQLite says is in it.
    struct Outbox: Sendable {
        var file: [UInt8]
        var wal: [UInt8]?
        var pageSize: Int
        /// Each lead's row, in `OutboxRows.leadColumns` order.
        var rows: [Int64: [DatabaseValue]]
        /// Attempt rows per lead.
        var attempts: [Int64: Int]
        /// The leaf page each lead's row is on (the newest version: the WAL's, when it has one).
        var leafOf: [Int64: Int]
        /// Pages the WAL holds a newer version of.
        var walPages: Set<Int>
        var highest: Int64
        /// Overflow pages of lead rows, and the attempt table's leaves.
        var overflowPages: [Int] = []
        var attemptLeaves: [Int] = []
        var pageCount: Int { file.count / pageSize }
    }

    /// Built once for every placement: the checkpointed file, and the same outbox with later
    /// changes still in its WAL.
    static let outboxes = Task { try await build() }

    enum Placement: String, CaseIterable, Sendable {
        case zeroSchemaPages, randomSchemaPages, zeroMiddlePages, randomFifthFromFortyPercent, zeroLastPages
        case randomLastPage, leafTypeByte, leafCellCountByte, headerMagic, headerPageSize, truncated, emptied
        case randomOverflowPages, zeroAttemptPages, walBesideDamagedMain, damagedNewestWALFrame
    }

    @Test(.serialized, arguments: Placement.allCases)
    func doctorSavesEveryLeadWhoseLeafSurvivedAndExitsZeroOnlyWhenNothingIsMissing(_ placement: Placement)
        async throws
    {
        let (plain, withWAL) = try await Self.outboxes.value
        var outbox = [.walBesideDamagedMain, .damagedNewestWALFrame].contains(placement) ? withWAL : plain
        var random = SeededGenerator(state: UInt64(placement.rawValue.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        let damaged = damage(&outbox, placement, &random)
        let untouched = Set(outbox.leafOf.filter { outbox.walPages.contains($1) || !damaged.contains($1) }.keys)

        try await TempFolder.with { folder in
            let data = folder.url.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            chmod(data.path, 0o700)
            let file = data.appendingPathComponent("leads.sqlite").path
            try Data(outbox.file).write(to: URL(fileURLWithPath: file))
            if let wal = outbox.wal { try Data(wal).write(to: URL(fileURLWithPath: file + "-wal")) }
            let marker = OutboxMarker(stateDirectory: folder.url.appendingPathComponent("state"), dataDirectory: data)
            try marker.write(
                OutboxMarker.Record(
                    dataDirectory: marker.dataDirectory, highestID: outbox.highest, leads: Int64(outbox.rows.count),
                    at: Date()))

            let report = try await DatabaseDoctor.run(directory: data, marker: marker)
            let (rows, attempts) = try Self.read(file)
            let saved = Set(rows.keys)
            let context =
                "\(placement): \(damaged.count) pages damaged, \(untouched.count) leads untouched, "
                + "\(saved.count) saved, report \(report.verdict) missing \(IDRanges.text(report.missing))"

            // Every lead whose leaf page survived is saved, as itself (its uncertainty aside).
            #expect(untouched.isSubset(of: saved), "\(context): lost \(untouched.subtracting(saved).sorted())")
            func same(_ id: Int64) -> Bool {
                guard let row = rows[id], var original = outbox.rows[id] else { return false }
                let column = { (name: String) in OutboxRows.leadColumns.firstIndex(of: name)! }
                // A lead caught mid-attempt goes back to the queue, saying why.
                if original[column("state")] == "sending".databaseValue {
                    original[column("state")] = "queued".databaseValue
                    original[column("last_error")] =
                        "interrupted mid-request; the CRM may have it already".databaseValue
                }
                return zip(row, original).enumerated().allSatisfy {
                    $0.offset == column("uncertain") || $0.element.0 == $0.element.1
                }
            }
            // A lead differs from what it was only where the report says so: a field cut, or an
            // old copy of it (back in its last known state, marked uncertain).
            let changed = saved.filter { !same($0) }
            let explained = Set(report.cut).union(report.fromOldCopies)
            #expect(
                changed.isSubset(of: explained),
                "\(context): changed without a word: \(changed.subtracting(explained).sorted())")
            let uncertain = OutboxRows.leadColumns.firstIndex(of: "uncertain")!
            for id in report.fromOldCopies { #expect(rows[id].map { $0[uncertain] == 1.databaseValue } == true) }

            // The report's account is the truth: what is missing is what is not saved; it calls
            // the result complete (exit 0) only when every lead, field and attempt came back as
            // it was, and always when they did from the pages the b-tree holds now.
            let all = Set(outbox.rows.keys)
            #expect(report.missing == IDRanges.of(all.subtracting(saved)), "\(context)")
            let attemptsWhole = saved.allSatisfy { (attempts[$0] ?? 0) == (outbox.attempts[$0] ?? 0) }
            let whole = saved == all && changed.isEmpty && attemptsWhole
            if report.isComplete { #expect(whole, "\(context): complete, yet something is missing") }
            if whole && report.fromOldCopies.isEmpty {
                #expect(report.isComplete, "\(context): everything came back, yet not complete")
            }
            if placement == .emptied { #expect(report.verdict == .nothingToSave && saved.isEmpty) }
            if report.verdict == .rebuilt, let anyone = saved.min() {
                // The rebuilt file's counts, tallies and search index are those of its leads.
                let database = try LeadDatabase(directory: data)
                try await StatsTests.expectTalliesMatch(database)
                let byState = try await database.read { db in
                    try Row.fetchAll(db, sql: "SELECT state, count(*) FROM lead GROUP BY state").map {
                        (LeadState(rawValue: $0[0])!, $0[1] as Int)
                    }
                }
                #expect(
                    try await database.counts().filter { $0.value > 0 } == Dictionary(uniqueKeysWithValues: byState))
                let name = String.fromDatabaseValue(rows[anyone]![4])!
                #expect(try await database.history(HistoryQuery(search: name, limit: 50)).contains { $0.id == anyone })
            }
            if report.verdict == .rebuilt {
                #expect(report.movedTo.map { FileManager.default.fileExists(atPath: $0) } == true)
                #expect(
                    FileManager.default.contents(atPath: report.movedTo!).map { [UInt8]($0) } == outbox.file,
                    "the damaged file is kept as it was")
            }
        }
    }

    /// Damages `outbox` in place; returns the main file's pages it touched.
    func damage(_ outbox: inout Outbox, _ placement: Placement, _ random: inout SeededGenerator) -> Set<Int> {
        let size = outbox.pageSize
        let count = outbox.pageCount
        let leaves = Set(outbox.leafOf.values).sorted()
        func overwrite(_ pages: [Int], zero: Bool) -> Set<Int> {
            for page in pages where page >= 1 && page <= count {
                for i in (page - 1) * size..<page * size { outbox.file[i] = zero ? 0 : random.byte() }
            }
            return Set(pages)
        }
        switch placement {
        case .zeroSchemaPages: return overwrite([2, 3, 4], zero: true)
        case .randomSchemaPages: return overwrite([2, 3, 4], zero: false)
        case .zeroMiddlePages: return overwrite(Array(count / 2..<count / 2 + 4), zero: true)
        case .randomFifthFromFortyPercent:
            return overwrite(Array(count * 2 / 5..<count * 3 / 5), zero: false)
        case .zeroLastPages: return overwrite(Array(count - 2...count), zero: true)
        case .randomLastPage: return overwrite([count], zero: false)
        case .leafTypeByte:
            let page = leaves[leaves.count / 2]
            outbox.file[(page - 1) * size] ^= 0xFF
            return [page]
        case .leafCellCountByte:
            let page = leaves[leaves.count / 3]
            outbox.file[(page - 1) * size + 4] = 1
            return [page]
        case .headerMagic:
            for i in 0..<16 { outbox.file[i] = UInt8(ascii: "X") }
            return [1]
        case .headerPageSize:
            outbox.file[16] = 0x02
            outbox.file[17] = 0x00
            return [1]
        case .truncated:
            let keep = outbox.file.count * 2 / 5
            outbox.file.removeLast(outbox.file.count - keep)
            return Set((keep / size + 1)...count)
        case .emptied:
            outbox.file = []
            return Set(1...count)
        case .randomOverflowPages:
            return overwrite(Array(outbox.overflowPages.prefix(6)), zero: false)
        case .zeroAttemptPages:
            return overwrite(outbox.attemptLeaves, zero: true)
        case .walBesideDamagedMain:
            // Every lead leaf the WAL has a newer version of, and two it has not.
            let inWAL = leaves.filter { outbox.walPages.contains($0) }
            let notInWAL = leaves.filter { !outbox.walPages.contains($0) }.prefix(2)
            return overwrite(inWAL + notInWAL, zero: false)
        case .damagedNewestWALFrame:
            // A byte of the newest frame of a lead leaf: its older version (an earlier frame or
            // the main file) is all that is left, and it may be behind.
            let frames = Self.frames(inWAL: outbox.wal!, pageSize: size)
            let page = leaves.filter { outbox.walPages.contains($0) }.last!
            let newest = frames.lastIndex { $0 == page }!
            outbox.wal![32 + newest * (24 + size) + 24 + size / 2] ^= 0x55
            outbox.walPages.remove(page)
            return [page]
        }
    }

    // MARK: - The outbox

    static func build() async throws -> (Outbox, Outbox) {
        let folder = try TempFolder()
        defer { folder.remove() }
        let database = try LeadDatabase(directory: folder.url)
        let long = String(repeating: "Wants a 3BHK near the station; call after 6. नमस्ते. ", count: 90).prefix(4_900)
        var leads: [ValidLead] = []
        for n in 0..<300 {
            var lead = validLead(String(9_820_000_000 + n), first: "Lead\(n)", last: "Kumar\(n)").lead
            lead.notes = n % 9 == 0 ? String(long) : "short note \(n)"
            leads.append(try lead.validated().get())
        }
        let ids = try await database.enqueue(batch: leads)
        for (i, id) in ids.enumerated() where i < 200 {
            let outcome: DeliveryOutcome =
                i < 120
                ? .accepted(crmID: String(2000 + i))
                : i < 160 ? .rejected(status: 402, message: "not valid") : .temporary(reason: "503", retryAfter: nil)
            try await database.record(report(outcome), for: id, policy: .standard, durable: false)
        }
        // Two leads caught mid-attempt (the oldest due: 201 and 202).
        _ = try await database.claimNextDue(durable: false)
        _ = try await database.claimNextDue(durable: false)
        try await database.outsideTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        var plain = try await snapshot(database, wal: false)
        plain.overflowPages = try await database.read { db in
            try Int.fetchAll(
                db, sql: "SELECT pageno FROM dbstat WHERE name = 'lead' AND pagetype = 'overflow' ORDER BY pageno")
        }
        plain.attemptLeaves = try await database.read { db in
            try Int.fetchAll(db, sql: "SELECT pageno FROM dbstat WHERE name = 'attempt' AND pagetype = 'leaf'")
        }

        // Later changes, left in the WAL: answers for queued leads, and new leads.
        for id in ids[250..<270] {
            try await database.record(report(.accepted(crmID: "9\(id)")), for: id, policy: .standard)
        }
        _ = try await database.enqueue(batch: Array(leads[0..<20]))
        let withWAL = try await snapshot(database, wal: true)
        return (plain, withWAL)
    }

    /// The files as they are now (read while the database is open, so the WAL is still there),
    /// and what SQLite reads in them.
    static func snapshot(_ database: LeadDatabase, wal: Bool) async throws -> Outbox {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: database.path)))
        let log = wal ? [UInt8](try Data(contentsOf: URL(fileURLWithPath: database.path + "-wal"))) : nil
        let columns = OutboxRows.leadColumns.joined(separator: ", ")
        return try await database.read { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size")!
            var rows: [Int64: [DatabaseValue]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(columns) FROM lead ORDER BY id") {
                rows[row[0]] = Array(row.databaseValues)
            }
            var attempts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT lead_id, count(*) FROM attempt GROUP BY lead_id") {
                attempts[row[0]] = row[1]
            }
            // Leaves in tree order hold the row ids in ascending order, ncell each.
            var leafOf: [Int64: Int] = [:]
            var sorted = rows.keys.sorted()[...]
            for leaf in try Row.fetchAll(
                db, sql: "SELECT pageno, ncell FROM dbstat WHERE name = 'lead' AND pagetype = 'leaf' ORDER BY path")
            {
                for id in sorted.prefix(leaf[1] as Int) { leafOf[id] = leaf[0] }
                sorted = sorted.dropFirst(leaf[1] as Int)
            }
            let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'lead'")!
            return Outbox(
                file: file, wal: log, pageSize: pageSize, rows: rows, attempts: attempts, leafOf: leafOf,
                walPages: Set(log.map { Self.frames(inWAL: $0, pageSize: pageSize) } ?? []), highest: highest)
        }
    }

    /// The page number each WAL frame carries, in order (the header is 32 bytes, each frame
    /// 24 + a page).
    static func frames(inWAL bytes: [UInt8], pageSize: Int) -> [Int] {
        var pages: [Int] = []
        var offset = 32
        while offset + 24 + pageSize <= bytes.count {
            pages.append(
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                    | Int(bytes[offset + 3]))
            offset += 24 + pageSize
        }
        return pages
    }

    /// The rebuilt (or untouched) database's leads and attempt counts; none when there is no file.
    static func read(_ path: String) throws -> ([Int64: [DatabaseValue]], [Int64: Int]) {
        guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 else {
            return ([:], [:])
        }
        var configuration = Configuration()
        configuration.readonly = true
        // The doctor's own connections may still be closing (the last one checkpoints).
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let columns = OutboxRows.leadColumns.joined(separator: ", ")
        return try queue.read { db in
            var rows: [Int64: [DatabaseValue]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(columns) FROM lead") {
                rows[row[0]] = Array(row.databaseValues)
            }
            var attempts: [Int64: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT lead_id, count(*) FROM attempt WHERE outcome <> 'lost' GROUP BY lead_id")
            {
                attempts[row[0]] = row[1]
            }
            return (rows, attempts)
        }
    }
}
