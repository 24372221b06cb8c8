import Foundation
import LeadOutbox
import ParamantraSandbox
import TestSupport
import Testing

/// The outbox through the binary: crashes, concurrent processes, history, retry, config.
@Suite("Outbox commands")
struct OutboxCommandTests {
    static func lead(_ phone: String, _ name: String = "Asha") -> [String] {
        ["--first-name", name, "--phone", phone, "--subject", "Walk-in", "--channel", "Walk-in", "--rep", "smith"]
    }

    func history(_ env: SandboxEnvironment, _ extra: [String] = []) async throws -> [[String: Any]] {
        let result = try await Binary.run(["history", "--json"] + extra, environment: env.environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func killDashNineMidRequestLosesNothingAndSendsNothingTwice() async throws {
        try await SandboxEnvironment.with { env in
            await env.sandbox.setFaults(SandboxFaults(mode: .acceptNoAnswer))
            var environment = env.environment
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            environment["LANG"] = "C.UTF-8"
            let child = try Spawn.start(Binary.path, ["submit"] + Self.lead("9876500001"), environment: environment)
            // The request reached the CRM and the lead was kept; the answer never comes.
            #expect(await waitUntil(timeout: .seconds(20)) { await env.sandbox.leads().count == 1 })
            child.signal(SIGKILL)
            #expect(await child.wait() == 128 + SIGKILL)
            let crashed = try await history(env)
            #expect(crashed.first?["state"] as? String == "sending")

            await env.sandbox.setFaults(.none)
            let retry = try await Binary.run(["retry"], environment: env.environment)
            #expect(retry.status == 0, "\(retry.stdout) \(retry.stderr)")
            #expect(retry.stdout == "sent 1: 1 duplicate; outbox now: 0 queued, 0 held\n")
            let after = try await history(env)
            #expect(after.count == 1)
            #expect(after[0]["state"] as? String == "duplicate")
            #expect(after[0]["uncertain"] as? Bool == true)
            #expect(after[0]["crm_id"] as? String == (await env.sandbox.leads().first.map { String($0.id) }))
            #expect(await env.sandbox.leads().count == 1)
        }
    }

    @Test func twoProcessesEnqueueingAtOnceDeliverEveryLeadExactlyOnce() async throws {
        try await SandboxEnvironment.with { env in
            // Two writers side by side, each queueing and delivering its own leads.
            async let a = Self.submitMany(env, phones: (0..<8).map { "98100000\(10 + $0)" })
            async let b = Self.submitMany(env, phones: (0..<8).map { "98200000\(10 + $0)" })
            let results = try await a + b
            for result in results { #expect(result.status == 0, "\(result.stdout) \(result.stderr)") }
            let leads = try await history(env, ["--limit", "100"])
            #expect(leads.count == 16)
            #expect(leads.allSatisfy { $0["state"] as? String == "accepted" })
            #expect(await env.sandbox.leads().count == 16)
            #expect(await env.sandbox.leadRequestCount() == 16)
        }
    }

    static func submitMany(_ env: SandboxEnvironment, phones: [String]) async throws -> [Spawn.Result] {
        var results: [Spawn.Result] = []
        for phone in phones {
            results.append(try await Binary.run(["submit"] + lead(phone), environment: env.environment))
        }
        return results
    }

    @Test func noWaitQueuesAndRetryDelivers() async throws {
        try await SandboxEnvironment.with { env in
            let queued = try await Binary.run(
                ["submit", "--no-wait"] + Self.lead("9876500002"), environment: env.environment)
            #expect(queued.status == 0)
            #expect(queued.stdout == "queued: lead #1 is in the outbox (phone 9876500002)\n")
            #expect(await env.sandbox.leadRequestCount() == 0)
            let retry = try await Binary.run(["retry"], environment: env.environment)
            #expect(retry.status == 0)
            #expect(retry.stdout == "sent 1: 1 accepted; outbox now: 0 queued, 0 held\n")
        }
    }

    @Test func retryExitStatusSaysWhatIsLeft() async throws {
        try await SandboxEnvironment.with { env in
            _ = try await Binary.run(["submit", "--no-wait"] + Self.lead("9876500003"), environment: env.environment)
            await env.sandbox.setFaults(SandboxFaults(mode: .status, status: 503))
            let down = try await Binary.run(["retry"], environment: env.environment)
            #expect(down.status == 75)
            #expect(down.stdout == "sent 1: 1 queued; outbox now: 1 queued, 0 held\n")
            await env.sandbox.setFaults(.none)
            var wrong = env.environment
            wrong["PARAMANTRA_API_KEY"] = "wrong-key-000000"
            let refused = try await Binary.run(["retry"], environment: wrong)
            #expect(refused.status == 77)
            #expect(refused.stdout == "sent 1: 1 held; outbox now: 0 queued, 1 held\n")
            let fixed = try await Binary.run(["retry"], environment: env.environment)
            #expect(fixed.status == 0)
            #expect(fixed.stdout == "sent 1: 1 accepted; outbox now: 0 queued, 0 held\n")
        }
    }

    @Test func historyFiltersSearchesAndNeverShowsTheKey() async throws {
        try await SandboxEnvironment.with { env in
            _ = try await Binary.run(["submit"] + Self.lead("9876500004", "Meena"), environment: env.environment)
            await env.sandbox.setFaults(
                SandboxFaults(mode: .status, status: 402, message: "Channel \u{1B}[31mnot found"))
            _ = try await Binary.run(["submit"] + Self.lead("9876500005", "Ravi"), environment: env.environment)
            let all = try await history(env)
            #expect(all.map { $0["first_name"] as? String } == ["Ravi", "Meena"])
            let keys = Set(all[0].keys)
            #expect(
                keys.isSuperset(of: [
                    "id", "created_at", "first_name", "last_name", "phone", "email", "state", "crm_id", "attempts",
                    "last_error"
                ]))
            #expect(all[0]["last_error"] as? String == "rejected by the CRM (HTTP 402): Channel not found")
            #expect(try await history(env, ["--state", "rejected"]).count == 1)
            #expect(try await history(env, ["--search", "meen"]).map { $0["phone"] as? String } == ["9876500004"])
            let text = try await Binary.run(["history"], environment: env.environment)
            #expect(text.stdout.contains("#2  ") && text.stdout.contains("rejected") && text.stdout.contains("Ravi"))
            for output in [text.stdout, text.stderr] { #expect(!output.contains(env.key)) }
            let bad = try await Binary.run(["history", "--state", "lost"], environment: env.environment)
            #expect(bad.status == 64)
        }
    }

    @Test func configSetKeyShowAndFileModes() async throws {
        let folder = NSTemporaryDirectory() + "/lc-\(UUID().uuidString)"
        let environment = ["LEADCONSOLE_DATA_DIR": folder + "/data", "LEADCONSOLE_CONFIG_DIR": folder + "/config"]
        let setKey = try await Binary.run(
            ["config", "set-key"], environment: environment, stdin: "sk-live-abcdefgh12345678\n")
        #expect(setKey.status == 0, "\(setKey.stderr)")
        #expect(setKey.stdout == "api_key = ••••5678 saved in \(folder)/config/config.json\n")
        #expect(try await Binary.run(["config", "set", "app_name", "ACME"], environment: environment).status == 0)
        #expect(
            try await Binary.run(["config", "set", "default_channel", "Walk-in"], environment: environment).status == 0)
        let refused = try await Binary.run(
            ["config", "set", "api_key", "sk-live-abcdefgh12345678"], environment: environment)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("never taken on the command line"))
        let typo = try await Binary.run(["config", "set", "chanel", "x"], environment: environment)
        #expect(typo.status == 64 && typo.stderr.contains("unknown setting \"chanel\""))
        let show = try await Binary.run(["config", "show"], environment: environment)
        #expect(show.stdout.contains("api_key = ••••5678\n") && show.stdout.contains("app_name = ACME\n"))
        #expect(!show.stdout.contains("abcdefgh"))
        var info = stat()
        stat(folder + "/config/config.json", &info)
        #expect(info.st_mode & 0o777 == 0o600)
        stat(folder + "/config", &info)
        #expect(info.st_mode & 0o777 == 0o700)
        let fromEnv = try await Binary.run(
            ["config", "show"], environment: environment.merging(["PARAMANTRA_APP_NAME": "ENVAPP"]) { $1 })
        #expect(fromEnv.stdout.contains("app_name = ENVAPP  (from PARAMANTRA_APP_NAME)"))

        chmod(folder + "/config/config.json", 0o644)
        let exposed = try await Binary.run(["config", "show"], environment: environment)
        #expect(exposed.status == 78)
        #expect(exposed.stderr.contains("fix it with: chmod 600 \(folder)/config/config.json"))
        let path = try await Binary.run(["config", "path"], environment: environment)
        #expect(path.stdout == "config: \(folder)/config/config.json\ndata: \(folder)/data\n")
        // A value holding "=" is the whole value: the environment is split at its first "=".
        let equals = try await Binary.run(
            ["config", "path"],
            environment: environment.merging(["LEADCONSOLE_CONFIG_DIR": folder + "/a=b"]) { $1 })
        #expect(equals.stdout.hasPrefix("config: \(folder)/a=b/config.json\n"))
    }
}
