import Foundation
import Synchronization

/// What a process waiting on the outbox waits for: a lead queued or a retry asked for here
/// (`ring`), a write to the outbox by another process (heard through inotify on its folder, see
/// `OutboxWatch`), Ctrl-C (the command rings), or a time limit: the next due attempt, a deadline.
/// Every wait between two delivery passes is one of these, never a clock that ticks: an idle
/// process sleeps until something happened.
///
/// A ring while nobody waits is kept for the next wait, so a lead queued between a pass and the
/// wait after it is never missed (it costs at most one pass that finds nothing).
public final class OutboxSignal: Sendable {
    private let bell = Bell()
    private let watch: OutboxWatch?
    /// Asked to hear a database's writes and cannot (no inotify there): each wait is cut to a
    /// second, so another process's lead or answer is still seen, a second late at most.
    private let deaf: Bool

    /// - Parameter database: the outbox whose writes by other processes ring this signal; nil for
    ///   one that only rings when told.
    public init(database: String?) {
        let bell = bell
        watch = database.flatMap { OutboxWatch(database: $0) { bell.ring() } }
        deaf = database != nil && watch == nil
    }

    /// Whether writes by other processes ring it (inotify works on the data folder).
    public var hearsOtherProcesses: Bool { watch != nil }

    /// Something happened: every wait in progress ends, or the next one returns at once.
    public func ring() { bell.ring() }

    /// Returns when the signal rings, or after `limit` (a second, where writes cannot be heard).
    public func wait(upTo limit: Duration) async { await bell.wait(upTo: deaf ? min(limit, .seconds(1)) : limit) }

    /// Stops hearing other processes (the watch's descriptor is closed).
    public func cancel() { watch?.cancel() }

    deinit { watch?.cancel() }
}

/// The waiting itself: continuations under a mutex, each with a timer that ends only its own
/// wait. A timer that outlives its wait (the bell rang first) is cancelled and can never end a
/// later one: once, a stale timer's wake ended the next wait, and the loop woke itself forever.
private final class Bell: Sendable {
    private struct Waiting {
        var continuation: CheckedContinuation<Void, Never>
        var timer: Task<Void, Never>?
    }
    private struct State {
        var rung = false
        var nextID = 0
        var waiting: [Int: Waiting] = [:]
    }
    private let state = Mutex(State())

    func ring() {
        let woken = state.withLock { state -> [Waiting] in
            guard !state.waiting.isEmpty else {
                state.rung = true
                return []
            }
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiting in woken {
            waiting.timer?.cancel()
            waiting.continuation.resume()
        }
    }

    private func end(_ id: Int) {
        state.withLock { $0.waiting.removeValue(forKey: id) }?.continuation.resume()
    }

    func wait(upTo limit: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> Int? in
                if state.rung {
                    state.rung = false
                    return nil
                }
                state.nextID += 1
                state.waiting[state.nextID] = Waiting(continuation: continuation)
                return state.nextID
            }
            guard let id else { return continuation.resume() }
            let timer = Task { [self] in
                do { try await Task.sleep(for: limit) } catch { return }
                end(id)
            }
            // Rung already (before the timer was set): nothing left to cancel it but this.
            let stillWaiting = state.withLock { state -> Bool in
                guard state.waiting[id] != nil else { return false }
                state.waiting[id]?.timer = timer
                return true
            }
            if !stillWaiting { timer.cancel() }
        }
    }
}
