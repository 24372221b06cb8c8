import Foundation
import ParamantraAPI

/// What the background delivery reports to the store.
public enum DeliveryEvent: Sendable, Equatable {
    /// An attempt's outcome was recorded (or a lead was held for missing settings).
    case recorded(StoredLead)
    /// A pass failed before an outcome could be recorded (the database, usually).
    case failed(String)
}

/// The background delivery as the store sees it: a dependency, like the database, with a live
/// value (`live`: a `Deliverer` in a loop), one for a process that does not deliver (`idle`:
/// another process holds the delivery lock) and a test value (`recording`) that notes what the
/// store asked and lets a test play events back. The store never schedules anything itself.
public struct DeliveryLoop: Sendable {
    /// There is work: a new lead, a lead sent again, a retry. Returns at once.
    public var wake: @Sendable () -> Void
    /// The settings now in force; later attempts use them (new key, endpoint, phone form).
    public var use: @Sendable (Settings) async -> Void
    /// Every recorded outcome, in order, for as long as the loop runs.
    public var events: AsyncStream<DeliveryEvent>
    /// Ends the loop; returns at once (an attempt in hand is cancelled, not awaited).
    public var stop: @Sendable () async -> Void

    public init(
        wake: @escaping @Sendable () -> Void, use: @escaping @Sendable (Settings) async -> Void,
        events: AsyncStream<DeliveryEvent>, stop: @escaping @Sendable () async -> Void
    ) {
        self.wake = wake
        self.use = use
        self.events = events
        self.stop = stop
    }

    /// No delivery in this process: leads are queued for the one that holds the lock.
    public static var idle: DeliveryLoop {
        DeliveryLoop(wake: {}, use: { _ in }, events: AsyncStream { $0.finish() }, stop: {})
    }

    /// `deliverer` in a loop that starts now (see `BackgroundDelivery`).
    public static func live(_ deliverer: Deliverer, pollInterval: Duration? = nil) -> DeliveryLoop {
        BackgroundDelivery(deliverer, pollInterval: pollInterval).loop
    }

    /// A session's driver in a loop that starts now.
    public static func live(_ driver: DeliveryDriver) -> DeliveryLoop { BackgroundDelivery(driver: driver).loop }

    /// A loop that delivers nothing: it records each call, and `play` sends events as if
    /// attempts had been recorded. For store tests about rules (no SQLite, no HTTP).
    public static func recording() -> (DeliveryLoop, DeliveryRecorder) {
        let recorder = DeliveryRecorder()
        let (events, sink) = AsyncStream.makeStream(of: DeliveryEvent.self)
        let loop = DeliveryLoop(
            wake: { recorder.note(.wake) },
            use: { settings in recorder.note(.use(settings)) },
            events: events,
            stop: { sink.finish() })
        recorder.sink = sink
        return (loop, recorder)
    }
}

/// What a store asked of a recording `DeliveryLoop`, in order.
public final class DeliveryRecorder: @unchecked Sendable {
    public enum Call: Sendable, Equatable {
        case wake
        case use(Settings)
    }
    private let lock = NSLock()
    private var log: [Call] = []
    fileprivate var sink: AsyncStream<DeliveryEvent>.Continuation?

    public var calls: [Call] { lock.withLock { log } }
    fileprivate func note(_ call: Call) { lock.withLock { log.append(call) } }
    /// As if the loop had recorded this.
    public func play(_ event: DeliveryEvent) { sink?.yield(event) }
}

/// The live loop: a `DeliveryDriver` run for as long as the console is (the caller holds the
/// delivery lock), telling the store of every outcome. Woken by events, not by a clock that
/// ticks: a lead queued here or a retry asked for (`wake`), a write to the outbox by another
/// process (inotify), and the time of the next due attempt. `pollInterval` is only the longest
/// it sleeps without news: a minute while the folder is watched, a second where it cannot be.
public actor BackgroundDelivery {
    private let driver: DeliveryDriver
    private let sink: AsyncStream<DeliveryEvent>.Continuation
    public nonisolated let events: AsyncStream<DeliveryEvent>
    private let task: Task<Void, Never>
    /// How many times the loop has looked for due leads: once per wake or poll. A test watches it
    /// to prove the loop sleeps between them.
    public nonisolated var passes: Int { driver.passes }

    public init(_ deliverer: Deliverer, pollInterval: Duration? = nil) {
        self.init(driver: DeliveryDriver(deliverer), pollInterval: pollInterval)
    }

    public init(driver: DeliveryDriver, pollInterval: Duration? = nil) {
        self.driver = driver
        (events, sink) = AsyncStream.makeStream(of: DeliveryEvent.self)
        let sink = sink
        task = Task {
            try? await driver.run(
                longestSleep: pollInterval,
                each: { lead in
                    sink.yield(.recorded(lead))
                    return true
                },
                goOn: { !Task.isCancelled },
                failed: { error in
                    sink.yield(.failed("\(error)"))
                    // A damaged database stops delivery: an outcome that cannot be written would
                    // leave every lead sent and none recorded (leadconsole doctor, then restart).
                    if case StoreError.database(_, _, .corrupt) = error { return false }
                    return true
                })
            sink.finish()
        }
    }

    public nonisolated func wake() { driver.signal.ring() }

    public func use(_ settings: Settings) async { await driver.deliverer.use(settings) }

    public func stop() {
        task.cancel()
        driver.signal.ring()
        driver.signal.cancel()
    }

    /// This loop as the store's dependency.
    public nonisolated var loop: DeliveryLoop {
        DeliveryLoop(wake: { self.wake() }, use: { await self.use($0) }, events: events, stop: { await self.stop() })
    }
}
