import Foundation
import LeadOutbox
import ParamantraSandbox
import TestSupport
import Testing

/// `leadconsole import` of workbooks and contacts, the rows the CRM refuses, and imports side by
/// side: the real binary against the in-process sandbox, files written by openpyxl.
@Suite("import: workbooks, contacts and a way back")
struct ImportKindsCommandTests {
    static func run(_ arguments: [String], _ env: SandboxEnvironment) async throws -> Spawn.Result {
        try await Binary.run(arguments, environment: ImportExportCommandTests.environment(env))
    }

    static let defaults = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    /// The lead_id of each rejected lead, by phone, as `export` gives them.
    static func rejectedLeadIDs(_ env: SandboxEnvironment) async throws -> [String] {
        let export = try await run(["export", "--state", "rejected", "--format", "json"], env)
        let leads = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [[String: Any]])
        return leads.sorted { ($0["phone"] as? String ?? "") < ($1["phone"] as? String ?? "") }
            .compactMap { $0["lead_id"] as? String }
    }

    @Test func aWorkbookReachesTheCRMAndItsRefusedRowsComeBackAsAFileToFix() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let path = env.folder + "/expo day.xlsx"
            try await Workbook.write(
                """
                ws.append(["Customer Name", "Mobile No.", "E-mail", "Interested In"])
                ws.append(["Khan, Fatima", 9820012345, "fatima@example.in", "GreenGreen"])
                ws.append(["Dr. Anil Mehta", 9820012346, "anil@example.in", "Tower B"])
                ws.append(["Lata Iyer", 9820012347, "lata@example.in", None])
                ws.append(["Ravi", 98200, None, None])
                """, to: path)
            // The CRM refuses the first two leads it is sent.
            await env.sandbox.setFaults(
                SandboxFaults(mode: .status, status: 402, count: 2, message: "Invalid mobile number"))
            let first = try await Self.run(
                ["import", path, "--map", "Interested In=project", "--concurrency", "1"] + Self.defaults, env)
            #expect(first.status == 1, "\(first.stderr)")
            #expect(first.stderr.contains(#"reading \#(path): sheet "Sheet""#), "\(first.stderr)")
            #expect(first.stdout.contains("accepted: 1, duplicates: 0, rejected by the CRM: 2"), "\(first.stdout)")
            let crmFile = env.folder + "/expo day.crm-rejected.csv"
            let invalidFile = env.folder + "/expo day.rejected.csv"
            #expect(
                first.stdout.contains(
                    "next, invalid rows: fix them in \(invalidFile) (its problem column says what), then: leadconsole import '\(invalidFile)'"
                ), "\(first.stdout)")
            #expect(first.stdout.contains("next, rejected by the CRM: fix them in \(crmFile)"))
            // As Excel opens it (UTF-8 with a byte-order mark), with each lead's lead_id.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: crmFile))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let refused = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let ids = try await Self.rejectedLeadIDs(env)
            try #require(ids.count == 2)
            #expect(
                refused
                    == "Customer Name,Mobile No.,E-mail,Interested In,problem,lead_id\r\n"
                    + "\"Khan, Fatima\",9820012345,fatima@example.in,GreenGreen,rejected (402): Invalid mobile number,\(ids[0])\r\n"
                    + "Dr. Anil Mehta,9820012346,anil@example.in,Tower B,rejected (402): Invalid mobile number,\(ids[1])\r\n"
            )
            let leads = await env.sandbox.leads()
            #expect(
                leads.last?.fields["f_name"] == "Lata"
                    && leads.last?.fields["phonefax"]?.hasSuffix("9820012347") == true)

            // Imported again unchanged: nothing new is queued, and the file says they are still refused.
            await env.sandbox.setFaults(.none)
            let unchanged = try await Self.run(
                ["import", crmFile, "--map", "Interested In=project"] + Self.defaults, env)
            #expect(unchanged.status == 1)
            #expect(unchanged.stdout.contains("already imported before, not queued again: 2"), "\(unchanged.stdout)")
            #expect(!unchanged.stderr.contains("problem"), "the problem column is not data: \(unchanged.stderr)")
            // Fixed (here: a corrected email), they go out; the names were read as people write them.
            try refused.replacingOccurrences(of: "@example.in", with: "@example.com").write(
                toFile: crmFile, atomically: true, encoding: .utf8)
            let fixed = try await Self.run(["import", crmFile, "--map", "Interested In=project"] + Self.defaults, env)
            #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
            #expect(fixed.stdout.contains("queued now: 2") && fixed.stdout.contains("accepted: 2"))
            let sent = await env.sandbox.leads()
            #expect(sent.contains { $0.fields["f_name"] == "Fatima" && $0.fields["l_name"] == "Khan" })
            #expect(sent.contains { $0.fields["f_name"] == "Anil" && $0.fields["notes"] == "Title: Dr." })
            #expect(!FileManager.default.fileExists(atPath: env.folder + "/expo day.crm-rejected.crm-rejected.csv"))
        }
    }

    /// The limit is said as a number formatted by Foundation (ICU under it, whose data the release
    /// binary carries cut: `make test-release` runs this on it).
    /// The expo's workbook as it arrives: a title in row 1, an empty row 2, the header in row 3.
    /// Read without options, the mapping line and the first line say which row was the header,
    /// and `--map` names a column of that row.
    @Test func aWorkbookWithATitleRowImportsAsIs() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let path = env.folder + "/signups.xlsx"
            try await Workbook.write(
                """
                ws.append(["Expo sign-ups, 3 Dec"])
                ws.append([])
                ws.append(["Name of Visitor", "Mobile No.", "Remarks"])
                ws.append(["Rahul Kumar", 9820011111, "2BHK"])
                ws.append(["Meera Iyer", 9820011112, None])
                """, to: path)
            let result = try await Binary.run(
                [
                    "import", path, "--map", "Mobile No.=phone", "--subject", "Expo", "--channel", "Expo", "--rep",
                    "smith"
                ],
                environment: ImportExportCommandTests.environment(env))
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("header: row 3"), "\(result.stderr)")
            #expect(result.stderr.contains("Mobile No. → Phone"), "\(result.stderr)")
            let leads = await env.sandbox.leads()
            #expect(Set(leads.map(\.contactNumber)) == ["9820011111", "9820011112"], "\(leads)")
            #expect(leads.first { $0.contactNumber == "9820011111" }?.fields["f_name"] == "Rahul")
        }
    }

    @Test func aSheetOfTooManyColumnsIsRefusedWithTheLimitWritten() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/wide.csv"
        try ("Name,Mobile\n" + (0...1_000).map { "c\($0)" }.joined(separator: ",") + "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await Binary.run(["import", path, "--dry-run"] + Self.defaults)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("row 2 (line 2, byte "), "\(result.stderr)")
        #expect(result.stderr.contains("more than 1,000 columns; the file is damaged"), "\(result.stderr)")
    }

    @Test func phoneContactsImportOneLeadPerCard() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let path = env.folder + "/contacts.vcf"
            try Data(
                ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Iyer;Meera;;;\r\nFN:Meera Iyer\r\nTEL;TYPE=HOME:022 2345 6789\r\n"
                    + "TEL;TYPE=CELL:+91 98200 1\r\n 2348\r\nEMAIL:meera@example.in\r\nEND:VCARD\r\n"
                    + "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Only A Name\r\nEND:VCARD\r\n").utf8
            ).write(to: URL(fileURLWithPath: path))
            let result = try await Self.run(["import", path] + Self.defaults, env)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("rows read: 2") && result.stdout.contains("invalid, not queued: 1"))
            #expect(result.stderr.contains("card 2 (line 10), Phone: Phone is required"), "\(result.stderr)")
            let lead = try #require(await env.sandbox.leads().first)
            #expect(lead.fields["f_name"] == "Meera" && lead.fields["l_name"] == "Iyer")
            #expect(lead.fields["phonefax"]?.hasSuffix("9820012348") == true)
            #expect(lead.fields["notes"] == "Home phone: 022 2345 6789")
        }
    }

    @Test func anImportBesideAnotherCountsWhatTheCRMAnsweredForItsOwnRows() async throws {
        try await SandboxEnvironment.with { env in
            let big = try ImportExportCommandTests.sheet(300, in: env.folder + "/a")
            await env.sandbox.setFaults(SandboxFaults(latencyMs: 20))
            let first = try Spawn.start(
                Binary.path, ["import", big, "--concurrency", "1"] + Self.defaults,
                environment: ImportExportCommandTests.environment(env))
            #expect(await waitUntil { await env.sandbox.leads().count >= 5 })
            // The first import holds the outbox and sends these leads too; the second one's
            // summary waits for them, and counts only its own rows.
            let small = env.folder + "/b.csv"
            let rows = (0..<20).map { "Guest \($0),98300\(String(format: "%05d", $0))" }
            try ("Name,Phone\n" + rows.joined(separator: "\n")).write(toFile: small, atomically: true, encoding: .utf8)
            let second = try await Self.run(["import", small, "--retry-window", "120"] + Self.defaults, env)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stderr.contains("another leadconsole is delivering this outbox: waiting"))
            #expect(
                second.stdout.contains(
                    "accepted: 20, duplicates: 0, rejected by the CRM: 0, held: 0, still queued: 0"), "\(second.stdout)"
            )
            #expect(await first.wait(timeout: .seconds(120)) == 0, "\(first.stderr)")
            #expect(first.stdout.contains("accepted: 300,"), "\(first.stdout)")
            let phones = await env.sandbox.leads().map(\.contactNumber)
            #expect(phones.count == 320 && Set(phones).count == 320)
        }
    }
}
