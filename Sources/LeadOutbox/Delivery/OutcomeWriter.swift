import Foundation
import ParamantraAPI

/// Group commit for the delivery path: attempts that finish while a transaction is being written
/// wait for it and go into the next one together. Nothing waits for a timer: a lone attempt is
/// written at once, and under load (an import's eight attempts in flight) several outcomes and
/// the claims of their next leads share one commit — fewer WAL frames, fewer thread hand-offs.
actor OutcomeWriter {
    typealias Result = (recorded: StoredLead, next: StoredLead?)
    private struct Job {
        let report: DeliveryReport
        let lead: StoredLead
        let claimNext: Bool
        let continuation: CheckedContinuation<Result, any Error>
    }

    private let database: LeadDatabase
    private let policy: RetryPolicy
    private let durable: Bool
    private var pending: [Job] = []
    private var writing = false

    init(database: LeadDatabase, policy: RetryPolicy, durable: Bool) {
        self.database = database
        self.policy = policy
        self.durable = durable
    }

    /// Records the attempt (and claims the next due lead when asked) in the next transaction.
    func record(_ report: DeliveryReport, for lead: StoredLead, claimNext: Bool) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Job(report: report, lead: lead, claimNext: claimNext, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let jobs = pending
            pending.removeAll(keepingCapacity: true)
            do {
                let results = try await database.record(
                    batch: jobs.map { ($0.report, $0.lead, $0.claimNext) }, policy: policy,
                    now: Date(), durable: durable)
                for (job, result) in zip(jobs, results) { job.continuation.resume(returning: result) }
            } catch {
                for job in jobs { job.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
