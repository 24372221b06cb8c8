import Foundation
import LeadOutbox

/// Where a file for a person to fix (`expo.rejected.csv`, `expo.crm-rejected.csv`) is written.
/// A person may have opened the last one in Excel and corrected rows in it: such a file is never
/// replaced. The name itself is used when nothing is there, or when what is there is byte for
/// byte what we wrote last (the history keeps its fingerprint); otherwise the first `-2`, `-3`
/// … name that is free, or ours and unchanged, and the edited file stays as it is.
public enum FixFile {
    public struct Place: Sendable {
        /// Where to write.
        public let url: URL
        /// The edited file left in place of `url`, when there was one.
        public let keptEdited: URL?
    }

    public static func place(_ wanted: URL, database: LeadDatabase) async throws -> Place {
        let base = wanted.deletingPathExtension()  // "expo.rejected"
        let ext = wanted.pathExtension  // "csv"
        var candidate = wanted
        var number = 1
        while true {
            if try await isReplaceable(candidate, database: database) {
                return Place(url: candidate, keptEdited: candidate == wanted ? nil : wanted)
            }
            number += 1
            candidate = URL(fileURLWithPath: base.path + "-\(number)").appendingPathExtension(ext)
        }
    }

    /// Nothing is there, or what is there is exactly what we wrote last.
    static func isReplaceable(_ url: URL, database: LeadDatabase) async throws -> Bool {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return true }
        guard info.st_mode & S_IFMT == S_IFREG, let found = FileFingerprint.of(url.path) else { return false }
        return try await database.writtenFingerprint(path: key(url)) == found
    }

    /// Notes what was just written at `url`, so that the next run may replace it while unchanged.
    public static func noteWritten(_ url: URL, database: LeadDatabase) async throws {
        guard let fingerprint = FileFingerprint.of(url.path) else { return }
        try await database.noteWritten(path: key(url), fingerprint: fingerprint)
    }

    /// The file's path with its folder resolved: the same file however it was named.
    static func key(_ url: URL) -> String {
        let folder = url.deletingLastPathComponent().path
        guard let resolved = realpath(folder, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + url.lastPathComponent
    }
}
