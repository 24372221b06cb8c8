import Foundation
import GRDB

/// A second copy of the lead database: a consistent snapshot taken with SQLite's online backup
/// while other processes write, written as a new file (0600) and renamed into place, so a copy
/// is always whole (a stick pulled out mid-copy leaves the previous one). The copy is a normal
/// database in rollback mode: one file, readable on read-only media (`history --data-dir`).
public enum DatabaseBackup {
    /// Copies `source` to `destination` (a file path). Returns how many leads the copy holds.
    public static func write(from source: LeadDatabase, to destination: URL) async throws -> Int {
        let folder = destination.deletingLastPathComponent()
        try PrivateFiles.ensureDirectory(folder, .backupFolder)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        unlink(temporary.path)
        // Created 0600 before SQLite opens it: SQLite would make it 0644 (less the umask).
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreError.io(temporary.path, String(cString: strerror(errno))) }
        close(fd)
        do {
            let count = try await offThePool {
                let copy = try DatabaseQueue(path: temporary.path)
                try source.pool.backup(to: copy)
                let count = try copy.writeWithoutTransaction { db -> Int in
                    try db.execute(sql: "PRAGMA journal_mode = DELETE")
                    return try Int.fetchOne(db, sql: "SELECT count(*) FROM lead") ?? 0
                }
                try copy.close()
                return count
            }
            try PrivateFiles.syncFile(temporary.path)
            guard rename(temporary.path, destination.path) == 0 else {
                throw StoreError.io(destination.path, String(cString: strerror(errno)))
            }
            try PrivateFiles.syncFile(folder.path)
            return count
        } catch {
            unlink(temporary.path)
            if let error = error as? StoreError { throw error }
            let failure = StorageFailure.of(error, at: destination.path)
            // SQLite says "error 13: not an error" here (the copy's own connection has no error):
            // say what happened, about the copy, not the lead database.
            if failure == .full {
                throw StoreError.io(
                    destination.path,
                    "the disk is full: no copy was written (a copy already there is as it was); free some space, or back up to another folder"
                )
            }
            throw StoreError.database(destination.path, "\(error)", failure)
        }
    }
}
