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
        environment: [String: String] = ProcessEnvironment.current()
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
