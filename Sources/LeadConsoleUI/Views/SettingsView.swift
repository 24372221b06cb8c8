import ConsoleState
import Foundation
import ParamantraAPI

/// The settings screen: where the endpoint, the API key and the form's defaults are fixed.
/// The key is drawn masked (at most its last four characters) unless revealed with Ctrl-R;
/// values given by PARAMANTRA_* variables are shown read-only with their source.
public enum SettingsView {
    static func label(_ key: Settings.Key) -> String { key.label }

    static let footer = Footer(
        .dotted(
            FooterEntry("Ctrl-S save", .control("s")), FooterEntry("Esc cancel", .escape),
            FooterEntry("Ctrl-R show/hide key", .control("r")), FooterEntry("Tab next", .tab),
            FooterEntry("F1 help", .function(1))),
        .spaced(
            FooterEntry("^S save", .control("s")), FooterEntry("Esc cancel", .escape),
            FooterEntry("^R show/hide key", .control("r")), FooterEntry("Tab next", .tab),
            FooterEntry("F1 help", .function(1))))

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        Chrome.screen(state, columns: columns, rows: rows, theme: theme, now: now) { buffer in
            if let form = state.settingsForm { drawBody(&buffer, state, form, theme: theme) }
            return footer
        }
    }

    static func drawBody(_ buffer: inout ScreenBuffer, _ state: AppState, _ form: SettingsForm, theme: Theme) {
        let (columns, rows) = (buffer.columns, buffer.rows)
        buffer.write(" Settings", column: 0, row: 1, style: CellStyle(bold: true))
        let labelWidth = 17
        let valueWidth = columns - labelWidth - 2
        var row = 2
        if let notice = form.notice {
            for line in Chrome.wrap(notice, width: columns - 2).prefix(2) {
                buffer.write(line, column: 1, row: row, style: theme.warning)
                row += 1
            }
        }
        for key in SettingsForm.fields where row < rows - 3 {
            if key == .defaultSubject {
                buffer.write("Defaults for each new lead", column: 1, row: row, style: CellStyle(bold: true))
                row += 1
            }
            buffer.mark(row: row, columns: 0..<columns, .setting(key))
            if SettingsForm.required.contains(key) { buffer.write("*", column: 1, row: row, style: theme.required) }
            buffer.write(label(key), column: 2, row: row, style: theme.label, maxWidth: labelWidth - 2)
            let focused = form.focus == key
            let source = state.environmentSources[key]
            let style = focused ? theme.focused : source != nil ? theme.dim : CellStyle(underline: true)
            buffer.fill(column: labelWidth, row: row, width: valueWidth, style: style)
            let raw = TerminalText.clean(form.values[key] ?? "")
            var value = raw
            var caret = min(form.caret, raw.count)
            if key == .apiKey && !form.revealKey {
                // Masked: dots for all but the last four characters (none of a short key).
                value =
                    raw.isEmpty
                    ? ""
                    : String(repeating: "•", count: max(0, min(raw.count, 24) - 4)) + APIKey(raw).masked.dropFirst(4)
                caret = value.count
            }
            if key.isFlag {
                value = value == "true" ? "[x] yes" : "[ ] no"
                caret = 1
            } else if let choices = SettingsForm.choices(key) {
                // Every option on show, the chosen one marked: "(•) ten-digits  ( ) 91-ten-digits".
                value = choices.map { ($0 == raw ? "(•) " : "( ) ") + $0 }.joined(separator: "  ")
                caret =
                    1
                    + (choices.firstIndex(of: raw).map { index in
                        choices.prefix(index).reduce(0) { $0 + $1.count + 6 }
                    } ?? 0)
            }
            if let source { value += "  (\(source), read-only)" }
            let window = FieldWindow.of(value, caret: source != nil ? 0 : caret, width: valueWidth)
            buffer.write(window.text, column: labelWidth, row: row, style: style, maxWidth: valueWidth)
            if focused {
                buffer.cursor = source != nil ? nil : CursorPosition(column: labelWidth + window.caretColumn, row: row)
            }
            row += 1
            if let problem = form.problems[key] {
                for line in Chrome.wrap("↳ " + problem, width: valueWidth).prefix(2) where row < rows - 3 {
                    buffer.write(line, column: labelWidth, row: row, style: theme.problem)
                    row += 1
                }
            }
            if key == .endpoint, let url = Credentials.endpoint(from: form.values[.endpoint] ?? ""),
                url.scheme?.lowercased() == "http",
                !(Credentials(endpoint: url, apiKey: APIKey(""), appName: "").isLoopback), row < rows - 3
            {
                buffer.write(
                    "↳ plain http: the API key would travel unencrypted", column: labelWidth, row: row,
                    style: theme.warning, maxWidth: valueWidth)
                row += 1
            }
        }
    }
}
