import Foundation
import ParamantraAPI

/// What effects need from the outside world. `live` wires the real database, settings file and
/// deliverer; tests use `live` too, on a temp folder and the sandbox.
public struct StoreDependencies: Sendable {
    public var lookUpPhone: @Sendable (PhoneNumber) async throws -> StoredLead?
    public var enqueue: @Sendable (ValidLead) async throws -> StoredLead
    public var resend: @Sendable (Int64, ValidLead) async throws -> StoredLead
    public var loadHistory: @Sendable (HistoryQuery) async throws -> (rows: [StoredLead], counts: [LeadState: Int], nextDue: Date?, hold: LeadHold?)
    /// A page for the history screen (no counts: the status line has them).
    public var loadPage: @Sendable (HistoryQuery) async throws -> [StoredLead]
    public var loadDetail: @Sendable (Int64) async throws -> (lead: StoredLead, attempts: [DeliveryAttempt])
    public var releaseAndRetry: @Sendable () async throws -> Void
    public var saveSettings: @Sendable (Settings) async throws -> Void

    public static func live(database: LeadDatabase, settingsFile: SettingsFile) -> StoreDependencies {
        StoreDependencies(
            lookUpPhone: { try await database.previousLead(phone: $0) },
            enqueue: { try await database.enqueue($0) },
            resend: { try await database.resend(id: $0, with: $1) },
            loadHistory: { query in
                async let rows = database.history(query)
                async let counts = database.counts()
                async let next = database.nextDueDate()
                async let hold = database.currentHold()
                return try await (rows, counts, next, hold)
            },
            loadPage: { try await database.history($0) },
            loadDetail: { id in
                async let lead = database.lead(id: id)
                async let attempts = database.attempts(leadID: id)
                return try await (lead, attempts)
            },
            releaseAndRetry: { try await database.releaseAndRetryNow() },
            saveSettings: { settings in try settingsFile.save(settings) })
    }
}

/// Runs the reducer: holds the one state, runs effects, feeds their results back as actions,
/// publishes every new state, and counts effects in flight so tests and the UI's test mode can
/// wait for idle instead of sleeping.
public actor Store {
    public private(set) var state: AppState
    private let dependencies: StoreDependencies
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var subscribers: [UUID: AsyncStream<AppState>.Continuation] = [:]
    private var wake: AsyncStream<Void>.Continuation?
    private var deliveryTask: Task<Void, Never>?
    private var deliverer: Deliverer?

    public init(state: AppState, dependencies: StoreDependencies) {
        self.state = state
        self.dependencies = dependencies
    }

    /// Every state from now on, the current one first.
    public func states() -> AsyncStream<AppState> {
        let (stream, continuation) = AsyncStream.makeStream(of: AppState.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        subscribers[id] = continuation
        continuation.yield(state)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    public func send(_ action: Action) {
        let effects = reduce(&state, action)
        for subscriber in subscribers.values { subscriber.yield(state) }
        for effect in effects { launch(effect) }
    }

    /// Reads the state, turns it into actions and sends them in one step, so nothing else (a
    /// delivery result, a saved lead clearing the form) comes between what a key saw and what it
    /// did. Returns `body`'s own result (the console's "quit").
    public func send<R: Sendable>(from body: @Sendable (AppState) -> (result: R, actions: [Action])) -> R {
        let (result, actions) = body(state)
        for action in actions { send(action) }
        return result
    }

    /// Returns once no effect is running (immediately when none is).
    public func waitUntilIdle() async {
        if inFlight == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func launch(_ effect: Effect) {
        if effect == .wakeDeliverer {
            wake?.yield()
            return
        }
        inFlight += 1
        Task {
            let result = await self.perform(effect)
            if let result { self.send(result) }
            self.finish()
        }
    }

    private func finish() {
        inFlight -= 1
        if inFlight == 0 {
            let waiters = idleWaiters
            idleWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }

    private func perform(_ effect: Effect) async -> Action? {
        do {
            switch effect {
            case .lookUpPhone(let token, let phone):
                // A look-up that fails does not stop the save: the lead is written without it.
                return .lookedUp(token: token, earlier: try? await dependencies.lookUpPhone(phone))
            case .enqueue(let token, let valid):
                do { return .queued(token: token, try await dependencies.enqueue(valid)) } catch {
                    return .saveFailed(token: token, "\(error)")
                }
            case .resend(let token, let id, let valid):
                do { return .resent(token: token, try await dependencies.resend(id, valid)) } catch {
                    return .saveFailed(token: token, "\(error)")
                }
            case .loadHistory(let query):
                let page = try await dependencies.loadHistory(query)
                return .historyLoaded(rows: page.rows, counts: page.counts, nextDue: page.nextDue, hold: page.hold)
            case .loadBrowser(let query, let page):
                return .browserLoaded(try await dependencies.loadPage(query), page, query)
            case .loadDetail(let id):
                let detail = try await dependencies.loadDetail(id)
                return .detailLoaded(detail.lead, detail.attempts)
            case .releaseAndRetry:
                // Held leads go back out only with the settings now in force (new credentials,
                // or "retry now" with the current ones), and the deliverer is woken for them.
                let settings = state.settings
                await deliverer?.use(settings)
                try await dependencies.releaseAndRetry()
                wake?.yield()
                return nil
            case .saveSettings(let settings):
                try await dependencies.saveSettings(settings)
                return .settingsSaved(settings)
            case .wakeDeliverer:
                return nil
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// Delivers in the background while this store lives (the caller holds the delivery lock):
    /// every recorded attempt comes back as `.delivered`. Woken by new leads and retries, and
    /// every `pollInterval` for leads queued by other processes.
    public func startDelivery(_ deliverer: Deliverer, pollInterval: Duration = .seconds(1)) {
        let (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        self.deliverer = deliverer
        deliveryTask = Task { [weak self] in
            var iterator = wakes.makeAsyncIterator()
            while !Task.isCancelled {
                await self?.countDeliveryPass()
                do {
                    try await deliverer.deliverDue { [weak self] lead in
                        await self?.send(.delivered(lead))
                        return true
                    }
                } catch {
                    await self?.send(.failed("delivery: \(error)"))
                }
                // Sleep until woken or the poll interval passes, whichever is first.
                // A timer cancelled by a wake must not wake the loop itself: it once did, and
                // every wake then cancelled the next timer in a loop that used a whole core.
                let timer = Task {
                    do { try await Task.sleep(for: pollInterval) } catch { return }
                    continuation.yield()
                }
                _ = await iterator.next()
                timer.cancel()
            }
        }
    }

    /// How many times the delivery loop has looked for due leads: once per wake or poll. A test
    /// watches it to prove the loop sleeps between them.
    public private(set) var deliveryPasses = 0
    private func countDeliveryPass() { deliveryPasses += 1 }

    public func stopDelivery() {
        deliveryTask?.cancel()
        wake?.yield()
        deliveryTask = nil
    }
}
