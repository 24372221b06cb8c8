import Foundation
import TestSupport
import Testing

/// A second copy: `backup` while others write, `restore` that never loses a lead silently, and
/// the console's rolling copy in `backup_dir`.
@Suite("backup and restore")
struct BackupTests {
    static let defaults = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    static func queue(_ count: Int, from first: Int, _ environment: [String: String]) async throws {
        for n in first..<(first + count) {
            let queued = try await Binary.run(
                ["submit", "--no-wait", "--first-name", "Lead\(n)", "--phone", String(9_840_000_000 + n)] + defaults,
                environment: environment)
            #expect(queued.status == 0, "\(queued.stderr)")
        }
    }

    static func integrity(_ path: String) async throws -> String {
        let result = try await Spawn.run(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
                path
            ])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func aBackupTakenWhileAnImportWritesIsWholeAndReadable() async throws {
        try await SandboxEnvironment.with { env in
            try await Self.queue(20, from: 0, env.environment)
            // An import delivering in another process (slow answers: it writes all along).
            await env.sandbox.setFaults(.init(latencyMs: 20))
            let sheet = env.folder + "/sheet.csv"
            let rows = (0..<300).map { "Walk\($0),\(9_841_000_000 + $0)" }.joined(separator: "\n")
            try ("name,phone\n" + rows + "\n").write(toFile: sheet, atomically: true, encoding: .utf8)
            let importer = try Spawn.start(
                Binary.path, ["import", sheet] + Self.defaults,
                environment: env.environment.merging(["HOME": env.folder, "LANG": "C.UTF-8"]) { $1 })
            #expect(await waitUntil { await env.sandbox.leadRequestCount() > 20 })
            let destination = env.folder + "/stick"
            let backup = try await Binary.run(["backup", destination], environment: env.environment)
            #expect(backup.status == 0, "\(backup.stderr)")
            let copied = try #require(
                Int(backup.stdout.split(separator: " ").dropFirst(2).first ?? ""), "\(backup.stdout)")
            #expect(copied >= 320, "\(backup.stdout)")
            let file = destination + "/leads.sqlite"
            #expect(Self.mode(file) == 0o600 && Self.mode(destination) == 0o700)
            #expect(try await Self.integrity(file) == "ok")
            // One self-contained file in rollback mode, readable where nothing can be written.
            let header = try #require(FileHandle(forReadingAtPath: file)?.readData(ofLength: 20))
            #expect(Array(header)[18...19] == [1, 1])
            let history = try await Binary.run(["history", "--data-dir", destination, "--limit", "1000"])
            #expect(history.status == 0 && history.stdout.split(separator: "\n").count == copied, "\(history.stderr)")
            #expect(await importer.wait(timeout: .seconds(120)) == 0)
        }
    }

    @Test func restoreNeverLosesALeadUnlessForcedAndKeepsWhatItReplaced() async throws {
        try await SandboxEnvironment.with { env in
            try await Self.queue(5, from: 0, env.environment)
            let stick = env.folder + "/stick"
            let backup = try await Binary.run(["backup", stick], environment: env.environment)
            #expect(backup.status == 0 && backup.stdout.hasPrefix("backed up 5 leads to \(stick)/leads.sqlite"))
            // One more lead after the backup: restoring would lose it.
            try await Self.queue(1, from: 5, env.environment)
            let refused = try await Binary.run(["restore", stick], environment: env.environment)
            #expect(refused.status == 65)
            #expect(
                refused.stderr.contains("holds 1 lead the backup lacks (the newest: #6 9840000005 queued)"),
                "\(refused.stderr)")
            #expect(try await Binary.run(["history"], environment: env.environment).stdout.contains("Lead5"))

            // Restored, but the lead saved after the backup is not in it: said, and exit 65.
            let forced = try await Binary.run(["restore", "--force", stick], environment: env.environment)
            #expect(forced.status == 65, "\(forced.stderr)")
            #expect(
                forced.stdout.contains("lead #6 is not in the backup (saved after it was made)"), "\(forced.stdout)")
            #expect(
                forced.stdout.contains(
                    "restored 5 leads from \(stick)/leads.sqlite; the database it replaced is kept as "))
            let history = try await Binary.run(["history"], environment: env.environment)
            #expect(history.stdout.split(separator: "\n").count == 5 && !history.stdout.contains("Lead5"))
            let kept = try FileManager.default.contentsOfDirectory(atPath: env.folder + "/data")
                .filter { $0.hasPrefix("leads.sqlite.replaced-") && !$0.contains("-wal") && !$0.contains("-shm") }
            #expect(kept.count == 1)
            // What it replaced still holds all six.
            let keptCopy = env.folder + "/kept"
            mkdir(keptCopy, 0o700)
            try FileManager.default.copyItem(
                atPath: env.folder + "/data/" + kept[0], toPath: keptCopy + "/leads.sqlite")
            let old = try await Binary.run(["history", "--data-dir", keptCopy])
            #expect(old.stdout.split(separator: "\n").count == 6, "\(old.stdout) \(old.stderr)")
            // The restored outbox delivers.
            let retry = try await Binary.run(["retry"], environment: env.environment)
            let inCRM = await env.sandbox.leads().count
            #expect(retry.status == 0 && inCRM == 5, "\(retry.stderr)")

            // A damaged backup is refused before anything is replaced.
            let broken = env.folder + "/broken.sqlite"
            try FileManager.default.copyItem(atPath: stick + "/leads.sqlite", toPath: broken)
            try DamagedDatabase.overwritePages(of: broken)
            let damaged = try await Binary.run(["restore", "--force", broken], environment: env.environment)
            #expect(damaged.status == 65 && damaged.stderr.contains("is not a sound LeadConsole backup"))
        }
    }

    @Test func theConsoleKeepsARollingCopyInTheBackupFolder() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            let stick = env.folder + "/stick"
            for (key, value) in [
                ("backup_dir", stick), ("default_channel", "Walk-in"), ("default_subject", "Walk-in"),
                ("default_rep", "smith")
            ] {
                let set = try await Binary.run(["config", "set", key, value], environment: environment)
                #expect(set.status == 0, "\(set.stderr)")
            }
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            let tmux = try await Tmux(
                "\(Binary.path) console; echo \"exit=$?\"", columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            #expect(try await tmux.waitFor { $0.contains("No leads yet") })
            for (name, phone) in [("Asha", "9876543210"), ("Ravi", "9876543211")] {
                try await tmux.type(name)
                try await tmux.press("Tab")
                try await tmux.type(phone)
                try await tmux.press("C-s")
            }
            // The copy follows the leads (the second within the copy interval, 10 s).
            let copied = await waitUntil(timeout: .seconds(40)) {
                let history = try? await Binary.run(["history", "--data-dir", stick])
                return history?.stdout.contains("Asha") == true && history?.stdout.contains("Ravi") == true
            }
            #expect(copied)
            try await tmux.press("C-q")
            #expect(try await tmux.waitFor { $0.contains("exit=0") })
            // At quit, the copy has the final states.
            let final = try await Binary.run(["history", "--data-dir", stick])
            #expect(final.stdout.split(separator: "\n").allSatisfy { $0.contains("accepted") }, "\(final.stdout)")
            await tmux.stop()
        }
    }

    /// A backup is read, not adopted: its trigger, view and table of its own are named and left
    /// behind, and the leads it held come back without them.
    @Test func aBackupCarryingCodeIsReadNotAdopted() async throws {
        try await SandboxEnvironment.with { env in
            try await Self.queue(3, from: 0, env.environment)
            let stick = env.folder + "/stick"
            #expect(try await Binary.run(["backup", stick], environment: env.environment).status == 0)
            let copy = stick + "/leads.sqlite"
            let plant = try await Spawn.run(
                "/usr/bin/python3",
                [
                    "-c",
                    """
                    import sqlite3, sys
                    c = sqlite3.connect(sys.argv[1])
                    c.executescript(\"\"\"
                    CREATE TRIGGER zz_evil AFTER INSERT ON lead BEGIN
                        UPDATE lead SET rep = 'attacker', notes = 'call 9000000000 instead' WHERE id = new.id;
                    END;
                    CREATE VIEW zz_view AS SELECT * FROM lead;
                    CREATE TABLE zz_extra (x);
                    \"\"\")
                    c.commit()
                    """, copy
                ])
            #expect(plant.status == 0, "\(plant.stderr)")
            let restored = try await Binary.run(["restore", stick], environment: env.environment)
            #expect(restored.status == 0, "\(restored.stdout) \(restored.stderr)")
            #expect(
                restored.stdout.contains(
                    "left behind what LeadConsole did not make (never created here): table zz_extra, trigger zz_evil, view zz_view"
                ), "\(restored.stdout)")
            let sent = try await Binary.run(
                ["submit", "--first-name", "Asha", "--phone", "9840000099", "--notes", "wants a 2BHK"] + Self.defaults,
                environment: env.environment)
            #expect(sent.status == 0, "\(sent.stderr)")
            let lead = try #require(await env.sandbox.leads().first { $0.contactNumber == "9840000099" })
            #expect(lead.fields["rep_id"] == "smith" && lead.fields["notes"] == "wants a 2BHK", "\(lead.fields)")
            let doctor = try await Binary.run(["doctor"], environment: env.environment)
            #expect(doctor.status == 0 && doctor.stdout.contains("is sound: 4 leads"), "\(doctor.stdout)")

            // A backup another user could have written is not restored at all.
            chmod(copy, 0o666)
            let open = try await Binary.run(["restore", stick], environment: env.environment)
            #expect(
                open.status == 78 && open.stderr.contains("can be written by other users (mode 666)"), "\(open.stderr)")
        }
    }
}
