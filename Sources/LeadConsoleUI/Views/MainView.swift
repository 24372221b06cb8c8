import ConsoleState
import Foundation
import ParamantraAPI

/// The main screen: the lead form, the history pane (right of the form on wide terminals, below
/// it on narrow ones), the status line on top, a banner and the keys at the bottom. A pure
/// function of the state and the size; the pane draws only the rows that fit, whatever the
/// length of the history.
public enum MainView {
    public static let minimumColumns = 60
    public static let minimumRows = 18
    /// From this width the history pane sits beside the form.
    public static let wideColumns = 100

    /// The order of the form's fields, as a rep fills them in: a walk-in is a name, Tab, a phone,
    /// Ctrl-S (the last name, when it matters, is one Tab further).
    public static let formFields: [LeadField] = [
        .firstName, .phone, .lastName, .email, .project, .notes, .subject, .channel, .rep, .alertClient, .alertRep
    ]
    static let labelWidth = 17

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        Chrome.screen(state, columns: columns, rows: rows, theme: theme, now: now) { buffer in
            drawBody(&buffer, state, theme: theme, now: now)
            return footer(state)
        }
    }

    /// The keys row: on an alert field Space toggles it, elsewhere F5 retries.
    static func footer(_ state: AppState) -> Footer {
        let onAlert = state.form.focus == .alertClient || state.form.focus == .alertRep
        let second = onAlert ? FooterEntry("Space toggle", .character(" ")) : FooterEntry("F5 retry", .function(5))
        let short = onAlert ? FooterEntry("Spc toggle", .character(" ")) : second
        let send = FooterEntry("Ctrl-S send", .control("s"))
        let sendShort = FooterEntry("^S send", .control("s"))
        let history = FooterEntry("F3 history", .function(3))
        let settings = FooterEntry("F4 settings", .function(4))
        let stats = FooterEntry("F6 stats", .function(6))
        let help = FooterEntry("F1 help", .function(1))
        let quit = FooterEntry("F10 quit", .function(10))
        return Footer(
            .dotted(send, second, history, settings, stats, help, quit),
            .dotted(sendShort, second, history, settings, stats, help, quit),
            .dotted(sendShort, second, history, settings, help, quit),
            .spaced(
                sendShort, short, FooterEntry("F3 list", .function(3)), FooterEntry("F4 setup", .function(4)), help,
                quit))
    }

    static func drawBody(_ buffer: inout ScreenBuffer, _ state: AppState, theme: Theme, now: Date) {
        let (columns, rows) = (buffer.columns, buffer.rows)
        if columns >= wideColumns {
            let formWidth = min(64, columns / 2)
            let fit = formLayout(state.form, width: formWidth, rows: rows - 3, now: now)
            drawForm(
                &buffer, state.form, x: 0, y: 1, width: formWidth, lastRow: rows - 3, notesRows: fit.notesRows,
                problemLines: fit.problemLines, theme: theme, now: now, kept: FormState.keptFields(state.settings),
                completion: completion(state))
            for row in 1..<(rows - 2) { buffer.write("│", column: formWidth, row: row, style: theme.dim) }
            drawPane(
                &buffer, state, x: formWidth + 1, y: 1, width: columns - formWidth - 1, height: rows - 3, framed: false,
                theme: theme, now: now)
        } else {
            // Narrow: the form on top, at least a title and two leads of history below it.
            let fit = formLayout(state.form, width: columns, rows: rows - 6, now: now)
            let formEnd = drawForm(
                &buffer, state.form, x: 0, y: 1, width: columns, lastRow: rows - 6, notesRows: fit.notesRows,
                problemLines: fit.problemLines, theme: theme, now: now, kept: FormState.keptFields(state.settings),
                completion: completion(state))
            drawPane(
                &buffer, state, x: 0, y: formEnd, width: columns, height: rows - 2 - formEnd, framed: true,
                theme: theme, now: now)
        }
    }

    /// The completion of the focused field from the values used before, if any (the rule
    /// Ctrl-S asks by: `AppState.visibleCompletion`).
    static func completion(_ state: AppState) -> String? {
        state.visibleCompletion?.completion
    }

    /// What shows under the phone: the warning of a Ctrl-S that found the phone sent before, else
    /// the returning customer's card (nothing for a new customer).
    static func phoneNote(_ form: FormState, now: Date) -> String? {
        if let warning = form.duplicateWarning { return warning }
        guard case .returning(let customer) = form.customer else { return nil }
        return CustomerCard.text(customer, now: now)
    }

    static func drawTooSmall(_ buffer: inout ScreenBuffer, theme: Theme) {
        let message =
            "Please enlarge the terminal (at least \(minimumColumns)x\(minimumRows); now \(buffer.columns)x\(buffer.rows))"
        let lines = Chrome.wrap(message, width: buffer.columns)
        let top = max(0, (buffer.rows - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (buffer.columns - DisplayWidth.of(line)) / 2)
            buffer.write(line, column: x, row: top + index, style: theme.warning)
        }
    }

    /// How tall Notes and the problem notes may be so that every field fits in `rows`: roomy
    /// first (three rows of notes, problems wrapped on three lines), tighter when space is short.
    static func formLayout(_ form: FormState, width: Int, rows: Int, now: Date) -> (notesRows: Int, problemLines: Int) {
        let valueWidth = width - labelWidth - 1
        func height(_ notesRows: Int, _ problemLines: Int) -> Int {
            var notes = form.problems.values.map { Chrome.wrap("↳ " + $0.message, width: valueWidth).count }
            if let note = phoneNote(form, now: now) {
                notes.append(Chrome.wrap("↳ " + note, width: valueWidth).count)
            }
            return formFields.count - 1 + notesRows + notes.reduce(0) { $0 + min($1, problemLines) }
        }
        for (notesRows, problemLines) in [(3, 3), (3, 1), (1, 1)] where height(notesRows, problemLines) <= rows {
            return (notesRows, problemLines)
        }
        return (1, 1)
    }

    /// Draws the fields from row `y` down to `lastRow` at most; returns the first row after them.
    @discardableResult
    static func drawForm(
        _ buffer: inout ScreenBuffer, _ form: FormState, x: Int, y: Int, width: Int, lastRow: Int, notesRows: Int,
        problemLines: Int = 3, theme: Theme, now: Date, kept: Set<LeadField> = [], completion: String? = nil
    ) -> Int {
        var row = y
        let valueX = x + labelWidth
        let valueWidth = width - labelWidth - 1
        for field in formFields where row <= lastRow {
            let focused = form.focus == field
            let style = focused ? theme.focused : CellStyle(underline: true)
            buffer.mark(row: row, columns: x..<(x + width), .field(field))
            buffer.write(field.isRequired ? "*" : " ", column: x + 1, row: row, style: theme.required)
            buffer.write(field.label, column: x + 2, row: row, style: theme.label, maxWidth: labelWidth - 2)
            // ↺: this value stays for the next lead.
            if kept.contains(field) { buffer.write("↺", column: x, row: row, style: theme.dim) }
            switch field {
            case .alertClient, .alertRep:
                buffer.fill(column: valueX, row: row, width: 8, style: style)
                let on = field == .alertClient ? form.lead.alertClient : form.lead.alertRep
                buffer.write(on ? "[x] yes" : "[ ] no", column: valueX, row: row, style: style)
                if focused { buffer.cursor = CursorPosition(column: valueX + 1, row: row) }
                row += 1
            case .notes:
                row = drawNotes(
                    &buffer, form, x: valueX, y: row, width: valueWidth, height: min(notesRows, lastRow - row + 1),
                    theme: theme)
            default:
                buffer.fill(column: valueX, row: row, width: valueWidth, style: style)
                let window = FieldWindow.of(
                    TerminalText.clean(form.lead[field]), caret: focused ? form.caret : form.lead[field].count,
                    width: valueWidth)
                buffer.write(window.text, column: valueX, row: row, style: style, maxWidth: valueWidth)
                if focused { buffer.cursor = CursorPosition(column: valueX + window.caretColumn, row: row) }
                // The rest of a value used before, after what is typed (Tab or Right takes it).
                if focused, let completion, form.caret == form.lead[field].count {
                    let rest = TerminalText.clean(String(completion.dropFirst(form.lead[field].count)))
                    let used = DisplayWidth.of(window.text)
                    buffer.write(
                        rest, column: valueX + used, row: row, style: theme.completion,
                        maxWidth: max(0, valueWidth - used))
                }
                row += 1
            }
            var notes: [(String, CellStyle)] = []
            if let problem = form.problems[field] {
                notes.append((problem.message, problem.severity == .error ? theme.problem : theme.warning))
            }
            if field == .phone, let note = phoneNote(form, now: now) { notes.append((note, theme.warning)) }
            for (text, style) in notes {
                // Problems wrap under the field rather than lose their end (cut to one line only
                // when the terminal is too short for every field otherwise).
                let lines = Chrome.wrap("↳ " + text, width: valueWidth)
                let shown = lines.count > problemLines ? [LeadRow.clip("↳ " + text, valueWidth)] : lines
                for line in shown where row <= lastRow {
                    buffer.write(line, column: valueX, row: row, style: style, maxWidth: valueWidth)
                    row += 1
                }
            }
        }
        return row
    }

    /// Notes take several rows; the rows around the caret's line are shown.
    static func drawNotes(
        _ buffer: inout ScreenBuffer, _ form: FormState, x: Int, y: Int, width: Int, height: Int, theme: Theme
    ) -> Int {
        let focused = form.focus == .notes
        let style = focused ? theme.focused : CellStyle(underline: true)
        let text = form.lead.notes
        let caret = focused ? min(form.caret, text.count) : text.count
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Which line the caret is on, and where in it.
        var caretLine = 0
        var caretInLine = caret
        for (index, line) in lines.enumerated() {
            if caretInLine <= line.count {
                caretLine = index
                break
            }
            caretInLine -= line.count + 1
        }
        let first = max(0, min(caretLine - height + 1, lines.count - height))
        for offset in 0..<max(1, height) {
            let row = y + offset
            buffer.fill(column: x, row: row, width: width, style: style)
            let index = first + offset
            guard lines.indices.contains(index) else { continue }
            let line = TerminalText.clean(lines[index], keepTabs: false)
            let window = FieldWindow.of(line, caret: index == caretLine ? caretInLine : 0, width: width)
            buffer.write(window.text, column: x, row: row, style: style, maxWidth: width)
            if focused && index == caretLine {
                buffer.cursor = CursorPosition(column: x + window.caretColumn, row: row)
            }
        }
        // More lines above or below than fit: say so at the label.
        if lines.count > height {
            buffer.write("(\(lines.count) lines)", column: 2, row: y + min(1, height - 1), style: theme.dim)
        }
        return y + max(1, height)
    }

    /// The live history: time, name, phone and the state in words, newest first.
    static func drawPane(
        _ buffer: inout ScreenBuffer, _ state: AppState, x: Int, y: Int, width: Int, height: Int, framed: Bool,
        theme: Theme, now: Date
    ) {
        guard height > 0, width > 10 else { return }
        let history = state.historyPane
        let counts = [LeadState.accepted, .duplicate, .queued, .sending, .rejected, .held]
            .compactMap { state in history.counts[state].flatMap { $0 > 0 ? "\($0) \(state.rawValue)" : nil } }
        var title = " History (F3) " + (counts.isEmpty ? "" : counts.joined(separator: " · ") + " ")
        if framed {
            buffer.fill(column: x, row: y, width: width, style: theme.dim, character: "─")
            title = "─" + title
        }
        buffer.write(title, column: x, row: y, style: CellStyle(bold: true), maxWidth: width)
        // Only the rows that fit are drawn: the cost is the pane's height, not the history's length.
        let visible = history.rows.prefix(max(0, height - 1))
        if visible.isEmpty {
            buffer.write(
                history.loaded ? "No leads yet" : "Loading the history…", column: x + 1, row: y + 1, style: theme.dim,
                maxWidth: width - 1)
        }
        // Each row's words once per frame: they size the column and fill it.
        let labels = visible.map { StateLabel.of($0, now: now) }
        let labelWidth = LeadRow.labelWidth(width - 1, rows: visible, labels: labels)
        for (index, lead) in visible.enumerated() {
            buffer.mark(row: y + 1 + index, columns: x..<(x + width), .paneRow(lead.id))
            LeadRow.draw(
                &buffer, lead, x: x + 1, row: y + 1 + index, width: width - 1, selected: lead.id == history.selectedID,
                theme: theme, now: now,
                labelWidth: labelWidth, label: labels[index])
        }
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

/// One lead on one row, as the pane and the history screen show it:
/// `14:05 José Fernandes  9876543210  accepted #2882`.
enum LeadRow {
    static func draw(
        _ buffer: inout ScreenBuffer, _ lead: StoredLead, x: Int, row: Int, width: Int, selected: Bool, theme: Theme,
        now: Date, labelWidth: Int, label: String
    ) {
        let showTime = width >= 40  // the label width leaves the time its 6 cells
        let nameWidth = width - labelWidth - 12 - (showTime ? 6 : 0)
        let name = name(lead)
        let base = selected ? theme.focused : theme.label
        if selected { buffer.fill(column: x, row: row, width: width, style: base) }
        var column = x
        if showTime {
            buffer.write(
                Clock.short(lead.createdAt, now: now), column: column, row: row, style: selected ? base : theme.dim)
            column += 6
        }
        buffer.write(
            clip(name.isEmpty ? "-" : name, nameWidth - 1), column: column, row: row, style: base,
            maxWidth: nameWidth - 1)
        column += nameWidth
        buffer.write(lead.phone, column: column, row: row, style: base, maxWidth: 10)
        column += 12
        var stateStyle = theme.state(lead.state)
        if selected { stateStyle.reverse = true }
        buffer.write(
            clip(label, x + width - column), column: column, row: row, style: stateStyle, maxWidth: x + width - column)
    }

    /// The state column: as wide as the longest state drawn needs, at least 16 cells, at most 40,
    /// and never so wide that a name gets fewer cells than it needs (up to 14); the name takes
    /// what is left. Computed over the rows on screen only.
    static func labelWidth(_ width: Int, rows: some Collection<StoredLead>, labels: [String]) -> Int {
        let longest = labels.map { DisplayWidth.of($0) }.max() ?? 0
        let longestName = rows.map { DisplayWidth.of(name($0)) }.max() ?? 0
        // Time, phone and gaps take 18 cells; a name keeps what it needs, up to 14.
        return max(16, min(longest + 1, 40, width - 18 - min(max(longestName, 1) + 1, 14)))
    }

    static func name(_ lead: StoredLead) -> String {
        TerminalText.clean(
            [lead.lead.firstName, lead.lead.lastName].filter { !$0.isEmpty }.joined(separator: " "), invisibles: .show)
    }

    /// `text` cut to `cells` with "…" when it does not fit.
    static func clip(_ text: String, _ cells: Int) -> String {
        guard cells > 0 else { return "" }
        if DisplayWidth.of(text) <= cells { return text }
        return DisplayWidth.prefix(text, fitting: cells - 1).text + "…"
    }
}
