import Foundation
import Synchronization

/// The one way leads are delivered, by the console, `submit`, `import` and `retry` alike: passes
/// of `Deliverer.deliverDue` with `workers` attempts in flight (each worker claims the oldest due
/// lead in its own transaction, so none is sent twice), and between passes a wait on the
/// `OutboxSignal` that ends when something happened (a lead queued here or by another process,
/// Ctrl-C) or when the next attempt falls due. No loop here sleeps in steps to look again.
public struct DeliveryDriver: Sendable {
    public let deliverer: Deliverer
    public let signal: OutboxSignal
    private let passCount = PassCount()

    public init(deliverer: Deliverer, signal: OutboxSignal) {
        self.deliverer = deliverer
        self.signal = signal
    }

    /// A driver that hears the deliverer's own outbox being written by other processes.
    public init(_ deliverer: Deliverer) {
        self.init(deliverer: deliverer, signal: OutboxSignal(database: deliverer.database.path))
    }

    /// How many passes have begun; a test watches it to prove the driver sleeps between wakes.
    public var passes: Int { passCount.value }

    /// Passes until `goOn` says stop (checked before each pass and after it).
    /// - Parameters:
    ///   - patience: how long leads that failed for a passing reason are waited for. The run ends
    ///     after a pass when nothing is queued, the queue is held, or the next attempt falls due
    ///     after the patience is spent (`.zero`: one pass). nil: the run waits for news however
    ///     long (the console).
    ///   - longestSleep: the longest wait without news (default: a minute; the signal cuts it to
    ///     a second where other processes' writes cannot be heard).
    ///   - each: hears every recorded lead; false ends that worker's pass.
    ///   - failed: a pass that threw; true goes on (the console reports it and keeps delivering),
    ///     false, or none given, ends the run with the error.
    public func run(
        workers: Int = 1, patience: Duration? = nil, longestSleep: Duration? = nil,
        each: @escaping @Sendable (StoredLead) async -> Bool,
        goOn: @escaping @Sendable () async -> Bool = { true },
        failed: (@Sendable (any Error) -> Bool)? = nil
    ) async throws {
        let giveUp = patience.map { ContinuousClock.now + $0 }
        let longest = longestSleep ?? .seconds(60)
        let database = deliverer.database
        while await goOn() {
            passCount.increment()
            do { try await pass(workers: workers, each: each) } catch {
                guard let failed, failed(error) else { throw error }
            }
            guard await goOn() else { return }
            let due = try? await database.nextDueDate()
            let untilDue = due.map { Duration.milliseconds(Int64(max(0, $0.timeIntervalSinceNow) * 1000) + 1) }
            if let giveUp {
                guard let untilDue, !(try await database.hasHeldLeads()), ContinuousClock.now + untilDue <= giveUp
                else { return }
            }
            await signal.wait(upTo: min(longest, untilDue ?? longest))
        }
    }

    /// Delivers until nothing is due now, or every worker's `each` said stop.
    private func pass(workers: Int, each: @escaping @Sendable (StoredLead) async -> Bool) async throws {
        let deliverer = deliverer
        guard workers > 1 else { return try await deliverer.deliverDue(each) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers { group.addTask { try await deliverer.deliverDue(each) } }
            try await group.waitForAll()
        }
    }
}

/// A counter read from any thread (the driver bumps it; a test reads it).
private final class PassCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func increment() { count.add(1, ordering: .releasing) }
}
