import Foundation
import TestSupport
import Testing

/// A second Unix user on this machine, for the trust rules: created with useradd when the tests
/// run as root (CI and the project machines do); without root the tests that need one are
/// skipped, and the trait says why.
enum OtherUser {
    static let name = "lc-other"

    static let uid: uid_t? = {
        guard geteuid() == 0 else { return nil }
        if let entry = getpwnam(name) { return entry.pointee.pw_uid }
        let useradd = ["/usr/sbin/useradd", "/sbin/useradd"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let useradd else { return nil }
        // Blocking, once, before any test of this suite talks to a server.
        var pid: pid_t = 0
        let arguments: [String] = [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        guard posix_spawn(&pid, useradd, nil, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return getpwnam(name).map { $0.pointee.pw_uid }
    }()

    static var available: Bool { uid != nil }

    /// Gives `path` to the other user, as if they had made it.
    static func own(_ path: String) {
        if let uid { chown(path, uid, uid) }
    }
}

/// A shared front-desk PC: another user can write where we read. Nothing of theirs is trusted,
/// nothing of theirs is changed.
@Suite("shared machine")
struct SharedMachineTests {
    static let lead = [
        "--first-name", "Asha", "--phone", "9876543210", "--subject", "Expo", "--channel", "Expo", "--rep", "smith"
    ]

    @Test(.enabled(if: OtherUser.available, "needs root to create a second Unix user (useradd)"))
    func aConfigPlantedInAWorldWritableFolderNeverGetsTheKey() async throws {
        try await SandboxEnvironment.with { env in
            // The "attacker's" endpoint is this sandbox: any request reaching it is a leak.
            let config = env.folder + "/config"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            chmod(config, 0o777)
            let planted = config + "/config.json"
            let json = #"{"endpoint": "\#(env.sandbox.endpoint.absoluteString)", "app_name": "CLITEST"}"#
            FileManager.default.createFile(
                atPath: planted, contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
            OtherUser.own(planted)
            var environment = env.environment
            // The key comes from the environment; the endpoint would come from the plant.
            environment["PARAMANTRA_URL"] = nil
            let submitted = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(submitted.status == 78)
            #expect(
                submitted.stderr.contains(
                    "\(config) can be written by other users (mode 777), who could plant a config.json; fix it with: chmod 700 \(config)"
                ),
                "\(submitted.stderr)")
            // set-key would write the key into that folder: refused the same way.
            let setKey = try await Binary.run(["config", "set-key"], environment: environment, stdin: env.key + "\n")
            #expect(setKey.status == 78 && setKey.stderr.contains("chmod 700 \(config)"), "\(setKey.stderr)")

            // The folder fixed, the file still someone else's: refused, naming the owner.
            chmod(config, 0o700)
            let stillPlanted = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(stillPlanted.status == 78)
            #expect(
                stillPlanted.stderr.contains("\(planted) belongs to another user (\(OtherUser.name))")
                    && stillPlanted.stderr.contains("fix it with: choose another path"), "\(stillPlanted.stderr)")
            // A hint never changes what is not ours: no chown, no rm.
            #expect(!stillPlanted.stderr.contains("chown") && !stillPlanted.stderr.contains("rm "))
            #expect(await env.sandbox.leadRequestCount() == 0)
            // Nothing of theirs was changed.
            #expect(Self.mode(planted) == 0o600 && Self.owner(planted) == OtherUser.uid)
        }
    }

    @Test(.enabled(if: OtherUser.available, "needs root to create a second Unix user (useradd)"))
    func aKeyFileOfAnotherUserIsRefused() async throws {
        try await SandboxEnvironment.with { env in
            let file = (NSTemporaryDirectory() as NSString).appendingPathComponent("key-\(UUID().uuidString)")
            FileManager.default.createFile(
                atPath: file, contents: Data((env.key + "\n").utf8), attributes: [.posixPermissions: 0o600])
            defer { unlink(file) }
            OtherUser.own(file)
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let refused = try await Binary.run(["submit", "--api-key-file", file] + Self.lead, environment: environment)
            #expect(refused.status == 78)
            #expect(refused.stderr.contains("\(file) belongs to another user (\(OtherUser.name))"), "\(refused.stderr)")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    /// A symbolic link another user planted: in a folder everyone can write, or in one of ours.
    /// Never followed, for reading settings, writing them or keeping leads.
    @Test(.enabled(if: OtherUser.available, "needs root to create a second Unix user (useradd)"))
    func aLinkAnotherUserPlantedIsNeverFollowed() async throws {
        try await SandboxEnvironment.with { env in
            // Their folder, with a config naming their endpoint (this sandbox: any request is a leak).
            let theirs = env.folder + "/theirs"
            try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
            let json = #"{"endpoint": "\#(env.sandbox.endpoint.absoluteString)", "app_name": "CLITEST"}"#
            FileManager.default.createFile(
                atPath: theirs + "/config.json", contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
            OtherUser.own(theirs + "/config.json")
            OtherUser.own(theirs)
            // A folder everyone can write, and one of ours, each with their link in it.
            let shared = env.folder + "/shared"
            let mine = env.folder + "/mine"
            for folder in [shared, mine] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: folder + "/lc", withDestinationPath: theirs)
                if let uid = OtherUser.uid { lchown(folder + "/lc", uid, uid) }
            }
            chmod(shared, 0o777)
            chmod(mine, 0o755)
            var environment = env.environment
            environment["PARAMANTRA_URL"] = nil
            let named = { (path: String) in (path as NSString).standardizingPath }
            for (folder, says) in [
                (shared, "\(named(shared)) can be written by other users (mode 777)"),
                (mine, "\(named(mine))/lc is a symbolic link made by another user (\(OtherUser.name))")
            ] {
                for command in [
                    ["submit", "--config-dir", folder + "/lc"] + Self.lead,
                    ["config", "set", "default_rep", "smith", "--config-dir", folder + "/lc"],
                    ["submit", "--no-wait", "--data-dir", folder + "/lc"] + Self.lead
                ] {
                    let refused = try await Binary.run(command, environment: environment)
                    #expect(refused.status == 78, "\(command): \(refused.stdout) \(refused.stderr)")
                    #expect(refused.stderr.contains(says), "\(command): \(refused.stderr)")
                }
            }
            #expect(await env.sandbox.leadRequestCount() == 0)
            // Nothing was written into their folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: theirs) == ["config.json"])
        }
    }

    /// A key helper that another user owns runs as us if we run it: never run, whatever its mode.
    @Test(.enabled(if: OtherUser.available, "needs root to create a second Unix user (useradd)"))
    func aKeyHelperOfAnotherUserIsNeverRun() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let folder = env.folder + "/bin"
            let helper = try KeyHelperTests.helper(in: folder, output: env.key + "\\n")
            chmod(helper, 0o755)
            let set = try await Binary.run(
                ["config", "set", "api_key_command", "'\(helper)'"], environment: environment)
            #expect(set.status == 0, "\(set.stderr)")
            OtherUser.own(helper)
            let refused = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(refused.status == 78, "\(refused.stdout) \(refused.stderr)")
            #expect(
                refused.stderr.contains("belongs to another user (\(OtherUser.name))")
                    && refused.stderr.contains("is not run"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/ran"), "the helper ran")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    /// A backup another user wrote (mode 0600, theirs) is not restored: they chose its rows.
    @Test(.enabled(if: OtherUser.available, "needs root to create a second Unix user (useradd)"))
    func aBackupOfAnotherUserIsNotRestored() async throws {
        try await SandboxEnvironment.with { env in
            let sent = try await Binary.run(["submit"] + Self.lead, environment: env.environment)
            #expect(sent.status == 0, "\(sent.stderr)")
            let stick = env.folder + "/stick"
            #expect(try await Binary.run(["backup", stick], environment: env.environment).status == 0)
            OtherUser.own(stick + "/leads.sqlite")
            let refused = try await Binary.run(["restore", "--force", stick], environment: env.environment)
            #expect(refused.status == 78, "\(refused.stdout) \(refused.stderr)")
            #expect(
                refused.stderr.contains("leads.sqlite belongs to another user (\(OtherUser.name))"),
                "\(refused.stderr)")
            #expect(!refused.stderr.contains("chown") && !refused.stderr.contains("rm "))
        }
    }

    /// What we print to fix a path is copied by people: it never removes anything, and never
    /// touches a system path.
    @Test(
        "hints never destroy",
        arguments: [
            (["submit", "--no-wait", "--api-key-file", "/root"], "/root"),
            (["history", "--data-dir", "/etc/passwd"], "/etc/passwd"),
            (["submit", "--no-wait", "--api-key-file", "/dev/null"], "/dev/null")
        ])
    func hintsNeverDestroy(arguments: [String], path: String) async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            let result = try await Binary.run(
                arguments + (arguments[0] == "submit" ? Self.lead : []), environment: environment)
            #expect(result.status != 0, "\(result.stdout)")
            #expect(result.stderr.contains(path), "\(result.stderr)")
            #expect(
                !result.stderr.contains("rm ") && !result.stderr.contains("chmod 600 \(path)")
                    && !result.stderr.contains("chmod 700 \(path)"), "\(result.stderr)")
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    @Test func aSharedFolderGivenAsDataFolderIsRefusedAndNeverChanged() async throws {
        let shared = NSTemporaryDirectory() + "/lc-shared-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: shared) }
        chmod(shared, 0o1777)  // like /tmp
        let environment = [
            "PARAMANTRA_URL": "http://127.0.0.1:9/paramantra/api/data/new/format/json",
            "PARAMANTRA_API_KEY": "shared-key-0123456789", "PARAMANTRA_APP_NAME": "SHARED"
        ]
        let result = try await Binary.run(
            ["submit", "--no-wait", "--data-dir", shared] + Self.lead, environment: environment)
        #expect(result.status == 78)
        #expect(
            result.stderr.contains("\(shared) is open to other users (mode 777)")
                && result.stderr.contains("chmod 700"),
            "\(result.stderr)")
        // Reading it is refused too: anyone could have put a database there.
        let history = try await Binary.run(["history", "--data-dir", shared])
        #expect(history.status == 78 && history.stderr.contains("\(shared) can be written by other users"))
        #expect(Self.mode(shared) == 0o1777)
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o7777
    }

    static func owner(_ path: String) -> uid_t {
        var info = stat()
        stat(path, &info)
        return info.st_uid
    }
}
