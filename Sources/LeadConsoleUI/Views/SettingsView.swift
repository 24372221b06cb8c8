import LeadStore
import ParamantraAPI

/// The settings screen: where the endpoint, the API key and the form's defaults are fixed.
/// The key is drawn masked (at most its last four characters) unless revealed with F3.
public enum SettingsView {
    static func label(_ key: Settings.Key) -> String {
        switch key {
        case .endpoint: return "Endpoint URL"
        case .apiKey: return "API key"
        case .appName: return "App name"
        case .defaultSubject: return "Subject"
        case .defaultChannel: return "Channel"
        case .defaultRep: return "Rep"
        case .defaultProject: return "Project"
        case .alertClient: return "Alert customer"
        case .alertRep: return "Alert rep"
        case .phoneFormat: return "Phone on wire"
        }
    }

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme) -> ScreenBuffer {
        var buffer = ScreenBuffer(columns: columns, rows: rows)
        guard columns >= MainView.minimumColumns, rows >= MainView.minimumRows, let form = state.settingsForm else {
            MainView.drawTooSmall(&buffer, theme: theme)
            return buffer
        }
        buffer.fill(column: 0, row: 0, width: columns, style: theme.title)
        buffer.write(" LeadConsole — Settings", column: 0, row: 0, style: theme.title)
        let labelWidth = 17
        let valueWidth = columns - labelWidth - 2
        var row = 2
        for key in SettingsForm.fields where row < rows - 3 {
            if key == .defaultSubject {
                buffer.write("Defaults for each new lead", column: 1, row: row, style: CellStyle(bold: true))
                row += 1
            }
            buffer.write(label(key), column: 2, row: row, style: theme.label, maxWidth: labelWidth - 2)
            let focused = form.focus == key
            let style = focused ? theme.focused : CellStyle(underline: true)
            buffer.fill(column: labelWidth, row: row, width: valueWidth, style: style)
            var value = TerminalText.clean(form.values[key] ?? "")
            if key == .apiKey && !form.revealKey {
                value = value.isEmpty ? "" : String(repeating: "•", count: max(0, min(value.count, 24) - 4)) + APIKey(value).masked.dropFirst(4)
            }
            if key == .alertClient || key == .alertRep { value = value == "true" ? "[x] yes" : "[ ] no" }
            let used = buffer.write(MainView.tail(value, fitting: valueWidth - 1), column: labelWidth, row: row, style: style, maxWidth: valueWidth)
            if focused { buffer.cursor = CursorPosition(column: labelWidth + used, row: row) }
            row += 1
            if let problem = form.problems[key] {
                for line in MainView.wrap("↳ " + problem, width: valueWidth).prefix(2) where row < rows - 3 {
                    buffer.write(line, column: labelWidth, row: row, style: theme.problem)
                    row += 1
                }
            }
            if key == .endpoint, let url = Credentials.endpoint(from: form.values[.endpoint] ?? ""), url.scheme?.lowercased() == "http",
               !(Credentials(endpoint: url, apiKey: APIKey(""), appName: "").isLoopback) {
                buffer.write("↳ plain http: the API key would travel unencrypted", column: labelWidth, row: row, style: theme.warning, maxWidth: valueWidth)
                row += 1
            }
        }
        let keys = "Ctrl-S save · Esc cancel · F3 show/hide key · Tab move · Space toggles"
        buffer.fill(column: 0, row: rows - 1, width: columns, style: theme.title)
        buffer.write(keys, column: 1, row: rows - 1, style: theme.title, maxWidth: columns - 2)
        return buffer
    }
}
