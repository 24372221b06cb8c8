import Foundation
import LeadOutbox
import ParamantraAPI
import ParamantraSandbox
import TestSupport
import Testing

@testable import ConsoleState

/// The store with its real dependencies, end to end: a SQLite file in a temp folder, the live
/// delivery loop and the sandbox. (Its rules, without them: StoreRuleTests.)
@Suite("Store")
struct StoreTests {
    /// A store on the rig's database and a settings file in its folder, with credentials that
    /// the rig's sandbox accepts.
    static func store(_ rig: DeliveryRig, delivery: DeliveryLoop = .idle) -> Store {
        var settings = ReducerTests.settings
        settings.endpoint = rig.credentials.endpoint.absoluteString
        settings.apiKey = rig.credentials.apiKey.revealed
        settings.appName = rig.credentials.appName
        return Store(
            state: AppState(settings: settings),
            dependencies: .live(
                database: rig.database,
                settingsFile: SettingsFile(url: rig.folder.url.appendingPathComponent("config.json")),
                delivery: delivery))
    }

    @Test func aWalkInLeadGoesFromFormToCRM() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            let store = Self.store(rig, delivery: .live(rig.deliverer(), pollInterval: .milliseconds(200)))
            await store.listenToDelivery()
            await store.send(.started)
            await store.send(.edit(.firstName, "Asha"))
            await store.send(.edit(.phone, "98765 43210"))
            await store.send(.submit)
            await store.waitUntilIdle()
            // The lead is on disk whatever the network does next.
            let stored = try await rig.database.counts().values.reduce(0, +)
            #expect(stored == 1)
            let delivered = await waitUntil(timeout: .seconds(30)) {
                await store.state.historyPane.rows.first?.state == .accepted
            }
            #expect(delivered)
            await store.waitUntilIdle()
            let state = await store.state
            #expect(state.historyPane.counts[.accepted] == 1)
            #expect(state.delivery == .idle)
            #expect(state.banners.last?.text.hasPrefix("Asha: accepted as CRM #") == true)
            #expect(state.form.lead.firstName == "" && state.form.lead.channel == "Walk-in")
            #expect(await rig.sandbox.leads().first?.fields["f_name"] == "Asha")

            // The same phone again: as it is typed, the history answers who this is (the card);
            // the rep has seen it, and one submit sends (the CRM answers duplicate).
            await store.send(.edit(.phone, "9876543210"))
            await store.waitUntilIdle()
            guard case .returning(let customer) = await store.state.form.customer else {
                Issue.record("no returning-customer card: \(String(describing: await store.state.form.customer))")
                return
            }
            #expect(customer.visits == 1 && customer.last.state == .accepted)
            await store.send(.submit)
            let duplicate = await waitUntil(timeout: .seconds(30)) {
                await store.state.historyPane.rows.first?.state == .duplicate
            }
            #expect(duplicate)
            await store.stopDelivery()
        }
    }

    /// Whether the delivery loop passes more than `limit` times before `deadline` passes.
    static func passes(of loop: BackgroundDelivery, exceed limit: Int, within deadline: Duration) async -> Bool {
        await waitUntil(timeout: deadline) { loop.passes > limit }
    }

    @Test func theDeliveryLoopSleepsBetweenWakes() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            // A poll interval far beyond the test: only wakes may start a pass.
            let loop = BackgroundDelivery(rig.deliverer(), pollInterval: .seconds(3600))
            let store = Self.store(rig, delivery: loop.loop)
            await store.listenToDelivery()
            await store.send(.started)
            await store.send(.edit(.phone, "9876543210"))
            await store.send(.submit)
            #expect(
                await waitUntil(timeout: .seconds(30)) { await store.state.historyPane.rows.first?.state == .accepted })
            await store.waitUntilIdle()
            let settled = loop.passes
            // Nothing wakes it now. A loop that wakes itself (a cancelled timer yielding a wake,
            // as it once did) passes hundreds of times a second; a sleeping one stays put for
            // the whole watch.
            #expect(await !Self.passes(of: loop, exceed: settled + 5, within: .seconds(2)))
            await store.stopDelivery()
        }
    }

    /// A lead queued by another process (`submit --no-wait`, an import) while the loop sleeps is
    /// picked up at once: the outbox's folder is watched (inotify), nothing polls. The poll
    /// interval here is an hour, so only the watch can wake the loop in time.
    @Test func aLeadQueuedElsewhereIsPickedUpWithoutPolling() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            let loop = BackgroundDelivery(rig.deliverer(), pollInterval: .seconds(3600))
            // Settled first: nothing due, the loop asleep.
            #expect(await waitUntil(timeout: .seconds(10)) { loop.passes >= 1 })
            let asleep = loop.passes
            #expect(await !Self.passes(of: loop, exceed: asleep + 2, within: .milliseconds(500)))
            // Another connection to the same file, as another process would have.
            let other = try LeadDatabase(directory: rig.folder.url)
            let queuedAt = ContinuousClock.now
            let lead = try await other.enqueue(validLead("9876512399"))
            #expect(
                await waitUntil(timeout: .seconds(10)) {
                    (try? await rig.database.lead(id: lead.id).state) == .accepted
                })
            print("a lead queued elsewhere was delivered \(ContinuousClock.now - queuedAt) after it was queued")
            await loop.stop()
        }
    }

    @Test func refusedCredentialsHoldUntilSettingsFixThem() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            var settings = ReducerTests.settings
            settings.endpoint = rig.credentials.endpoint.absoluteString
            settings.apiKey = "wrong-key-0000000"
            settings.appName = rig.credentials.appName
            let file = SettingsFile(url: rig.folder.url.appendingPathComponent("cfg/config.json"))
            let delivery = DeliveryLoop.live(
                rig.deliverer(credentials: settings.credentials), pollInterval: .milliseconds(200))
            let store = Store(
                state: AppState(settings: settings),
                dependencies: .live(database: rig.database, settingsFile: file, delivery: delivery))
            await store.listenToDelivery()
            await store.send(.edit(.phone, "9876543210"))
            await store.send(.submit)
            #expect(
                await waitUntil(timeout: .seconds(30)) {
                    if case .held = await store.state.delivery { return true } else { return false }
                })
            let attemptsWhileHeld = try await rig.database.attempts(leadID: 1).map {
                "\($0.outcome) \($0.at.timeIntervalSince1970)"
            }
            #expect(attemptsWhileHeld.count == 1, "\(attemptsWhileHeld)")
            var fixed = settings
            fixed.apiKey = rig.credentials.apiKey.revealed
            await store.send(.saveSettings(fixed))
            await store.waitUntilIdle()
            let saved = try file.load()
            #expect(saved.apiKey == fixed.apiKey)
            let accepted = await waitUntil(timeout: .seconds(30)) {
                await store.state.historyPane.rows.first?.state == .accepted
            }
            let final = await store.state
            let attempts = try await rig.database.attempts(leadID: 1).map {
                "\($0.outcome) \($0.at.timeIntervalSince1970)"
            }
            #expect(
                accepted,
                "\(final.historyPane.rows.map { "\($0.state) \($0.attempts)" }) \(final.delivery) \(final.banners.map(\.text)) \(attempts)"
            )
            await store.stopDelivery()
        }
    }

    @Test func leadsQueuedByAnotherProcessArePickedUpWithinSeconds() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            let store = Self.store(rig, delivery: .live(rig.deliverer()))  // the default poll: every second
            await store.listenToDelivery()
            // Another process: its own connection to the same file, enqueueing only.
            let other = try LeadDatabase(directory: rig.folder.url)
            let lead = try await other.enqueue(validLead("9876512345"))
            // No new-lead wake-up reaches this store: only its poll can find the lead.
            #expect(await waitUntil(timeout: .seconds(10)) { (try? await other.lead(id: lead.id).state) == .accepted })
            await store.stopDelivery()
        }
    }

    @Test func aRejectedLeadEditedAndResentIsDelivered() async throws {
        try await DeliveryRig.with { (rig: DeliveryRig) async throws in
            let store = Self.store(rig, delivery: .live(rig.deliverer(), pollInterval: .milliseconds(200)))
            await store.listenToDelivery()
            await rig.sandbox.setFaults(SandboxFaults(mode: .status, status: 402, count: 1, message: "unknown channel"))
            await store.send(.edit(.phone, "9876543210"))
            await store.send(.submit)
            #expect(
                await waitUntil(timeout: .seconds(30)) { await store.state.historyPane.rows.first?.state == .rejected })
            var edited = try #require(await store.state.historyPane.rows.first).lead
            edited.channel = "Expo"
            await store.send(.resend(id: 1, lead: edited))
            #expect(
                await waitUntil(timeout: .seconds(30)) { await store.state.historyPane.rows.first?.state == .accepted })
            #expect(await rig.sandbox.leads().first?.fields["channel_id"] == "Expo")
            await store.stopDelivery()
        }
    }
}
