import Foundation
import GRDB

/// What the files we wrote for a person to fix held when we wrote them (`written_file`, v6), so
/// that a later run replaces such a file only while nobody has changed it.
extension LeadDatabase {
    /// The fingerprint of what we last wrote at `path`; nil when we never wrote there.
    public func writtenFingerprint(path: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT fingerprint FROM written_file WHERE path = ?"), arguments: [path])
        }
    }

    /// Notes that we just wrote `fingerprint` at `path`.
    public func noteWritten(path: String, fingerprint: String, now: Date = Date()) async throws {
        try await write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO written_file (path, fingerprint, written_at) VALUES (?, ?, ?)
                    ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint, written_at = excluded.written_at
                    """
            ).execute(arguments: [path, fingerprint, now.timeIntervalSince1970])
        }
    }
}

/// A file's content in a few bytes: its length and an FNV-1a hash of every byte, read a
/// megabyte at a time. It tells "exactly what we wrote" from "changed since"; it guards against
/// accidents (an edit in Excel), not against someone forging a file of the same hash.
public enum FileFingerprint {
    /// nil when the file cannot be read.
    public static func of(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = FNV1a()
        var length = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            length += chunk.count
            hash.add(chunk)
        }
        return "\(length):" + String(hash.value, radix: 16)
    }
}
