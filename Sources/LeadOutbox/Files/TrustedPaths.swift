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
        /// A program we run (`api_key_command`): no one else may change it.
        case program
        /// A backup to restore: yours or root's, and no one else may change it.
        case backupFile
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
        if facts.owner != me && facts.owner != 0 {
            return Problem(
                path: path, what: "belongs to another user (\(userName(facts.owner))), who could change what it holds",
                fix: elsewhere(path))
        }
        let type = facts.mode & S_IFMT
        let isFile = !facts.isDirectory && (type == 0 || type == S_IFREG)
        func tooOpen(_ what: String, _ mode: String) -> Problem {
            Problem(path: path, what: what, fix: restrict(path, to: mode, owner: facts.owner, me: me))
        }
        switch kind {
        case .configFolder, .backupFolder, .stateFolder, .dataFolder:
            if !facts.isDirectory { return Problem(path: path, what: "is not a folder", fix: elsewhere(path)) }
        case .secretFile, .stateFile, .program, .backupFile:
            if facts.isDirectory { return Problem(path: path, what: "is a folder, not a file", fix: elsewhere(path)) }
            if !isFile { return Problem(path: path, what: "is not a regular file", fix: elsewhere(path)) }
        }
        switch kind {
        case .configFolder where permissions & 0o022 != 0:
            return tooOpen("can be written by other users (mode \(octal)), who could plant a config.json", "700")
        case .backupFolder where permissions & 0o022 != 0:
            return tooOpen("can be written by other users (mode \(octal)), who could replace the copy it holds", "700")
        case .stateFolder where permissions & 0o022 != 0:
            return tooOpen(
                "can be written by other users (mode \(octal)), who could plant a false record of how many leads an outbox held",
                "700")
        case .stateFile where permissions & 0o022 != 0:
            return tooOpen("can be written by other users (mode \(octal))", "600")
        case .backupFile where permissions & 0o022 != 0:
            return tooOpen("can be written by other users (mode \(octal)), who could have put anything in it", "go-w")
        case .program where permissions & 0o022 != 0:
            return tooOpen(
                "can be changed by other users (mode \(octal)), and would run as you with your API key in reach", "go-w"
            )
        case .dataFolder where permissions & 0o077 != 0:
            var problem = tooOpen("is open to other users (mode \(octal)) and holds customers' details", "700")
            if problem.fix.hasPrefix("chmod") {
                problem = Problem(path: path, what: problem.what, fix: problem.fix + " (or choose another --data-dir)")
            }
            return problem
        case .secretFile where permissions & 0o077 != 0:
            return tooOpen(
                "holds the API key and can be \(access(permissions)) by other users (mode \(octal))", "600")
        default:
            return nil
        }
    }

    /// Checks the path as it is on disk: every folder above it and every link on the way
    /// (`PathWalk`), then what it names by the rules of its kind. nil when it is trusted or does
    /// not exist.
    public static func check(_ url: URL, _ kind: Kind) -> Problem? {
        let me = geteuid()
        if let problem = PathWalk.problem(above: url.path, me: me) { return problem }
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        let facts = Facts(owner: info.st_uid, mode: info.st_mode, isDirectory: info.st_mode & S_IFMT == S_IFDIR)
        return problem(url.path, kind, facts, me: me)
    }

    // MARK: - Hints that never destroy

    /// Paths whose mode a hint never changes (the system's), though we may be root: these
    /// themselves, and everything under the second list.
    static let systemPaths: Set<String> = [
        "/", "/root", "/home", "/tmp", "/var", "/var/tmp", "/usr", "/opt", "/srv", "/mnt", "/media", "/run"
    ]
    static let systemTrees = [
        "/etc", "/dev", "/proc", "/sys", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/run"
    ]

    static func isSystemPath(_ path: String) -> Bool {
        let path = PathWalk.absolute(path)
        return systemPaths.contains(path) || systemTrees.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// The fix for a path we must not use: another one (never rm, chown or anything on the system).
    static func elsewhere(_ path: String) -> String {
        "choose another path instead of \(shellQuoted(path)) (a folder of your own, e.g. under your home folder)"
    }

    /// `chmod MODE PATH` when the path is yours and not the system's: that only takes rights
    /// away from others. Anything else: another path.
    static func restrict(_ path: String, to mode: String, owner: uid_t, me: uid_t) -> String {
        guard owner == me, !isSystemPath(path) else { return elsewhere(path) }
        return "chmod \(mode) \(shellQuoted(path))"
    }

    /// For a folder on the way that others can write: `chmod go-w`, on the same terms.
    static func removeOthersWrite(_ path: String, owner: uid_t, me: uid_t) -> String {
        restrict(path, to: "go-w", owner: owner, me: me)
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
