import Foundation
import Testing

@testable import LeadOutbox

/// The component-by-component rule over a table of owners, modes, sticky bits and links: a
/// file system in a dictionary, so every case is exact and no account is needed.
@Suite("path walk")
struct PathWalkTests {
    static let me: uid_t = 1000
    static let other: uid_t = 1001

    /// Folders, files and links by path; users 1000 ("me", private group 1000) and 1001.
    struct Table: PathWalk.FileSystem {
        var entries: [String: PathWalk.Entry]

        func entry(_ path: String) -> PathWalk.Entry? { entries[path] }
        func isPrivateGroup(_ group: gid_t, of user: uid_t) -> Bool { group == 1000 && user == 1000 }
        func userName(_ uid: uid_t) -> String { uid == 0 ? "root" : uid == 1000 ? "me" : "other" }
    }

    static func folder(_ owner: uid_t = 0, _ mode: mode_t = 0o755, group: gid_t = 0) -> PathWalk.Entry {
        PathWalk.Entry(owner: owner, group: group, mode: mode, kind: .directory)
    }

    static func link(_ owner: uid_t, to target: String) -> PathWalk.Entry {
        PathWalk.Entry(owner: owner, mode: 0o777, kind: .symlink, target: target)
    }

    static let system: [String: PathWalk.Entry] = [
        "/": folder(), "/home": folder(), "/home/me": folder(me, 0o750, group: 1000), "/tmp": folder(0, 0o1777),
        "/usr": folder(), "/usr/bin": folder(), "/bin": link(0, to: "usr/bin"),
        "/srv": folder(), "/srv/shared": folder(0, 0o777)
    ]

    func problem(_ path: String, _ extra: [String: PathWalk.Entry] = [:]) -> TrustedPaths.Problem? {
        let table = Table(entries: Self.system.merging(extra) { $1 })
        return PathWalk.problem(above: path, me: Self.me, on: table)
    }

    @Test func foldersOfYoursOrRootsThatNoOneElseWritesPass() {
        #expect(problem("/home/me/.config/leadconsole/config.json") == nil)
        // A group-writable folder of your own private group passes (Debian's user groups).
        #expect(problem("/home/me/g/x", ["/home/me/g": Self.folder(Self.me, 0o770, group: 1000)]) == nil)
        // The system's own link: /bin -> usr/bin, root's, in a folder no one else writes.
        #expect(problem("/bin/pass") == nil)
        // /tmp is sticky: an entry of yours in it passes.
        #expect(problem("/tmp/mine/leads", ["/tmp/mine": Self.folder(Self.me, 0o700)]) == nil)
        // Parts that do not exist yet are made by us.
        #expect(problem("/home/me/new/folder/file") == nil)
    }

    @Test func aFolderOnTheWayThatOthersCouldChangeIsNamed() {
        let shared = problem("/srv/shared/lc/config.json", ["/srv/shared/lc": Self.folder(Self.me, 0o700)])
        #expect(shared?.path == "/srv/shared" && shared?.what.contains("mode 777") == true)
        // Not yours to chmod: the fix is another path, never a command on someone else's folder.
        #expect(shared?.fix.hasPrefix("choose another path") == true)
        let groupOpen = problem("/home/me/g/x", ["/home/me/g": Self.folder(Self.me, 0o770, group: 50)])
        #expect(groupOpen?.path == "/home/me/g" && groupOpen?.fix == "chmod go-w /home/me/g")
        let theirs = problem("/home/me/o/x", ["/home/me/o": Self.folder(Self.other, 0o755)])
        #expect(theirs?.what.contains("belongs to another user (other)") == true)
        // In a sticky folder, an entry of another user's is not yours to trust.
        let planted = problem("/tmp/lc/x", ["/tmp/lc": Self.folder(Self.other, 0o700)])
        #expect(planted?.path == "/tmp/lc" && planted?.what.contains("where everyone may create files") == true)
    }

    @Test func aLinkIsTrustedOnlyWhenItsMakerAndItsTargetAre() {
        // A link another user planted in a folder everyone can write: refused, whatever it names.
        let planted = problem(
            "/srv/shared/lc-cfg/config.json",
            ["/srv/shared/lc-cfg": Self.link(Self.other, to: "/home/me/.config/leadconsole")])
        #expect(planted?.path == "/srv/shared" || planted?.path == "/srv/shared/lc-cfg")
        // A link of yours, in your folder, to a place that passes: followed and passed.
        #expect(
            problem(
                "/home/me/cfg/config.json",
                ["/home/me/cfg": Self.link(Self.me, to: "/home/me/.config/leadconsole")]) == nil)
        // A link of yours whose target lies below another user's folder: the target is walked.
        let target = problem(
            "/home/me/cfg/config.json",
            [
                "/home/me/cfg": Self.link(Self.me, to: "/home/other/lc"), "/home/other": Self.folder(Self.other, 0o755)
            ])
        #expect(target?.path == "/home/other")
        // A link of another user's in your own folder.
        let theirLink = problem("/home/me/l/x", ["/home/me/l": Self.link(Self.other, to: "/home/me")])
        #expect(theirLink?.what.contains("symbolic link made by another user (other)") == true)
        // A loop.
        let loop = problem(
            "/home/me/a/x",
            ["/home/me/a": Self.link(Self.me, to: "/home/me/b"), "/home/me/b": Self.link(Self.me, to: "/home/me/a")])
        #expect(loop?.what == "is a loop of symbolic links")
    }

    /// The hints of the rules never destroy: no rm, no chown, nothing on the system's paths.
    @Test func hintsOnlyTakeRightsAwayFromOthersOnPathsOfYours() {
        let me = geteuid()
        func fix(_ path: String, _ kind: TrustedPaths.Kind, mode: mode_t, owner: uid_t? = nil) -> String? {
            TrustedPaths.problem(
                path, kind, TrustedPaths.Facts(owner: owner ?? me, mode: mode, isDirectory: mode & S_IFMT == S_IFDIR),
                me: me)?.fix
        }
        // --api-key-file /root: a folder, not a file; never "rm -r /root".
        #expect(fix("/root", .secretFile, mode: S_IFDIR | 0o700)?.hasPrefix("choose another path") == true)
        // --data-dir /etc/passwd: not a folder; never "rm /etc/passwd".
        #expect(fix("/etc/passwd", .dataFolder, mode: S_IFREG | 0o644)?.hasPrefix("choose another path") == true)
        // --api-key-file /dev/null: not a regular file; never "chmod 600 /dev/null".
        #expect(fix("/dev/null", .secretFile, mode: S_IFCHR | 0o666)?.hasPrefix("choose another path") == true)
        // A folder of the system's that others may write is never chmod'ed by a hint.
        #expect(fix("/tmp", .dataFolder, mode: S_IFDIR | 0o1777)?.hasPrefix("choose another path") == true)
        #expect(fix("/etc/leadconsole", .configFolder, mode: S_IFDIR | 0o777)?.hasPrefix("choose another path") == true)
        // Your own folder under your home (root's too): chmod stays the good hint.
        #expect(
            fix("/root/.config/leadconsole", .configFolder, mode: S_IFDIR | 0o777)
                == "chmod 700 /root/.config/leadconsole")
        #expect(fix("/home/me/key", .secretFile, mode: S_IFREG | 0o644) == "chmod 600 /home/me/key")
        // Another user's: never chown.
        #expect(
            fix("/home/me/key", .secretFile, mode: S_IFREG | 0o600, owner: me + 1)?.hasPrefix("choose another path")
                == true)
    }

    /// Paths are walked by name: `.` and empty parts dropped, `..` takes one back (never above
    /// the root), and a relative path starts at the working folder.
    @Test func aPathIsMadeAbsoluteByName() {
        #expect(PathWalk.absolute("/") == "/")
        #expect(PathWalk.absolute("/..") == "/")
        #expect(PathWalk.absolute("//tmp/./x//") == "/tmp/x")
        #expect(PathWalk.absolute("/tmp/x/../../../etc/passwd") == "/etc/passwd")
        #expect(PathWalk.absolute("/home/me/a b/é") == "/home/me/a b/é")
        let here = FileManager.default.currentDirectoryPath
        #expect(PathWalk.absolute("notes/../key") == (here == "/" ? "" : here) + "/key")
    }
}
