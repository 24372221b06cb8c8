import Foundation
import Synchronization

/// How many leads a data folder ever held, kept outside it: one small file per folder under
/// `$XDG_STATE_HOME/leadconsole/`, keyed by the folder's real path. A database file emptied,
/// cut short, replaced by an older copy or damaged in its header then no longer passes for a
/// new, empty outbox: its highest lead id is below the one recorded here.
///
/// Rewritten (by rename) whenever the highest id grows, never fsync'd: a marker a few leads
/// behind after a power cut still tells an emptied file from a new one, and saving a lead does
/// not pay for a second sync. Read-only commands read it and never write it; `--demo` has none.
public final class OutboxMarker: Sendable {
    /// What the marker says.
    public struct Record: Codable, Equatable, Sendable {
        /// The data folder's real path (a check against a hash collision of file names).
        public var dataDirectory: String
        /// The highest lead id the folder's database gave.
        public var highestID: Int64
        /// Leads the database held when the marker was written.
        public var leads: Int64
        public var at: Date

        enum CodingKeys: String, CodingKey {
            case dataDirectory = "data_dir"
            case highestID = "highest_id"
            case leads
            case at
        }
    }

    public let folder: URL
    public let file: URL
    /// The data folder's real path.
    public let dataDirectory: String
    /// The highest id written by this process, so that a save that does not grow it writes nothing.
    private let written = Mutex<Int64>(0)

    /// The marker of `dataDirectory` in `stateDirectory` (`$XDG_STATE_HOME/leadconsole`).
    public init(stateDirectory: URL, dataDirectory: URL) {
        folder = stateDirectory
        let real = Self.realPath(dataDirectory)
        self.dataDirectory = real
        file = DataLocations.file("outbox-\(Self.key(real)).json", in: stateDirectory)
    }

    /// The record; nil when there is none, or it is for another folder or unreadable (a marker
    /// is a witness, not the record of the leads: a broken one is as good as none). A marker or
    /// folder another user could have planted is refused: it could hold up every command.
    public func read() throws -> Record? {
        if let problem = TrustedPaths.check(folder, .stateFolder) { throw StoreError.untrusted(problem) }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < 4096 else { return nil }
        if let problem = TrustedPaths.problem(
            file.path, .stateFile,
            TrustedPaths.Facts(owner: info.st_uid, mode: info.st_mode, isDirectory: false), me: geteuid())
        {
            throw StoreError.untrusted(problem)
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        guard count == bytes.count, let record = try? Self.decoder.decode(Record.self, from: Data(bytes)),
            record.dataDirectory == dataDirectory
        else { return nil }
        return record
    }

    /// Records that the database gave ids up to `highestID` and holds `leads` leads, when that
    /// is more than the marker says. Never fails a save: an unwritable state folder only costs
    /// the check this marker makes possible.
    public func note(highestID: Int64, leads: Int64, now: Date = Date()) {
        guard highestID > written.withLock({ $0 }) else { return }
        if let known = try? read(), known.highestID >= highestID {
            written.withLock { $0 = max($0, known.highestID) }
            return
        }
        do {
            try write(Record(dataDirectory: dataDirectory, highestID: highestID, leads: leads, at: now))
            written.withLock { $0 = max($0, highestID) }
        } catch {
            // See above: the lead is in the database whatever happens here.
        }
    }

    /// Writes `record` as the marker, by rename (a reader sees the old file or the new one).
    public func write(_ record: Record) throws {
        try PrivateFiles.ensureDirectory(folder, .stateFolder)
        let data = try Self.encoder.encode(record)
        let temporary = file.path + ".\(getpid()).part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreError.io(temporary, String(cString: strerror(errno))) }
        let count = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard count == data.count, rename(temporary, file.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw StoreError.io(file.path, why)
        }
    }

    /// The folder's path with every symbolic link and `..` resolved (as given when it does
    /// not exist yet).
    static func realPath(_ url: URL) -> String {
        guard let resolved = realpath(url.path, nil) else { return url.standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// FNV-1a, 64 bits, of the path: a file name of fixed length for a path of any length.
    static func key(_ path: String) -> String {
        var hash = FNV1a()
        hash.add(path.utf8)
        return hash.hex
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
