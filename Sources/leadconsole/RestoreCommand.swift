import ArgumentParser
import Foundation
import LeadOutbox

/// `leadconsole restore FILE`: a backup back in place of the lead database.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back as the lead database (refusing to lose leads it lacks).",
        discussion: """
            FILE is a backup written by leadconsole backup (a .sqlite file, or a folder holding leads.sqlite). It must pass SQLite's integrity check. A current database holding leads the backup lacks is not replaced unless --force is given; a replaced database is kept beside it (leads.sqlite.replaced-TIME), never deleted. Run it with no console, import or retry running on the same data folder.

            Exit status: 0 restored, nothing missing; 65 the backup is damaged, or restoring would lose leads (without --force), or it was restored but lacks leads this data folder gave after it was made (their ids are printed); 66 no such backup; 73/74 the data folder cannot be used; 75 another leadconsole is using the data folder; 78 a folder fails the trust rules.
            """)

    @Argument(
        help: ArgumentHelp("The backup: a .sqlite file or a folder holding leads.sqlite.", valueName: "file"),
        completion: .file())
    var backup: String
    @Flag(help: "Replace the current database even if it holds leads the backup lacks (it is kept beside it).")
    var force = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await failing {
            let file = BackupCommand.file(for: backup)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw CommandFailure(message: "error: no backup at \(file.path)", status: ExitStatus.noInput)
            }
            // The backup and every folder above it: yours or root's, changed by no one else.
            for (path, kind) in [
                (file.deletingLastPathComponent(), TrustedPaths.Kind.backupFolder), (file, .backupFile)
            ] {
                if let problem = TrustedPaths.check(path, kind) {
                    throw CommandFailure(message: "error: \(problem)", status: ExitStatus.configuration)
                }
            }
            let folder = store.locations.dataDirectory
            // The data folder made (0700) or checked, for the lock taken in it.
            try LeadDatabase.prepareFolder(folder)
            let lock = try store.exclusiveLock(for: "restore")
            defer { withExtendedLifetime(lock) {} }
            do {
                let report = try await DatabaseRestore.run(
                    backup: file, into: folder, force: force, marker: store.locations.marker)
                writeLine(
                    "restored \(report.leads) lead\(report.leads == 1 ? "" : "s") from \(file.path)"
                        + (report.keptAt.map { "; the database it replaced is kept as \($0)" } ?? ""))
                if !report.leftBehind.isEmpty {
                    writeLine(
                        "left behind what LeadConsole did not make (never created here): "
                            + report.leftBehind.joined(separator: ", "))
                }
                if !report.notInBackup.isEmpty {
                    let missing = report.notInBackup
                    let count = IDRanges.count(missing)
                    let which = count == 1 ? "lead #\(missing[0].lowerBound) is" : "leads \(IDRanges.text(missing)) are"
                    writeLine(
                        "this folder gave lead ids up to \(missing.last!.upperBound); \(which) not in the backup (saved after it was made): recorded as lost, new leads get ids from \(missing.last!.upperBound + 1)"
                    )
                    if let kept = report.keptAt { writeLine("the database it replaced may hold them: \(kept)") }
                    throw ExitCode(ExitStatus.invalidLead)
                }
            } catch let refusal as DatabaseRestore.Refusal {
                throw CommandFailure(message: "error: \(refusal)", status: ExitStatus.invalidLead)
            }
        }
    }
}
