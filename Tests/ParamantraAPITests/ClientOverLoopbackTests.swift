import Foundation
import Logging
import ParamantraSandbox
import Synchronization
import TestSupport
import Testing

@testable import ParamantraAPI

/// The client against the real sandbox over loopback HTTP: every outcome and every fault.
@Suite("Client over loopback")
struct ClientOverLoopbackTests {
    @Test func acceptedThenDuplicateWithTheFirstID() async throws {
        try await SandboxFixture.with { f in
            let client = f.client()
            let first = await client.send(.walkIn(), credentials: f.credentials)
            guard case .accepted(let id?) = first.outcome else {
                Issue.record("got \(first.outcome)")
                return
            }
            #expect(first.httpStatus == 200)
            #expect(first.rawBody.contains("contact_number_added"))
            let again = await client.send(.walkIn(phone: "+91 98765 43210"), credentials: f.credentials)
            #expect(again.outcome == .duplicate(crmID: id))
            let other = await client.send(.walkIn(phone: "9876543211"), credentials: f.credentials)
            #expect(other.outcome.crmID.flatMap(Int.init)! > Int(id)!)
        }
    }

    @Test func wrongKeyOrAppNameIsUnauthorized() async throws {
        try await SandboxFixture.with { f in
            var wrongKey = f.credentials
            wrongKey.apiKey = APIKey("not-the-key-at-all")
            var wrongApp = f.credentials
            wrongApp.appName = "OTHER"
            for credentials in [wrongKey, wrongApp] {
                let report = await f.client().send(.walkIn(), credentials: credentials)
                #expect(report.outcome == .unauthorized(message: "Not authorized"))
                #expect(report.httpStatus == 401)
            }
            #expect(await f.sandbox.leads().isEmpty)
        }
    }

    @Test(
        "every field arrives exactly as typed",
        arguments: ["Tom & Jerry", "a=b+c%20d", "José", "नमस्ते", "Zoë 👩🏽‍💻", "100% \"sure\"; ok?"])
    func fieldsSurviveTheWire(name: String) async throws {
        try await SandboxFixture.with { f in
            let lead = try Lead(
                firstName: name, lastName: name, phone: "9876543210", email: "x@example.in", project: name,
                notes: "line 1\n\(name)", subject: name, channel: "Walk-in", rep: "smith", alertRep: true
            ).validated().get()
            let report = await f.client().send(lead, credentials: f.credentials, phoneFormat: .countryCode)
            #expect(report.outcome.isDelivered)
            let fields = try #require(await f.sandbox.leads().first).fields
            #expect(
                fields == [
                    "f_name": name, "l_name": name, "email": "x@example.in", "phonefax": "919876543210",
                    "subject": name,
                    "channel_id": "Walk-in", "proje_1": name, "notes": "line 1\n\(name)", "rep_id": "smith",
                    "alert_client": "0", "alert_rep": "1"
                ])
        }
    }

    @Test(
        "status faults",
        arguments: [
            (
                500,
                DeliveryOutcome.temporary(reason: "HTTP 500 from the server: Internal Server Error", retryAfter: nil)
            ),
            (502, .temporary(reason: "HTTP 502 from the server: Bad Gateway", retryAfter: nil)),
            (503, .temporary(reason: "HTTP 503 from the server: Service Unavailable", retryAfter: nil)),
            (402, .rejected(status: 402, message: "Payment Required")),
            (400, .rejected(status: 400, message: "Bad Request")),
            (408, .temporary(reason: "HTTP 408 request timeout", retryAfter: nil))
        ])
    func statusFault(status: Int, expected: DeliveryOutcome) async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .status, status: status, count: 1))
            let outcome = await f.client().send(.walkIn(), credentials: f.credentials).outcome
            #expect(outcome == expected)
            // The fault was for one request only: the next one goes through.
            #expect(await f.client().send(.walkIn(), credentials: f.credentials).outcome.isDelivered)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .status, status: 429, retryAfter: "42"))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(report.outcome == .temporary(reason: "HTTP 429 too many requests", retryAfter: .seconds(42)))
            #expect(RetryPolicy.standard.delay(afterFailures: 1, retryAfter: .seconds(42)) == .seconds(42))
        }
    }

    @Test func htmlErrorPageIsTemporaryAndKeptRaw() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .html))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(report.outcome == .temporary(reason: "HTTP 502 from the server", retryAfter: nil))
            #expect(report.rawBody.contains("<h1>502 Bad Gateway</h1>"))
        }
    }

    @Test(
        "unreadable 2xx answers are uncertain and the lead did arrive",
        arguments: [SandboxFaults.Mode.truncated, .notJSON, .empty])
    func unreadableSuccess(mode: SandboxFaults.Mode) async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: mode, count: 1))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            guard case .uncertain = report.outcome else {
                Issue.record("got \(report.outcome)")
                return
            }
            #expect(await f.sandbox.leads().count == 1)
            // Resending is safe: the CRM answers that it already has the lead.
            let resend = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(resend.outcome == .duplicate(crmID: await f.sandbox.leads().first.map { String($0.id) }))
        }
    }

    @Test func droppedConnectionIsTemporary() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .drop))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            guard case .temporary = report.outcome else {
                Issue.record("got \(report.outcome)")
                return
            }
            #expect(report.httpStatus == nil)
            #expect(report.mayHaveArrived)  // the request was written before the connection closed
            #expect(await f.sandbox.leads().isEmpty)
        }
    }

    @Test func connectionRefusedIsTemporaryAndQuick() async throws {
        // A port bound but not listening refuses connections; holding it bound keeps a sandbox
        // that another test starts meanwhile from being given it (a port freed by stopping a
        // sandbox was, once, and this test got that sandbox's "Not authorized").
        let port = try BoundSilentPort()
        defer { port.close() }
        let f = try await SandboxFixture.start()
        await f.sandbox.stop()
        var credentials = f.credentials
        credentials.endpoint = URL(string: "http://127.0.0.1:\(port.number)/paramantra/api/data/new/format/json")!
        let clock = ContinuousClock()
        let start = clock.now
        let report = await f.client().send(.walkIn(), credentials: credentials)
        #expect(report.outcome == .temporary(reason: "connection refused", retryAfter: nil))
        #expect(!report.mayHaveArrived)
        #expect(clock.now - start < .seconds(15))  // at once, not after the 20 s attempt timeout
    }

    @Test func aServerThatNeverAnswersTimesOutPerAttempt() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .acceptNoAnswer))
            let clock = ContinuousClock()
            let start = clock.now
            let report = await f.client(attemptTimeout: .seconds(1), deadline: .seconds(20)).send(
                .walkIn(), credentials: f.credentials)
            let elapsed = clock.now - start
            guard case .temporary = report.outcome else {
                Issue.record("got \(report.outcome)")
                return
            }
            // The per-attempt timeout fired, not the 20 s deadline.
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(19), "took \(elapsed)")
            #expect(report.mayHaveArrived)
            // It arrived (on a loaded machine perhaps after the client gave up): a resend is a duplicate.
            #expect(await waitUntil(timeout: .seconds(30)) { await f.sandbox.leads().count == 1 })
        }
    }

    @Test func aTricklingServerIsCutOffAtTheDeadline() async throws {
        try await SandboxFixture.with { f in
            // About 130 bytes at one per 100 ms would take 13 s; every byte resets an idle timeout.
            await f.faults(SandboxFaults(mode: .trickle, trickleMs: 100))
            let clock = ContinuousClock()
            let start = clock.now
            let report = await f.client(attemptTimeout: .seconds(5), deadline: .milliseconds(1500)).send(
                .walkIn(), credentials: f.credentials)
            let elapsed = clock.now - start
            #expect(report.outcome == .temporary(reason: "the server took too long to answer", retryAfter: nil))
            // Bounds with meaning, not speed: after the deadline, and before the 13 s the whole
            // trickled body would take (a loaded test run may be slow to cancel).
            #expect(elapsed >= .milliseconds(1400) && elapsed < .seconds(12), "took \(elapsed)")
        }
    }

    @Test func callerCancellationStopsTheRequest() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .acceptNoAnswer))
            let client = f.client(attemptTimeout: .seconds(30), deadline: .seconds(60))
            let credentials = f.credentials
            let task = Task { await client.send(.walkIn(), credentials: credentials) }
            // Wait until the request reached the server, then cancel.
            #expect(await waitUntil(timeout: .seconds(30)) { await f.sandbox.leadRequestCount() > 0 })
            task.cancel()
            #expect(await task.value.outcome == .temporary(reason: "cancelled", retryAfter: nil))
        }
    }

    @Test func redirectsAreReportedNotFollowed() async throws {
        try await SandboxFixture.with { f in
            // Redirect to the sandbox itself: following it would get the lead accepted.
            await f.faults(SandboxFaults(mode: .redirect, count: 1, location: f.sandbox.endpoint.absoluteString))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(
                report.outcome
                    == .wrongEndpoint(
                        url: f.sandbox.endpoint.absoluteString, status: 302,
                        answer: "a redirect to \(f.sandbox.endpoint.absoluteString)"))
            #expect(await f.sandbox.leadRequestCount() == 1)
            #expect(await f.sandbox.leads().isEmpty)
        }
    }

    @Test func aMegabyteBodyIsCappedAndReportedUnreadable() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .huge))
            let report = await f.client().send(.walkIn(), credentials: f.credentials)
            guard case .uncertain = report.outcome else {
                Issue.record("got \(report.outcome)")
                return
            }
            #expect(report.rawBody.utf8.count < 4200)
            #expect(report.rawBody.hasSuffix("…[cut at 4096 bytes]"))
        }
    }

    @Test func aBodyOverTheTransportCapIsCutNotBuffered() async throws {
        try await SandboxFixture.with { f in
            await f.faults(SandboxFaults(mode: .huge))
            let client = ParamantraClient(
                transport: HTTPClientTransport(maxBodyBytes: 64 * 1024), deadline: .seconds(10))
            let report = await client.send(.walkIn(), credentials: f.credentials)
            #expect(report.outcome == .uncertain(reason: "HTTP 200 with a body too large to read"))
        }
    }

    @Test func escapeSequencesFromTheServerNeverReachAMessage() async throws {
        try await SandboxFixture.with { f in
            await f.faults(
                SandboxFaults(mode: .status, status: 402, escapeSequences: true, message: "Lead limit reached"))
            let rejected = await f.client().send(.walkIn(), credentials: f.credentials).outcome
            #expect(rejected == .rejected(status: 402, message: "Lead limit reached"))
            await f.faults(SandboxFaults(escapeSequences: true))
            let accepted = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(accepted.outcome.isDelivered)
            #expect(TerminalText.isClean(accepted.rawBody))
            let duplicate = await f.client().send(.walkIn(), credentials: f.credentials)
            #expect(duplicate.outcome == .duplicate(crmID: accepted.outcome.crmID))
        }
    }

    @Test func theKeyNeverAppearsInALogLineOrAReport() async throws {
        try await SandboxFixture.with { f in
            let lines = LogCapture()
            var logger = Logger(label: "capture") { _ in lines }
            logger.logLevel = .trace
            let client = f.client(logger: logger)
            var reports = [await client.send(.walkIn(), credentials: f.credentials)]
            var wrong = f.credentials
            wrong.apiKey = APIKey(f.credentials.apiKey.revealed + "X")
            reports.append(await client.send(.walkIn(), credentials: wrong))
            await f.faults(SandboxFaults(mode: .status, status: 500))
            reports.append(await client.send(.walkIn(), credentials: f.credentials))
            let key = f.credentials.apiKey.revealed
            let basic = Data("\(key):\(key)".utf8).base64EncodedString()
            #expect(lines.all.count >= 4)
            for text in lines.all + reports.map({ "\($0)" }) {
                #expect(!text.contains(key) && !text.contains(basic.prefix(16)), "\(text)")
            }
        }
    }
}

/// A log handler that keeps every formatted line, with its metadata.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let store = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var all: [String] { store.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = "\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)"
        store.withLock { $0.append(line) }
    }
}
