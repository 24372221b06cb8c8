import Foundation
import LeadOutbox
import ParamantraAPI

/// The second half of an import: send what is due with `concurrency` attempts in flight (each
/// worker claims the oldest due lead in its own transaction, so none is sent twice), then wait
/// for leads that failed for a passing reason, up to `patience`, before leaving them queued.
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

    public static func run(
        deliverer: Deliverer, database: LeadDatabase, concurrency: Int, patience: Duration, tally: Tally,
        stop: @escaping @Sendable () -> Bool
    ) async throws {
        let giveUp = ContinuousClock.now + patience
        while !stop() {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, concurrency) {
                    group.addTask {
                        try await deliverer.deliverDue { lead in
                            await tally.add(lead)
                            return !stop()
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Nothing due now. Leads waiting on a backoff get another go while there is patience.
            guard !stop(), !(try await database.hasHeldLeads()), let next = try await database.nextDueDate() else {
                return
            }
            let wait = max(0, next.timeIntervalSinceNow)
            guard ContinuousClock.now + .seconds(wait) <= giveUp else { return }
            // Sleep in short steps so Ctrl-C is not kept waiting.
            let until = ContinuousClock.now + .seconds(wait)
            while ContinuousClock.now < until, !stop() { try await Task.sleep(for: .milliseconds(100)) }
        }
    }
}
