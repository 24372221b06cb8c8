import Foundation
import ParamantraAPI

/// The lead being typed when the console was ended from outside (an SSH session dropped:
/// SIGHUP; a shutdown: SIGTERM). Kept in the data folder (0600: it is a customer's details) and
/// put back in the form by the next console start, once.
public struct DraftFile: Sendable {
    public let url: URL

    public init(locations: DataLocations) {
        url = locations.dataDirectory.appendingPathComponent("draft.json")
    }

    public func save(_ lead: Lead) throws {
        let data = try JSONEncoder().encode(lead)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreError.io(url.path, String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw StoreError.io(url.path, String(cString: strerror(errno)))
        }
    }

    /// The saved draft, removed from disk as it is read; nil when there is none (or it is unreadable).
    public func take() -> Lead? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        try? FileManager.default.removeItem(at: url)
        return try? JSONDecoder().decode(Lead.self, from: data)
    }
}
