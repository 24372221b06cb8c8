import ConsoleState
import Foundation
import ParamantraAPI

/// The history screen (F3): every lead, newest first, paged from the database; search, a state
/// filter, and a detail view of one lead with every attempt and the server's raw answer.
public enum HistoryScreenView {
    /// Rows the list shows at this terminal height (the console reports it to the store).
    public static func listHeight(rows: Int) -> Int { max(1, rows - 5) }

    static let detailFooter = Footer(
        .dotted(
            FooterEntry("Up/Down scroll", nil), FooterEntry("r send again", .character("r")),
            FooterEntry("e edit in the form", .character("e")), FooterEntry("Esc back", .escape),
            FooterEntry("F1 help", .function(1))),
        .spaced(
            FooterEntry("↑↓ scroll", nil), FooterEntry("r send again", .character("r")),
            FooterEntry("e edit", .character("e")), FooterEntry("Esc back", .escape),
            FooterEntry("F1 help", .function(1))))

    static let listFooter: Footer = {
        let details = FooterEntry("Enter details", .enter)
        let search = FooterEntry("/ search", .character("/"))
        let filter = FooterEntry("f filter", .character("f"))
        let resend = FooterEntry("r resend", .character("r"))
        let edit = FooterEntry("e edit", .character("e"))
        let back = FooterEntry("Esc back", .escape)
        let help = FooterEntry("F1 help", .function(1))
        return Footer(
            .dotted(
                details, search, filter, FooterEntry("0 all 1 queued 3 held 4 rejected 5 accepted", nil), resend, edit,
                back),
            .dotted(details, search, FooterEntry("f or 0-6 filter", .character("f")), resend, edit, back),
            .spaced(details, search, filter, resend, edit, back, help),
            .spaced(
                FooterEntry("Enter info", .enter), FooterEntry("/ find", .character("/")), filter, resend, edit, back,
                help))
    }()

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        let historyScreen = state.historyScreen
        return Chrome.screen(
            state, columns: columns, rows: rows, theme: theme, now: now,
            prompt: { buffer in drawSearchPrompt(&buffer, historyScreen.searchDraft, theme: theme) },
            body: { buffer in
                if let detail = historyScreen.detail {
                    drawDetail(&buffer, detail, theme: theme, now: now)
                    return detailFooter
                }
                drawList(&buffer, state, theme: theme, now: now)
                return listFooter
            })
    }

    /// The search being typed, on the message line.
    static func drawSearchPrompt(_ buffer: inout ScreenBuffer, _ draft: String?, theme: Theme) {
        guard let draft else { return }
        let (columns, row) = (buffer.columns, buffer.rows - 2)
        buffer.fill(column: 0, row: row, width: columns, style: .plain)
        let prompt = "Search name, phone or email (Enter applies, Esc cancels): "
        let used = buffer.write(prompt, column: 1, row: row, style: CellStyle(bold: true))
        let window = FieldWindow.of(draft, caret: draft.count, width: columns - used - 2)
        buffer.write(window.text, column: 1 + used, row: row, style: theme.focused)
        buffer.cursor = CursorPosition(column: 1 + used + window.caretColumn, row: row)
    }

    static func drawList(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme, now: Date) {
        let historyScreen = state.historyScreen
        let total =
            historyScreen.filter.map { state.historyPane.counts[$0, default: 0] }
            ?? state.historyPane.counts.values.reduce(0, +)
        var title = " History · " + (historyScreen.filter.map { "only \($0.rawValue)" } ?? "all states")
        if !historyScreen.search.isEmpty {
            title += " · matching “\(TerminalText.clean(historyScreen.search))”"
        } else {
            title += " · \(total) lead" + (total == 1 ? "" : "s")
        }
        buffer.write(title, column: 0, row: 1, style: CellStyle(bold: true), maxWidth: buffer.columns)
        let width = buffer.columns - 2
        let height = listHeight(rows: buffer.rows)
        if historyScreen.rows.isEmpty {
            let empty =
                historyScreen.loading
                ? "Loading…"
                : historyScreen.search.isEmpty && historyScreen.filter == nil ? "No leads yet" : "No lead matches"
            buffer.write(empty, column: 1, row: 3, style: theme.dim)
            return
        }
        let end = min(historyScreen.rows.count, historyScreen.top + height)
        let shown = historyScreen.rows[historyScreen.top..<max(historyScreen.top, end)]
        // Each row's words once per frame: they size the column, fill it, and show whole below.
        let labels = Dictionary(
            uniqueKeysWithValues: shown.indices.map { ($0, StateLabel.of(historyScreen.rows[$0], now: now)) })
        let labelWidth = LeadRow.labelWidth(width, rows: shown, labels: Array(labels.values))
        buffer.write(header(width: width, labelWidth: labelWidth), column: 1, row: 2, style: theme.dim, maxWidth: width)
        for index in shown.indices {
            buffer.mark(row: 3 + index - historyScreen.top, columns: 1..<(1 + width), .listRow(index))
            LeadRow.draw(
                &buffer, historyScreen.rows[index], x: 1, row: 3 + index - historyScreen.top, width: width,
                selected: index == historyScreen.selected, theme: theme, now: now, labelWidth: labelWidth,
                label: labels[index] ?? "")
        }
        // The selected lead's whole state, when its column cuts it ("rejected (402): Invalid …"),
        // on the message line while no message is showing.
        if state.banners.isEmpty, let lead = historyScreen.selectedLead, let label = labels[historyScreen.selected] {
            if DisplayWidth.of(label) > labelWidth - 1 {
                buffer.write(
                    LeadRow.clip("↳ #\(lead.id) " + label, buffer.columns - 2), column: 1, row: buffer.rows - 2,
                    style: theme.state(lead.state), maxWidth: buffer.columns - 2)
            }
        }
        // Where the window stands: more above or below.
        if historyScreen.hasNewer || historyScreen.top > 0 {
            buffer.write("↑", column: buffer.columns - 1, row: 3, style: theme.dim)
        }
        if historyScreen.hasOlder || end < historyScreen.rows.count {
            buffer.write("↓", column: buffer.columns - 1, row: 2 + height, style: theme.dim)
        }
    }

    /// Column names lined up with `LeadRow`.
    static func header(width: Int, labelWidth: Int) -> String {
        let showTime = width >= 40  // the label width leaves the time its 6 cells
        let nameWidth = width - labelWidth - 12 - (showTime ? 6 : 0)
        return (showTime ? "time  " : "") + "name".padding(toLength: max(0, nameWidth), withPad: " ", startingAt: 0)
            + "phone       state"
    }

    /// How far the detail can scroll at this size: the last line stays at the bottom.
    public static func detailMaxScroll(_ detail: LeadDetail, columns: Int, rows: Int, now: Date) -> Int {
        max(0, detailLines(detail, width: columns - 2, theme: Theme(color: false), now: now).count - (rows - 4))
    }

    static func drawDetail(_ buffer: inout ScreenBuffer, _ detail: LeadDetail, theme: Theme, now: Date) {
        let lines = detailLines(detail, width: buffer.columns - 2, theme: theme, now: now)
        buffer.write(" Lead #\(detail.lead.id)", column: 0, row: 1, style: CellStyle(bold: true))
        let height = buffer.rows - 4
        let first = max(0, min(detail.scroll, lines.count - height))
        for (offset, line) in lines.dropFirst(first).prefix(height).enumerated() {
            buffer.write(line.text, column: 1, row: 2 + offset, style: line.style, maxWidth: buffer.columns - 2)
        }
        if first + height < lines.count {
            buffer.write("↓", column: buffer.columns - 1, row: 1 + height, style: theme.dim)
        }
        if first > 0 { buffer.write("↑", column: buffer.columns - 1, row: 2, style: theme.dim) }
    }

    /// Every field, then each attempt with its time, outcome and the server's answer. Everything
    /// from outside is cleaned; the raw answer was stored escaped and is cleaned again here.
    static func detailLines(_ detail: LeadDetail, width: Int, theme: Theme, now: Date) -> [(
        text: String, style: CellStyle
    )] {
        let lead = detail.lead
        var lines: [(String, CellStyle)] = []
        func field(_ label: String, _ value: String, _ style: CellStyle? = nil) {
            let parts = Chrome.wrap(
                TerminalText.clean(value, keepNewlines: true, invisibles: .show), width: max(10, width - 18))
            for (index, part) in (parts.isEmpty ? [""] : parts).enumerated() {
                lines.append(
                    (
                        (index == 0 ? label : "").padding(toLength: 18, withPad: " ", startingAt: 0) + part,
                        style ?? theme.label
                    ))
            }
        }
        field(
            "State",
            StateLabel.of(lead, now: now) + (lead.uncertain ? " (an answer was lost; the CRM may have had it)" : ""),
            theme.state(lead.state))
        if let crm = lead.crmID { field("CRM id", crm) }
        for leadField in MainView.formFields {
            switch leadField {
            case .alertClient: field(leadField.label, lead.lead.alertClient ? "yes" : "no")
            case .alertRep: field(leadField.label, lead.lead.alertRep ? "yes" : "no")
            default: field(leadField.label, lead.lead[leadField])
            }
        }
        field("Created", Clock.full(lead.createdAt))
        field("Updated", Clock.full(lead.updatedAt))
        if let error = lead.lastError { field("Last error", error) }
        lines.append(("", theme.label))
        lines.append(("Attempts (\(detail.attempts.count))", CellStyle(bold: true)))
        if detail.attempts.isEmpty { lines.append(("  none yet", theme.dim)) }
        for attempt in detail.attempts {
            let status = attempt.httpStatus.map { "HTTP \($0)" } ?? "no answer"
            // A correction (e, Ctrl-S, or a fixed row imported) was never sent: no answer to show.
            let sent = attempt.outcome == OutcomeLabel.edited ? "" : "  \(status)  \(attempt.elapsedMilliseconds) ms"
            lines.append(("  \(Clock.full(attempt.at))  \(attempt.outcome)\(sent)", CellStyle(bold: true)))
            for part in Chrome.wrap(TerminalText.clean(attempt.message), width: max(10, width - 4)) {
                lines.append(("    " + part, theme.label))
            }
            let raw = TerminalText.clean(attempt.rawBody)
            if !raw.isEmpty {
                for part in Chrome.wrap("answer: " + raw, width: max(10, width - 4)).prefix(20) {
                    lines.append(("    " + part, theme.dim))
                }
            }
        }
        return lines
    }
}
