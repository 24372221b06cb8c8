import Foundation
import GRDB
import LeadOutbox
import ParamantraAPI
import TestSupport
import Testing

/// `leadconsole report`, the real binary on leads imported through the sandbox.
@Suite("report")
struct ReportCommandTests {
    /// Nine leads: channels Walk-in ×5, Expo ×3, Web ×1; reps smith ×6, jones ×3; all answered.
    static func imported(_ env: SandboxEnvironment) async throws -> [String: String] {
        var text = "Name,Mobile,Channel,Rep,Project\n"
        for n in 0..<9 {
            let channel = n < 5 ? "Walk-in" : n < 8 ? "Expo" : "Web"
            text += "Lead \(n),98200400\(n)\(n),\(channel),\(n < 6 ? "smith" : "jones"),Tower \(n % 2 + 1)\n"
        }
        try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
        let path = env.folder + "/day.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var environment = ImportExportCommandTests.environment(env)
        environment["TZ"] = "Asia/Kolkata"
        let result = try await Spawn.run(Binary.path, ["import", path, "--subject", "Expo"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return environment
    }

    @Test func textChartsForTheDayAndForOneGrouping() async throws {
        try await SandboxEnvironment.with { env in
            let environment = try await Self.imported(env)
            let text = try await Spawn.run(Binary.path, ["report", "--width", "72"], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(
                lines.first?.hasPrefix("Today (") == true
                    && lines.first?.contains("· 9 leads · Asia/Kolkata, UTC+05:30") == true)
            #expect(text.stdout.contains("peak ") && text.stdout.contains("█"))
            #expect(text.stdout.contains("CRM answers: 9 · median"))
            for heading in ["By state", "By channel", "By rep", "By project"] { #expect(text.stdout.contains(heading)) }
            #expect(lines.filter { $0.count > 72 }.isEmpty, "\(lines.filter { $0.count > 72 })")
            let channels = try await Spawn.run(Binary.path, ["report", "--by", "channel"], environment: environment)
            #expect(channels.stdout.contains("By channel") && !channels.stdout.contains("By rep"))
            let walkIn = channels.stdout.split(separator: "\n").first { $0.hasPrefix("Walk-in") }
            #expect(walkIn?.hasSuffix("5 (56%)") == true, "\(channels.stdout)")
            let hours = try await Spawn.run(Binary.path, ["report", "--by", "hour"], environment: environment)
            #expect(hours.stdout.contains("00 ") && hours.stdout.contains("peak "))
            // Every grouping as text: the heading, then its chart or its bars.
            let titles = ["state": "By state", "rep": "By rep", "project": "By project", "day": "peak "]
            for (grouping, title) in titles {
                let run = try await Spawn.run(
                    Binary.path, ["report", "--by", grouping, "--since", "7d"], environment: environment)
                #expect(
                    run.status == 0 && run.stdout.hasPrefix("The last 7 days (") && run.stdout.contains(title),
                    "\(grouping): \(run.stdout)")
            }
        }
    }

    @Test func csvAndJSONForEveryGrouping() async throws {
        try await SandboxEnvironment.with { env in
            let environment = try await Self.imported(env)
            let expected: [String: [String]] = [
                "channel": ["Walk-in,5,0,0,5,0,0,0", "Expo,3,0,0,3,0,0,0", "Web,1,0,0,1,0,0,0"],
                "rep": ["smith,6,0,0,6,0,0,0", "jones,3,0,0,3,0,0,0"],
                "project": ["Tower 1,5,0,0,5,0,0,0", "Tower 2,4,0,0,4,0,0,0"],
                "state": ["queued,0,0,0,0,0,0,0", "accepted,9,0,0,9,0,0,0"]
            ]
            for (grouping, rows) in expected {
                let csv = try await Spawn.run(
                    Binary.path, ["report", "--by", grouping, "--format", "csv"], environment: environment)
                let lines = csv.stdout.components(separatedBy: "\r\n")
                #expect(lines.first == "\(grouping),leads,queued,sending,accepted,duplicate,rejected,held")
                for row in rows { #expect(lines.contains(row), "\(grouping): \(csv.stdout)") }
            }
            for unit in ["hour", "day"] {
                let csv = try await Spawn.run(
                    Binary.path, ["report", "--by", unit, "--format", "csv", "--since", "7d"], environment: environment)
                let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines.first == "start,leads,queued,sending,accepted,duplicate,rejected,held")
                // 7 days by day; by hour, 7 × 24 hours. Local starts with India's offset.
                #expect(lines.count - 1 == (unit == "day" ? 7 : 168), "\(unit)")
                #expect(lines[1].hasSuffix("T00:00:00+05:30,0,0,0,0,0,0,0"), "\(lines[1])")
                let total = lines.dropFirst().compactMap { Int($0.split(separator: ",")[1]) }.reduce(0, +)
                #expect(total == 9)
            }
            let json = try await Spawn.run(Binary.path, ["report", "--format", "json"], environment: environment)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["leads"] as? Int == 9)
            let period = try #require(object["period"] as? [String: Any])
            #expect(period["time_zone"] as? String == "Asia/Kolkata" && period["unit"] as? String == "hour")
            #expect((object["timeline"] as? [Any])?.count == 24)
            let channels = try #require(object["by_channel"] as? [[String: Any]])
            #expect(channels.map { $0["name"] as? String } == ["Walk-in", "Expo", "Web"])
            let answer = try #require(object["answer_time"] as? [String: Any])
            #expect(answer["answered"] as? Int == 9 && answer["within_5_seconds"] as? Int == 9)
            let grouped = try await Spawn.run(
                Binary.path, ["report", "--format", "json", "--by", "rep"], environment: environment)
            let reps = try #require(try JSONSerialization.jsonObject(with: Data(grouped.stdout.utf8)) as? [String: Any])
            #expect((reps["groups"] as? [[String: Any]])?.map { $0["leads"] as? Int } == [6, 3])
        }
    }

    @Test func anEmptyPeriodSaysSoAndABadDateIsAUsageError() async throws {
        try await SandboxEnvironment.with { env in
            let environment = try await Self.imported(env)
            let empty = try await Spawn.run(
                Binary.path, ["report", "--since", "2020-01-01", "--until", "2020-01-01"], environment: environment)
            #expect(
                empty.status == 0 && empty.stdout.contains("No leads saved from 2020-01-01 to 2020-01-01."),
                "\(empty.stdout)")
            let csv = try await Spawn.run(
                Binary.path, ["report", "--since", "2020-01-01", "--until", "2020-01-01", "--format", "csv"],
                environment: environment)
            #expect(csv.status == 0 && csv.stderr.contains("no leads saved"))
            let bad = try await Spawn.run(Binary.path, ["report", "--since", "last week"], environment: environment)
            #expect(bad.status == 64 && bad.stderr.contains("--since last week"))
        }
    }
}

/// A history from before the stats tallies (schema v3), as an upgrade finds it.
@Suite("report on an older history")
struct ReportUpgradeTests {
    @Test func historyReadsItAndReportBringsItUpToDate() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(
            atPath: folder + "/data", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            let database = try LeadDatabase(directory: URL(fileURLWithPath: folder + "/data"))
            let lead = try Lead(firstName: "Asha", phone: "9820012345", subject: "S", channel: "Expo", rep: "smith")
                .validated().get()
            _ = try await database.enqueue(lead)
        }
        // Back to v3: the tallies and their triggers gone, as a v3 binary left it.
        let queue = try DatabaseQueue(path: folder + "/data/leads.sqlite")
        try await queue.write { db in
            for table in ["slot_tally", "lead_tally", "lead_tally_day", "settle_tally", "settle_tally_day"] {
                for suffix in ["insert", "update", "delete"] { try db.execute(sql: "DROP TRIGGER \(table)_\(suffix)") }
                try db.execute(sql: "DROP TABLE \(table)")
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v4%'")
        }
        try queue.close()
        let environment = [
            "LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config", "HOME": folder,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        ]
        let history = try await Spawn.run(Binary.path, ["history"], environment: environment)
        #expect(history.status == 0 && history.stdout.contains("Asha"), "\(history.stderr)")
        let report = try await Spawn.run(Binary.path, ["report", "--by", "channel"], environment: environment)
        #expect(report.status == 0 && report.stdout.contains("Expo"), "\(report.stderr)")
        #expect(report.stdout.contains("1 (100%)"), "\(report.stdout)")
    }
}
