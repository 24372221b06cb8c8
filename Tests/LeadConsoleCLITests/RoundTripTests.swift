import Foundation
import ParamantraSandbox
import TestSupport
import Testing

/// The way back from a rejection, as an expo manager walks it with a French Excel sheet
/// (semicolons, Windows-1252): import, fix the rows the CRM refused in the file we wrote, import
/// that file with the command we printed, retry the rest. The sandbox's ledger must end with
/// every customer once, with the values the person last wrote.
@Suite("import: the round trip of a fixed file")
struct RoundTripTests {
    static let header = "Prénom;Nom;Téléphone;Courriel;Remarques"
    static let rows = [
        "François;Dubois;9830010000;francois@example.fr;Stand 4",
        "Hélène;Martin;9830010010;helene@example.fr;",
        "Zoë;Petit;9830010020;zoe@example.fr;Rappeler lundi",
        "Émile;Roux;9830010030;emile@example.fr;",
        "Anaïs;Moreau;9830010040;anais@example.fr;3 pièces",
        "Théo;Lefèvre;9830010050;theo@example.fr;"
    ]

    /// The sheet as French Excel saves "CSV (séparateur: point-virgule)": Windows-1252, CRLF.
    static func frenchSheet(in folder: String) throws -> String {
        let path = folder + "/salon.csv"
        let text = ([header] + rows).joined(separator: "\r\n") + "\r\n"
        try #require(text.data(using: .windowsCP1252)).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func run(_ arguments: [String], _ env: SandboxEnvironment) async throws -> Spawn.Result {
        try await Binary.run(arguments, environment: ImportExportCommandTests.environment(env))
    }

    /// Runs a command line exactly as we printed it, through the shell.
    static func shell(_ line: String, _ env: SandboxEnvironment) async throws -> Spawn.Result {
        let command = line.replacingOccurrences(of: "leadconsole ", with: "'\(Binary.path)' ", options: .anchored)
        return try await Spawn.run(
            "/bin/sh", ["-c", command], environment: ImportExportCommandTests.environment(env),
            timeout: .seconds(120))
    }

    /// The command after "then: " on the summary's line for the CRM's rejections.
    static func printedCommand(_ stdout: String) throws -> String {
        let line = try #require(stdout.split(separator: "\n").first { $0.hasPrefix("next, rejected by the CRM") })
        let after = try #require(line.range(of: "then: "))
        return String(line[after.upperBound...].prefix { $0 != ";" })
    }

    @Test func aFixedRowCorrectsItsLeadAndEveryCustomerReachesTheCRMOnce() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let path = try Self.frenchSheet(in: env.folder)
            let options = ["--map", "Remarques=notes", "--subject", "Salon", "--channel", "Expo", "--rep", "smith"]
            // The CRM refuses the first three leads it is sent.
            await env.sandbox.setFaults(
                SandboxFaults(mode: .status, status: 402, count: 3, message: "Invalid mobile number"))
            let first = try await Self.run(["import", path, "--concurrency", "1"] + options, env)
            #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
            #expect(first.stdout.contains("accepted: 3, duplicates: 0, rejected by the CRM: 3"), "\(first.stdout)")

            // The file to fix is written as the sheet was: semicolons, its own headings, and a
            // byte-order mark (UTF-8: Excel reads it right, and no accent is lost).
            let crmFile = env.folder + "/salon.crm-rejected.csv"
            var bytes = try Data(contentsOf: URL(fileURLWithPath: crmFile))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let written = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = written.components(separatedBy: "\r\n")
            #expect(lines[0] == Self.header + ";problem;lead_id", "\(written)")
            #expect(lines[1].hasPrefix(Self.rows[0] + ";rejected (402): Invalid mobile number;"), "\(written)")
            #expect(lines.count == 5, "three rows and the last line break: \(written)")

            // François's phone fixed in the file, as Excel would save it (the mark kept).
            let fixedText = written.replacingOccurrences(of: "9830010000", with: "9830010001")
            bytes = Data([0xEF, 0xBB, 0xBF]) + Data(fixedText.utf8)
            try bytes.write(to: URL(fileURLWithPath: crmFile))

            // The command we printed works as printed: it carries the --map the sheet needs.
            let command = try Self.printedCommand(first.stdout)
            #expect(command.contains("--map 'Remarques=notes'"), "\(command)")
            let fixed = try await Self.shell(command, env)
            #expect(fixed.status == 1, "two are still refused: \(fixed.stdout)\(fixed.stderr)")
            #expect(
                fixed.stdout.contains(
                    "corrected by their lead_id, sent again as the same leads (the old values are in their history): 1"),
                "\(fixed.stdout)")
            #expect(fixed.stdout.contains("already imported before, not queued again: 2"), "\(fixed.stdout)")
            #expect(fixed.stdout.contains("accepted: 1, duplicates: 0, rejected by the CRM: 2"), "\(fixed.stdout)")

            // The other two go again unchanged; the superseded number is not among them.
            let retry = try await Self.run(["retry", "--rejected"], env)
            #expect(retry.status == 0, "\(retry.stdout)\(retry.stderr)")
            let ledger = await env.sandbox.leads()
            #expect(ledger.count == 6, "\(ledger.map(\.contactNumber))")
            #expect(Set(ledger.map(\.contactNumber)).count == 6)
            #expect(!ledger.contains { $0.contactNumber == "9830010000" })
            let francois = try #require(ledger.first { $0.contactNumber == "9830010001" })
            #expect(francois.fields["f_name"] == "François" && francois.fields["notes"] == "Stand 4")
            let history = try await Self.run(["history", "--state", "rejected"], env)
            #expect(!history.stdout.contains("9830010000"))

            // The first sheet again, with its --map and without: the rows are the same people,
            // nothing reaches the CRM again.
            let requests = await env.sandbox.leadRequestCount()
            let withMap = try await Self.run(["import", path] + options, env)
            #expect(withMap.status == 0, "\(withMap.stdout)\(withMap.stderr)")
            let bare = try await Self.run(["import", path] + options.dropFirst(2), env)
            #expect(bare.status == 0, "\(bare.stdout)\(bare.stderr)")
            #expect(await env.sandbox.leadRequestCount() == requests)
            #expect(bare.stdout.contains("already imported before, not queued again: 6"), "\(bare.stdout)")
        }
    }

    static let defaults = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The CRM's leads come back through an export, another sheet and another machine: what the
    /// CRM has is never sent again, and a phone it holds is recorded as a visit, not sent.
    @Test func whatTheCRMHasIsRecordedNotSent() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let sheet = env.folder + "/day1.csv"
            try Self.write(
                "Name,Mobile No.\nMeera Iyer,9820028800\nRavi Kumar,9820028801\nLata Shah,9820028802\n", to: sheet)
            let first = try await Self.run(["import", sheet] + Self.defaults, env)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            var requests = await env.sandbox.leadRequestCount()
            #expect(requests == 3)

            // Our own export imported again: each row is a lead the CRM has, by its lead_id.
            let export = env.folder + "/all.csv"
            #expect(try await Self.run(["export", "--output", export], env).status == 0)
            let exported = try await Self.run(["import", export], env)
            #expect(exported.status == 0, "\(exported.stdout)\(exported.stderr)")
            #expect(
                exported.stdout.contains("in the CRM already by their lead_id, not sent again: 3"), "\(exported.stdout)"
            )
            #expect(await env.sandbox.leadRequestCount() == requests)

            // Meera again on the second day, with her email now: the CRM has her phone, so the
            // visit is recorded (the returning-customer card counts it) and nothing is sent.
            let day2 = env.folder + "/day2.csv"
            try Self.write("Name,Mobile No.,Email\nMeera Iyer,9820028800,meera@example.in\n", to: day2)
            let visit = try await Self.run(["import", day2] + Self.defaults, env)
            #expect(visit.status == 0, "\(visit.stdout)\(visit.stderr)")
            #expect(
                visit.stdout.contains("already in the CRM (its phone), recorded as visits, not sent: 1"),
                "\(visit.stdout)")
            #expect(visit.stdout.contains("duplicates: 1"), "\(visit.stdout)")
            #expect(await env.sandbox.leadRequestCount() == requests)
            let history = try await Self.run(["history", "--search", "9820028800", "--json"], env)
            #expect(history.stdout.contains("duplicate, not sent: CRM #"), "\(history.stdout)")
            // --again sends it: the CRM answers duplicate, as it would.
            let day2b = env.folder + "/day2b.csv"
            try Self.write("Name,Mobile No.,Email\nMeera Iyer,9820028800,meera.iyer@example.in\n", to: day2b)
            let again = try await Self.run(["import", day2b, "--again"] + Self.defaults, env)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("queued now: 1"), "\(again.stdout)")
            requests += 1
            #expect(await env.sandbox.leadRequestCount() == requests)

            // A sheet from another machine: its lead_id is not in this history, so it is a new lead.
            let other = env.folder + "/laptop2.crm-rejected.csv"
            try Self.write(
                "Name,Mobile No.,problem,lead_id\nAsha Rao,9820028809,rejected (402): x,\(UUID().uuidString)\n",
                to: other)
            let foreign = try await Self.run(["import", other] + Self.defaults, env)
            #expect(foreign.status == 0, "\(foreign.stdout)\(foreign.stderr)")
            #expect(
                foreign.stdout.contains(
                    "lead_id not in this history (another machine's file), queued as new leads: 1"), "\(foreign.stdout)"
            )
            #expect(await env.sandbox.leads().contains { $0.contactNumber == "9820028809" })
        }
    }

    /// A rep types the fixed lead as a new row instead of fixing the file we wrote: it is
    /// queued, and the summary names the rejected lead with the same phone and how to fix it.
    @Test func aNewRowWithTheRejectedLeadsPhoneNamesIt() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let sheet = env.folder + "/expo.csv"
            try Self.write("Name,Mobile No.\nKiran Das,9820030000\n", to: sheet)
            await env.sandbox.setFaults(
                SandboxFaults(mode: .status, status: 402, count: 1, message: "Invalid email"))
            #expect(try await Self.run(["import", sheet] + Self.defaults, env).status == 1)
            let retyped = env.folder + "/expo-fixed.csv"
            try Self.write("Name,Mobile No.,Email\nKiran Das,9820030000,kiran@example.in\n", to: retyped)
            let result = try await Self.run(["import", retyped] + Self.defaults, env)
            #expect(
                result.stdout.contains(
                    "note, row 2: lead 1 (Kiran Das 9820030000) has this phone and was rejected by the CRM; if this row corrects it, fix lead 1 instead"
                ), "\(result.stdout)")
        }
    }

    /// A UTF-16 tab-separated sheet (Excel's "Unicode text"): its invalid rows come back in
    /// UTF-16 with tabs, and the printed command imports the fixed file.
    @Test func aUnicodeTextSheetsRejectedRowsComeBackInItsOwnFormat() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let sheet = env.folder + "/visitors.txt"
            let text = "Nom\tPrénom\tPortable\r\nDas\tRohan\t9820040000\r\nIyer\tMeera\t98200\r\n"
            try (Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!).write(to: URL(fileURLWithPath: sheet))
            let first = try await Self.run(["import", sheet] + Self.defaults, env)
            #expect(first.status == 0, "every valid row is in the CRM: \(first.stdout)\(first.stderr)")
            let rejected = env.folder + "/visitors.rejected.csv"
            let bytes = try Data(contentsOf: URL(fileURLWithPath: rejected))
            #expect(bytes.starts(with: [0xFF, 0xFE]), "UTF-16 little-endian, with its mark")
            let written = try #require(String(data: bytes.dropFirst(2), encoding: .utf16LittleEndian))
            #expect(written.hasPrefix("Nom\tPrénom\tPortable\tproblem\tlead_id\r\nIyer\tMeera\t98200\t"), "\(written)")
            try
                (Data([0xFF, 0xFE]) + written.replacingOccurrences(of: "\t98200\t", with: "\t9820040001\t")
                .data(using: .utf16LittleEndian)!).write(to: URL(fileURLWithPath: rejected))
            let line = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("next, invalid rows") })
            let command = String(line[try #require(line.range(of: "then: ")).upperBound...])
            let fixed = try await Self.shell(command, env)
            #expect(fixed.status == 0, "\(command): \(fixed.stdout)\(fixed.stderr)")
            #expect(
                await env.sandbox.leads().contains {
                    $0.contactNumber == "9820040001" && $0.fields["f_name"] == "Meera"
                })
        }
    }
}
