import Foundation

/// Where LeadConsole keeps its files, by the XDG base-directory rules.
public struct DataLocations: Sendable, Hashable {
    public let dataDirectory: URL
    public let configDirectory: URL
    /// Where the outbox's marker is kept (`OutboxMarker`): `$XDG_STATE_HOME/leadconsole`. nil
    /// for a throw-away history (`--demo`), which keeps none.
    public let stateDirectory: URL?

    public var databaseFile: URL { Self.file("leads.sqlite", in: dataDirectory) }
    public var deliveryLockFile: URL { Self.file("deliver.lock", in: dataDirectory) }
    public var configFile: URL { Self.file("config.json", in: configDirectory) }

    /// A file in a folder, from the folder's path: URL.appendingPathComponent builds a Set inside
    /// Foundation, and its first use makes the runtime scan every conformance record (0.4 ms
    /// before the console's first frame, which reads the config file).
    static func file(_ name: String, in folder: URL) -> URL {
        let path = folder.path
        return URL(fileURLWithPath: (path.hasSuffix("/") ? path : path + "/") + name, isDirectory: false)
    }

    public init(dataDirectory: URL, configDirectory: URL, stateDirectory: URL? = nil) {
        self.dataDirectory = dataDirectory
        self.configDirectory = configDirectory
        self.stateDirectory = stateDirectory
    }

    /// The marker of this data folder; nil when there is no state folder (`--demo`).
    public var marker: OutboxMarker? {
        stateDirectory.map { OutboxMarker(stateDirectory: $0, dataDirectory: dataDirectory) }
    }

    /// Flags win over `LEADCONSOLE_DATA_DIR` / `LEADCONSOLE_CONFIG_DIR`, which win over
    /// `$XDG_DATA_HOME/leadconsole` and `$XDG_CONFIG_HOME/leadconsole` (default `~/.local/share`
    /// and `~/.config`). The marker goes to `$XDG_STATE_HOME/leadconsole` (`~/.local/state`).
    public static func resolve(
        dataDir: String? = nil, configDir: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DataLocations {
        let home =
            environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        func pick(_ flag: String?, _ variable: String, _ xdg: String, _ fallback: String) -> URL {
            if let flag, !flag.isEmpty { return URL(fileURLWithPath: flag) }
            if let value = environment[variable], !value.isEmpty { return URL(fileURLWithPath: value) }
            // XDG says a relative XDG_* value is invalid and must be ignored.
            if let base = environment[xdg], base.hasPrefix("/") {
                return URL(fileURLWithPath: base).appendingPathComponent("leadconsole")
            }
            return home.appendingPathComponent(fallback).appendingPathComponent("leadconsole")
        }
        return DataLocations(
            dataDirectory: pick(dataDir, "LEADCONSOLE_DATA_DIR", "XDG_DATA_HOME", ".local/share"),
            configDirectory: pick(configDir, "LEADCONSOLE_CONFIG_DIR", "XDG_CONFIG_HOME", ".config"),
            stateDirectory: pick(nil, "", "XDG_STATE_HOME", ".local/state"))
    }
}

/// Creating folders and files that only their owner can read.
enum PrivateFiles {
    /// A folder we use: created (with its missing parents) at 0700 when missing; when it exists,
    /// checked by the trust rules and never changed (we do not chmod what we did not create).
    static func ensureDirectory(_ url: URL, _ kind: TrustedPaths.Kind) throws {
        var missing: [URL] = []
        var folder = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            missing.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for created in missing.reversed() {
            // mkdir with 0700 (less the umask, which only takes away): never wider than that.
            if mkdir(created.path, 0o700) != 0 && errno != EEXIST {
                throw StoreError.io(created.path, String(cString: strerror(errno)))
            }
        }
        if let problem = TrustedPaths.check(url, kind) { throw StoreError.untrusted(problem) }
    }

    /// Creates an empty file at 0600 unless it exists. SQLite gives its -wal and -shm files the
    /// database file's mode, so creating the database file this way keeps all three private.
    static func ensureFile(_ url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io(url.path, String(cString: strerror(errno)))
        }
        close(fd)
    }
}

/// What went wrong with the files under the outbox, kept apart so a script can tell a full disk
/// or a damaged database (exit 73, 74) from a lead the CRM refused (exit 1).
public enum StorageFailure: String, Sendable, Equatable {
    /// The disk (or the file system's quota) is full.
    case full
    /// The operating system could not read or write the file.
    case io
    /// The file is not a database, or its pages are damaged.
    case corrupt
    /// The folder's marker says the database held more leads than it does: the file was
    /// emptied, cut short, replaced by an older copy, or its header damaged (`OutboxMarker`).
    case missingLeads
    /// Another process held the database longer than the busy timeout.
    case locked
    /// The file or its folder cannot be written or opened.
    case notWritable
    case other

    /// What to do about it, for the message.
    public var fix: String {
        switch self {
        case .full: return "the disk is full: free some space and run the command again (nothing already saved is lost)"
        case .io: return "the disk could not read or write it: check the disk (dmesg), then run the command again"
        case .corrupt:
            return
                "the database is damaged: run leadconsole doctor (it keeps the damaged file and rebuilds the outbox from every lead it can read)"
        case .missingLeads:
            return
                "run leadconsole doctor (it reads whatever is left of them), or put a backup back with leadconsole restore FILE; to start afresh knowing they are gone: leadconsole doctor --accept-loss"
        case .locked: return "another program held it too long: close other leadconsole windows and try again"
        case .notWritable: return "it cannot be opened for writing: check the folder's owner and permissions"
        case .other: return "see the message above"
        }
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case io(String, String)
    /// A folder or file the trust rules refuse (see `TrustedPaths`).
    case untrusted(TrustedPaths.Problem)
    case database(String, String, StorageFailure = .other)
    case notFound(Int64)

    public var description: String {
        switch self {
        case .io(let path, let why): return "\(path): \(why)"
        case .untrusted(let problem): return problem.description
        case .database(let path, let why, let failure):
            return "the lead database \(path) cannot be used: \(why)" + (failure == .other ? "" : "; \(failure.fix)")
        case .notFound(let id): return "no lead #\(id)"
        }
    }
}
