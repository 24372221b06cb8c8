import Foundation
import LeadOutbox
import ParamantraAPI
import TestSupport
import Testing

/// `submit` while another process holds the delivery lock: it sleeps until that process writes
/// (then reads its answer) or lets the lock go (then delivers itself); it never looks again on
/// a clock.
@Suite("leadconsole submit beside another deliverer")
struct SubmitWaitTests {
    static func lead(_ phone: String) -> [String] {
        [
            "submit", "--first-name", "Asha", "--phone", phone, "--subject", "Expo", "--channel", "Walk-in",
            "--rep", "smith", "--wait", "60"
        ]
    }

    /// The child's voluntary context switches, every thread summed: how often it went to sleep.
    static func sleeps(of pid: pid_t) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { total, task in
            let status = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") }
            return total + (line.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0)
        }
    }

    static func start(_ arguments: [String], _ env: SandboxEnvironment) throws -> Spawn.Child {
        var environment = env.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        environment["LANG"] = "C.UTF-8"
        environment["HOME"] = NSTemporaryDirectory()
        return try Spawn.start(Binary.path, arguments, environment: environment)
    }

    @Test func submitSleepsWhileAnotherDeliversThenReadsItsAnswerOrTakesOver() async throws {
        try await SandboxEnvironment.with { env in
            // The data folder, made as the tool makes it.
            let first = try await Binary.run(Self.lead("9876500001") + ["--no-wait"], environment: env.environment)
            #expect(first.status == 0, "\(first.stderr)")
            let locations = DataLocations(
                dataDirectory: URL(fileURLWithPath: env.folder + "/data"),
                configDirectory: URL(fileURLWithPath: env.folder + "/config"))
            let database = try LeadDatabase(directory: locations.dataDirectory)

            // 1. This test is the other deliverer: the child waits, then reads the answer we write.
            var session: DeliverySession? = try await DeliverySession.begin(
                database: database, locations: locations,
                credentials: Credentials(endpoint: env.sandbox.endpoint, apiKey: APIKey(env.key), appName: "CLITEST"),
                phoneFormat: .tenDigits)
            #expect(session != nil)
            let waiting = try Self.start(Self.lead("9876500002"), env)
            #expect(try await waitUntil { try await database.counts()[.queued, default: 0] == 2 })
            // Settled into its wait (the lead is queued, the lock was tried): over a second it
            // goes to sleep a handful of times at most (1 here). Looking again every 50 ms, it slept 221.
            try await Task.sleep(for: .milliseconds(300))
            let before = Self.sleeps(of: waiting.pid)
            try await Task.sleep(for: .seconds(1))
            let slept = Self.sleeps(of: waiting.pid) - before
            print("submit waiting on another deliverer: \(slept) voluntary context switches in 1 s")
            #expect(slept < 10)
            _ = try await session?.deliverer.deliverAllDue()
            #expect(await waiting.wait(timeout: .seconds(30)) == 0, "\(waiting.stderr)")
            #expect(waiting.stdout.hasPrefix("accepted: accepted as CRM #"), "\(waiting.stdout)")
            session = nil

            // 2. A deliverer that lets go (it exits): the waiting submit takes over and sends.
            var holder = try DeliveryLock.tryAcquire(locations.deliveryLockFile)
            #expect(holder != nil)
            let takeover = try Self.start(Self.lead("9876500003"), env)
            #expect(try await waitUntil { try await database.counts()[.queued, default: 0] == 1 })
            holder = nil
            #expect(await takeover.wait(timeout: .seconds(30)) == 0, "\(takeover.stderr)")
            #expect(takeover.stdout.hasPrefix("accepted: accepted as CRM #"), "\(takeover.stdout)")
            #expect(await env.sandbox.leads().count == 3)
        }
    }
}
