import Foundation

/// `config.json`: read with a clear message for every problem, written atomically at 0600.
public struct SettingsFile: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The config folder or config.json breaks the trust rules (`TrustedPaths`).
        case untrusted(TrustedPaths.Problem)
        case unreadable(path: String, why: String)
        case malformed(path: String, line: Int, why: String)
        case invalid(path: String, why: String)

        public var description: String {
            switch self {
            case .untrusted(let problem): return problem.description
            case .unreadable(let path, let why): return "cannot read \(path): \(why)"
            case .malformed(let path, let line, let why):
                return "\(path) line \(line): \(why); fix the file or remove it and run: leadconsole config set-key"
            case .invalid(let path, let why): return "\(path): \(why)"
            }
        }
    }

    /// The settings in the file; defaults when there is no file yet. The folder and the file
    /// must pass the trust rules first, whether or not the key comes from here: a config.json
    /// planted by someone else would send the key to their endpoint.
    public func load() throws(Problem) -> Settings {
        if let problem = TrustedPaths.check(url.deletingLastPathComponent(), .configFolder) {
            throw .untrusted(problem)
        }
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            if errno == ENOENT { return Settings() }
            throw .unreadable(path: url.path, why: String(cString: strerror(errno)))
        }
        if let problem = TrustedPaths.check(url, .secretFile) { throw .untrusted(problem) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .unreadable(path: url.path, why: "permission denied")
        }
        return try Self.parse(data, path: url.path)
    }

    static func parse(_ data: Data, path: String) throws(Problem) -> Settings {
        let document: SettingsDocument
        do {
            document = try JSONDecoder().decode(SettingsDocument.self, from: data)
        } catch {
            throw Self.notAnObject(data, path: path)
        }
        var settings = Settings()
        for entry in document.entries {
            let name = entry.name
            // Found only for a problem: decoding and searching the text for every key was most
            // of the time `prompt` spent reading its settings before its first question (perf).
            var line: Int { Self.line(of: "\"\(name)\"", in: data) }
            guard let key = entry.key else {
                throw .malformed(path: path, line: line, why: SettingsError.unknownKey(name).description)
            }
            guard let text = entry.text else {
                throw .malformed(
                    path: path, line: line, why: "\(name) must be \(key.isFlag ? "true or false" : "a string")")
            }
            do {
                try settings.set(key, text)
            } catch {
                throw .malformed(path: path, line: line, why: error.description)
            }
        }
        return settings
    }

    /// Why `data` is no settings object: JSONSerialization finds the line of a syntax error
    /// (JSONDecoder's errors hold no position); valid JSON that is not an object says so.
    static func notAnObject(_ data: Data, path: String) -> Problem {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch {
            return .malformed(path: path, line: Self.errorLine(error, data: data), why: "not valid JSON")
        }
        return .malformed(path: path, line: 1, why: "expected a JSON object { \"api_key\": ... }")
    }

    /// Writes the settings: a new file created 0600, written, fsynced, then renamed over the old
    /// one and the folder fsynced. (Foundation's atomic write would create it 0644.)
    public func save(_ settings: Settings) throws(Problem) {
        let folder = url.deletingLastPathComponent()
        do {
            try PrivateFiles.ensureDirectory(folder, .configFolder)
        } catch StoreError.untrusted(let problem) {
            throw .untrusted(problem)
        } catch {
            throw .unreadable(path: folder.path, why: "\(error)")
        }
        if let problem = TrustedPaths.check(url, .secretFile) { throw .untrusted(problem) }
        var object: [String: Any] = [:]
        for key in Settings.Key.allCases {
            object[key.rawValue] = key.isFlag ? (settings[key] == "true") as Any : settings[key] as Any
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            throw .invalid(path: url.path, why: "cannot encode the settings")
        }
        let temporary = folder.appendingPathComponent(".config.json.\(getpid()).tmp")
        // A new file of ours: never through a link, never into a file someone else made.
        unlink(temporary.path)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .unreadable(path: temporary.path, why: String(cString: strerror(errno))) }
        let bytes = [UInt8](data) + [UInt8(ascii: "\n")]
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary.path, url.path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .unreadable(path: url.path, why: why)
        }
        let dirfd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// The 1-based line where `needle` first appears (the key a problem is about).
    static func line(of needle: String, in data: Data) -> Int {
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: needle) else { return 1 }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    /// Foundation reports the byte offset or line of a JSON error in its debug description.
    static func errorLine(_ error: any Error, data: Data) -> Int {
        let info = (error as NSError).userInfo
        let debug = (info["NSDebugDescription"] as? String) ?? "\(error)"
        if let match = debug.range(of: #"line (\d+)"#, options: .regularExpression),
            let number = Int(debug[match].dropFirst(5))
        {
            return number
        }
        // On Linux: "Invalid value around character 35." (a byte offset).
        var index = info["NSJSONSerializationErrorIndex"] as? Int
        if index == nil, let match = debug.range(of: #"character (\d+)"#, options: .regularExpression) {
            index = Int(debug[match].dropFirst(10))
        }
        if let index {
            return data.prefix(index).filter { $0 == UInt8(ascii: "\n") }.count + 1
        }
        return 1
    }
}

/// Settings as they apply: the file, with `PARAMANTRA_*` variables on top.
public struct EffectiveSettings: Sendable {
    public enum Source: String, Sendable {
        case file, environment
        case defaults = "default"
        /// The key, printed by `api_key_command` (never stored).
        case helper = "api_key_command"
    }

    public var settings: Settings
    public var sources: [Settings.Key: Source]

    public static let environmentNames: [Settings.Key: String] = [
        .endpoint: "PARAMANTRA_URL", .apiKey: "PARAMANTRA_API_KEY", .appName: "PARAMANTRA_APP_NAME"
    ]

    /// What to write to the file when the rep saves `edited`: a value that came from the
    /// environment and was left as it was keeps the file's own value, so a key given by
    /// PARAMANTRA_API_KEY or printed by api_key_command never ends up in config.json unless the
    /// rep typed it there.
    public func persistable(_ edited: Settings, file: Settings) -> Settings {
        var result = edited
        for (key, source) in sources where source != .file && source != .defaults && edited[key] == settings[key] {
            try? result.set(key, file[key])
            if key == .apiKey { result.apiKey = file.apiKey }  // set() trims; keep the file's exact key
        }
        return result
    }

    public static func resolve(file: Settings, fileExists: Bool, environment: [String: String]) throws(SettingsError)
        -> EffectiveSettings
    {
        var settings = file
        var sources: [Settings.Key: Source] = [:]
        for key in Settings.Key.allCases { sources[key] = fileExists ? .file : .defaults }
        for (key, name) in environmentNames {
            if let value = environment[name], !value.isEmpty {
                try settings.set(key, value)
                sources[key] = .environment
            }
        }
        return EffectiveSettings(settings: settings, sources: sources)
    }
}
