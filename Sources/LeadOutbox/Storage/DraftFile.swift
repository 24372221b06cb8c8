import ContactCards
import Foundation
import ParamantraAPI

/// The lead being typed when the console was ended from outside (an SSH session dropped:
/// SIGHUP; a shutdown: SIGTERM), with the badge scans that were waiting for the next form: each
/// is a customer nobody typed anywhere else. Kept in the data folder (0600: it is a customer's details) and
/// put back in the form by the next console start, once. Only a draft we wrote is read: a regular
/// file of ours, 0600, small; anything else another user could have planted (a file of theirs, a
/// FIFO that would block the start and receive the next draft, a 10 MB note) is left alone.
public struct DraftFile: Sendable {
    public let url: URL

    /// What was on the form, and the scans waiting behind it, in their order.
    public struct Draft: Sendable, Equatable, Codable {
        public var lead: Lead
        public var scans: [ScannedContact]

        public init(_ lead: Lead, scans: [ScannedContact] = []) {
            self.lead = lead
            self.scans = scans
        }
    }

    /// What the next start finds.
    public enum Found: Sendable, Equatable {
        case none
        case draft(Draft)
        /// Left where it is, and why (for one line on the screen).
        case refused(String)
    }

    /// One lead's fields' limits add up to under 64 KB, a scanned card's to a few; this holds a
    /// queue of a few hundred cards behind the lead, and still refuses a file nobody could type.
    static let maximumSize = 4 << 20

    public init(locations: DataLocations) {
        url = locations.dataDirectory.appendingPathComponent("draft.json")
    }

    /// Written as a new file (never through a link or into a file someone else made), then
    /// renamed over the old one.
    public func save(_ draft: Draft) throws {
        let data = try JSONEncoder().encode(draft)
        guard data.count <= Self.maximumSize else {
            throw StoreError.io(url.path, "the draft is \(data.count) bytes, more than \(Self.maximumSize)")
        }
        let temporary = url.path + ".\(getpid()).part"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreError.io(temporary, String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary, url.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw StoreError.io(url.path, why)
        }
    }

    /// The saved draft, removed as it is read. Opened without following a link and without
    /// blocking (a FIFO), and judged on the opened file, not on a name that could change.
    public func take() -> Found {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            return errno == ENOENT ? .none : .refused("\(url.path) was not loaded: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .refused("\(url.path) was not loaded: it cannot be read") }
        if let why = Self.refusal(info) { return .refused("\(url.path) was not loaded: \(why)") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        unlink(url.path)
        guard count == bytes.count, let draft = Self.decode(Data(bytes)) else {
            return .refused("\(url.path) was not loaded: it is not a draft this console wrote")
        }
        return .draft(draft)
    }

    /// A draft as written now, or as the release before wrote it: the lead alone.
    static func decode(_ data: Data) -> Draft? {
        if let draft = try? JSONDecoder().decode(Draft.self, from: data) { return draft }
        return (try? JSONDecoder().decode(Lead.self, from: data)).map { Draft($0) }
    }

    /// Why a file is not a draft of ours, or nil.
    static func refusal(_ info: stat, me: uid_t = geteuid()) -> String? {
        if info.st_mode & S_IFMT != S_IFREG { return "it is not a regular file" }
        if info.st_uid != me { return "it belongs to another user (\(TrustedPaths.userName(info.st_uid)))" }
        if info.st_mode & 0o077 != 0 {
            return "other users can open it (mode \(String(info.st_mode & 0o777, radix: 8)))"
        }
        if info.st_size > maximumSize { return "it is \(info.st_size) bytes, more than a lead" }
        return nil
    }
}
