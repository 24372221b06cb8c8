import Foundation

/// Where LeadConsole keeps its files, by the XDG base-directory rules.
public struct DataLocations: Sendable, Hashable {
    public let dataDirectory: URL
    public let configDirectory: URL

    public var databaseFile: URL { dataDirectory.appendingPathComponent("leads.sqlite") }
    public var deliveryLockFile: URL { dataDirectory.appendingPathComponent("deliver.lock") }
    public var configFile: URL { configDirectory.appendingPathComponent("config.json") }

    public init(dataDirectory: URL, configDirectory: URL) {
        self.dataDirectory = dataDirectory
        self.configDirectory = configDirectory
    }

    /// Flags win over `LEADCONSOLE_DATA_DIR` / `LEADCONSOLE_CONFIG_DIR`, which win over
    /// `$XDG_DATA_HOME/leadconsole` and `$XDG_CONFIG_HOME/leadconsole` (default `~/.local/share`
    /// and `~/.config`).
    public static func resolve(dataDir: String? = nil, configDir: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> DataLocations {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
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
            configDirectory: pick(configDir, "LEADCONSOLE_CONFIG_DIR", "XDG_CONFIG_HOME", ".config"))
    }
}

/// Creating folders and files that only their owner can read.
enum PrivateFiles {
    /// Creates the folder (and parents) at 0700; an existing folder is tightened to 0700.
    static func ensureDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(url.path, 0o700)
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

public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case io(String, String)
    case database(String, String)
    case notFound(Int64)

    public var description: String {
        switch self {
        case .io(let path, let why): return "\(path): \(why)"
        case .database(let path, let why): return "the lead database \(path) cannot be used: \(why)"
        case .notFound(let id): return "no lead #\(id)"
        }
    }
}
