import Foundation
import Logging
import ParamantraSandbox

@testable import ParamantraAPI

/// A real sandbox on 127.0.0.1 (port 0) for one test, with credentials that match it.
struct SandboxFixture {
    let sandbox: Sandbox
    let credentials: Credentials

    static func start() async throws -> SandboxFixture {
        let configuration = SandboxConfiguration(
            apiKey: "test-key-\(UUID().uuidString.prefix(8))-WXYZ", appName: "TESTAPP")
        let sandbox = try await Sandbox.start(configuration)
        return SandboxFixture(
            sandbox: sandbox,
            credentials: Credentials(
                endpoint: sandbox.endpoint, apiKey: APIKey(configuration.apiKey), appName: configuration.appName))
    }

    /// Runs `body` with a fresh sandbox and stops it afterwards, whatever happens.
    static func with<T>(_ body: (SandboxFixture) async throws -> T) async throws -> T {
        let fixture = try await start()
        do {
            let result = try await body(fixture)
            await fixture.sandbox.stop()
            return result
        } catch {
            await fixture.sandbox.stop()
            throw error
        }
    }

    /// Generous timeouts unless a test is about them: tests share two cores with an in-process
    /// server, and a loaded run must not turn a 500 into a timeout.
    func client(
        attemptTimeout: Duration = .seconds(20), deadline: Duration = .seconds(30),
        logger: Logger = Logger(label: "test")
    ) -> ParamantraClient {
        ParamantraClient(
            transport: HTTPClientTransport(attemptTimeout: attemptTimeout), deadline: deadline, logger: logger)
    }

    func faults(_ faults: SandboxFaults) async { await sandbox.setFaults(faults) }
}

extension ValidLead {
    static func walkIn(phone: String = "9876543210", firstName: String = "Asha") -> ValidLead {
        try! Lead(
            firstName: firstName, lastName: "Rao", phone: phone, email: "asha@example.in",
            notes: "2BHK\nbudget 80L", subject: "Walk-in", channel: "Walk-in", rep: "smithparkar"
        ).validated().get()
    }
}
