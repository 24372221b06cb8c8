import Foundation
import TestSupport
import Testing

/// A rejected file a person has corrected is never overwritten by the next run: that run's rows
/// go to `-2`, and the summary names it; an unchanged file of ours is simply rewritten.
@Suite("import: files a person edited")
struct FixFileTests {
    static let options = ["--subject", "Expo", "--channel", "Expo", "--rep", "smith"]

    @Test func anEditedRejectedFileSurvivesARerun() async throws {
        try await SandboxEnvironment.with { env in
            try FileManager.default.createDirectory(atPath: env.folder, withIntermediateDirectories: true)
            let sheet = env.folder + "/expo.csv"
            try "Name,Mobile No\nAsha,9100000001\nRavi,12345\n".write(toFile: sheet, atomically: true, encoding: .utf8)
            let environment = ImportExportCommandTests.environment(env)
            let first = try await Binary.run(["import", sheet] + Self.options, environment: environment)
            #expect(first.stderr.contains("1 invalid rows are in \(env.folder)/expo.rejected.csv"), "\(first.stderr)")
            let rejected = env.folder + "/expo.rejected.csv"
            let written = try String(contentsOfFile: rejected, encoding: .utf8)
            #expect(written.contains("Ravi,12345"))

            // Unchanged: the next run rewrites it in place, with no -2.
            let again = try await Binary.run(["import", sheet] + Self.options, environment: environment)
            #expect(again.stderr.contains("invalid rows are in \(rejected)"), "\(again.stderr)")
            #expect(!FileManager.default.fileExists(atPath: env.folder + "/expo.rejected-2.csv"))

            // Corrected by a person (the phone fixed in Excel), then the original imported again:
            // their file stays as they left it, and this run's rows go to -2.
            let corrected = written.replacingOccurrences(of: "12345", with: "9100000002")
            try corrected.write(toFile: rejected, atomically: true, encoding: .utf8)
            let third = try await Binary.run(["import", sheet] + Self.options, environment: environment)
            #expect(
                third.stderr.contains(
                    "note: \(rejected) was changed since this import wrote it; it is kept as it is, and this run writes expo.rejected-2.csv instead"
                ), "\(third.stderr)")
            #expect(try String(contentsOfFile: rejected, encoding: .utf8) == corrected)
            let second = env.folder + "/expo.rejected-2.csv"
            #expect(try String(contentsOfFile: second, encoding: .utf8).contains("Ravi,12345"))
            #expect(third.stdout.contains("leadconsole import \(second)"), "\(third.stdout)")

            // A fourth run: the edited file still untouched, -2 (ours, unchanged) rewritten.
            let fourth = try await Binary.run(["import", sheet] + Self.options, environment: environment)
            #expect(fourth.stderr.contains("writes expo.rejected-2.csv instead"), "\(fourth.stderr)")
            #expect(try String(contentsOfFile: rejected, encoding: .utf8) == corrected)
            #expect(!FileManager.default.fileExists(atPath: env.folder + "/expo.rejected-3.csv"))

            // The corrected file imports: Ravi reaches the CRM with the fixed phone.
            let fixed = try await Binary.run(["import", rejected] + Self.options, environment: environment)
            #expect(fixed.status == 0, "\(fixed.stdout) \(fixed.stderr)")
            #expect(await env.sandbox.leads().contains { $0.contactNumber == "9100000002" })
        }
    }
}
