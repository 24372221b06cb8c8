import Foundation
import LeadStore

/// The console's loop: draw the state, read keys, send actions. Draws only when the state or
/// the size changed; a key costs one reduce and one diff of the screen, whatever the history.
public enum Console {
    public static func run(store: Store, terminal: CursesTerminal, theme: Theme) async {
        var drawn: (state: AppState, columns: Int, rows: Int)?
        while !Task.isCancelled {
            let state = await store.state
            let (columns, rows) = terminal.size
            if drawn == nil || drawn!.state != state || drawn!.columns != columns || drawn!.rows != rows {
                terminal.draw(state.screen == .settings
                    ? SettingsView.render(state, columns: columns, rows: rows, theme: theme)
                    : MainView.render(state, columns: columns, rows: rows, theme: theme))
                drawn = (state, columns, rows)
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
            let result = state.screen == .settings ? KeyMap.settings(key, state) : KeyMap.main(key, state)
            if result.quit { return }
            for action in result.actions { await store.send(action) }
        }
    }
}
