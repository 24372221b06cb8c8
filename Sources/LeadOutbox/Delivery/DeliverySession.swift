import Foundation
import ParamantraAPI

/// The one process delivering an outbox, set up the same way by every command that sends (the
/// console, submit, retry, import): it holds the delivery lock, has given back what an earlier
/// deliverer left in `sending`, has given held leads one fresh attempt, and owns the client and
/// the deliverer. The lock is released when the session is.
public final class DeliverySession: Sendable {
    public let database: LeadDatabase
    public let deliverer: Deliverer
    /// The deliverer with the waits between its passes (see `DeliveryDriver`).
    public let driver: DeliveryDriver
    private let lock: DeliveryLock

    private init(database: LeadDatabase, deliverer: Deliverer, lock: DeliveryLock, hearOthers: Bool) {
        self.database = database
        self.deliverer = deliverer
        self.lock = lock
        driver = DeliveryDriver(deliverer: deliverer, signal: OutboxSignal(database: hearOthers ? database.path : nil))
    }

    /// nil when another process holds the lock (it delivers what is queued here).
    /// - Parameters:
    ///   - lock: the delivery lock when the caller has it already (a `DeliveryLock.Waiter`'s).
    ///   - timeout: the deadline of one attempt, answer included.
    ///   - missing: why there are no credentials, when there are none (leads are held with it).
    ///   - durableOutcomes: false only for a bulk import (see `Deliverer.durableOutcomes`).
    ///   - hearOthers: whether the driver wakes for leads other processes queue (the console: it
    ///     delivers for as long as it runs). A bulk import does not: its own writes would wake it
    ///     for nothing thousands of times, and it sends what is queued at each pass anyway.
    public static func begin(
        database: LeadDatabase, locations: DataLocations, credentials: Credentials?,
        phoneFormat: PhoneNumber.WireFormat, missing: String? = nil, timeout: Duration = .seconds(30),
        policy: RetryPolicy = .standard, durableOutcomes: Bool = true, hearOthers: Bool = true,
        lock: DeliveryLock? = nil
    ) async throws -> DeliverySession? {
        guard let lock = try lock ?? DeliveryLock.tryAcquire(locations.deliveryLockFile) else { return nil }
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
        return DeliverySession(database: database, deliverer: deliverer, lock: lock, hearOthers: hearOthers)
    }

    /// Delivers due leads, oldest first, until `lead` has had its attempt (one more at once when
    /// a connection was closed under it). Returns `lead` as recorded.
    public func deliver(until lead: StoredLead) async throws -> StoredLead {
        try await driver.run(patience: .zero) { done in
            done.id != lead.id || (done.state == .queued && (done.nextAttemptAt ?? .distantFuture) <= Date())
        }
        return try await database.lead(id: lead.id)
    }

    /// `submit`'s wait for one lead: delivers it as the one deliverer when the lock is free;
    /// otherwise waits while the process that holds it delivers, and takes over if that one
    /// exits. Nothing here looks again on a clock: the other process's writes to the outbox ring
    /// the signal (its answer is then read), and the lock comes to a thread blocked on it.
    /// Returns the lead once it has had an attempt, or as it is when `wait` runs out.
    public static func awaitAttempt(
        of lead: StoredLead, database: LeadDatabase, lockFile: URL, wait: Duration,
        begin: (DeliveryLock?) async throws -> DeliverySession?
    ) async throws -> StoredLead {
        if let session = try await begin(nil) { return try await session.deliver(until: lead) }
        let deadline = ContinuousClock.now + wait
        let signal = OutboxSignal(database: database.path)
        let waiter = try DeliveryLock.Waiter(lockFile) { signal.ring() }
        defer { waiter.abandon() }
        while true {
            if let lock = waiter.take(), let session = try await begin(lock) {
                return try await session.deliver(until: lead)
            }
            try await database.awaitWritesInProgress()
            let now = try await database.lead(id: lead.id)
            let left = deadline - ContinuousClock.now
            if (now.attempts > 0 && now.state != .sending) || left <= .zero { return now }
            await signal.wait(upTo: left)
        }
    }
}
