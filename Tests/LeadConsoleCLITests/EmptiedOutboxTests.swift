import Foundation
import TestSupport
import Testing

/// The ways back after the file itself went: emptied, deleted, its header or schema pages
/// overwritten. The folder's marker (under XDG_STATE_HOME) remembers how many leads it held, so
/// no command mistakes what is left for a new, empty outbox; `doctor` reads every lead whose
/// bytes survive, and a fresh start is a deliberate command.
@Suite("emptied and overwritten outboxes")
struct EmptiedOutboxTests {
    static let defaults = BackupTests.defaults

    /// After the way back: the next lead gets `nextID` (never a lost lead's), and doctor calls
    /// the outbox sound, saying `doctorSays`.
    static func expectOutboxGoesOn(_ env: SandboxEnvironment, nextID: Int, doctorSays: String) async throws {
        let next = try await Binary.run(
            ["submit", "--no-wait", "--phone", "9820011199"] + defaults, environment: env.environment)
        #expect(next.status == 0 && next.stdout.contains("lead #\(nextID)"), "\(next.stdout) \(next.stderr)")
        let sound = try await Binary.run(["doctor"], environment: env.environment)
        #expect(sound.status == 0 && sound.stdout.contains(doctorSays), "\(sound.stdout)")
    }

    @Test func anEmptiedFileIsRefusedUntilABackupIsPutBack() async throws {
        try await SandboxEnvironment.with { env in
            try await BackupTests.queue(5, from: 0, env.environment)
            let stick = env.folder + "/stick"
            #expect(try await Binary.run(["backup", stick], environment: env.environment).status == 0)
            try await BackupTests.queue(1, from: 5, env.environment)
            let path = env.folder + "/data/leads.sqlite"
            #expect(truncate(path, 0) == 0)

            // Every command refuses, naming the file, what it held and the ways back.
            for command in [["submit", "--phone", "9820011199"] + Self.defaults, ["history"], ["retry"]] {
                let result = try await Binary.run(command, environment: env.environment)
                #expect(result.status == 73, "\(command): \(result.stdout) \(result.stderr)")
                #expect(
                    result.stderr.contains(
                        "\(path) cannot be used: it is empty or missing, but held 6 leads (ids up to 6) on ")
                        && result.stderr.contains("leadconsole doctor")
                        && result.stderr.contains("leadconsole restore"),
                    "\(command): \(result.stderr)")
            }
            #expect(await env.sandbox.leadRequestCount() == 0)
            let doctor = try await Binary.run(["doctor"], environment: env.environment)
            #expect(doctor.status == 65, "\(doctor.stdout) \(doctor.stderr)")
            #expect(doctor.stdout.contains("the file is empty, but this data folder held 6 leads (ids up to 6)"))
            #expect(doctor.stdout.contains("missing: 1-6") && doctor.stdout.contains("nothing was changed"))
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)

            // The backup goes back; the lead saved after it is named, and its id is never reused.
            let restore = try await Binary.run(["restore", stick], environment: env.environment)
            #expect(restore.status == 65, "\(restore.stdout) \(restore.stderr)")
            #expect(
                restore.stdout.contains("lead #6 is not in the backup (saved after it was made)"), "\(restore.stdout)")
            try await Self.expectOutboxGoesOn(env, nextID: 7, doctorSays: "is sound: 6 leads")
        }
    }

    @Test func aDeletedOutboxStartsAfreshOnlyWhenTheLossIsAccepted() async throws {
        try await SandboxEnvironment.with { env in
            try await BackupTests.queue(3, from: 0, env.environment)
            try FileManager.default.removeItem(atPath: env.folder + "/data")
            let refused = try await Binary.run(
                ["submit", "--no-wait", "--phone", "9820011199"] + Self.defaults, environment: env.environment)
            #expect(refused.status == 73 && refused.stderr.contains("held 3 leads (ids up to 3)"), "\(refused.stderr)")
            let accepted = try await Binary.run(["doctor", "--accept-loss"], environment: env.environment)
            // Leads are missing whatever was accepted: never 0.
            #expect(accepted.status == 65, "\(accepted.stdout) \(accepted.stderr)")
            #expect(
                accepted.stdout.contains("recorded 3 missing leads as given up: ids 1-3")
                    && accepted.stdout.contains("new leads get ids from 4"), "\(accepted.stdout)")
            try await Self.expectOutboxGoesOn(env, nextID: 4, doctorSays: "(3 more ids are recorded gaps")
        }
    }

    /// The header's magic string and the schema pages after it overwritten: SQLite cannot open
    /// the file, and every lead is still on its page. All come back and reach the CRM once.
    @Test func anOverwrittenHeaderAndSchemaLoseNoLead() async throws {
        try await SandboxEnvironment.with { env in
            try await BackupTests.queue(30, from: 0, env.environment)
            let path = env.folder + "/data/leads.sqlite"
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            try handle.write(contentsOf: Data("XXXXXXXXXXXXXXXX".utf8))
            var random = SystemRandomNumberGenerator()
            try handle.seek(toOffset: 4096)
            try handle.write(contentsOf: Data((0..<3 * 4096).map { _ in UInt8.random(in: 0...255, using: &random) }))
            try handle.close()

            let retry = try await Binary.run(["retry"], environment: env.environment)
            #expect(retry.status == 73 && retry.stderr.contains("leadconsole doctor"), "\(retry.stderr)")
            let doctor = try await Binary.run(["doctor"], environment: env.environment)
            #expect(doctor.status == 0, "\(doctor.stdout) \(doctor.stderr)")
            #expect(
                doctor.stdout.contains("saved 30 leads into a new database: 30 queued")
                    && !doctor.stdout.contains("missing"))
            let sent = try await Binary.run(["retry"], environment: env.environment)
            #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
            let phones = await env.sandbox.leads().map(\.contactNumber)
            #expect(Set(phones).count == 30 && phones.count == 30)
            #expect(await env.sandbox.leadRequestCount() == 30)
        }
    }
}
