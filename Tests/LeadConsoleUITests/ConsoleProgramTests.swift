import ConsoleState
import Foundation
import LeadOutbox
import ParamantraAPI
import ParamantraSandbox
import TestSupport
import Testing

@testable import LeadConsoleUI

/// The whole program without a terminal: the console loop, the real store on a SQLite file, the
/// real deliverer and the sandbox over loopback, with keys pressed into an in-memory terminal.
@Suite("Console program")
struct ConsoleProgramTests {
    init() { DisplayWidth.prepare() }

    final class Rig: Sendable {
        let folder: URL
        let database: LeadDatabase
        let sandbox: Sandbox
        let store: Store
        let terminal: MemoryTerminal
        let loop: Task<Void, Never>
        /// Set when the console loop returns by itself (the rep quit).
        let quit = Flag()

        init(columns: Int = 100, rows: Int = 30, deliver: Bool = true) async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            database = try LeadDatabase(directory: folder)
            let key = "program-key-0123456789"
            sandbox = try await Sandbox.start(SandboxConfiguration(apiKey: key, appName: "PROGRAM"))
            var settings = Settings()
            settings.endpoint = sandbox.endpoint.absoluteString
            settings.apiKey = key
            settings.appName = "PROGRAM"
            settings.defaultSubject = "Walk-in"
            settings.defaultChannel = "Walk-in"
            settings.defaultRep = "smith"
            let client = ParamantraClient(
                transport: HTTPClientTransport(attemptTimeout: .seconds(20)), deadline: .seconds(30))
            let delivery: DeliveryLoop =
                deliver
                ? .live(
                    Deliverer(
                        database: database, client: client,
                        policy: RetryPolicy(base: .milliseconds(50), cap: .milliseconds(100), jitter: 0),
                        credentials: settings.credentials), pollInterval: .milliseconds(200))
                : .idle
            store = Store(
                state: AppState(settings: settings),
                dependencies: .live(
                    database: database, settingsFile: SettingsFile(url: folder.appendingPathComponent("config.json")),
                    delivery: delivery))
            await store.listenToDelivery()
            await store.send(.started)
            terminal = MemoryTerminal(columns: columns, rows: rows)
            let (store, terminal, quit) = (store, terminal, quit)
            loop = Task {
                await Console.run(store: store, terminal: terminal, theme: Theme(color: true))
                if !Task.isCancelled { quit.set() }
            }
        }

        /// Waits until every key is read, the store is idle and the screen shows what `predicate`
        /// wants, or the deadline passes.
        func screen(timeout: Duration = .seconds(15), _ predicate: (String) -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            repeat {
                if terminal.keysRead {
                    await store.waitUntilIdle()
                    if predicate(terminal.screen) { return true }
                }
                try? await Task.sleep(for: .milliseconds(20))
            } while ContinuousClock.now < deadline
            return false
        }

        func stop() async {
            loop.cancel()
            _ = await loop.value
            await store.stopDelivery()
            await sandbox.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func with(columns: Int = 100, rows: Int = 30, deliver: Bool = true, _ body: (Rig) async throws -> Void)
        async throws
    {
        let rig = try await Rig(columns: columns, rows: rows, deliver: deliver)
        do { try await body(rig) } catch {
            await rig.stop()
            throw error
        }
        await rig.stop()
    }

    @Test func aWalkInLeadThenTheSamePhoneAgain() async throws {
        try await Self.with { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            rig.terminal.type("José")
            rig.terminal.press(.tab, .tab)
            rig.terminal.type("नमस्ते")
            rig.terminal.press(.backTab)
            rig.terminal.type("98765 43210")
            rig.terminal.press(.control("s"))
            #expect(await rig.screen { $0.contains("9876543210  accepted #") && $0.contains("José नमस्ते") })
            // The form is ready for the next walk-in, cursor on First name, defaults kept.
            let frame = try #require(rig.terminal.lastFrame)
            #expect(frame.cursor == CursorPosition(column: 17, row: 1))
            #expect(frame.lines[1].split(separator: "│")[0].trimmingCharacters(in: .whitespaces) == "First name")
            #expect(await rig.sandbox.leads().map { $0.fields["f_name"] } == ["José"])

            // The same phone: the card under it as soon as it holds ten digits; one Ctrl-S sends.
            rig.terminal.press(.tab)
            rig.terminal.type("9876543210")
            #expect(await rig.screen { $0.contains("↳ seen 1× as José") })
            rig.terminal.press(.control("s"))
            #expect(await rig.screen { $0.contains("9876543210  duplicate #") })
            #expect(await rig.sandbox.leads().count == 1)
        }
    }

    @Test func aTerminalThatHangsUpEndsTheConsoleAndKeepsWhatWasQueued() async throws {
        try await Self.with { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            rig.terminal.type("Asha")
            rig.terminal.press(.tab)
            rig.terminal.type("9876543210")
            rig.terminal.press(.control("s"), .hangup)
            // The loop ends by itself, no question asked (there is nobody to answer it).
            #expect(await waitUntil { rig.quit.isSet })
            await rig.store.waitUntilIdle()
            #expect(try await rig.database.counts().values.reduce(0, +) == 1)
        }
    }

    @Test func aValidationErrorBlocksAndPointsAtTheField() async throws {
        try await Self.with { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            rig.terminal.type("Asha")
            rig.terminal.press(.tab)
            rig.terminal.type("12345")
            rig.terminal.press(.tab, .tab, .character("x"), .control("s"))
            #expect(
                await rig.screen { $0.contains("↳ Phone must have ten digits") && $0.contains("↳ Email needs an @") })
            // The cursor went to the first bad field; nothing was queued.
            #expect(rig.terminal.lastFrame?.cursor?.row == 2)
            let stored = try await rig.database.counts().values.reduce(0, +)
            #expect(stored == 0)
            // Fixed in place with the editing keys: Ctrl-U clears the phone, and it goes.
            rig.terminal.press(.control("u"))
            rig.terminal.type("9876543210")
            rig.terminal.press(.down, .down, .control("u"), .control("s"))
            #expect(await rig.screen { $0.contains("9876543210  accepted #") })
        }
    }

    @Test func aResizeKeepsWhatWasTypedAndTooSmallRecovers() async throws {
        try await Self.with(columns: 80, rows: 24) { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            rig.terminal.type("Half typed")
            rig.terminal.resize(columns: 50, rows: 12)
            #expect(await rig.screen { $0.contains("enlarge the terminal") })
            rig.terminal.type("!")
            rig.terminal.resize(columns: 120, rows: 40)
            #expect(await rig.screen { $0.contains("First name     Half typed!") })
            #expect(rig.terminal.lastFrame?.columns == 120)
        }
    }

    @Test func theHistoryScreenPagesSearchesAndShowsDetail() async throws {
        // No deliverer: 450 queued leads stay as they are while the screen is browsed.
        try await Self.with(columns: 100, rows: 30, deliver: false) { (rig: Rig) async throws in
            // 450 leads: more than two pages.
            let leads = (0..<450).map { n in
                try! Lead(
                    firstName: n == 17 ? "Zubin" : "Lead\(n)", phone: String(9_100_000_000 + n), subject: "Expo",
                    channel: "Walk-in", rep: "smith"
                )
                .validated().get()
            }
            _ = try await rig.database.enqueue(batch: leads)
            #expect(await rig.screen(timeout: .seconds(60)) { _ in true })
            rig.terminal.press(.function(3))
            #expect(await rig.screen { $0.contains("History · all states") && $0.contains("Lead449") })
            // End reads the oldest page; the first lead is selected at the bottom.
            rig.terminal.press(.end)
            #expect(await rig.screen { $0.contains("Lead0 ") })
            // Home, then PgDn through the window: pages keep coming without an edge.
            rig.terminal.press(.home)
            #expect(await rig.screen { $0.contains("Lead449 ") })
            for _ in 0..<12 {
                rig.terminal.press(.pageDown)
                _ = await rig.screen { _ in true }
            }
            // 12 pages of 25 rows down from Lead449.
            #expect(await rig.screen { $0.contains("Lead149 ") })
            #expect(await rig.store.state.historyScreen.selectedLead?.lead.firstName == "Lead149")
            // Search, then the detail of the one match.
            rig.terminal.press(.character("/"))
            rig.terminal.type("zubin")
            rig.terminal.press(.enter)
            #expect(
                await rig.screen { $0.contains("matching “zubin”") && $0.contains("Zubin") && !$0.contains("Lead1") })
            rig.terminal.press(.enter)
            #expect(await rig.screen { $0.contains("Lead #18") && $0.contains("Attempts (") })
            rig.terminal.press(.escape, .escape)
            #expect(await rig.screen { $0.contains("First name") })
        }
    }

    @Test func aRejectedLeadIsFixedInTheFormAndSentAgainAsTheSameRecord() async throws {
        try await Self.with { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            await rig.sandbox.setFaults(SandboxFaults(mode: .status, status: 402, count: 1, message: "Invalid channel"))
            rig.terminal.type("Ravi")
            rig.terminal.press(.tab)
            rig.terminal.type("9876543211")
            rig.terminal.press(.control("s"))
            #expect(await rig.screen { $0.contains("9876543211  rejected (402): Invalid") }, "\(rig.terminal.screen)")
            rig.terminal.press(.function(3))
            #expect(await rig.screen { $0.contains("History · all states") && $0.contains("rejected") })
            rig.terminal.press(.character("e"))
            #expect(await rig.screen { $0.contains("Lead #1 is in the form") && $0.contains("First name     Ravi") })
            rig.terminal.press(.control("s"))
            #expect(await rig.screen { $0.contains("9876543211  accepted #") })
            // One record, now accepted; the CRM has it once.
            let counts = try await rig.database.counts()
            #expect(counts[.accepted] == 1 && counts.values.reduce(0, +) == 1)
            #expect(await rig.sandbox.leads().count == 1)
        }
    }

    @Test func quittingWithATypedLeadAsksAndStaying() async throws {
        try await Self.with { (rig: Rig) async throws in
            #expect(await rig.screen { $0.contains("No leads yet") })
            rig.terminal.type("Asha")
            rig.terminal.press(.function(10))
            #expect(await rig.screen { $0.contains("Quit and lose it?") })
            rig.terminal.press(.character("n"))
            #expect(await rig.screen { !$0.contains("Quit and lose it?") && $0.contains("First name     Asha") })
            #expect(!rig.quit.isSet)
            rig.terminal.press(.function(10), .character("y"))
            #expect(await waitUntil(timeout: .seconds(30)) { rig.quit.isSet })
        }
    }
}

final class Flag: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
