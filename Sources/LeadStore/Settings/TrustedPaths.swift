import Foundation

/// Which files and folders LeadConsole trusts, as OpenSSH's StrictModes: a folder or file it
/// reads settings, keys or leads from must belong to the user running it (or to root) and must
/// not be writable by anyone else; a file holding the key must not be readable by anyone else;
/// the data folder (customers' details) must not be open to anyone else at all. Anything else
/// is refused with the path, what is wrong and the command that fixes it, before any network or
/// database work. Nothing here changes a mode: what we did not create, we do not touch.
public enum TrustedPaths {
    public enum Kind: Sendable, Equatable {
        /// The config folder: no one else may write in it (they could plant a config.json).
        case configFolder
        /// The data folder: no one else may read or write it (leads are customers' details).
        case dataFolder
        /// config.json or a key file: no one else may read or write it.
        case secretFile
        /// A folder holding a copy of the leads, to read (a backup on a stick or a CD) or to
        /// write a backup into: no one else may write in it. (The copy itself is 0600.)
        case backupFolder
        /// `$XDG_STATE_HOME/leadconsole`, where each data folder's marker is kept (how many leads
        /// it held): no one else may write in it (a planted marker could hold up every command).
        case stateFolder
        /// A marker file: no one else may write it.
        case stateFile
    }

    /// What `stat` said about a path, the part the rules look at.
    public struct Facts: Sendable, Equatable {
        public var owner: uid_t
        public var mode: mode_t
        public var isDirectory: Bool

        public init(owner: uid_t, mode: mode_t, isDirectory: Bool) {
            self.owner = owner
            self.mode = mode
            self.isDirectory = isDirectory
        }
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let what: String
        public let fix: String
        public var description: String { "\(path) \(what); fix it with: \(fix)" }
    }

    /// The rule, as a pure function: nil when `facts` are trusted for `kind` by user `me`.
    public static func problem(_ path: String, _ kind: Kind, _ facts: Facts, me: uid_t) -> Problem? {
        let permissions = facts.mode & 0o7777
        let octal = String(permissions & 0o777, radix: 8)
        let quoted = shellQuoted(path)
        if facts.owner != me && facts.owner != 0 {
            return Problem(
                path: path, what: "belongs to another user (\(userName(facts.owner))), who could change what it holds",
                fix: "sudo chown \(userName(me)) \(quoted)")
        }
        switch kind {
        case .configFolder:
            if !facts.isDirectory { return Problem(path: path, what: "is not a folder", fix: "rm \(quoted)") }
            if permissions & 0o022 != 0 {
                return Problem(
                    path: path, what: "can be written by other users (mode \(octal)), who could plant a config.json",
                    fix: "chmod 700 \(quoted)")
            }
        case .backupFolder:
            if !facts.isDirectory { return Problem(path: path, what: "is not a folder", fix: "rm \(quoted)") }
            if permissions & 0o022 != 0 {
                return Problem(
                    path: path,
                    what: "can be written by other users (mode \(octal)), who could replace the copy it holds",
                    fix: "chmod 700 \(quoted)")
            }
        case .stateFolder:
            if !facts.isDirectory { return Problem(path: path, what: "is not a folder", fix: "rm \(quoted)") }
            if permissions & 0o022 != 0 {
                return Problem(
                    path: path,
                    what:
                        "can be written by other users (mode \(octal)), who could plant a false record of how many leads an outbox held",
                    fix: "chmod 700 \(quoted)")
            }
        case .stateFile:
            if facts.isDirectory { return Problem(path: path, what: "is a folder, not a file", fix: "rm -r \(quoted)") }
            if permissions & 0o022 != 0 {
                return Problem(
                    path: path, what: "can be written by other users (mode \(octal))", fix: "chmod 600 \(quoted)")
            }
        case .dataFolder:
            if !facts.isDirectory { return Problem(path: path, what: "is not a folder", fix: "rm \(quoted)") }
            if permissions & 0o077 != 0 {
                return Problem(
                    path: path, what: "is open to other users (mode \(octal)) and holds customers' details",
                    fix: "chmod 700 \(quoted) (or choose another --data-dir)")
            }
        case .secretFile:
            if facts.isDirectory { return Problem(path: path, what: "is a folder, not a file", fix: "rm -r \(quoted)") }
            if permissions & 0o077 != 0 {
                return Problem(
                    path: path,
                    what: "holds the API key and can be \(access(permissions)) by other users (mode \(octal))",
                    fix: "chmod 600 \(quoted)")
            }
        }
        return nil
    }

    /// Checks the path as it is on disk (following a symbolic link to what it names); nil when
    /// it is trusted or does not exist.
    public static func check(_ url: URL, _ kind: Kind) -> Problem? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        let facts = Facts(owner: info.st_uid, mode: info.st_mode, isDirectory: info.st_mode & S_IFMT == S_IFDIR)
        return problem(url.path, kind, facts, me: geteuid())
    }

    /// "read", "written" or "read and written": what group and others may do with a file.
    static func access(_ permissions: mode_t) -> String {
        switch (permissions & 0o044 != 0, permissions & 0o022 != 0) {
        case (true, true): return "read and written"
        case (false, true): return "written"
        default: return "read"
        }
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// A path as it can be pasted into a shell.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+,:@%".contains($0) }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
