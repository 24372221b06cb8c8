import ArgumentParser
import Foundation
import LeadOutbox

/// `leadconsole backup DEST`: a consistent copy of the lead database, even while the console runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the lead database (while the console runs, too).",
        discussion: """
            DEST is a folder (the copy is DEST/leads.sqlite, so leadconsole history --data-dir DEST reads it) or a file ending in .sqlite. The copy is written beside its destination and renamed into place (a stick pulled out mid-copy leaves the previous copy whole), readable by its owner only (0600). The console keeps a rolling copy by itself when backup_dir is set (leadconsole config set backup_dir /media/usb/leads).

            Exit status: 0 written; 73/74 the database or the destination cannot be used; 78 the destination folder can be written by other users.
            """)

    @Argument(help: ArgumentHelp("A folder, or a file ending in .sqlite.", valueName: "dest"), completion: .file())
    var destination: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await failing {
            guard let database = try store.reader() else {
                throw CommandFailure(
                    message: "error: no lead database in \(store.locations.dataDirectory.path) yet: nothing to back up",
                    status: ExitStatus.noInput)
            }
            let target = Self.file(for: destination)
            let leads = try await DatabaseBackup.write(from: database, to: target)
            writeLine("backed up \(leads) lead\(leads == 1 ? "" : "s") to \(target.path) (readable by you only)")
        }
    }

    /// DEST/leads.sqlite for a folder, DEST itself for a .sqlite file.
    static func file(for destination: String) -> URL {
        let url = URL(fileURLWithPath: destination)
        return url.pathExtension == "sqlite" ? url : url.appendingPathComponent("leads.sqlite")
    }
}
