import Foundation
import ParamantraAPI
import ParamantraSandbox
import TestSupport
import Testing

@testable import leadconsole

/// `leadconsole submit`, the real binary against the real sandbox.
@Suite("leadconsole submit")
struct SubmitCommandTests {
    static let lead = [
        "--first-name", "José", "--last-name", "नमस्ते 👋", "--phone", "+91 98765 43210",
        "--email", "jose@example.in", "--subject", "Walk-in at Expo", "--channel", "Walk-in", "--rep", "smithparkar",
        "--notes", "2BHK\nbudget & timeline", "--project", "GreenGreen", "--alert-rep"
    ]

    @Test func acceptedThenDuplicateBothExitZero() async throws {
        try await SandboxEnvironment.with { env in
            let first = try await Binary.run(["submit"] + Self.lead, environment: env.environment)
            let id = try #require(await env.sandbox.leads().first?.id)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == "accepted: accepted as CRM #\(id) (phone 9876543210)\n")
            #expect(first.stderr.isEmpty)
            let second = try await Binary.run(["submit"] + Self.lead, environment: env.environment)
            #expect(second.status == 0)
            #expect(second.stdout == "duplicate: already in the CRM as #\(id) (phone 9876543210)\n")
            let fields = try #require(await env.sandbox.leads().first?.fields)
            #expect(
                fields["f_name"] == "José" && fields["l_name"] == "नमस्ते 👋"
                    && fields["notes"] == "2BHK\nbudget & timeline")
            #expect(fields["alert_rep"] == "1" && fields["alert_client"] == "0" && fields["proje_1"] == "GreenGreen")
        }
    }

    @Test func jsonOutput() async throws {
        try await SandboxEnvironment.with { env in
            let result = try await Binary.run(
                ["submit", "--json", "--phone-format", "91-ten-digits"] + Self.lead, environment: env.environment)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(object["outcome"] as? String == "accepted")
            #expect(object["delivered"] as? Bool == true)
            #expect(object["http_status"] as? Int == 200)
            #expect(object["state"] as? String == "accepted")
            // One shape for a lead everywhere: `id` the history's number, `lead_id` its uuid, the
            // same object `history --json` prints, with the outcome added.
            #expect(object["id"] as? Int == 1)
            let history = try await Binary.run(["history", "--json"], environment: env.environment)
            let listed = try #require(
                try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
            #expect(object["lead_id"] as? String == listed.first?["lead_id"] as? String)
            #expect((object["lead_id"] as? String).flatMap(UUID.init(uuidString:)) != nil)
            let listedKeys = Set(try #require(listed.first).keys)
            #expect(listedKeys.isSubset(of: Set(object.keys)) && listedKeys.count == 21)
            #expect(object["crm_id"] as? String == (await env.sandbox.leads().first.map { String($0.id) }))
            #expect(await env.sandbox.leads().first?.fields["phonefax"] == "919876543210")
        }
    }

    @Test func anInvalidLeadPrintsEveryProblemAndSendsNothing() async throws {
        try await SandboxEnvironment.with { env in
            let result = try await Binary.run(
                ["submit", "--phone", "12345", "--email", "nope", "--channel", "Walk-in"], environment: env.environment)
            #expect(result.status == 65)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr == """
                    invalid: Phone: Phone must have ten digits after the country code (found 5)
                    invalid: Email: Email needs an @ (name@example.com)
                    invalid: Subject: Subject is required
                    invalid: Rep: Rep is required

                    """)
            #expect(await env.sandbox.leadRequestCount() == 0)
        }
    }

    @Test(
        "outcomes map to exit statuses",
        arguments: [
            (
                #"{"mode":"status","status":503}"#, Int32(75),
                "temporary: temporary failure: HTTP 503 from the server: Service Unavailable"
            ),
            (
                #"{"mode":"status","status":429,"retry_after":30}"#, 75,
                "temporary: temporary failure: HTTP 429 too many requests (server asks to wait 30 s)"
            ),
            (
                #"{"mode":"status","status":402,"message":"Lead quota used up"}"#, 1,
                "rejected: rejected by the CRM (HTTP 402): Lead quota used up"
            ),
            (#"{"mode":"drop"}"#, 75, "temporary: temporary failure: "),
            (
                #"{"mode":"empty"}"#, 75,
                "uncertain: answer unreadable, the lead may have arrived: HTTP 200 with an empty body"
            ),
            (#"{"mode":"redirect","location":"https://example.invalid/x"}"#, 78, "endpoint: check the endpoint URL: "),
            (#"{"mode":"status","status":404}"#, 78, "endpoint: check the endpoint URL: ")
        ])
    func faultExitStatus(fault: String, status: Int32, line: String) async throws {
        try await SandboxEnvironment.with { env in
            let faults = try JSONDecoder().decode(SandboxFaults.self, from: Data(fault.utf8))
            await env.sandbox.setFaults(faults)
            let result = try await Binary.run(["submit"] + Self.lead, environment: env.environment)
            #expect(result.status == status, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.hasPrefix(line), "\(result.stdout)")
        }
    }

    @Test func aWrongKeyExits77() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = "wrong-key-123456"
            let result = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(result.status == 77)
            #expect(
                result.stdout
                    == "unauthorized: credentials rejected: Not authorized (phone 9876543210); lead #1 is held until the credentials are fixed (leadconsole config set-key)\n"
            )
        }
    }

    /// An app name too long for the server's headers (431) is the settings' fault, not the
    /// lead's: held with 78, and sent once the app name is right.
    @Test func headersTooLargeHoldTheLeadAndExit78() async throws {
        try await SandboxEnvironment.with { env in
            var environment = env.environment
            environment["PARAMANTRA_APP_NAME"] = String(repeating: "CLITEST", count: 3000)
            let result = try await Binary.run(["submit"] + Self.lead, environment: environment)
            #expect(result.status == 78, "\(result.stdout) \(result.stderr)")
            #expect(
                result.stdout.hasPrefix(
                    "settings: the server refused the request's headers as too large (HTTP 431): the API key or app name is too long for it (Request Header Fields Too Large) (phone 9876543210); lead #1 is held until the API key, app name and endpoint URL are set right"
                ), "\(result.stdout)")
            let history = try await Binary.run(["history"], environment: environment)
            #expect(history.stdout.contains("held"), "\(history.stdout)")
            #expect(!history.stdout.contains("rejected"), "\(history.stdout)")
            #expect(await env.sandbox.leads().isEmpty)
            // The app name set right: the held lead is let go, said in words that count.
            let fixed = try await Binary.run(["config", "set", "app_name", "CLITEST"], environment: env.environment)
            #expect(
                fixed.stdout.contains("1 held or queued lead will be sent again; run: leadconsole retry"),
                "\(fixed.stdout)")
            let retry = try await Binary.run(["retry"], environment: env.environment)
            #expect(retry.status == 0, "\(retry.stdout) \(retry.stderr)")
            #expect(await env.sandbox.leads().count == 1)
        }
    }

    @Test func theServerDownExits75Quickly() async throws {
        var environment: [String: String] = [:]
        try await SandboxEnvironment.with { env in environment = env.environment }
        let result = try await Binary.run(["submit"] + Self.lead, environment: environment)
        #expect(result.status == 75)
        #expect(
            result.stdout.hasPrefix(
                "temporary: temporary failure: connection refused (phone 9876543210); kept in the outbox as lead #1, next attempt in "
            ))
    }

    @Test func theKeyIsNeverACommandLineValue() async throws {
        let result = try await Binary.run(["submit", "--api-key", "secret"] + Self.lead)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown option '--api-key'"))
    }

    @Test func missingCredentialsSayWhatToSet() async throws {
        let noKey = try await Binary.run(["submit"] + Self.lead, environment: ["PARAMANTRA_APP_NAME": "X"])
        #expect(noKey.status == 78)
        #expect(noKey.stderr.contains("set PARAMANTRA_API_KEY, pass --api-key-file PATH"))
        let noApp = try await Binary.run(["submit"] + Self.lead, environment: ["PARAMANTRA_API_KEY": "k-1234567890"])
        #expect(noApp.status == 78)
        #expect(noApp.stderr.contains("PARAMANTRA_APP_NAME"))
        let badURL = try await Binary.run(
            ["submit", "--url", "not a url"] + Self.lead,
            environment: ["PARAMANTRA_API_KEY": "k-1234567890", "PARAMANTRA_APP_NAME": "X"])
        #expect(badURL.status == 78)
        #expect(badURL.stderr.contains("is not a URL"))
    }

    @Test func aKeyFileOthersCanReadIsRefusedWithTheFix() async throws {
        try await SandboxEnvironment.with { env in
            let file = NSTemporaryDirectory() + "/key-\(UUID().uuidString)"
            try Data((env.key + "\n").utf8).write(to: URL(fileURLWithPath: file))
            defer { unlink(file) }
            var environment = env.environment
            environment["PARAMANTRA_API_KEY"] = nil
            chmod(file, 0o644)
            let refused = try await Binary.run(["submit", "--api-key-file", file] + Self.lead, environment: environment)
            #expect(refused.status == 78)
            #expect(refused.stderr.contains("can be read by other users (mode 644); fix it with: chmod 600 \(file)"))
            #expect(await env.sandbox.leadRequestCount() == 0)
            chmod(file, 0o600)
            let accepted = try await Binary.run(
                ["submit", "--api-key-file", file] + Self.lead, environment: environment)
            #expect(accepted.status == 0, "\(accepted.stderr)")
        }
    }

    @Test func verboseLogsNeverShowTheKey() async throws {
        try await SandboxEnvironment.with { env in
            let result = try await Binary.run(["submit", "--verbose"] + Self.lead, environment: env.environment)
            #expect(result.status == 0)
            #expect(result.stderr.contains("sending lead"))
            #expect(result.stderr.contains("X-API-KEY: <redacted>"))
            let basic = Data("\(env.key):\(env.key)".utf8).base64EncodedString()
            for text in [result.stdout, result.stderr] {
                #expect(!text.contains(env.key) && !text.contains(basic))
            }
        }
    }

    @Test func plainHTTPOffLoopbackIsWarnedAbout() {
        // Checked without a request: no test sends traffic off this machine.
        func warning(_ url: String) -> String? {
            SubmitCommand.plainHTTPWarning(Credentials(endpoint: URL(string: url)!, apiKey: APIKey("k"), appName: "A"))
        }
        #expect(
            warning("http://cloud.paramantra.com/paramantra/api/data/new/format/json")
                == "warning: http://cloud.paramantra.com/paramantra/api/data/new/format/json is plain http: the API key travels unencrypted"
        )
        #expect(warning("https://cloud.paramantra.com/paramantra/api/data/new/format/json") == nil)
        #expect(warning("http://127.0.0.1:8080/paramantra/api/data/new/format/json") == nil)
        #expect(warning("http://localhost:8080/x") == nil)
    }
}
