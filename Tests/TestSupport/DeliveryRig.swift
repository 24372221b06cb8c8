import Foundation
import LeadOutbox
import ParamantraAPI
import ParamantraSandbox

/// A real SQLite outbox in a temp folder and a real sandbox on loopback: the deliverer's and
/// the store's tests run against these, never against a stub.
public struct DeliveryRig: Sendable {
    /// Short waits so a test can drain the queue: 10 ms doubling to 40 ms.
    public static let quick = RetryPolicy(base: .milliseconds(10), multiplier: 2, cap: .milliseconds(40), jitter: 0)

    public let folder: TempFolder
    public let database: LeadDatabase
    public let sandbox: Sandbox
    public let credentials: Credentials

    public func deliverer(
        attemptTimeout: Duration = .seconds(20), deadline: Duration = .seconds(30), credentials: Credentials? = nil
    ) -> Deliverer {
        let client = ParamantraClient(
            transport: HTTPClientTransport(attemptTimeout: attemptTimeout), deadline: deadline)
        let chosen = credentials ?? self.credentials
        return Deliverer(database: database, client: client, policy: DeliveryRig.quick, credentials: chosen)
    }

    /// Delivers until every lead is settled or held, or the deadline passes.
    public func drain(_ deliverer: Deliverer, timeout: Duration = .seconds(20)) async throws -> Bool {
        try await waitUntil(timeout: timeout) {
            _ = try await deliverer.deliverAllDue()
            let counts = try await database.counts()
            return counts[.queued, default: 0] + counts[.sending, default: 0] == 0
        }
    }

    public static func with(_ body: (DeliveryRig) async throws -> Void) async throws {
        try await TempFolder.with { folder in
            let sandbox = try await Sandbox.start(
                SandboxConfiguration(apiKey: "store-key-0123456789", appName: "STORE"))
            let rig = DeliveryRig(
                folder: folder, database: try LeadDatabase(directory: folder.url), sandbox: sandbox,
                credentials: Credentials(
                    endpoint: sandbox.endpoint, apiKey: APIKey("store-key-0123456789"), appName: "STORE"))
            do {
                try await body(rig)
            } catch {
                await sandbox.stop()
                throw error
            }
            await sandbox.stop()
        }
    }
}
