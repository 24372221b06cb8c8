import Foundation
import LeadOutbox
import Synchronization
import TestSupport
import Testing

/// What ends a wait between delivery passes: a ring (here or by another process's write), or the
/// wait's own limit, and never a timer left from an earlier wait.
@Suite("outbox signal")
struct OutboxSignalTests {
    /// Starts `wait` on a task of its own and reports whether it ended within `deadline`. A wait
    /// still going is left to the ring that ends each test.
    static func ends(within deadline: Duration, _ wait: @escaping @Sendable () async -> Void) async -> Bool {
        let ended = Ended()
        Task {
            await wait()
            ended.flag.store(true, ordering: .releasing)
        }
        return await waitUntil(timeout: deadline) { ended.flag.load(ordering: .acquiring) }
    }

    final class Ended: Sendable { let flag = Atomic(false) }

    @Test func aRingWhileNobodyWaitsEndsTheNextWaitAtOnce() async {
        let signal = OutboxSignal(database: nil)
        signal.ring()
        #expect(await Self.ends(within: .seconds(10)) { await signal.wait(upTo: .seconds(3600)) })
        // Kept once, not for ever: the wait after it sleeps.
        #expect(await !Self.ends(within: .milliseconds(300)) { await signal.wait(upTo: .seconds(3600)) })
        signal.ring()
    }

    @Test func aRingEndsAWaitInProgress() async {
        let signal = OutboxSignal(database: nil)
        let waiting = Task { await signal.wait(upTo: .seconds(3600)) }
        // The wait has begun when a ring no longer stays pending for a later one.
        try? await Task.sleep(for: .milliseconds(100))
        signal.ring()
        #expect(await Self.ends(within: .seconds(10)) { await waiting.value })
    }

    @Test func aWaitEndsAtItsLimit() async {
        let signal = OutboxSignal(database: nil)
        let start = ContinuousClock.now
        await signal.wait(upTo: .milliseconds(200))
        #expect(ContinuousClock.now - start >= .milliseconds(200))
    }

    /// A wait ended by a ring leaves its timer behind; that timer must not end the next wait.
    @Test func anEarlierWaitsTimerNeverEndsALaterWait() async {
        let signal = OutboxSignal(database: nil)
        let first = Task { await signal.wait(upTo: .milliseconds(300)) }
        try? await Task.sleep(for: .milliseconds(50))
        signal.ring()
        await first.value
        // The first wait's timer would have fired at 300 ms.
        #expect(await !Self.ends(within: .milliseconds(800)) { await signal.wait(upTo: .seconds(3600)) })
        signal.ring()
    }

    @Test func anotherConnectionsWriteRingsIt() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let signal = OutboxSignal(database: database.path)
            #expect(signal.hearsOtherProcesses)
            let waiting = Task { await signal.wait(upTo: .seconds(3600)) }
            let other = try LeadDatabase(directory: folder.url)
            _ = try await other.enqueue(validLead("9876512301"))
            #expect(await Self.ends(within: .seconds(10)) { await waiting.value })
        }
    }

    /// `submit` waiting on another deliverer: the lock comes to a thread blocked on it the moment
    /// the holder lets go; a waiter given up lets it go.
    @Test func aLockWaiterGetsTheLockWhenItsHolderLetsGo() async throws {
        try await TempFolder.with { folder in
            let url = folder.url.appendingPathComponent("deliver.lock")
            for givenUp in [false, true] {
                let acquired = Ended()
                var holder = try DeliveryLock.tryAcquire(url)
                #expect(holder != nil)
                let waiter = try DeliveryLock.Waiter(url) { acquired.flag.store(true, ordering: .releasing) }
                #expect(await !waitUntil(timeout: .milliseconds(200)) { acquired.flag.load(ordering: .acquiring) })
                #expect(waiter.take() == nil)
                holder = nil
                #expect(await waitUntil(timeout: .seconds(30)) { acquired.flag.load(ordering: .acquiring) })
                if givenUp {
                    // Given up after it came: the lock is let go, so another process can take it.
                    waiter.abandon()
                    #expect(waiter.take() == nil)
                    #expect(try DeliveryLock.tryAcquire(url) != nil)
                } else {
                    let lock = try #require(waiter.take())
                    #expect(try DeliveryLock.tryAcquire(url) == nil)
                    withExtendedLifetime(lock) {}
                }
                withExtendedLifetime(holder) {}
            }
        }
    }
}
