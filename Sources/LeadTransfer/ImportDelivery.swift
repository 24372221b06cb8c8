import Foundation
import LeadOutbox
import ParamantraAPI

/// The second half of an import: send what is due with `concurrency` attempts in flight, then
/// wait for leads that failed for a passing reason, up to `patience`, before leaving them queued
/// (the `DeliveryDriver`'s passes and waits, with a tally for the progress line).
public enum ImportDelivery {
    /// Counts attempts as they finish, for the progress line.
    public actor Tally {
        public private(set) var settled = 0
        public private(set) var failures = 0
        public init() {}
        func add(_ lead: StoredLead) {
            switch lead.state {
            case .accepted, .duplicate: settled += 1
            case .rejected, .held:
                settled += 1
                failures += 1
            case .queued, .sending: failures += 1
            }
        }
    }

    /// Ends when nothing is left to wait for, when `stop` says so (Ctrl-C rings `driver.signal`
    /// so the wait for a backoff ends at once), or when the next attempt is past `patience`.
    public static func run(
        driver: DeliveryDriver, concurrency: Int, patience: Duration, tally: Tally,
        stop: @escaping @Sendable () -> Bool
    ) async throws {
        try await driver.run(
            // Only the next due attempt or Ctrl-C ends a wait: leads other processes queue are
            // sent at the next pass, so nothing needs to look for them in between.
            workers: max(1, concurrency), patience: patience, longestSleep: patience,
            each: { lead in
                await tally.add(lead)
                return !stop()
            },
            goOn: { !stop() })
    }
}
