import Foundation
import GRDB

/// `leadconsole doctor`: SQLite's integrity check of the lead database and, when the file is
/// damaged, a new database built from every lead whose bytes survive. The leads are read from
/// the file's pages and its WAL with our own reader (`OutboxSalvage`), never through the
/// damaged file's schema; the damaged file is moved aside and never written. Exit 0 only when
/// every id from 1 to the highest the folder gave is accounted for. Run it holding the delivery
/// lock (no other process writing).
public enum DatabaseDoctor {
    public enum Verdict: Sendable, Equatable {
        /// There is no database and no record of one.
        case noDatabase
        /// The file passed the integrity check (`Report.missing` says whether leads are missing).
        case sound
        /// The file was damaged: moved aside, and a new database built from what it held.
        case rebuilt
        /// Nothing could be read, yet the folder held leads: nothing was changed (a backup can
        /// still be put back); `--accept-loss` starts afresh.
        case nothingToSave
        /// The loss of the missing leads was recorded on request (`--accept-loss`).
        case lossAccepted
    }

    public struct Report: Sendable, Equatable {
        public var verdict: Verdict = .noDatabase
        /// The integrity check's findings, or why the file was not read as sound.
        public var problems: [String] = []
        /// Where the damaged file went (nil when nothing was moved).
        public var movedTo: String?
        /// Leads in the database (when sound) or in the new one, per state.
        public var saved: [LeadState: Int] = [:]
        /// The highest lead id the folder gave, from every witness (the file, its marker).
        public var highestID: Int64 = 0
        /// Ids neither saved nor recorded as a known gap.
        public var missing: [ClosedRange<Int64>] = []
        /// Ids recorded earlier as gaps (an earlier loss, or used up by an old import).
        public var accountedFor: Int64 = 0
        /// Leads saved with a field cut short by a lost overflow page (the field ends "[…lost]").
        public var cut: [Int64] = []
        /// Leads whose phone, subject, channel, rep or state was lost: saved as rejected, for a
        /// person to check before they go out.
        public var toCheck: [Int64] = []
        /// Leads found only as an old copy: back in their last known state, marked uncertain.
        public var fromOldCopies: [Int64] = []
        /// Leads saved without (all of) their attempts: the attempt rows could not be read.
        public var attemptsLost = 0
        /// What is left of missing leads: their phones, from the phone index.
        public var phonesOfMissing: [Int64: String] = [:]
        /// What the folder's marker said, when it was read.
        public var marker: OutboxMarker.Record?
        /// Schema objects the file held that LeadConsole did not make ("trigger zz_evil"): left
        /// behind by the rebuild, never created.
        public var foreignObjects: [String] = []

        public var savedTotal: Int { saved.values.reduce(0, +) }
        public var missingCount: Int64 { IDRanges.count(missing) }
        /// Nothing the file held is absent from the database now, and every lead is as the file
        /// last held it (none came back from an old copy, whose state may be behind).
        public var isComplete: Bool { missing.isEmpty && cut.isEmpty && attemptsLost == 0 && fromOldCopies.isEmpty }
    }

    /// Checks the database in `directory` and rebuilds it if damaged. `marker` is the folder's
    /// record of how many leads it held (nil for none); `acceptLoss` records missing leads as
    /// given up and lets an outbox with nothing left start afresh.
    /// `progress` hears what a long run is doing (a million leads take a minute or two).
    public static func run(
        directory: URL, marker: OutboxMarker? = nil, acceptLoss: Bool = false, now: Date = Date(),
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> Report {
        let file = directory.appendingPathComponent("leads.sqlite")
        var report = Report()
        report.marker = try marker?.read()
        let promised = report.marker?.highestID ?? 0
        if LeadDatabase.isEmptyFile(file) {
            guard promised > 0 else { return report }
            report.problems = [
                FileManager.default.fileExists(atPath: file.path) ? "the file is empty" : "the file is missing"
            ]
            return try await startAfresh(
                directory: directory, file: file, report: report, acceptLoss: acceptLoss, now: now)
        }
        report.problems = try await offThePool { check(file.path) }
        if report.problems.isEmpty, WALFile(path: file.path + "-wal")?.hasWritesPastDamage == true {
            report.problems = ["its WAL holds writes past a damaged frame, which SQLite does not read"]
        }
        guard report.problems.isEmpty else {
            return try await rebuild(
                directory: directory, file: file, marker: marker, report: report, acceptLoss: acceptLoss, now: now,
                progress: progress)
        }
        // Read before anything opens the file to write: a writer would reset a WAL whose tail
        // SQLite cannot read, and with it the leads only a salvage can still find there.
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let found = try await DatabaseQueue(path: file.path, configuration: configuration).read { db in
            (
                issued: try LeadDatabase.issued(db), holes: try LeadGaps.unexplained(db),
                gaps: try LeadGaps.recorded(db).map(\.range), foreign: try OurSchema.foreign(in: db)
            )
        }
        // A trigger, view or table LeadConsole did not make (a backup restored by an older
        // version could bring one): damage. The rebuild copies our rows and leaves it behind.
        if !found.foreign.isEmpty {
            report.problems = [
                "it holds schema objects LeadConsole did not make: "
                    + found.foreign.map(\.description).joined(separator: ", ")
            ]
            report.foreignObjects = found.foreign.map(\.description)
            return try await rebuild(
                directory: directory, file: file, marker: marker, report: report, acceptLoss: acceptLoss, now: now,
                progress: progress)
        }
        report.highestID = max(found.issued.highest, promised)
        report.accountedFor = IDRanges.count(found.gaps)
        report.missing = found.holes
        if promised > found.issued.highest {
            report.missing = IDRanges.merge(report.missing + [(found.issued.highest + 1)...promised])
            report.problems = [LeadDatabase.shortfall(report.marker!, found: found.issued)]
        }
        // Missing by SQLite's reading, but on the file's pages: damaged after all.
        if !report.missing.isEmpty {
            progress("looking for the missing leads on the file's pages")
            let salvage = try await offThePool { OutboxSalvage(path: file.path) }
            if salvage.leads.keys.contains(where: { id in report.missing.contains { $0.contains(id) } }) {
                report.problems.append("leads SQLite does not read are still on its pages")
                return try await rebuild(
                    directory: directory, file: file, marker: marker, report: report, acceptLoss: acceptLoss,
                    now: now, salvage: salvage, progress: progress)
            }
        }
        return try await checkSound(
            directory: directory, marker: marker, report: report, acceptLoss: acceptLoss, now: now)
    }

    /// A sound file: every id up to the highest given (by the file or its marker) must be a
    /// lead or a recorded gap (`report.missing` holds those that are not). With `acceptLoss`,
    /// they are recorded as given up.
    static func checkSound(
        directory: URL, marker: OutboxMarker?, report: Report, acceptLoss: Bool, now: Date
    ) async throws -> Report {
        var report = report
        report.verdict = .sound
        let database = try await offThePool { try LeadDatabase(directory: directory) }
        if !report.missing.isEmpty {
            // Opened to write, a file from before v5 has its old gaps noted (`LeadGap.unused`):
            // what is missing is counted again.
            let promised = report.marker?.highestID ?? 0
            let (issued, holes, gaps) = try await database.read { db in
                (try LeadDatabase.issued(db), try LeadGaps.unexplained(db), try LeadGaps.recorded(db).map(\.range))
            }
            report.accountedFor = IDRanges.count(gaps)
            report.missing = IDRanges.merge(
                holes + (promised > issued.highest ? [(issued.highest + 1)...promised] : []))
        }
        if !report.missing.isEmpty, acceptLoss {
            let missing = report.missing
            let highest = report.highestID
            try await database.write { db in
                for range in missing { try LeadGaps.note(db, range, reason: LeadGap.accepted, at: now) }
                try LeadGaps.raiseSequence(db, table: "lead", to: highest)
            }
            report.verdict = .lossAccepted
        }
        report.saved = try await database.counts().filter { $0.value > 0 }
        if report.missing.isEmpty || acceptLoss {
            marker?.note(highestID: report.highestID, leads: Int64(report.savedTotal), now: now)
        }
        return report
    }

    /// No file, or an empty one, where the marker says leads were: nothing to read. Without
    /// `acceptLoss` nothing is changed; with it, a new database that knows ids up to the
    /// highest were given (a new lead never takes a lost lead's id).
    static func startAfresh(directory: URL, file: URL, report: Report, acceptLoss: Bool, now: Date) async throws
        -> Report
    {
        var report = report
        let highest = report.marker?.highestID ?? 0
        report.highestID = highest
        report.missing = [1...highest]
        guard acceptLoss else {
            report.verdict = .nothingToSave
            return report
        }
        if FileManager.default.fileExists(atPath: file.path) {
            report.movedTo = try await offThePool { try moveAside(file, as: "empty", now: now) }
        }
        let fresh = try await offThePool { try LeadDatabase(directory: directory) }
        try await fresh.write { db in
            try LeadGaps.note(db, 1...highest, reason: LeadGap.accepted, at: now)
            try LeadGaps.raiseSequence(db, table: "lead", to: highest)
        }
        report.verdict = .lossAccepted
        return report
    }

    /// A damaged file: read page by page, moved aside, and every lead found written into a new
    /// database with its id, fields, state, CRM id and attempts.
    static func rebuild(
        directory: URL, file: URL, marker: OutboxMarker?, report: Report, acceptLoss: Bool, now: Date,
        salvage read: OutboxSalvage? = nil, progress: @Sendable (String) -> Void
    ) async throws -> Report {
        var report = report
        if read == nil { progress("the file is damaged: reading it page by page") }
        let path = file.path
        let salvage = if let read { read } else { try await offThePool { OutboxSalvage(path: path) } }
        let highest = max(salvage.highestLeadID, report.marker?.highestID ?? 0)
        let rebuild = OutboxRebuild(
            directory: directory, salvage: salvage, highest: highest,
            missingReason: acceptLoss ? LeadGap.accepted : LeadGap.lost, aside: "damaged", now: now)
        report.highestID = highest
        report.accountedFor = IDRanges.count(IDRanges.merge(salvage.gaps.map { $0.first...$0.last }))
        report.missing = rebuild.missing(Array(salvage.leads.keys))
        report.phonesOfMissing = phones(of: report.missing, in: salvage.indexedPhones)
        if salvage.leads.isEmpty, highest > 0, !acceptLoss {
            report.verdict = .nothingToSave
            return report
        }
        progress("found \(salvage.leads.count) leads: writing them into a new database")
        let outcome = try await rebuild.run()
        let writer = outcome.writer
        report.missing = outcome.missing
        report.phonesOfMissing = phones(of: report.missing, in: salvage.indexedPhones)
        report.movedTo = outcome.movedTo
        let database = try await offThePool { try LeadDatabase(directory: directory) }
        report.cut = writer.cut
        report.toCheck = writer.toCheck
        report.fromOldCopies = writer.fromOldCopies
        report.attemptsLost = writer.attemptsLost
        report.saved = try await database.counts().filter { $0.value > 0 }
        report.verdict = .rebuilt
        let total = Int64(report.savedTotal)
        marker?.note(highestID: highest, leads: total, now: now)
        return report
    }

    /// The phones the phone index still holds for missing ids (at most 10,000).
    static func phones(of missing: [ClosedRange<Int64>], in index: [Int64: String]) -> [Int64: String] {
        var phones: [Int64: String] = [:]
        for range in missing {
            for id in range where phones.count < 10_000 { if let phone = index[id] { phones[id] = phone } }
        }
        return phones
    }

    /// `PRAGMA integrity_check` on a read-only connection; a file SQLite cannot open as a
    /// database at all is reported as such.
    static func check(_ path: String) -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let rows = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check(20)") }
            return rows == ["ok"] ? [] : rows
        } catch {
            return ["\(error)"]
        }
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
