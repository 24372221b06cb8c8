import ArgumentParser
import ConsoleState
import CursesBackend
import Foundation
import LeadConsoleUI
import LeadOutbox
import ParamantraAPI
import Synchronization

/// `leadconsole console`: the full-screen form and history.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The full-screen console: type leads, watch what becomes of them.",
        discussion: "With --demo it runs against a built-in sandbox with a throw-away history (no account needed).")

    @Flag(help: "Run against a built-in sandbox with a throw-away history.") var demo = false
    @Flag(help: "No colours (also when NO_COLOR is set); every status keeps its words.") var noColor = false
    @Flag(help: "Leave the mouse to the terminal (also the setting mouse = false).") var noMouse = false
    @Flag(help: "Plain mode: a field a line, for screen readers and bare terminals (as `leadconsole prompt`).")
    var plain = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await ConsoleLaunch(demo: demo, noColor: noColor, noMouse: noMouse, plain: plain, store: store).run()
    }
}

/// `leadconsole prompt`: plain mode, the lead form asked a field a line.
struct PromptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Plain mode: the lead form asked a field a line, for screen readers, bare terminals and expect.",
        discussion: """
            Each field is asked on its own line in the form's order, its value in brackets; Enter \
            keeps it, - clears it. ? lists the commands (!send, !history, !edit N, !retry, !quit). \
            No cursor movement, no colour, nothing drawn twice. `leadconsole` opens this mode by \
            itself when TERM is dumb or unset on a terminal.
            """)

    @Flag(help: "Run against a built-in sandbox with a throw-away history.") var demo = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await ConsoleLaunch(demo: demo, plain: true, store: store).run()
    }
}

/// The console as the command line asked for it, parsed by ArgumentParser (`ConsoleCommand`)
/// or, for the plain starts a rep makes all day, without it (`LeadConsole.fastConsole`).
struct ConsoleLaunch {
    var demo = false
    var noColor = false
    var noMouse = false
    /// Plain mode (`prompt`, `console --plain`); also chosen when the terminal cannot be drawn on
    /// (`wantsPlain`).
    var plain = false
    var store: any StorePlace = StoreFolders()

    /// TERM is dumb or unset, and both ends are a terminal: a person at a bare terminal (a serial
    /// line, a screen reader's plain console), who gets plain mode instead of a refusal. Without
    /// a terminal the console still refuses (exit 64), so cron and CI see no change.
    static func wantsPlain() -> Bool {
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return (term.isEmpty || term == "dumb") && isatty(0) == 1 && isatty(1) == 1
    }

    func run() async throws {
        try await run(from: begin())
    }

    /// The console up to its first frame (or plain mode's first question): the settings, the
    /// terminal, the first drawing. Synchronous, so that `main` runs it on the thread it starts
    /// on: the first `await` moves to the concurrency pool, whose first thread is created then,
    /// and the first question waited for it (perf; docs/testing.md has the figures).
    func begin() throws -> ConsoleStart {
        Logs.bootstrap(verbose: false, quiet: true)
        return try failingNow {
            let color = !noColor && (getenv("NO_COLOR").map { String(cString: $0) } ?? "").isEmpty
            var sandbox: DemoSandbox?
            let environment = ProcessEnvironment.current()
            var locations = store.locations(environment: environment)
            var settings: Settings
            var effective: EffectiveSettings?
            if demo {
                let started: DemoSandbox
                do { started = try DemoSandbox.start() } catch {
                    throw CommandFailure(message: "error: \(error)", status: ExitStatus.unavailable)
                }
                sandbox = started
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "leadconsole-demo-\(getpid())")
                locations = DataLocations(
                    dataDirectory: folder.appendingPathComponent("data"),
                    configDirectory: folder.appendingPathComponent("config"))
                settings = Settings()
                settings.endpoint = started.endpoint
                settings.apiKey = started.apiKey
                settings.appName = started.appName
                settings.defaultSubject = "Walk-in (demo)"
                settings.defaultChannel = "Walk-in"
                settings.defaultRep = "demo-rep"
            } else {
                effective = try store.settings(environment: environment, locations: locations)
                settings = effective!.settings
            }
            let plainMode = plain || Self.wantsPlain()
            let terminal: CursesTerminal?
            do {
                terminal = plainMode ? nil : try CursesTerminal(color: color, mouse: !noMouse && settings.mouse)
            } catch {
                sandbox?.stop()
                throw CommandFailure(message: "\(error)", status: ExitStatus.usage)
            }
            // The form is on screen before the database opens or the network stack starts (launch
            // to first form is measured by make bench); the history fills in a moment later.
            let theme = Theme(color: color)
            let sources = (effective?.sources ?? [:]).compactMap { key, source in
                switch source {
                case .environment: return EffectiveSettings.environmentNames[key].map { (key, $0) }
                case .helper: return (key, "api_key_command")
                default: return nil
                }
            }
            let initial = AppState(
                settings: settings, isDemo: demo, environmentSources: Dictionary(uniqueKeysWithValues: sources))
            // Plain mode's first prompt is said as early (make bench measures both).
            var greeting: PlainPrompt.Greeting?
            if let terminal {
                let (columns, rows) = terminal.size
                terminal.draw(Console.render(initial, columns: columns, rows: rows, theme: theme, now: Date()))
            } else {
                greeting = PlainPrompt.greet(lines: StandardLines(), state: initial)
            }
            return ConsoleStart(
                sandbox: sandbox, locations: locations, settings: settings, effective: effective,
                plainMode: plainMode, terminal: terminal, theme: theme, initial: initial, greeting: greeting)
        }
    }

    /// The console from its first frame on: the database, delivery, the loop, the end.
    func run(from start: ConsoleStart) async throws {
        try await failing {
            let (sandbox, locations, settings, effective) = (
                start.sandbox, start.locations, start.settings, start.effective
            )
            let (plainMode, terminal, theme, initial, greeting) = (
                start.plainMode, start.terminal, start.theme, start.initial, start.greeting
            )
            defer {
                if demo { try? FileManager.default.removeItem(at: locations.dataDirectory.deletingLastPathComponent()) }
            }
            defer { terminal?.close() }
            let database: LeadDatabase
            do { database = try LeadDatabase(locations: locations) } catch {
                throw CommandFailure(
                    message: "error: \(error)",
                    status: (error as? StoreError).map(ExitStatus.of) ?? ExitStatus.cannotCreate)
            }

            let settingsFile = SettingsFile(url: locations.configFile)
            let backup = RollingBackup(database: database)
            var dependencies = StoreDependencies.live(database: database, settingsFile: settingsFile, backup: backup)
            if let effective {
                // Values from PARAMANTRA_* stay out of config.json unless edited on the screen.
                dependencies.saveSettings = { edited in
                    let onDisk = (try? settingsFile.load()) ?? Settings()
                    try settingsFile.save(effective.persistable(edited, file: onDisk))
                }
            }
            // The one deliverer of this outbox, or none when another process is (it sends what
            // is queued here).
            let session = try await DeliverySession.begin(
                database: database, locations: locations, credentials: settings.credentials,
                phoneFormat: settings.phoneFormat, missing: settings.missingCredentials)
            if let session { dependencies.delivery = .live(session.driver) }
            let app = Store(state: initial, dependencies: dependencies)
            await app.listenToDelivery()
            await app.send(.started)
            // The lead being typed when the last console was ended by SIGHUP or SIGTERM, and the
            // scans that waited behind it.
            let draft = DraftFile(locations: locations)
            if !demo {
                switch draft.take() {
                case .draft(let kept): await app.send(.restoreDraft(kept.lead, scans: kept.scans))
                case .refused(let why): await app.send(.failed(why))
                case .none: break
                }
            }
            if session == nil {
                await app.send(
                    .failed("Another leadconsole is delivering this outbox; leads queued here are sent by it"))
            }

            // SIGTERM (and SIGHUP) end the loop, so the terminal is restored on the way out.
            let loop = Task { [greeting] in
                if let greeting { return await PlainPrompt.run(store: app, greeting: greeting) }
                guard let terminal else { return Console.Ending.quit }
                return await Console.run(store: app, terminal: terminal, theme: theme)
            }
            let endedBySignal = Latch()
            let signals = SignalWatch([SIGTERM, SIGHUP]) {
                endedBySignal.set()
                loop.cancel()
            }
            let ending = await loop.value
            signals.cancel()
            // A write in flight (the Ctrl-S just before the window closed) finishes first.
            await Self.waitUntilIdle(app, atMost: .seconds(5))
            // Ended from outside (an SSH session dropped, the window closed, a shutdown): a typed
            // lead is kept for the next start, with the badge scans waiting for the next form.
            let ended = await app.state
            let (form, scans) = (ended.form, ended.scans)
            // In plain mode, any end (Ctrl-D, !quit) keeps it: no question is drawn over a form.
            if endedBySignal.isSet || ending == .hangup || plainMode, !demo, form.hasCustomerText || !scans.isEmpty {
                do { try draft.save(DraftFile.Draft(form.lead, scans: scans)) } catch {
                    writeLine("warning: the lead being typed was not kept for the next start: \(error)", toError: true)
                }
            }
            await app.stopDelivery()
            withExtendedLifetime(session) {}
            terminal?.close()
            // The rolling copy gets the last word: everything typed is on the stick at quit.
            let backupDir = await app.state.settings.backupDir
            if !backupDir.isEmpty {
                do { try await backup.flush(into: backupDir) } catch {
                    writeLine("warning: the backup copy in \(backupDir) was not written: \(error)", toError: true)
                }
            }
            sandbox?.stop()
        }
    }
}

/// What the console has when its first frame (or first question) is out (`ConsoleLaunch.begin`).
struct ConsoleStart {
    var sandbox: DemoSandbox?
    var locations: DataLocations
    var settings: Settings
    var effective: EffectiveSettings?
    var plainMode: Bool
    var terminal: CursesTerminal?
    var theme: Theme
    var initial: AppState
    var greeting: PlainPrompt.Greeting?
}

/// A flag set once from a signal handler's queue and read after.
final class Latch: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
    /// Sets the latch; true for the first caller only.
    func setFirst() -> Bool { !value.exchange(true, ordering: .acquiringAndReleasing) }
}

extension ConsoleLaunch {
    /// Returns once the store runs no effect, or after `limit` (an effect stuck on the network
    /// must not keep a closed console alive).
    static func waitUntilIdle(_ store: Store, atMost limit: Duration) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let once = Latch()
            Task {
                await store.waitUntilIdle()
                if once.setFirst() { done.resume() }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.setFirst() { done.resume() }
            }
        }
    }
}
