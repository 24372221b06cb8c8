import ConsoleState
import Foundation

/// The console's loop: draw the state, read keys, send actions. A frame is built when the state
/// or the size changed, and at least every half second so countdowns ("retry in 40s") move; the
/// backend writes only the cells that differ. A key costs one reduce and one frame, whatever the
/// size of the history.
public enum Console {
    /// The console's loop: draw the state, read keys, send actions. It sleeps in the terminal
    /// backend's wait (poll on the terminal, woken by the store's changes and by resizes): idle
    /// means asleep. A timer runs only while a countdown is on screen, once a second. A frame is
    /// built when the state or the size changed; the backend writes only the cells that differ.
    /// A key costs one reduce and one frame, whatever the size of the history.
    /// How the loop ended: the rep quit, the terminal hung up, or the task was cancelled (a signal).
    public enum Ending: Sendable, Equatable { case quit, hangup, cancelled }

    @discardableResult
    public static func run(
        store: Store, terminal: some TerminalBackend, theme: Theme, clock: @Sendable () -> Date = Date.init
    ) async -> Ending {
        let wake = InputWake()
        // Every change of the store (a delivery result, a saved lead) wakes the wait.
        let changes = await store.states()
        let watcher = Task {
            for await _ in changes { wake.signal() }
        }
        defer { watcher.cancel() }
        var drawn: (state: AppState, columns: Int, rows: Int, at: Date)?
        // What the cells of the last frame stand for, for clicks.
        var frame: ScreenBuffer?
        // Keys read before the frame is drawn: while keys keep coming (a flood, a scanner, a
        // paste the terminal did not bracket) a frame is drawn every 50 ms, not after each key,
        // and the keys go through the key map a run at a time.
        var backlog: [Key] = []
        // Keys that may be a badge scanner's are held here until it is known (`ScanReader`).
        var scanner = ScanReader()
        while !Task.isCancelled {
            let state = await store.state
            let (columns, rows) = terminal.size
            let now = clock()
            let ticking = hasCountdown(state)
            scanner.format = state.settings.scanFormat
            while backlog.isEmpty, let key = terminal.readKey(timeout: 0) { backlog += scanner.feed(key, at: clock()) }
            if backlog.isEmpty { backlog += scanner.expire(at: clock()) }
            let catchingUp = !backlog.isEmpty && drawn != nil && now.timeIntervalSince(drawn!.at) < 0.05
            if !catchingUp,
                drawn == nil || drawn!.state != state || drawn!.columns != columns || drawn!.rows != rows
                    || (ticking && now.timeIntervalSince(drawn!.at) >= 0.5)
            {
                let buffer = render(state, columns: columns, rows: rows, theme: theme, now: now)
                terminal.draw(buffer)
                frame = buffer
                drawn = (state, columns, rows, now)
                // The history screen pages by its height: tell the store when it changes.
                let listHeight = HistoryScreenView.listHeight(rows: rows)
                if state.historyScreen.visibleRows != listHeight {
                    await store.send(.historyScreenViewport(rows: listHeight))
                }
                if let detail = state.historyScreen.detail {
                    let maxScroll = HistoryScreenView.detailMaxScroll(detail, columns: columns, rows: rows, now: now)
                    if detail.maxScroll != maxScroll { await store.send(.detailViewport(maxScroll: maxScroll)) }
                }
            }
            // Every key already there first (ncurses may hold some the terminal no longer shows
            // as readable), then sleep until the next one, a change, a resize or the next second.
            guard let first = backlog.first else {
                // Held keys are decided when their quiet is long enough: wake then.
                var timeout: Duration? = ticking ? .seconds(1) : nil
                if let deadline = scanner.deadline {
                    let left = Duration.milliseconds(
                        max(1, Int((deadline.timeIntervalSince(clock()) * 1000).rounded(.up))))
                    timeout = min(timeout ?? left, left)
                }
                await withTaskCancellationHandler {
                    await terminal.waitForInput(timeout: timeout, wake: wake)
                } onCancel: {
                    wake.signal()
                }
                continue
            }
            if first == .hangup { return .hangup }
            if first == .resize {
                backlog.removeFirst()
                drawn = nil
                continue
            }
            let outcome: (used: Int, quit: Bool, suspend: Bool)
            if case .mouse(let event) = first {
                // A click means what the frame on screen shows at that cell.
                let target = frame?.target(column: event.column, row: event.row)
                outcome = await store.send { current in
                    let result = KeyMap.pointer(event, on: target, current)
                    return ((1, result.quit, result.suspend), result.actions)
                }
            } else {
                // The keys waiting behind it too (a run of typed keys, up to 256), each mapped
                // on the state the one before left, in one step of the store.
                while backlog.count < 256, Self.isTyped(backlog[backlog.count - 1]),
                    let next = terminal.readKey(timeout: 0)
                {
                    backlog += scanner.feed(next, at: clock())
                }
                let keys = Array(backlog.prefix(while: Self.isTyped))
                let (used, last) = await store.send(each: keys) { current, key in
                    let result = KeyMap.handle(key, current)
                    return ((result.quit, result.suspend), result.actions, result.quit || result.suspend)
                }
                outcome = (used, last?.0 ?? false, last?.1 ?? false)
            }
            backlog.removeFirst(outcome.used)
            if outcome.quit { return .quit }
            if outcome.suspend {
                // Ctrl-Z, as in every curses program: back to the shell; `fg` redraws it all
                // (at the size the window has then). Keys read behind it stay in the backlog.
                terminal.suspend()
                drawn = nil
            }
        }
        return .cancelled
    }

    /// A key that goes through the key map with those around it: not a click (it means what
    /// the frame shows), a resize or a hang-up.
    static func isTyped(_ key: Key) -> Bool {
        switch key {
        case .mouse, .resize, .hangup: return false
        default: return true
        }
    }

    /// Whether something on screen counts seconds ("next try in 35s", "retry in 40s").
    static func hasCountdown(_ state: AppState) -> Bool {
        if case .waiting(_, .some) = state.delivery { return true }
        return state.historyPane.rows.contains { $0.state == .queued && $0.attempts > 0 && $0.nextAttemptAt != nil }
    }

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        switch state.screen {
        case .main: return MainView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        case .history: return HistoryScreenView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        case .settings: return SettingsView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        case .stats: return StatsView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        }
    }
}
