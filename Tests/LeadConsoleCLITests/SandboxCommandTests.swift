import Foundation
import TestSupport
import Testing

/// `leadconsole sandbox` as a separate process.
@Suite("leadconsole sandbox")
struct SandboxCommandTests {
    @Test("prints its URL first and stops cleanly on a signal", arguments: [SIGTERM, SIGINT])
    func urlFirstThenCleanStop(signal: Int32) async throws {
        let child = try Spawn.start(
            Binary.path, ["sandbox", "--port", "0", "--app-name", "EXPO"], environment: ["LANG": "C.UTF-8"])
        let ready = await waitUntil(timeout: .seconds(20)) { child.stdout.split(separator: "\n").count >= 3 }
        #expect(ready, "\(child.stderr)")
        let lines = child.stdout.split(separator: "\n").map(String.init)
        let url = try #require(lines.first)
        #expect(
            url.range(
                of: #"^http://127\.0\.0\.1:[0-9]+/paramantra/api/data/new/format/json$"#, options: .regularExpression)
                != nil)
        #expect(lines[1].range(of: #"^api key: [A-Za-z0-9]{24}$"#, options: .regularExpression) != nil)
        #expect(lines[2] == "app name: EXPO")

        // It really serves: the vendor's curl gets the success body.
        let key = String(lines[1].dropFirst("api key: ".count))
        let answer = try await Spawn.run(
            "/usr/bin/curl",
            [
                "-s", "-u", "\(key):\(key)", "-H", "X-API-KEY: \(key)", "-H", "ACTION-ON: EXPO",
                "-d", "phonefax=9876543210&subject=s&channel_id=c&rep_id=r", url
            ])
        #expect(answer.stdout.contains(#""status":"success""#))

        child.signal(signal)
        #expect(await child.wait(timeout: .seconds(20)) == 0)
        unlink(child.stdoutPath)
        unlink(child.stderrPath)
    }

    @Test func aBusyPortIsAClearError() async throws {
        let first = try Spawn.start(Binary.path, ["sandbox", "--port", "0"])
        #expect(await waitUntil(timeout: .seconds(20)) { !first.stdout.isEmpty })
        let port = try #require(URL(string: first.stdout.split(separator: "\n").first.map(String.init) ?? "")?.port)
        let second = try await Binary.run(["sandbox", "--port", "\(port)"])
        #expect(second.status == 69)  // EX_UNAVAILABLE; 1 means only "rejected by the CRM"
        #expect(second.stderr.contains("the sandbox could not listen"))
        first.signal(SIGTERM)
        #expect(await first.wait() == 0)
    }

    @Test func helpListsTheSubcommands() async throws {
        let result = try await Binary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("submit") && result.stdout.contains("sandbox"))
    }
}
