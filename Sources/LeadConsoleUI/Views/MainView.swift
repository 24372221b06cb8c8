import Foundation
import LeadStore
import ParamantraAPI

/// The main screen: the lead form on the left, the history pane on the right, the delivery line
/// on top, banners and keys at the bottom. A pure function of the state and the size; it draws
/// only the rows that fit, whatever the length of the history.
public enum MainView {
    public static let minimumColumns = 60
    public static let minimumRows = 18

    /// The order of the form's fields, as a rep fills them in.
    public static let formFields: [LeadField] = [
        .firstName, .lastName, .phone, .email, .project, .notes, .subject, .channel, .rep, .alertClient, .alertRep,
    ]

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date = Date()) -> ScreenBuffer {
        var buffer = ScreenBuffer(columns: columns, rows: rows)
        guard columns >= minimumColumns, rows >= minimumRows else {
            drawTooSmall(&buffer, theme: theme)
            return buffer
        }
        let formWidth = min(56, max(40, columns * 11 / 20))
        drawStatusLine(&buffer, state, theme: theme, now: now)
        drawForm(&buffer, state.form, x: 0, y: 1, width: formWidth, theme: theme)
        drawHistory(&buffer, state.history, x: formWidth + 1, y: 1, width: columns - formWidth - 1, height: rows - 3, theme: theme)
        drawBottom(&buffer, state, theme: theme)
        return buffer
    }

    static func drawTooSmall(_ buffer: inout ScreenBuffer, theme: Theme) {
        let message = "Please enlarge the terminal (at least \(minimumColumns)x\(minimumRows); now \(buffer.columns)x\(buffer.rows))"
        let lines = wrap(message, width: buffer.columns)
        let top = max(0, (buffer.rows - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (buffer.columns - DisplayWidth.of(line)) / 2)
            buffer.write(line, column: x, row: top + index, style: theme.warning)
        }
    }

    static func drawStatusLine(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme, now: Date) {
        buffer.fill(column: 0, row: 0, width: buffer.columns, style: theme.title)
        let text: String
        switch state.delivery {
        case .idle: text = " LeadConsole — all leads delivered"
        case .waiting(let queued, let next):
            let wait = next.map { max(0, Int($0.timeIntervalSince(now).rounded())) }
            text = " LeadConsole — \(queued) waiting" + (wait.map { $0 > 0 ? ", next try in \($0) s" : ", sending" } ?? "")
        case .held(let message): text = " LeadConsole — HELD: \(message)"
        }
        buffer.write(text, column: 0, row: 0, style: theme.title)
    }

    static func drawForm(_ buffer: inout ScreenBuffer, _ form: FormState, x: Int, y: Int, width: Int, theme: Theme) {
        let labelWidth = 17
        var row = y + 1
        for field in formFields where row < buffer.rows - 3 {
            let mark = field.isRequired ? "*" : " "
            buffer.write(mark, column: x + 1, row: row, style: theme.required)
            buffer.write(field.label, column: x + 2, row: row, style: theme.label, maxWidth: labelWidth - 2)
            let valueX = x + labelWidth
            let valueWidth = width - labelWidth - 1
            let focused = form.focus == field
            buffer.fill(column: valueX, row: row, width: valueWidth, style: focused ? theme.focused : CellStyle(underline: true))
            let value: String
            switch field {
            case .alertClient: value = form.lead.alertClient ? "[x] yes" : "[ ] no"
            case .alertRep: value = form.lead.alertRep ? "[x] yes" : "[ ] no"
            // Notes show their last line; the field grows in its own editor.
            case .notes: value = form.lead.notes.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            default: value = form.lead[field]
            }
            // The end of a long value stays visible while typing.
            let shown = tail(TerminalText.clean(value), fitting: valueWidth - 1)
            let used = buffer.write(shown, column: valueX, row: row, style: focused ? theme.focused : CellStyle(underline: true), maxWidth: valueWidth)
            if focused { buffer.cursor = CursorPosition(column: valueX + used, row: row) }
            row += 1
            var notes: [(String, CellStyle)] = []
            if let problem = form.problems[field] {
                notes.append((problem.message, problem.severity == .error ? theme.problem : theme.warning))
            }
            if field == .phone, let warning = form.duplicateWarning { notes.append((warning, theme.warning)) }
            for (text, style) in notes {
                // Problems wrap under the field (three lines at most) rather than lose their end.
                for line in wrap("↳ " + text, width: valueWidth).prefix(3) where row < buffer.rows - 3 {
                    buffer.write(line, column: valueX, row: row, style: style, maxWidth: valueWidth)
                    row += 1
                }
            }
        }
    }

    static func drawHistory(_ buffer: inout ScreenBuffer, _ history: HistoryState, x: Int, y: Int, width: Int, height: Int, theme: Theme) {
        for row in y..<(y + height) { buffer.write("│", column: x - 1, row: row, style: theme.dim) }
        let counts = [LeadState.accepted, .duplicate, .queued, .rejected, .held]
            .compactMap { state in history.counts[state].flatMap { $0 > 0 ? "\($0) \(state.rawValue)" : nil } }
        let title = " History" + (history.filter.map { " (\($0.rawValue))" } ?? "") + (history.search.isEmpty ? "" : " “\(history.search)”")
        buffer.write(title, column: x, row: y, style: CellStyle(bold: true), maxWidth: width)
        buffer.write(counts.joined(separator: " · "), column: x + 1, row: y + 1, style: theme.dim, maxWidth: width - 1)
        // Only the rows that fit are drawn: the cost is the pane's height, not the history's length.
        let visible = history.rows.prefix(max(0, height - 2))
        if visible.isEmpty {
            buffer.write("No leads yet", column: x + 1, row: y + 2, style: theme.dim, maxWidth: width - 1)
        }
        for (index, lead) in visible.enumerated() {
            let row = y + 2 + index
            let label = lead.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            buffer.write(label, column: x + 1, row: row, style: theme.state(lead.state))
            let name = TerminalText.clean([lead.lead.firstName, lead.lead.lastName].filter { !$0.isEmpty }.joined(separator: " "))
            var detail = "\(lead.phone) \(name.isEmpty ? "-" : name)"
            if let crm = lead.crmID { detail += " #\(TerminalText.clean(crm))" }
            buffer.write(detail, column: x + 11, row: row, style: theme.label, maxWidth: width - 11)
        }
    }

    static func drawBottom(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme) {
        if let banner = state.banners.last {
            buffer.write(banner.text, column: 1, row: buffer.rows - 2, style: theme.banner(banner.kind), maxWidth: buffer.columns - 2)
        }
        let keys = "Ctrl-S send · Tab move · Space toggle · F2 settings · F5 retry · Ctrl-Q quit"
        buffer.fill(column: 0, row: buffer.rows - 1, width: buffer.columns, style: theme.title)
        buffer.write(keys, column: 1, row: buffer.rows - 1, style: theme.title, maxWidth: buffer.columns - 2)
    }

    /// Splits `text` at spaces into lines of at most `width` cells (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = String(DisplayWidth.prefix(word, fitting: width).text)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The end of `text` that fits in `cells` (what is being typed stays in view).
    static func tail(_ text: String, fitting cells: Int) -> String {
        if DisplayWidth.of(text) <= cells { return text }
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text.index(before: start)
            let width = DisplayWidth.of(text[previous])
            if used + width > cells - 1 { break }
            used += width
            start = previous
        }
        return "…" + text[start...]
    }
}
