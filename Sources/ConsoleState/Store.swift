import Foundation
import LeadOutbox
import ParamantraAPI

/// What effects need from the outside world, as values: `live` wires the real database,
/// settings file and delivery loop; `unimplemented` fails every call, so a test sets only what
/// its rule uses and learns of any other call.
public struct StoreDependencies: Sendable {
    public var lookUpPhone: @Sendable (PhoneNumber) async throws -> StoredLead?
    public var lookUpCustomer: @Sendable (PhoneNumber) async throws -> ReturningCustomer?
    public var enqueue: @Sendable (ValidLead) async throws -> StoredLead
    public var resend: @Sendable (Int64, ValidLead) async throws -> StoredLead
    public var loadHistoryPane: @Sendable (HistoryQuery) async throws -> HistoryPanePage
    public var loadSuggestions: @Sendable () async throws -> [LeadField: [String]]
    /// A page for the history screen (no counts: the status line has them).
    public var loadPage: @Sendable (HistoryQuery) async throws -> [StoredLead]
    public var loadDetail: @Sendable (Int64) async throws -> (lead: StoredLead, attempts: [DeliveryAttempt])
    /// Held leads back to the queue, every queued lead due now.
    public var releaseAndRetry: @Sendable () async throws -> Void
    public var saveSettings: @Sendable (Settings) async throws -> Void
    /// Refreshes the rolling copy of the database in a folder (`RollingBackup`).
    public var backUp: @Sendable (String) async throws -> Void
    /// A named period's figures as of now, in the rep's time zone.
    public var loadStats: @Sendable (StatsPeriod.Named) async throws -> LeadStats
    /// The background delivery (`.idle` when another process delivers).
    public var delivery: DeliveryLoop

    public init(
        lookUpPhone: @escaping @Sendable (PhoneNumber) async throws -> StoredLead?,
        lookUpCustomer: @escaping @Sendable (PhoneNumber) async throws -> ReturningCustomer?,
        enqueue: @escaping @Sendable (ValidLead) async throws -> StoredLead,
        resend: @escaping @Sendable (Int64, ValidLead) async throws -> StoredLead,
        loadHistoryPane: @escaping @Sendable (HistoryQuery) async throws -> HistoryPanePage,
        loadSuggestions: @escaping @Sendable () async throws -> [LeadField: [String]],
        loadPage: @escaping @Sendable (HistoryQuery) async throws -> [StoredLead],
        loadDetail: @escaping @Sendable (Int64) async throws -> (lead: StoredLead, attempts: [DeliveryAttempt]),
        releaseAndRetry: @escaping @Sendable () async throws -> Void,
        saveSettings: @escaping @Sendable (Settings) async throws -> Void,
        backUp: @escaping @Sendable (String) async throws -> Void,
        loadStats: @escaping @Sendable (StatsPeriod.Named) async throws -> LeadStats = { _ in
            throw Unimplemented("loadStats")
        },
        delivery: DeliveryLoop
    ) {
        self.lookUpPhone = lookUpPhone
        self.lookUpCustomer = lookUpCustomer
        self.enqueue = enqueue
        self.resend = resend
        self.loadHistoryPane = loadHistoryPane
        self.loadSuggestions = loadSuggestions
        self.loadPage = loadPage
        self.loadDetail = loadDetail
        self.releaseAndRetry = releaseAndRetry
        self.saveSettings = saveSettings
        self.backUp = backUp
        self.loadStats = loadStats
        self.delivery = delivery
    }

    public static func live(
        database: LeadDatabase, settingsFile: SettingsFile, delivery: DeliveryLoop = .idle, backup: RollingBackup? = nil
    ) -> StoreDependencies {
        let backup = backup ?? RollingBackup(database: database)
        return StoreDependencies(
            lookUpPhone: { try await database.previousLead(phone: $0) },
            lookUpCustomer: { try await database.customer(phone: $0) },
            enqueue: { try await database.enqueue($0) },
            resend: { try await database.resend(id: $0, with: $1) },
            loadHistoryPane: { query in
                async let rows = database.history(query)
                async let counts = database.counts()
                async let next = database.nextDueDate()
                async let hold = database.currentHold()
                return try await HistoryPanePage(rows: rows, counts: counts, nextDue: next, hold: hold)
            },
            loadSuggestions: { try await database.recentValues() },
            loadPage: { try await database.history($0) },
            loadDetail: { id in
                async let lead = database.lead(id: id)
                async let attempts = database.attempts(leadID: id)
                return try await (lead, attempts)
            },
            releaseAndRetry: { _ = try await database.releaseAndRetryNow() },
            saveSettings: { settings in try settingsFile.save(settings) },
            backUp: { folder in try await backup.request(into: folder) },
            loadStats: { named in try await database.stats(.named(named, now: Date(), timeZone: .current)) },
            delivery: delivery)
    }

    /// Every call fails, naming itself; no delivery.
    public static var unimplemented: StoreDependencies {
        StoreDependencies(
            lookUpPhone: { _ in throw Unimplemented("lookUpPhone") },
            lookUpCustomer: { _ in throw Unimplemented("lookUpCustomer") },
            enqueue: { _ in throw Unimplemented("enqueue") },
            resend: { _, _ in throw Unimplemented("resend") },
            loadHistoryPane: { _ in throw Unimplemented("loadRecent") },
            loadSuggestions: { [:] },
            loadPage: { _ in throw Unimplemented("loadPage") },
            loadDetail: { _ in throw Unimplemented("loadDetail") },
            releaseAndRetry: { throw Unimplemented("releaseAndRetry") },
            saveSettings: { _ in throw Unimplemented("saveSettings") },
            backUp: { _ in throw Unimplemented("backUp") },
            delivery: .idle)
    }

    public struct Unimplemented: Error, CustomStringConvertible {
        public let description: String
        public init(_ name: String) { description = "\(name) is not set in this test" }
    }
}

/// The pane's page: its newest rows, the count per state, when the next attempt is due and
/// what holds the queue.
public struct HistoryPanePage: Sendable, Equatable {
    public var rows: [StoredLead]
    public var counts: [LeadState: Int]
    public var nextDue: Date?
    public var hold: LeadHold?

    public init(rows: [StoredLead], counts: [LeadState: Int], nextDue: Date? = nil, hold: LeadHold? = nil) {
        self.rows = rows
        self.counts = counts
        self.nextDue = nextDue
        self.hold = hold
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
    private var listening: Task<Void, Never>?

    public init(state: AppState, dependencies: StoreDependencies) {
        self.state = state
        self.dependencies = dependencies
    }

    /// Turns what the delivery loop records into actions, until the loop stops.
    public func listenToDelivery() {
        guard listening == nil else { return }
        let events = dependencies.delivery.events
        listening = Task { [weak self] in
            for await event in events {
                switch event {
                case .recorded(let lead): await self?.send(.delivered(lead))
                case .failed(let why): await self?.send(.failed("delivery: \(why)"))
                }
            }
        }
    }

    /// Stops the delivery loop and stops listening to it, without waiting for an attempt in
    /// hand: quitting never waits on the network (a lead cut off mid-attempt is recovered as
    /// uncertain by the next deliverer).
    public func stopDelivery() async {
        await dependencies.delivery.stop()
        listening?.cancel()
        listening = nil
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
        apply(action)
        publish()
    }

    /// Reduces `action` and starts its effects; whoever watches hears of it at `publish`, once
    /// per step however many actions the step holds (a run of 1,000 keys wakes the console once,
    /// not 1,000 times).
    private func apply(_ action: Action) {
        let effects = reduce(&state, action)
        for effect in effects { launch(effect) }
    }

    private func publish() {
        for subscriber in subscribers.values { subscriber.yield(state) }
    }

    /// Reads the state, turns it into actions and sends them in one step, so nothing else (a
    /// delivery result, a saved lead clearing the form) comes between what a key saw and what it
    /// did. Returns `body`'s own result (the console's "quit").
    public func send<R: Sendable>(from body: @Sendable (AppState) -> (result: R, actions: [Action])) -> R {
        let (result, actions) = body(state)
        for action in actions { apply(action) }
        publish()
        return result
    }

    /// Items (a run of keys) turned into actions one after another in one step: each sees the
    /// state the actions of the one before left, nothing else comes between, and each action is
    /// reduced once. `body` says whether to stop after an item (quit, Ctrl-Z); returns how many
    /// were used and what `body` said of the last of them.
    public func send<Item: Sendable, R: Sendable>(
        each items: [Item], _ body: @Sendable (AppState, Item) -> (result: R, actions: [Action], stop: Bool)
    ) -> (used: Int, last: R?) {
        var last: R?
        defer { publish() }
        for (index, item) in items.enumerated() {
            let (result, actions, stop) = body(state, item)
            for action in actions { apply(action) }
            last = result
            if stop { return (index + 1, last) }
        }
        return (items.count, last)
    }

    /// Returns once no effect is running (immediately when none is).
    public func waitUntilIdle() async {
        if inFlight == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func launch(_ effect: Effect) {
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
            case .lookUpCustomer(let phone):
                // No card is no harm: a failed look-up leaves the Ctrl-S check to do its job.
                guard let customer = try? await dependencies.lookUpCustomer(phone) else {
                    return .customerLookedUp(phone: phone.tenDigits, nil)
                }
                return .customerLookedUp(phone: phone.tenDigits, customer)
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
            case .loadSuggestions:
                // No suggestions is no harm: typing works the same without them.
                return .suggestionsLoaded((try? await dependencies.loadSuggestions()) ?? [:])
            case .loadHistoryPane(let query):
                return .historyPaneLoaded(try await dependencies.loadHistoryPane(query))
            case .loadHistoryScreen(let query, let page):
                return .historyScreenLoaded(try await dependencies.loadPage(query), page, query)
            case .loadDetail(let id):
                let detail = try await dependencies.loadDetail(id)
                return .detailLoaded(detail.lead, detail.attempts)
            case .loadStats(let named):
                return .statsLoaded(try await dependencies.loadStats(named))
            case .releaseAndRetry(let settings):
                // Held leads go back out only with the settings they carry (new credentials, or
                // "retry now" with the current ones): the loop has them before a lead is released.
                await dependencies.delivery.use(settings)
                try await dependencies.releaseAndRetry()
                dependencies.delivery.wake()
                return nil
            case .saveSettings(let settings):
                try await dependencies.saveSettings(settings)
                return .settingsSaved(settings)
            case .wakeDeliverer:
                dependencies.delivery.wake()
                return nil
            case .backUp(let folder):
                do { try await dependencies.backUp(folder) } catch {
                    return .failed("The backup copy in \(folder) was not written: \(error)")
                }
                return nil
            }
        } catch {
            return .failed("\(error)")
        }
    }
}
