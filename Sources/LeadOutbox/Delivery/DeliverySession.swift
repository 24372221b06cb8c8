import Foundation
import ParamantraAPI

/// The one process delivering an outbox, set up the same way by every command that sends (the
/// console, submit, retry, import): it holds the delivery lock, has given back what an earlier
/// deliverer left in `sending`, has given held leads one fresh attempt, and owns the client and
/// the deliverer. The lock is released when the session is.
public final class DeliverySession: Sendable {
    public let database: LeadDatabase
    public let deliverer: Deliverer
    private let lock: DeliveryLock

    private init(database: LeadDatabase, deliverer: Deliverer, lock: DeliveryLock) {
        self.database = database
        self.deliverer = deliverer
        self.lock = lock
    }

    /// nil when another process holds the lock (it delivers what is queued here).
    /// - Parameters:
    ///   - timeout: the deadline of one attempt, answer included.
    ///   - missing: why there are no credentials, when there are none (leads are held with it).
    ///   - durableOutcomes: false only for a bulk import (see `Deliverer.durableOutcomes`).
    public static func begin(
        database: LeadDatabase, locations: DataLocations, credentials: Credentials?,
        phoneFormat: PhoneNumber.WireFormat, missing: String? = nil, timeout: Duration = .seconds(30),
        policy: RetryPolicy = .standard, durableOutcomes: Bool = true
    ) async throws -> DeliverySession? {
        guard let lock = try DeliveryLock.tryAcquire(locations.deliveryLockFile) else { return nil }
        // An attempt cut off may be one whose outcome could not be written (a damaged page): the
        // file is checked before any lead goes out again, so damage never sends a lead twice.
        if try await database.interruptedCount() > 0 { try await database.requireIntact() }
        try await database.recoverInterrupted()
        // Whoever starts delivering with these settings may have fixed what held the leads (a new
        // key, `config set endpoint`, PARAMANTRA_*): each gets one fresh attempt, and is held
        // again after it if nothing changed.
        try await database.releaseHeld()
        // One attempt may wait 15 s for the answer's head; the whole attempt ends at `timeout`.
        let client = ParamantraClient(
            transport: HTTPClientTransport(attemptTimeout: min(timeout, .seconds(15))), deadline: timeout)
        let deliverer = Deliverer(
            database: database, client: client, policy: policy, phoneFormat: phoneFormat,
            credentials: credentials, durableOutcomes: durableOutcomes, missing: missing)
        return DeliverySession(database: database, deliverer: deliverer, lock: lock)
    }

    /// Delivers due leads, oldest first, until `lead` has had its attempt (one more at once when
    /// a connection was closed under it). Returns `lead` as recorded.
    public func deliver(until lead: StoredLead) async throws -> StoredLead {
        try await deliverer.deliverDue { done in
            done.id != lead.id || (done.state == .queued && (done.nextAttemptAt ?? .distantFuture) <= Date())
        }
        return try await database.lead(id: lead.id)
    }

    /// `submit`'s wait for one lead: delivers it as the one deliverer when the lock is free;
    /// otherwise watches the process that holds it deliver, and takes over if that one exits.
    /// Returns the lead once it has had an attempt, or as it is when `wait` runs out.
    public static func awaitAttempt(
        of lead: StoredLead, database: LeadDatabase, wait: Duration,
        begin: () async throws -> DeliverySession?
    ) async throws -> StoredLead {
        let deadline = ContinuousClock.now + wait
        while true {
            if let session = try await begin() { return try await session.deliver(until: lead) }
            let now = try await database.lead(id: lead.id)
            if (now.attempts > 0 && now.state != .sending) || ContinuousClock.now >= deadline { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
