import Foundation
import LeadStore

/// The console's loop: draw the state, read keys, send actions. A frame is built when the state
/// or the size changed, and at least every half second so countdowns ("retry in 40s") move; the
/// backend writes only the cells that differ. A key costs one reduce and one frame, whatever the
/// size of the history.
public enum Console {
    public static func run(store: Store, terminal: some TerminalBackend, theme: Theme, clock: @Sendable () -> Date = Date.init) async {
        var drawn: (state: AppState, columns: Int, rows: Int, at: Date)?
        while !Task.isCancelled {
            let state = await store.state
            let (columns, rows) = terminal.size
            let now = clock()
            if drawn == nil || drawn!.state != state || drawn!.columns != columns || drawn!.rows != rows
                || now.timeIntervalSince(drawn!.at) >= 0.5 {
                terminal.draw(render(state, columns: columns, rows: rows, theme: theme, now: now))
                drawn = (state, columns, rows, now)
                // The history screen pages by its height: tell the store when it changes.
                let listHeight = HistoryView.listHeight(rows: rows)
                if state.browser.visibleRows != listHeight { await store.send(.browserViewport(rows: listHeight)) }
                if let detail = state.browser.detail {
                    let maxScroll = HistoryView.detailMaxScroll(detail, columns: columns, rows: rows)
                    if detail.maxScroll != maxScroll { await store.send(.detailViewport(maxScroll: maxScroll)) }
                }
            }
            // A short non-blocking read, then a short sleep: the cooperative pool is never held,
            // and delivery results show up without a key press.
            guard let key = terminal.readKey(timeout: 0) else {
                try? await Task.sleep(for: .milliseconds(15))
                continue
            }
            if key == .resize {
                drawn = nil
                continue
            }
            let quit = await store.send { current in
                let result = KeyMap.handle(key, current)
                return (result.quit, result.actions)
            }
            if quit { return }
        }
    }

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        switch state.screen {
        case .main: return MainView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        case .history: return HistoryView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        case .settings: return SettingsView.render(state, columns: columns, rows: rows, theme: theme, now: now)
        }
    }
}
