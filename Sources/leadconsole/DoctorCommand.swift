import ArgumentParser
import Foundation
import LeadStore

/// `leadconsole doctor`: checks the lead database and rebuilds a damaged one.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the lead database; rebuild it from every readable lead when it is damaged.",
        discussion: """
            Runs SQLite's integrity check. A damaged file is moved aside (leads.sqlite.damaged-TIME, never deleted) and a new database is built from every lead that can still be read, each keeping its state, CRM id, attempts and attempt history; a lead caught mid-attempt goes back to the queue marked uncertain (a resend is answered as a duplicate). Run it with no console, import or retry running on the same data folder.

            Exit status: 0 the database is sound, or was rebuilt with every lead; 65 rebuilt, but some leads could not be read (their ids are printed; the damaged file is kept); 73/74 the data folder cannot be used; 75 another leadconsole is using the data folder; 78 the data folder fails the trust rules.
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await failing {
            let folder = store.locations.dataDirectory
            let file = store.locations.databaseFile.path
            guard FileManager.default.fileExists(atPath: file) else {
                writeLine("no database at \(file) yet: nothing to check")
                return
            }
            if let problem = TrustedPaths.check(folder, .dataFolder) {
                throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
            }
            // No other process may write while the file is checked and replaced.
            let lock = try store.exclusiveLock(for: "doctor")
            defer { withExtendedLifetime(lock) {} }
            let report = try await DatabaseDoctor.run(directory: folder)
            let counts = Self.counts(report.saved)
            guard let aside = report.movedTo else {
                writeLine("\(file) is sound: \(report.savedTotal) leads\(counts)")
                return
            }
            writeLine("\(file) was damaged: " + report.problems.prefix(3).joined(separator: "; "))
            writeLine("moved it to \(aside) (kept, not deleted)")
            writeLine("saved \(report.savedTotal) leads into a new database\(counts)")
            if report.attemptsLost > 0 {
                writeLine(
                    "the attempt history of \(report.attemptsLost) leads could not be read (the leads were saved)")
            }
            if !report.lost.isEmpty {
                writeLine(
                    "could not read \(report.lost.count) leads: ids \(Self.ranges(report.lost)) "
                        + "(export them from a backup if you have one: leadconsole history --data-dir BACKUP_DIR)")
            }
            writeLine("next: leadconsole retry sends what is queued")
            if !report.lost.isEmpty { throw ExitCode(ExitStatus.invalidLead) }
        }
    }

    /// ": 3 queued, 40 accepted" in the states' order, or nothing.
    static func counts(_ saved: [LeadState: Int]) -> String {
        let parts = LeadState.allCases.compactMap { state in saved[state].map { "\($0) \(state.rawValue)" } }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    }

    /// "5-9, 42": ids in runs.
    static func ranges(_ ids: [Int64]) -> String {
        var runs: [(Int64, Int64)] = []
        for id in ids.sorted() {
            if let last = runs.last, last.1 + 1 == id { runs[runs.count - 1].1 = id } else { runs.append((id, id)) }
        }
        return runs.map { $0 == $1 ? "\($0)" : "\($0)-\($1)" }.joined(separator: ", ")
    }
}
