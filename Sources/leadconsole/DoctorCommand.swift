import ArgumentParser
import Foundation
import LeadOutbox

/// `leadconsole doctor`: checks the lead database and rebuilds a damaged one.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the lead database; rebuild it from every lead whose bytes survive when it is damaged.",
        discussion: """
            Runs SQLite's integrity check, and checks that every lead id from 1 to the highest this data folder ever gave is a lead (the folder's marker under $XDG_STATE_HOME/leadconsole remembers how many it held). A damaged file is moved aside (leads.sqlite.damaged-TIME, with its -wal and -shm; never written, never deleted) and read page by page, its WAL included, without trusting its schema or header: every lead found comes back with its id, fields, state, CRM id and attempts. A lead caught mid-attempt, or found only as an old copy, goes back marked uncertain (a resend is answered as a duplicate); one whose phone, subject, channel, rep or state was lost is saved as rejected, for a person to check.

            When nothing can be read but the folder held leads (an emptied or missing file), nothing is changed: put a backup back with leadconsole restore, or start afresh with --accept-loss, which records the missing leads as given up so that new leads never take their ids. Run it with no console, import or retry running on the same data folder.

            Exit status: 0 nothing is missing (the database is sound, or was rebuilt with every lead whole); 65 some leads, parts of leads or attempt records are missing (the ids are printed as ranges; the damaged file is kept), also with --accept-loss; 73/74 the data folder cannot be used; 75 another leadconsole is using the data folder; 78 a folder fails the trust rules.
            """)

    @Flag(help: "Record missing leads as given up (and start afresh when nothing is left); exits 65 all the same.")
    var acceptLoss = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await failing {
            let locations = store.locations
            let folder = locations.dataDirectory
            let file = locations.databaseFile.path
            if let problem = TrustedPaths.check(folder, .dataFolder) {
                throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
            }
            guard FileManager.default.fileExists(atPath: folder.path) || acceptLoss else {
                // Nothing to lock or change: only what the marker says is left to tell.
                try print(try await DatabaseDoctor.run(directory: folder, marker: locations.marker), file: file)
                return
            }
            try LeadDatabase.prepareFolder(folder)
            // No other process may write while the file is checked and replaced.
            let lock = try store.exclusiveLock(for: "doctor")
            defer { withExtendedLifetime(lock) {} }
            let report = try await DatabaseDoctor.run(
                directory: folder, marker: locations.marker, acceptLoss: acceptLoss,
                progress: { writeLine("doctor: \($0)…", toError: true) })
            try print(report, file: file)
        }
    }

    /// Says what was found and done, and exits 65 unless nothing is missing.
    func print(_ report: DatabaseDoctor.Report, file: String) throws {
        let counts = Self.counts(report.saved)
        switch report.verdict {
        case .noDatabase:
            writeLine("no database at \(file) yet: nothing to check")
            return
        case .sound:
            if report.missing.isEmpty {
                writeLine("\(file) is sound: \(report.savedTotal) leads\(counts)" + Self.accounted(report))
                return
            }
            writeLine("\(file) is sound, but not every lead is in it" + (report.problems.first.map { ": \($0)" } ?? ""))
            writeLine("it holds \(report.savedTotal) leads\(counts)")
            writeMissing(report)
            writeLine(
                "put them back from a backup (leadconsole restore FILE\(backupHint)), or record them as given up: leadconsole doctor --accept-loss"
            )
        case .nothingToSave:
            let held = report.marker.map { "\($0.leads) leads (ids up to \($0.highestID))" } ?? "leads"
            writeLine(
                "\(file): \(report.problems.prefix(3).joined(separator: "; ")), but this data folder held \(held); nothing could be read from it"
            )
            writeMissing(report)
            writeLine("nothing was changed")
            writeLine(
                "put a backup back: leadconsole restore FILE\(backupHint); or, to start afresh knowing they are gone: leadconsole doctor --accept-loss"
            )
        case .lossAccepted:
            writeLine(
                "recorded \(report.missingCount) missing lead\(report.missingCount == 1 ? "" : "s") as given up: ids \(IDRanges.text(report.missing))"
            )
            if let aside = report.movedTo { writeLine("moved the old file to \(aside) (kept, not deleted)") }
            writeLine(
                "the database holds \(report.savedTotal) leads\(counts); new leads get ids from \(report.highestID + 1)"
            )
        case .rebuilt:
            writeLine("\(file) was damaged: " + report.problems.prefix(3).joined(separator: "; "))
            writeLine("moved it to \(report.movedTo ?? "?") (kept, not deleted), and read it page by page")
            writeLine("saved \(report.savedTotal) leads into a new database\(counts)")
            if !report.missing.isEmpty { writeMissing(report) }
            if !report.cut.isEmpty {
                writeLine(
                    "\(report.cut.count) lead\(report.cut.count == 1 ? " was" : "s were") saved with a field cut short by a lost page (it ends with […lost]): ids \(IDRanges.text(IDRanges.of(report.cut)))"
                )
            }
            if !report.toCheck.isEmpty {
                writeLine(
                    "of them, \(IDRanges.text(IDRanges.of(report.toCheck))) lost a field they cannot be sent without: saved as rejected; check each in the console (F3), then send it with leadconsole retry --id ID"
                )
            }
            if !report.fromOldCopies.isEmpty {
                writeLine(
                    "\(report.fromOldCopies.count) lead\(report.fromOldCopies.count == 1 ? " was" : "s were") found only as an older copy: back in their last known state, marked uncertain (a resend is answered as a duplicate if the CRM has it)"
                )
            }
            if report.attemptsLost > 0 {
                writeLine(
                    "the attempt history of \(report.attemptsLost) lead\(report.attemptsLost == 1 ? "" : "s") could not be read (the leads were saved, each with a note saying so)"
                )
            }
            writeLine("next: leadconsole retry sends what is queued")
        }
        if !report.isComplete || report.verdict == .nothingToSave { throw ExitCode(ExitStatus.invalidLead) }
    }

    /// "missing: 31-44, 187 (15 of the 200 ids given)", and what is left of them.
    func writeMissing(_ report: DatabaseDoctor.Report) {
        guard !report.missing.isEmpty else { return }
        writeLine(
            "missing: \(IDRanges.text(report.missing)) (\(report.missingCount) of the \(report.highestID) lead ids this folder gave)"
        )
        if !report.phonesOfMissing.isEmpty {
            let shown = report.phonesOfMissing.sorted { $0.key < $1.key }.prefix(20)
            let more = report.phonesOfMissing.count - shown.count
            writeLine(
                "their phones survive in the file's index: "
                    + shown.map { "#\($0.key) \($0.value)" }.joined(separator: ", ")
                    + (more > 0 ? " and \(more) more" : ""))
        }
    }

    /// The configured backup folder, as a hint (empty when none is set or the settings fail).
    var backupHint: String {
        guard let settings = try? store.settings(runKeyHelper: false), !settings.settings.backupDir.isEmpty else {
            return ""
        }
        return "; the console's copy is in \(settings.settings.backupDir)"
    }

    /// " (14 ids recorded as gaps: lost or given up earlier)", or nothing.
    static func accounted(_ report: DatabaseDoctor.Report) -> String {
        report.accountedFor == 0
            ? ""
            : " (\(report.accountedFor) more id\(report.accountedFor == 1 ? " is a recorded gap" : "s are recorded gaps"): lost, given up or unused earlier)"
    }

    /// ": 3 queued, 40 accepted" in the states' order, or nothing.
    static func counts(_ saved: [LeadState: Int]) -> String {
        let parts = LeadState.allCases.compactMap { state in saved[state].map { "\($0) \(state.rawValue)" } }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    }
}
