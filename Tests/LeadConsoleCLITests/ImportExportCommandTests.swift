import CSV
import Foundation
import LeadOutbox
import ParamantraSandbox
import TestSupport
import Testing

/// `leadconsole import` and `export`, the real binary against the in-process sandbox.
@Suite("import and export")
struct ImportExportCommandTests {
    /// A sign-up sheet of `count` rows: a BOM, CRLF, quoted commas and line breaks, Devanagari,
    /// a blank line, and every 500th row without a phone (invalid).
    static func sheet(_ count: Int, in folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var text = "\u{FEFF}Name,Mobile No,E-mail,Comments\r\n"
        for n in 0..<count {
            let name = n % 3 == 0 ? "नमस्ते \(n)" : "\"Rao, Asha \(n)\""
            let phone = n % 500 == 499 ? "" : String(9_100_000_000 + n)
            text += "\(name),\(phone),lead\(n)@example.in,\"visit \"\"Sunday\"\"\r\nbudget \(n)L\"\r\n"
            if n == count / 2 { text += "\r\n" }
        }
        let path = folder + "/signups.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ env: SandboxEnvironment) -> [String: String] {
        var environment = env.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        environment["LANG"] = "C.UTF-8"
        environment["HOME"] = env.folder
        return environment
    }

    @Test func tenThousandRowsWithAFaultInTheMiddleLoseNothingAndSendNothingTwice() async throws {
        // The sandbox in its own process: 10,000 requests served in this one would starve the
        // tests running beside it.
        try await ExternalSandbox.with { (sandbox: ExternalSandbox, folder: String) async throws in
            let path = try Self.sheet(10_000, in: folder)
            let arguments = ["import", path, "--subject", "Expo", "--channel", "Expo", "--rep", "smith"]
            let child = try Spawn.start(Binary.path, arguments, environment: sandbox.environment(folder: folder))
            // A third of the way in, the CRM fails 300 requests in a row (polled every 250 ms: the
            // listing is large).
            var reached = false
            let deadline = ContinuousClock.now + .seconds(120)
            while !reached, ContinuousClock.now < deadline {
                reached = try await sandbox.listing().leads.count >= 3_000
                if !reached { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(reached)
            try await sandbox.setFaults(#"{"mode":"status","status":503,"count":300}"#)
            let status = await child.wait(timeout: .seconds(300))
            #expect(status == 0, "\(child.stderr)")
            // 9,980 valid rows (every 500th has no phone): each in the CRM once.
            let listing = try await sandbox.listing()
            #expect(listing.leads.count == 9_980)
            #expect(Set(listing.leads.map(\.contactNumber)).count == 9_980)
            #expect(
                child.stdout.contains("invalid, not queued: 20") && child.stdout.contains("accepted: 9980"),
                "\(child.stdout)")
            let rejected = try String(contentsOfFile: folder + "/signups.rejected.csv", encoding: .utf8)
            #expect(rejected.components(separatedBy: "Phone is required").count - 1 == 20)
            // The same file again queues nothing and sends nothing.
            let again = try await Spawn.run(Binary.path, arguments, environment: sandbox.environment(folder: folder))
            #expect(again.status == 0)
            #expect(
                again.stdout.contains("already imported before, not queued again: 9980")
                    && again.stdout.contains("queued now: 0"))
            #expect(try await sandbox.listing().leadRequests == listing.leadRequests)
        }
    }

    @Test func ctrlCStopsCleanlyAndRetrySendsTheRest() async throws {
        try await SandboxEnvironment.with { env in
            let path = try Self.sheet(600, in: env.folder)
            await env.sandbox.setFaults(SandboxFaults(latencyMs: 20))
            let child = try Spawn.start(
                Binary.path,
                ["import", path, "--subject", "Expo", "--channel", "Expo", "--rep", "smith", "--concurrency", "2"],
                environment: Self.environment(env))
            #expect(await waitUntil(timeout: .seconds(60)) { await env.sandbox.leads().count >= 50 })
            child.signal(SIGINT)
            let status = await child.wait(timeout: .seconds(60))
            #expect(status == 75, "\(child.stderr)")
            #expect(child.stdout.contains("still queued"), "\(child.stdout)")
            let sent = await env.sandbox.leads().count
            #expect(sent < 599)
            // What was queued stays queued; retry delivers it.
            await env.sandbox.setFaults(.none)
            let retry = try await Binary.run(["retry"], environment: Self.environment(env))
            #expect(retry.status == 0, "\(retry.stderr)")
            let leads = await env.sandbox.leads()
            #expect(leads.count == 599 && Set(leads.map(\.contactNumber)).count == 599)
        }
    }

    @Test func aDryRunReportsEveryProblemAndQueuesNothing() async throws {
        try await SandboxEnvironment.with { env in
            let path = env.folder + "/sheet.csv"
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            try "Cell,Who,Where\n12345,Ravi,Expo\n9876543210,Asha,Expo\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            let dry = try await Binary.run(
                [
                    "import", path, "--dry-run", "--map", "Cell=phone", "--map", "Who=name", "--map", "Where=channel",
                    "--subject", "Expo", "--rep", "smith"
                ], environment: Self.environment(env))
            #expect(dry.status == 65)
            #expect(
                dry.stdout.contains("row 2, Phone: Phone must have ten digits after the country code (found 5)"),
                "\(dry.stdout)")
            #expect(dry.stdout.contains("2 rows: 1 valid, 1 invalid, 0 blank; nothing queued (dry run)"))
            #expect(dry.stderr.contains("columns: Cell → Phone, Who → first and last name, Where → Channel"))
            #expect(await env.sandbox.leadRequestCount() == 0)
            let bad = try await Binary.run(["import", path, "--map", "Fax=phone"], environment: Self.environment(env))
            #expect(bad.status == 64 && bad.stderr.contains("the file has no column \"Fax\""))
            let missing = try await Binary.run(["import", env.folder + "/nope.csv"], environment: Self.environment(env))
            #expect(missing.status == 66 && missing.stderr.contains("cannot read"))
        }
    }

    @Test func excelFilesInOtherLocalesAndEncodingsImportAsWritten() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            // Excel's CSV in a French locale on Windows: semicolons, Windows-1252.
            let path = env.folder + "/salon.csv"
            let text = "Nom;Téléphone;Remarques\r\nJosé Pérez;98200 11111;café – “VIP”\r\nZoë;9820011112;ok\r\n"
            try Data(
                text.unicodeScalars.map { scalar -> UInt8 in
                    switch scalar {
                    case "–": 0x96
                    case "“": 0x93
                    case "”": 0x94
                    default: UInt8(scalar.value)
                    }
                }
            ).write(to: URL(fileURLWithPath: path))
            let imported = try await Binary.run(
                [
                    "import", path, "--map", "Nom=name", "--map", "Téléphone=phone", "--map", "Remarques=notes",
                    "--subject", "Expo", "--channel", "Expo", "--rep", "smith"
                ],
                environment: Self.environment(env))
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stderr.contains("salon.csv: Windows-1252 (its bytes are not UTF-8"), "\(imported.stderr)")
            #expect(imported.stderr.contains("columns separated by semicolons"))
            let leads = await env.sandbox.leads()
            #expect(Set(leads.map { $0.fields["f_name"] ?? "" }) == ["José", "Zoë"], "\(leads.map(\.fields))")
            #expect(leads.contains { $0.fields["notes"] == "café – “VIP”" })
            // A sheet without a phone column is said at once, naming its columns: exit 65, nothing queued.
            let nophone = env.folder + "/names.csv"
            try "Name,City\nAsha,Pune\n".write(toFile: nophone, atomically: true, encoding: .utf8)
            let refused = try await Binary.run(
                ["import", nophone, "--subject", "S", "--channel", "C", "--rep", "R"],
                environment: Self.environment(env))
            #expect(refused.status == 65)
            #expect(
                refused.stderr.contains(
                    "no column of \(nophone) is read as the phone; columns: \"Name\" (name), \"City\" (unread; nearest field: notes); name the phone column with --map \"COLUMN=phone\""
                ),
                "\(refused.stderr)")
        }
    }

    @Test func exportWritesEveryFieldSafelyAsCSVAndJSON() async throws {
        try await SandboxEnvironment.with { env in
            let path = env.folder + "/sheet.csv"
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            try
                "name,phone,notes\n\"=HYPERLINK(\"\"http://evil\"\")\",9876543210,\"@SUM(A1)\"\nAsha Rao,9876543211,\"two\nlines\"\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let imported = try await Binary.run(
                ["import", path, "--subject", "Expo", "--channel", "Expo", "--rep", "smith"],
                environment: Self.environment(env))
            #expect(imported.status == 0, "\(imported.stderr)")
            let csv = try await Binary.run(["export"], environment: Self.environment(env))
            #expect(csv.status == 0)
            #expect(
                csv.stdout.hasPrefix(
                    "id,created_at,updated_at,state,crm_id,attempts,last_error,uncertain,first_name,last_name,phone"))
            #expect(csv.stdout.hasPrefix(ImportExportCommandTests.documentedKeys.joined(separator: ",") + "\r\n"))
            #expect(
                csv.stdout.contains("'=HYPERLINK") && csv.stdout.contains("'@SUM(A1)")
                    && !csv.stdout.contains(",=HYPERLINK"))
            #expect(csv.stdout.contains("\"two\nlines\"") && csv.stdout.hasSuffix("\r\n"))
            let file = env.folder + "/out.json"
            let json = try await Binary.run(
                ["export", "--format", "json", "--state", "accepted", "--output", file],
                environment: Self.environment(env))
            #expect(json.status == 0)
            let objects =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]]
            #expect(
                objects?.count == 2
                    && objects?.allSatisfy { $0["state"] as? String == "accepted" && $0["crm_id"] is String } == true)
            var info = stat()
            stat(file, &info)
            #expect(info.st_mode & 0o777 == 0o600)
            // One JSON of a lead: history --json writes the very objects export does (newest first).
            let history = try await Binary.run(["history", "--json"], environment: Self.environment(env))
            let listed = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [NSDictionary]
            let exported = try await Binary.run(["export", "--format", "json"], environment: Self.environment(env))
            let all = try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [NSDictionary]
            #expect(listed != nil && listed == all.map { Array($0.reversed()) })
            #expect(Set((listed?.first?.allKeys as? [String]) ?? []) == Set(ImportExportCommandTests.documentedKeys))
            let later = try await Binary.run(["export", "--since", "2999-01-01"], environment: Self.environment(env))
            #expect(later.stdout.split(separator: "\r\n").count == 1)  // the header only
            // A day as people say it: every lead here was made today.
            let today = try await Binary.run(["export", "--since", "today"], environment: Self.environment(env))
            #expect(
                today.status == 0
                    && today.stdout.split(separator: "\r\n").count == csv.stdout.split(separator: "\r\n").count)
            let badDate = try await Binary.run(["export", "--since", "last week"], environment: Self.environment(env))
            #expect(badDate.status == 64 && badDate.stderr.contains("give today, yesterday, 7d"))
            // For Excel on Windows: a UTF-8 byte-order mark first, then the same CRLF rows.
            let excelFile = env.folder + "/for-excel.csv"
            let excel = try await Binary.run(
                ["export", "--excel", "--since", "7d", "-o", excelFile], environment: Self.environment(env))
            #expect(excel.status == 0)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: excelFile))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF] && bytes.dropFirst(3) == Data(csv.stdout.utf8))
            let excelJSON = try await Binary.run(
                ["export", "--excel", "--format", "json"], environment: Self.environment(env))
            #expect(excelJSON.status == 64)
        }
    }

    /// The keys the README documents for a lead's CSV and JSON, in its order.
    static let documentedKeys = [
        "id", "created_at", "updated_at", "state", "crm_id", "attempts", "last_error", "uncertain", "first_name",
        "last_name", "phone", "email", "project", "notes", "subject", "channel", "rep", "alert_customer", "alert_rep",
        "lead_id", "next_attempt_at"
    ]
}

@Suite("import in a terminal")
struct ImportTerminalTests {
    @Test func aTerminalGetsAProgressBarThenTheSummary() async throws {
        try await SandboxEnvironment.with { env in
            let path = try ImportExportCommandTests.sheet(400, in: env.folder)
            // Slow answers, so the bar is on screen for a while.
            await env.sandbox.setFaults(SandboxFaults(latencyMs: 20))
            var environment = ImportExportCommandTests.environment(env)
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            let tmux = try await Tmux(
                "\(Binary.path) import \(path) --subject Expo --channel Expo --rep smith --concurrency 2; echo \"exit=$?\"",
                columns: 100, rows: 30, environment: environment)
            defer { Task { await tmux.stop() } }
            let bar = try await tmux.waitFor(timeout: .seconds(60)) {
                $0.contains("] ") && $0.contains("/400") && $0.contains("ETA")
            }
            let during = try await tmux.screen()
            #expect(bar, "\(during)")
            #expect(try await tmux.waitFor(timeout: .seconds(120)) { $0.contains("exit=0") })
            let screen = try await tmux.screen()
            #expect(screen.contains("accepted: 400") && screen.contains("delivered 400/400"), "\(screen)")
            await tmux.stop()
        }
    }
}

/// CSV text as rows of cells (CSV.swift), to compare exports cell by cell.
enum CSVRows {
    static func parse(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }
}
