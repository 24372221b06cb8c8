import Foundation

/// Every component of a path, from `/` down, checked as OpenSSH checks the path of a key file
/// (its `safe_path`, with Debian's allowance for a private group): whoever can change a folder
/// on the way can swap what lies below it. A folder on the way must belong to you or root and
/// must not be writable by others, nor by its group unless that group is yours alone; a sticky
/// folder everyone can write (`/tmp`) passes when the entry in it is yours or root's. A symbolic
/// link must belong to you or root (its own mode means nothing on Linux); its target is then
/// walked the same way, so `/bin -> usr/bin` passes and a link another user planted does not.
public enum PathWalk {
    /// What `lstat` says of one path (and `readlink`, for a link).
    public struct Entry: Sendable, Equatable {
        public var owner: uid_t
        public var group: gid_t
        public var mode: mode_t
        public var kind: Kind
        /// A link's target as stored (relative to the link's folder unless it starts with `/`).
        public var target: String?

        public enum Kind: Sendable, Equatable {
            case directory
            case symlink
            case other
        }

        public init(owner: uid_t, group: gid_t = 0, mode: mode_t, kind: Kind, target: String? = nil) {
            self.owner = owner
            self.group = group
            self.mode = mode
            self.kind = kind
            self.target = target
        }
    }

    /// Where the facts come from: the disk, or a table in a test.
    public protocol FileSystem {
        func entry(_ path: String) -> Entry?
        /// The group is `user`'s own private group: named as the user, no other member.
        func isPrivateGroup(_ group: gid_t, of user: uid_t) -> Bool
        func userName(_ uid: uid_t) -> String
    }

    /// The folders above `path` and the links on the way to it: nil when all pass (parts that
    /// do not exist yet pass: LeadConsole makes them 0700). `path` itself is left to the rules
    /// of its kind (`TrustedPaths.problem`), but for a link it is: the link and its target's
    /// folders are walked here.
    public static func problem(above path: String, me: uid_t, on disk: any FileSystem = Disk()) -> TrustedPaths.Problem?
    {
        var links = 0
        return walk(absolute(path), me: me, disk: disk, links: &links)
    }

    /// The deepest links we follow before calling the path a loop (as the kernel's ELOOP).
    static let maximumLinks = 40

    private static func walk(_ path: String, me: uid_t, disk: any FileSystem, links: inout Int) -> TrustedPaths.Problem?
    {
        let parts = path.split(separator: "/").map(String.init)
        if let problem = folderProblem("/", disk.entry("/"), me: me, disk: disk) { return problem }
        var folder = "/"
        var folderIsSticky = isStickyOpen(disk.entry("/"))
        for (index, name) in parts.enumerated() {
            let current = folder == "/" ? "/" + name : folder + "/" + name
            // A part that does not exist yet is made by us (0700), and so is all below it.
            guard let entry = disk.entry(current) else { return nil }
            let isLast = index == parts.count - 1
            if folderIsSticky, entry.owner != me, entry.owner != 0 {
                return TrustedPaths.Problem(
                    path: current,
                    what:
                        "belongs to another user (\(disk.userName(entry.owner))) and sits in \(folder), where everyone may create files",
                    fix: TrustedPaths.elsewhere(current))
            }
            if entry.kind == .symlink {
                if entry.owner != me, entry.owner != 0 {
                    return TrustedPaths.Problem(
                        path: current,
                        what:
                            "is a symbolic link made by another user (\(disk.userName(entry.owner))), who could point it anywhere",
                        fix: TrustedPaths.elsewhere(current))
                }
                links += 1
                guard links <= maximumLinks, let target = entry.target else {
                    return TrustedPaths.Problem(
                        path: current, what: "is a loop of symbolic links", fix: TrustedPaths.elsewhere(current))
                }
                let resolved = target.hasPrefix("/") ? target : (folder == "/" ? "/" : folder + "/") + target
                let rest = parts[(index + 1)...].joined(separator: "/")
                return walk(
                    absolute(rest.isEmpty ? resolved : resolved + "/" + rest), me: me, disk: disk, links: &links)
            }
            if isLast { return nil }
            if let problem = folderProblem(current, entry, me: me, disk: disk) { return problem }
            folder = current
            folderIsSticky = isStickyOpen(entry)
        }
        return nil
    }

    /// A folder on the way: yours or root's, writable by no one else (see above).
    static func folderProblem(_ path: String, _ entry: Entry?, me: uid_t, disk: any FileSystem) -> TrustedPaths.Problem?
    {
        guard let entry else { return nil }
        guard entry.kind == .directory else {
            return TrustedPaths.Problem(path: path, what: "is not a folder", fix: TrustedPaths.elsewhere(path))
        }
        if entry.owner != me, entry.owner != 0 {
            return TrustedPaths.Problem(
                path: path,
                what: "belongs to another user (\(disk.userName(entry.owner))), who could change what lies below it",
                fix: TrustedPaths.elsewhere(path))
        }
        let permissions = entry.mode & 0o7777
        // Sticky (as /tmp): others may add entries but not touch ours; the entry is judged instead.
        let sticky = permissions & 0o1000 != 0
        let othersWrite = permissions & 0o002 != 0 && !sticky
        let groupWrite = permissions & 0o020 != 0 && !sticky && !disk.isPrivateGroup(entry.group, of: me)
        guard othersWrite || groupWrite else { return nil }
        return TrustedPaths.Problem(
            path: path,
            what:
                "can be written by other users (mode \(String(permissions, radix: 8))), who could replace what lies below it",
            fix: TrustedPaths.removeOthersWrite(path, owner: entry.owner, me: me))
    }

    /// Writable by everyone but sticky: only an entry's owner may remove or rename it.
    static func isStickyOpen(_ entry: Entry?) -> Bool {
        guard let entry, entry.kind == .directory else { return false }
        return entry.mode & 0o1000 != 0 && entry.mode & 0o022 != 0
    }

    /// `path` made absolute (against the working folder), with `.` and `..` resolved by name.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in full.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(String(part))
            }
        }
        // Appended by hand, String to String: `joined(separator:)` and appending a Substring
        // are generic over their sequence, and their first call looked its type up by name at
        // every start (perf, before prompt's first question).
        var absolute = ""
        absolute.reserveCapacity(full.utf8.count)
        for part in parts {
            absolute += "/"
            absolute += part
        }
        return absolute.isEmpty ? "/" : absolute
    }

    /// The real file system.
    public struct Disk: FileSystem {
        public init() {}

        public func entry(_ path: String) -> Entry? {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            let type = info.st_mode & S_IFMT
            var target: String?
            if type == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(path, &buffer, buffer.count - 1)
                if count >= 0 {
                    target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
            return Entry(
                owner: info.st_uid, group: info.st_gid, mode: info.st_mode,
                kind: type == S_IFDIR ? .directory : type == S_IFLNK ? .symlink : .other, target: target)
        }

        public func isPrivateGroup(_ group: gid_t, of user: uid_t) -> Bool {
            guard let account = getpwuid(user), let entry = getgrgid(group), let groupName = entry.pointee.gr_name,
                let userName = account.pointee.pw_name, String(cString: groupName) == String(cString: userName)
            else { return false }
            var member = entry.pointee.gr_mem
            while let name = member?.pointee {
                if String(cString: name) != String(cString: userName) { return false }
                member = member?.advanced(by: 1)
            }
            return true
        }

        public func userName(_ uid: uid_t) -> String { TrustedPaths.userName(uid) }
    }
}
