import Foundation
import TestSupport
import Testing

@testable import ParamantraSandbox

/// Faults switched over HTTP, as the demo and a person with curl would.
@Suite("Sandbox faults")
struct SandboxFaultTests {
    static func control(_ sandbox: Sandbox, _ method: String, _ json: String? = nil) async throws -> Curl.Answer {
        try await Curl.run(
            ["-X", method, "http://127.0.0.1:\(sandbox.port)/__sandbox/faults"]
                + (json.map { ["-H", "content-type: application/json", "-d", $0] } ?? []))
    }

    static func lead(_ sandbox: Sandbox, phone: String = "9876543210") async throws -> Curl.Answer {
        try await SandboxContractTests.documentCurl(
            sandbox.endpoint,
            body: SandboxContractTests.documentBody.replacingOccurrences(of: "919978521205", with: phone))
    }

    @Test func aCountedStatusFaultThenNormalAgain() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            let set = try await Self.control(
                sandbox, "POST", #"{"mode":"status","status":503,"count":2,"retry_after":5}"#)
            #expect(set.status == 200)
            for _ in 0..<2 {
                let answer = try await Self.lead(sandbox)
                #expect(answer.status == 503)
                #expect(answer.headers["retry-after"] == "5")
                #expect(answer.body == #"{"status":false,"error":"Service Unavailable"}"#)
            }
            #expect(try await Self.lead(sandbox).status == 200)
            #expect(await sandbox.leads().count == 1)
            #expect(await sandbox.leadRequestCount() == 3)
        }
    }

    @Test func anUncountedFaultLastsUntilCleared() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"status","status":500}"#)
            for _ in 0..<4 { #expect(try await Self.lead(sandbox).status == 500) }
            #expect(try await Self.control(sandbox, "GET").body.contains(#""mode":"status""#))
            #expect(try await Self.control(sandbox, "DELETE").status == 200)
            #expect(try await Self.lead(sandbox).status == 200)
        }
    }

    @Test func aBadFaultRequestIsRefusedWithAReason() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            for body in ["not json", #"{"mode":"explode"}"#, #"{"mode":"status","status":1000}"#, #"{"count":-1}"#] {
                let answer = try await Self.control(sandbox, "POST", body)
                #expect(answer.status == 400)
                #expect(answer.body.hasPrefix(#"{"status":false,"error":"faults: "#))
            }
        }
    }

    @Test func htmlPage() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"html"}"#)
            let answer = try await Self.lead(sandbox)
            #expect(answer.status == 502)
            #expect(answer.headers["content-type"] == "text/html")
            #expect(answer.body.contains("<h1>502 Bad Gateway</h1>"))
            #expect(await sandbox.leads().isEmpty)
        }
    }

    /// The success body for one lead is 135 bytes with a four-digit id; truncated sends half.
    @Test(
        "broken 2xx bodies keep the lead",
        arguments: [("truncated", 67), ("not_json", 13), ("empty", 0), ("huge", 1_000_000)])
    func brokenSuccess(mode: String, length: Int) async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"\#(mode)"}"#)
            let answer = try await Self.lead(sandbox)
            #expect(answer.status == 200)
            #expect(answer.body.utf8.count == length)
            #expect((try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) == nil)
            #expect(await sandbox.leads().count == 1)
        }
    }

    @Test func dropClosesWithoutAnAnswer() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"drop"}"#)
            let answer = try await Self.lead(sandbox)
            #expect(answer.status == 0)  // curl: "empty reply from server"
            #expect(answer.body.isEmpty)
            #expect(await sandbox.leads().isEmpty)
        }
    }

    @Test func acceptNoAnswerKeepsTheLeadAndSaysNothing() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"accept_no_answer"}"#)
            let answer = try await Curl.run([
                "--max-time", "1", "-X", "POST", sandbox.endpoint.absoluteString,
                "-u", "\(SandboxContractTests.key):\(SandboxContractTests.key)",
                "-H", "X-API-KEY: \(SandboxContractTests.key)", "-H", "ACTION-ON: \(SandboxContractTests.app)",
                "-d", "phonefax=9876543210&subject=s&channel_id=c&rep_id=r"
            ])
            #expect(answer.status == 0)
            // Kept even though curl gave up first (on a loaded machine the handler may get to it
            // after curl's second has passed).
            #expect(await waitUntil(timeout: .seconds(30)) { await sandbox.leads().count == 1 })
        }
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"latency_ms":300}"#)
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await Self.lead(sandbox).status == 200)
            #expect(clock.now - start >= .milliseconds(300))
        }
    }

    @Test func escapeSequencesGoIntoMessages() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"escape_sequences":true}"#)
            let first = try await Self.lead(sandbox)
            let second = try await Self.lead(sandbox)
            for answer in [first, second] {
                let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]]
                let message = try #require(object?.first?["message"] as? String)
                #expect(message.contains("\u{1B}[2J"))
            }
            #expect(second.body.contains("duplicate_entry"))
        }
    }

    @Test func trickleSendsTheBodySlowly() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(sandbox, "POST", #"{"mode":"trickle","trickle_ms":5}"#)
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await Self.lead(sandbox)
            #expect(answer.body.contains("contact_number_added"))
            #expect(clock.now - start >= .milliseconds(5 * 100))
        }
    }

    @Test func redirectPointsElsewhere() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.control(
                sandbox, "POST", #"{"mode":"redirect","status":301,"location":"https://example.invalid/x"}"#)
            let answer = try await Self.lead(sandbox)
            #expect(answer.status == 301, "\(answer.error)")
            #expect(answer.headers["location"] == "https://example.invalid/x")
        }
    }

    @Test func leadsListing() async throws {
        try await SandboxContractTests.withSandbox { sandbox in
            _ = try await Self.lead(sandbox)
            let answer = try await Curl.run(["http://127.0.0.1:\(sandbox.port)/__sandbox/leads"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
            #expect(object["lead_requests"] as? Int == 1)
            let leads = try #require(object["leads"] as? [[String: Any]])
            #expect(leads.count == 1)
            #expect(leads[0]["contact_number"] as? String == "9876543210")
            #expect((leads[0]["fields"] as? [String: String])?["f_name"] == "Donald")
        }
    }
}
