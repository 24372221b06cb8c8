import Foundation
import TestSupport
import Testing

/// `history` and `export` only read: no write lock, nothing created, so they work while another
/// process writes and on read-only media.
@Suite("readers read")
struct ReadersTests {
    /// A data folder with `count` queued leads, written by the binary (no network: --no-wait).
    static func folderWithLeads(_ count: Int) async throws -> (folder: String, environment: [String: String]) {
        let folder = NSTemporaryDirectory() + "/lc-readers-\(UUID().uuidString)"
        let environment = [
            "PARAMANTRA_URL": "http://127.0.0.1:9/paramantra/api/data/new/format/json",
            "PARAMANTRA_API_KEY": "reader-key-0123456789", "PARAMANTRA_APP_NAME": "READERS",
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config"
        ]
        for index in 0..<count {
            let queued = try await Binary.run(
                [
                    "submit", "--no-wait", "--first-name", "Reader\(index)", "--phone", "98765432\(10 + index)",
                    "--subject", "Expo", "--channel", "Expo", "--rep", "smith"
                ], environment: environment)
            #expect(queued.status == 0, "\(queued.stderr)")
        }
        return (folder, environment)
    }

    @Test func historyReadsWhileAnotherProcessHoldsTheWriteLock() async throws {
        let (folder, environment) = try await Self.folderWithLeads(2)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Another process in the middle of a long write transaction (longer than the 10 s a
        // writer waits for the lock).
        let script = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=1)
            c.execute("BEGIN IMMEDIATE")
            c.execute("UPDATE lead SET notes = notes WHERE id = 1")
            print("locked", flush=True)
            time.sleep(120)
            """
        let writer = try Spawn.start("/usr/bin/python3", ["-c", script, folder + "/data/leads.sqlite"])
        defer { writer.signal(SIGKILL) }
        #expect(await waitUntil { writer.stdout.contains("locked") }, "\(writer.stderr)")
        let history = try await Binary.run(["history"], environment: environment)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("Reader0") && history.stdout.contains("Reader1"))
        let export = try await Binary.run(["export", "--format", "json"], environment: environment)
        #expect(export.status == 0 && export.stdout.contains("Reader1"), "\(export.stderr)")
    }

    @Test func timesAreTheRepsLocalTimeWithTheZone() async throws {
        let (folder, environment) = try await Self.folderWithLeads(1)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let india = environment.merging(["TZ": "Asia/Kolkata"]) { $1 }
        let history = try await Binary.run(["history"], environment: india)
        #expect(history.stdout.contains(" +0530  queued"), "\(history.stdout)")
        let csv = try await Binary.run(["export"], environment: india)
        let row = csv.stdout.split(separator: "\r\n")[1]
        #expect(row.split(separator: ",")[1].hasSuffix("+05:30"), "\(row)")
        let json = try await Binary.run(["history", "--json"], environment: india)
        #expect(json.stdout.contains("+05:30\""), "\(json.stdout)")
    }

    @Test func historyOfAFolderWithNoDatabaseCreatesNothing() async throws {
        let folder = NSTemporaryDirectory() + "/lc-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let history = try await Binary.run(["history", "--data-dir", folder])
        #expect(history.status == 0 && history.stdout == "no leads\n", "\(history.stderr)")
        let export = try await Binary.run(["export", "--data-dir", folder])
        #expect(export.status == 0 && export.stdout.hasPrefix("id,created_at"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    /// Whether this machine lets the tests mount a file system (root with CAP_SYS_ADMIN).
    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = NSTemporaryDirectory() + "/lc-mount-probe-\(getpid())"
        mkdir(probe, 0o700)
        defer { rmdir(probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(probe)
        return true
    }()

    @Test(.enabled(if: ReadersTests.canMount, "needs root allowed to mount (a read-only file system)"))
    func historyReadsACopyOnReadOnlyMedia() async throws {
        let (folder, environment) = try await Self.folderWithLeads(3)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The copy a rep would carry: the database file as it is on disk, on a file system
        // mounted read-only.
        let stick = NSTemporaryDirectory() + "/lc-stick-\(UUID().uuidString)"
        mkdir(stick, 0o700)
        defer { rmdir(stick) }
        #expect(mount("tmpfs", stick, "tmpfs", 0, "size=8m,mode=0700") == 0)
        defer { umount(stick) }
        mkdir(stick + "/data", 0o700)
        // The last writer to close folded the -wal into the file; the header still says WAL.
        #expect(!FileManager.default.fileExists(atPath: folder + "/data/leads.sqlite-wal"))
        try FileManager.default.copyItem(atPath: folder + "/data/leads.sqlite", toPath: stick + "/data/leads.sqlite")
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: stick + "/data/leads.sqlite")).read(
            upToCount: 20)
        #expect(header.map { Array($0)[18...19] } == [2, 2])  // WAL mode
        #expect(mount("tmpfs", stick, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), "size=8m,mode=0700") == 0)
        #expect(FileManager.default.createFile(atPath: stick + "/probe", contents: Data()) == false)
        let history = try await Binary.run(["history", "--data-dir", stick + "/data"], environment: environment)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.split(separator: "\n").count == 3, "\(history.stdout)")
    }
}

/// `export` to a terminal shows stored text as `history` does, never its control sequences; to
/// a file or a pipe it writes the data as stored.
@Suite("export to a terminal")
struct ExportToTerminalTests {
    @Test func escapeSequencesStoredByAnOlderVersionNeverReachTheTerminal() async throws {
        try await SandboxEnvironment.with { env in
            let queued = try await Binary.run(
                ["submit", "--no-wait", "--first-name", "Asha", "--phone", "9820000001"] + BackupTests.defaults,
                environment: env.environment)
            #expect(queued.status == 0, "\(queued.stderr)")
            // As an older version could have stored it: a colour change and a title-setting sequence.
            let planted = try await Spawn.run(
                "/usr/bin/python3",
                [
                    "-c",
                    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE lead SET first_name = 'A\\x1b[31mS\\x1b]0;pwned\\x07H'\"); c.commit()",
                    env.folder + "/data/leads.sqlite"
                ])
            #expect(planted.status == 0, "\(planted.stderr)")
            // On a pty: what reaches the terminal.
            let script = """
                import os, subprocess, sys
                master, slave = os.openpty()
                p = subprocess.Popen([sys.argv[1], "export"], stdout=slave, stderr=subprocess.DEVNULL)
                os.close(slave)
                out = b""
                while True:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
                p.wait()
                sys.stdout.write(out.hex())
                """
            var environment = env.environment
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            let terminal = try await Spawn.run(
                "/usr/bin/python3", ["-c", script, Binary.path], environment: environment)
            let shown = String(decoding: Self.bytes(hex: terminal.stdout), as: UTF8.self)
            #expect(shown.contains("9820000001") && shown.contains("ASH"), "\(shown)")
            #expect(!shown.unicodeScalars.contains("\u{1B}") && !shown.unicodeScalars.contains("\u{07}"), "\(shown)")
            // To a pipe (a file, a script): the data as stored.
            let piped = try await Binary.run(["export"], environment: env.environment)
            #expect(piped.stdout.unicodeScalars.contains("\u{1B}"))
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), next > index {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}

/// A backup onto a stick with no room left says so, about the copy, and changes nothing.
@Suite("backup onto a full disk")
struct BackupOntoAFullDiskTests {
    @Test(.enabled(if: ReadersTests.canMount, "needs root allowed to mount (a small file system)"))
    func aFullStickIsNamedAsFull() async throws {
        try await SandboxEnvironment.with { env in
            let notes = String(repeating: "x", count: 4_000)
            for n in 0..<5 {
                let queued = try await Binary.run(
                    ["submit", "--no-wait", "--phone", String(9_820_000_000 + n), "--notes", notes]
                        + BackupTests.defaults,
                    environment: env.environment)
                #expect(queued.status == 0, "\(queued.stderr)")
            }
            let stick = env.folder + "/stick"
            mkdir(stick, 0o700)
            #expect(mount("tmpfs", stick, "tmpfs", 0, "size=64k,mode=0700") == 0)
            defer { umount(stick) }
            // What is left on it is less than the copy needs.
            FileManager.default.createFile(atPath: stick + "/filler", contents: Data(count: 40 * 1024))
            let backup = try await Binary.run(["backup", stick], environment: env.environment)
            #expect(backup.status == 73, "\(backup.stderr)")
            #expect(
                backup.stderr.contains("\(stick)/leads.sqlite: the disk is full: no copy was written")
                    && !backup.stderr.contains("not an error"), "\(backup.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: stick) == ["filler"])
        }
    }
}
