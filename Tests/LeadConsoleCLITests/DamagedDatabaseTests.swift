import Foundation
import TestSupport
import Testing

/// Pages of a real database overwritten as a failing disk leaves them: the damage is said, never
/// worked around; no lead goes out twice because of it; `doctor` saves every readable lead.
@Suite("damaged database")
struct DamagedDatabaseTests {
    static let defaults = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    /// Overwrites leaf pages of `table` (found with SQLite's dbstat): two in the middle, or the
    /// last one (where the next row goes). Returns what it did, for messages.
    static func damagePages(of path: String, table: String = "lead", last: Bool = false) async throws -> String {
        let script = """
            import sqlite3, sys
            path = sys.argv[1]
            c = sqlite3.connect(path)
            pages = [r[0] for r in c.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (sys.argv[2],))]
            size = c.execute("PRAGMA page_size").fetchone()[0]
            c.close()
            middle = pages[-1:] if sys.argv[3] == "last" else pages[len(pages) // 2 : len(pages) // 2 + 2]
            with open(path, "r+b") as f:
                for n in middle:
                    f.seek((n - 1) * size)
                    f.write(b"\\xa5" * size)
            print(len(pages), middle)
            """
        let result = try await Spawn.run("/usr/bin/python3", ["-c", script, path, table, last ? "last" : "middle"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func damageStopsDeliveryAndDoctorSavesEveryReadableLead() async throws {
        try await SandboxEnvironment.with { env in
            // 40 queued leads with long notes: the lead table spans about twenty pages.
            let notes = String(repeating: "Interested in a 2BHK near the station. ", count: 40)
            for n in 0..<40 {
                let queued = try await Binary.run(
                    [
                        "submit", "--no-wait", "--first-name", "Lead\(n)", "--phone", String(9_820_000_000 + n),
                        "--notes", notes
                    ]
                        + Self.defaults, environment: env.environment)
                #expect(queued.status == 0, "\(queued.stderr)")
            }
            let path = env.folder + "/data/leads.sqlite"
            let damaged = try await Self.damagePages(of: path)

            // Every delivering command stops at the damage (whatever it sent before meeting it),
            // naming the file and what to do. A lead whose outcome could not be written is left
            // mid-attempt, and the file is checked before any such lead would go out again.
            var requests: [Int] = []
            for command in [["retry"], ["submit", "--phone", "9820011199"] + Self.defaults, ["retry"], ["retry"]] {
                let result = try await Binary.run(command, environment: env.environment)
                #expect(result.status == 73, "\(damaged) \(command): \(result.stdout) \(result.stderr)")
                #expect(
                    result.stderr.contains(path) && result.stderr.contains("leadconsole doctor"),
                    "\(command): \(result.stderr)")
                requests.append(await env.sandbox.leadRequestCount())
            }
            // Once something was left mid-attempt, nothing more went out.
            #expect(requests[2] == requests[1] && requests[3] == requests[1], "\(requests)")

            // doctor: the damaged file aside, every readable lead in a new database.
            let doctor = try await Binary.run(["doctor"], environment: env.environment)
            #expect(doctor.status == 65, "\(doctor.stdout) \(doctor.stderr)")
            #expect(doctor.stdout.contains("was damaged") && doctor.stdout.contains("moved it to \(path).damaged-"))
            let aside = try FileManager.default.contentsOfDirectory(atPath: env.folder + "/data")
                .filter { $0.hasPrefix("leads.sqlite.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
            #expect(aside.count == 1)
            let saved = try #require(Self.number(after: "saved ", in: doctor.stdout))
            let missingLine = try #require(doctor.stdout.split(separator: "\n").first { $0.hasPrefix("missing: ") })
            let lost = try #require(Self.number(after: " (", in: String(missingLine)))
            // 40 leads and the one submit queued before it met the damage.
            #expect(lost > 0 && saved + lost == 41, "\(doctor.stdout)")
            #expect(missingLine.hasSuffix("of the 41 lead ids this folder gave)"), "\(missingLine)")
            // The lost ones are recorded: the rebuilt file is sound, and says what it lacks.
            let sound = try await Binary.run(["doctor"], environment: env.environment)
            #expect(sound.status == 0 && sound.stdout.contains("is sound: \(saved) leads"), "\(sound.stdout)")
            #expect(sound.stdout.contains("(\(lost) more id"), "\(sound.stdout)")

            // Delivery goes on: every saved lead reaches the CRM, once.
            let last = try await Binary.run(["retry"], environment: env.environment)
            #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
            let phones = await env.sandbox.leads().map(\.contactNumber)
            #expect(phones.count == saved, "\(phones.count) in the CRM, \(saved) saved")
            // Sent twice only where an answer was lost to the damage: that lead went back marked
            // uncertain and the CRM answered duplicate. Never a third time, never another lead.
            let json = try await Binary.run(["history", "--json", "--limit", "100"], environment: env.environment)
            let leads = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
            let duplicates = leads.filter { $0["state"] as? String == "duplicate" }
            #expect(
                duplicates.count <= 1 && duplicates.allSatisfy { $0["uncertain"] as? Bool == true }, "\(duplicates)")
            #expect(await env.sandbox.leadRequestCount() == phones.count + duplicates.count)
            let history = try await Binary.run(["history", "--limit", "100"], environment: env.environment)
            #expect(history.stdout.split(separator: "\n").count == saved)
        }
    }

    /// The damage the issue found: the CRM's answer cannot be written (the attempt log's last
    /// page is garbage) while the leads themselves read fine. The lead sent goes out once; every
    /// later command refuses instead of sending it again and again.
    @Test func aLeadWhoseOutcomeCannotBeWrittenIsNotSentAgain() async throws {
        try await SandboxEnvironment.with { env in
            for n in 0..<60 {
                let sent = try await Binary.run(
                    ["submit", "--first-name", "Lead\(n)", "--phone", String(9_830_000_000 + n)] + Self.defaults,
                    environment: env.environment)
                #expect(sent.status == 0, "\(sent.stderr)")
            }
            for n in 0..<5 {
                _ = try await Binary.run(
                    ["submit", "--no-wait", "--phone", String(9_831_000_000 + n)] + Self.defaults,
                    environment: env.environment)
            }
            let path = env.folder + "/data/leads.sqlite"
            let damaged = try await Self.damagePages(of: path, table: "attempt", last: true)
            let before = await env.sandbox.leadRequestCount()
            var requests: [Int] = []
            for _ in 0..<3 {
                let retry = try await Binary.run(["retry"], environment: env.environment)
                #expect(retry.status == 73, "\(damaged): \(retry.stdout) \(retry.stderr)")
                #expect(retry.stderr.contains("leadconsole doctor"), "\(retry.stderr)")
                requests.append(await env.sandbox.leadRequestCount() - before)
            }
            #expect(requests == [1, 1, 1], "requests after each retry: \(requests)")
        }
    }

    static func number(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
