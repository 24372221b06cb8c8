import Foundation
import LeadOutbox
import ParamantraAPI
import TestSupport
import Testing

@testable import ConsoleState

/// The store's own rules, with test dependencies: no SQLite, no HTTP. Effects are values run by
/// `perform`; the delivery loop is a dependency that records what it is asked and plays back
/// what it would have recorded.
@Suite("Store rules")
struct StoreRuleTests {
    static var settings: Settings {
        var settings = ReducerTests.settings
        settings.endpoint = "https://crm.example.in/paramantra/api/data/new/format/json"
        settings.apiKey = "rule-key-0123456789"
        settings.appName = "RULES"
        return settings
    }

    static func stored(_ id: Int64, _ state: LeadState, phone: String = "9876543210", crm: String? = nil) -> StoredLead
    {
        StoredLead(
            id: id, uuid: UUID(), createdAt: Date(timeIntervalSince1970: 1_795_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_795_000_000),
            lead: Lead(firstName: "Asha", phone: phone, subject: "s", channel: "c", rep: "r"), phone: phone,
            state: state,
            crmID: crm, attempts: state == .queued ? 0 : 1, nextAttemptAt: nil, lastError: nil, uncertain: false)
    }

    /// Calls the dependencies saw, in order, across threads.
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var log: [String] = []
        func note(_ call: String) { lock.withLock { log.append(call) } }
        var all: [String] { lock.withLock { log } }
    }

    @Test func whatTheLoopRecordsReachesTheScreenAndReloadsThePane() async throws {
        let (loop, recorder) = DeliveryLoop.recording()
        let calls = Calls()
        var dependencies = StoreDependencies.unimplemented
        dependencies.delivery = loop
        dependencies.loadHistoryPane = { _ in
            calls.note("loadRecent")
            return HistoryPanePage(rows: [Self.stored(1, .accepted, crm: "2880")], counts: [.accepted: 1])
        }
        let store = Store(state: AppState(settings: Self.settings), dependencies: dependencies)
        await store.listenToDelivery()
        recorder.play(.recorded(Self.stored(1, .accepted, crm: "2880")))
        #expect(await waitUntil { await store.state.historyPane.rows.first?.state == .accepted })
        await store.waitUntilIdle()
        #expect(await store.state.banners.map(\.text) == ["Asha: accepted as CRM #2880"])
        #expect(calls.all == ["loadRecent"])

        // A pass that fails is said, not swallowed.
        recorder.play(.failed("disk I/O error"))
        #expect(await waitUntil { await store.state.banners.last?.text == "delivery: disk I/O error" })
        await store.stopDelivery()
    }

    @Test func aSavedLeadWakesTheLoopOnlyOnceItIsOnDisk() async throws {
        let (loop, recorder) = DeliveryLoop.recording()
        let calls = Calls()
        var dependencies = StoreDependencies.unimplemented
        dependencies.delivery = loop
        dependencies.lookUpPhone = { _ in nil }
        dependencies.enqueue = { valid in
            // The loop must not have been woken for a lead not yet written.
            calls.note("enqueue \(valid.phone) wakes so far: \(recorder.calls.count)")
            return Self.stored(7, .queued)
        }
        dependencies.loadHistoryPane = { _ in HistoryPanePage(rows: [Self.stored(7, .queued)], counts: [.queued: 1]) }
        let store = Store(state: AppState(settings: Self.settings), dependencies: dependencies)
        await store.send(.edit(.firstName, "Asha"))
        await store.send(.edit(.phone, "98765 43210"))
        await store.send(.submit)
        await store.waitUntilIdle()
        #expect(calls.all == ["enqueue 9876543210 wakes so far: 0"])
        #expect(recorder.calls == [.wake])
        #expect(await store.state.saving.isEmpty)
    }

    @Test func aLeadThatCannotBeWrittenComesBackWithoutWakingTheLoop() async throws {
        let (loop, recorder) = DeliveryLoop.recording()
        var dependencies = StoreDependencies.unimplemented
        dependencies.delivery = loop
        dependencies.lookUpPhone = { _ in nil }
        dependencies.enqueue = { _ in throw StoreError.io("/data/leads.sqlite", "No space left on device") }
        let store = Store(state: AppState(settings: Self.settings), dependencies: dependencies)
        await store.send(.edit(.firstName, "Asha"))
        await store.send(.edit(.phone, "9876543210"))
        await store.send(.submit)
        await store.waitUntilIdle()
        let state = await store.state
        #expect(state.form.lead.firstName == "Asha" && state.form.lead.phone == "9876543210")
        #expect(state.banners.last?.text.hasPrefix("Not saved Asha: ") == true)
        #expect(recorder.calls.isEmpty)
    }

    @Test func retryNowGivesTheLoopTheSettingsBeforeReleasingTheHeld() async throws {
        let (loop, recorder) = DeliveryLoop.recording()
        let calls = Calls()
        var dependencies = StoreDependencies.unimplemented
        dependencies.delivery = loop
        dependencies.releaseAndRetry = { calls.note("release after \(recorder.calls)") }
        dependencies.loadHistoryPane = { _ in HistoryPanePage(rows: [], counts: [.held: 2]) }
        var state = AppState(settings: Self.settings)
        state.historyPane.counts = [.held: 2]
        let store = Store(state: state, dependencies: dependencies)
        await store.send(.retryNow)
        await store.waitUntilIdle()
        #expect(calls.all == ["release after \([DeliveryRecorder.Call.use(Self.settings)])"])
        #expect(recorder.calls == [.use(Self.settings), .wake])
    }

    @Test func newCredentialsGoToTheLoopAsSaved() async throws {
        let (loop, recorder) = DeliveryLoop.recording()
        let saved = Calls()
        var dependencies = StoreDependencies.unimplemented
        dependencies.delivery = loop
        dependencies.saveSettings = { saved.note($0.apiKey) }
        dependencies.releaseAndRetry = {}
        dependencies.loadHistoryPane = { _ in HistoryPanePage(rows: [], counts: [:]) }
        let store = Store(state: AppState(settings: Self.settings), dependencies: dependencies)
        var fixed = Self.settings
        fixed.apiKey = "fixed-key-9876543210"
        await store.send(.saveSettings(fixed))
        await store.waitUntilIdle()
        #expect(saved.all == ["fixed-key-9876543210"])
        #expect(recorder.calls == [.use(fixed), .wake])
        #expect(await store.state.settings == fixed)
    }

    @Test func anUnsetDependencyIsReportedNotHung() async throws {
        let store = Store(state: AppState(settings: Self.settings), dependencies: .unimplemented)
        await store.send(.started)
        await store.waitUntilIdle()
        #expect(await store.state.banners.last?.text == "loadRecent is not set in this test")
    }
}
