import ConsoleState
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import LeadConsoleUI

@Suite("Main view")
struct MainViewTests {
    init() { DisplayWidth.prepare() }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func lead(_ id: Int64, _ first: String, _ phone: String, _ state: LeadState, crm: String? = nil)
        -> StoredLead
    {
        StoredLead(
            id: id, uuid: UUID(), createdAt: now, updatedAt: now,
            lead: Lead(firstName: first, phone: phone, subject: "s", channel: "c", rep: "r"), phone: phone,
            state: state,
            crmID: crm, attempts: 1, nextAttemptAt: nil,
            lastError: state == .rejected ? "rejected by the CRM (HTTP 402): unknown channel" : nil, uncertain: false)
    }

    static var sample: AppState {
        var settings = Settings()
        settings.defaultSubject = "Walk-in at Expo"
        settings.defaultChannel = "Walk-in"
        settings.defaultRep = "smithparkar"
        settings.apiKey = "key-0123456789"
        settings.appName = "EXPO"
        var state = AppState(settings: settings)
        state.form.lead.firstName = "José"
        state.form.lead.lastName = "नमस्ते"
        state.form.lead.phone = "12345"
        state.form.focus = .email
        state.form.problems[.phone] = FieldProblem(
            .phone, "Phone must have ten digits after the country code (found 5)")
        state.historyPane.rows = [
            lead(3, "山田", "9876543212", .queued), lead(2, "Ravi", "9876543211", .rejected),
            lead(1, "Asha", "9876543210", .accepted, crm: "2882")
        ]
        state.historyPane.counts = [.accepted: 1, .queued: 1, .rejected: 1]
        state.delivery = .waiting(queued: 1, nextAttempt: now.addingTimeInterval(27))
        state.banners = [
            Banner(id: 1, kind: .error, text: "Ravi: rejected: rejected by the CRM (HTTP 402): unknown channel")
        ]
        return state
    }

    @Test func theMainScreenAt80x24PutsTheHistoryBelowTheForm() {
        var state = Self.sample
        state.form.lead.notes = "line one\nline two"
        let buffer = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(
            buffer.lines == [
                " LeadConsole │ 1 waiting, next try in 27s · 1 rejected     cloud.paramantra.com ",
                "  First name     José                                                           ",
                " *Phone          12345                                                          ",
                "                 ↳ Phone must have ten digits after the country code (found 5)  ",
                "  Last name      नमस्ते                                                           ",
                "  Email                                                                         ",
                "↺ Project                                                                       ",
                "  Notes          line one                                                       ",
                "                 line two                                                       ",
                "                                                                                ",
                "↺*Subject        Walk-in at Expo                                                ",
                "↺*Channel        Walk-in                                                        ",
                "↺*Rep            smithparkar                                                    ",
                "↺ Alert customer [ ] no                                                         ",
                "↺ Alert rep      [ ] no                                                         ",
                "─ History (F3) 1 accepted · 1 queued · 1 rejected ──────────────────────────────",
                " \(Clock.short(Self.now, now: Self.now)) 山田                         9876543212  queued                          ",
                " \(Clock.short(Self.now, now: Self.now)) Ravi                         9876543211  rejected (402): unknown channel ",
                " \(Clock.short(Self.now, now: Self.now)) Asha                         9876543210  accepted #2882                  ",
                "                                                                                ",
                "                                                                                ",
                "                                                                                ",
                " Ravi: rejected: rejected by the CRM (HTTP 402): unknown channel                ",
                " ^S send · F5 retry · F3 history · F4 settings · F6 stats · F1 help · F10 quit  "
            ])
        // The cursor is in the focused field (Email, empty).
        #expect(buffer.cursor == CursorPosition(column: 17, row: 5))
    }

    @Test func theReturningCustomersCardIsUnderThePhone() {
        var state = Self.sample
        state.form.problems = [:]
        state.form.lead.phone = "98765 43210"
        let last = StoredLead(
            id: 1, uuid: UUID(), createdAt: Self.now.addingTimeInterval(-3 * 86_400), updatedAt: Self.now,
            lead: Lead(
                firstName: "Asha", phone: "9876543210", project: "GreenGreen", subject: "s", channel: "Walk-in",
                rep: "smith"),
            phone: "9876543210", state: .accepted, crmID: "2880", attempts: 1, nextAttemptAt: nil, lastError: nil,
            uncertain: false)
        state.form.customer = .returning(
            ReturningCustomer(phone: "9876543210", visits: 2, last: last, names: ["Asha", "Rahul Kumar"]))
        let lines = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now).lines
        let day = Clock.day(last.createdAt, now: Self.now)
        #expect(lines[2].hasPrefix(" *Phone          98765 43210"))
        guard case .returning(let customer)? = state.form.customer else { return }
        #expect(
            CustomerCard.text(customer, now: Self.now)
                == "seen 2× as Asha, Rahul Kumar · last \(day) · CRM #2880 · rep smith · GreenGreen · Walk-in")
        // At 80 columns the end gives way; who it was stays.
        #expect(
            lines[3].hasPrefix("                 ↳ seen 2× as Asha, Rahul Kumar · last \(day) · CRM #2880"),
            "\(lines[3])")
        #expect(!day.hasPrefix("today") && day.split(separator: " ").count == 2)  // "27 Nov": this year, no year
        #expect(Clock.day(Self.now, now: Self.now).hasPrefix("today "))
        #expect(Clock.day(Self.now.addingTimeInterval(-400 * 86_400), now: Self.now).split(separator: " ").count == 3)
        // A new customer: no card.
        state.form.customer = .new(phone: "9876543210")
        #expect(
            !MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now).lines[3].contains(
                "↳"))
    }

    @Test func at120x40TheHistoryIsBesideTheForm() {
        let lines = MainView.render(Self.sample, columns: 120, rows: 40, theme: Theme(color: true), now: Self.now).lines
        #expect(
            lines[0].hasPrefix(" LeadConsole │ 1 waiting, next try in 27s · 1 rejected")
                && lines[0].hasSuffix("https://cloud.paramantra.com "))
        #expect(
            lines[1].hasPrefix("  First name     José ")
                && lines[1].contains("│ History (F3) 1 accepted · 1 queued · 1 rejected"))
        #expect(
            lines[3].hasSuffix(
                "│ \(Clock.short(Self.now, now: Self.now)) Ravi    9876543211  rejected (402): unknown channel "))
        #expect(
            lines[4].hasSuffix(
                "│ \(Clock.short(Self.now, now: Self.now)) Asha    9876543210  accepted #2882                  "))
        #expect(lines[3].contains("↳ Phone must have ten digits after the     │"))
        #expect(
            lines[38]
                == " Ravi: rejected: rejected by the CRM (HTTP 402): unknown channel".padding(
                    toLength: 120, withPad: " ", startingAt: 0))
    }

    @Test func stylesCarryMeaningAndNoColorKeepsTheWords() {
        let colored = MainView.render(Self.sample, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let plain = MainView.render(Self.sample, columns: 80, rows: 24, theme: Theme(color: false), now: Self.now)
        #expect(colored.lines == plain.lines)
        // "rejected" in the history is red and bold with colour, bold only without.
        #expect(colored[49, 17].style == CellStyle(foreground: .red, bold: true))
        #expect(plain[49, 17].style == CellStyle(foreground: .normal, bold: true))
        #expect(colored[49, 18].style.foreground == .green)
        #expect(colored[49, 16].style.foreground == .yellow)
        // The focused field is drawn reversed; required fields are marked.
        #expect(colored[17, 5].style.reverse && !colored[17, 6].style.reverse)
        #expect(colored[1, 2].character == "*" && colored[1, 1].character == " ")
        for row in 0..<24 {
            for column in 0..<80 { #expect(plain[column, row].style.foreground == .normal) }
        }
    }

    @Test("too small a terminal asks to be enlarged", arguments: [(59, 24), (80, 17), (20, 5)])
    func tooSmall(columns: Int, rows: Int) {
        let lines = MainView.render(Self.sample, columns: columns, rows: rows, theme: Theme(color: true), now: Self.now)
            .lines
        let text = lines.joined(separator: "\n")
        #expect(
            text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ").contains(
                "enlarge the terminal"))
        #expect(!text.contains("History"))
    }

    @Test func theSmallestUsableSizeStillShowsEveryFieldAndSomeHistory() {
        let lines = MainView.render(Self.sample, columns: 60, rows: 18, theme: Theme(color: true), now: Self.now).lines
        for field in MainView.formFields {
            #expect(lines.contains { $0.contains(field.label) }, "\(field.label)\n\(lines.joined(separator: "\n"))")
        }
        #expect(lines.contains { $0.contains("9876543212") })
        // The problem is cut to one line, not dropped.
        #expect(lines.contains { $0.contains("↳ Phone must have ten digits after the co…") })
    }

    @Test func aLargerTerminalShowsMoreOfTheHistoryAndOnlyWhatFits() {
        var state = Self.sample
        state.form.problems = [:]
        state.historyPane.rows = (0..<500).map {
            Self.lead(Int64(1000 - $0), "Lead\($0)", String(9_000_000_000 + $0), .accepted, crm: "\($0)")
        }
        let small = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now).lines
        let large = MainView.render(state, columns: 120, rows: 40, theme: Theme(color: true), now: Self.now).lines
        #expect(small.filter { $0.contains("accepted #") }.count == 7)
        #expect(large.filter { $0.contains("accepted #") }.count == 36)
        #expect(large.contains { $0.contains("Lead35 ") } && !large.contains { $0.contains("Lead36 ") })
    }

    @Test func outsideTextIsCleanedAndWideCharactersKeepTheirCells() {
        var state = Self.sample
        state.historyPane.rows = [
            Self.lead(9, "\u{1B}[2JEvil\u{1B}]0;title\u{07}", "9876543219", .rejected),
            Self.lead(8, "山田太郎🎉", "9876543218", .accepted, crm: "\u{1B}[31m77")
        ]
        let buffer = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let lines = buffer.lines
        #expect(lines.contains { $0.contains("Evil") && $0.contains("9876543219") })
        #expect(lines.contains { $0.contains("山田太郎🎉") && $0.contains("accepted #77") })
        #expect(lines.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\u{07}") })
        // Each line of cells is exactly the terminal's width, wide characters counted twice.
        for row in 0..<24 { #expect(DisplayWidth.of(lines[row]) == 80, "row \(row)") }
    }

    @Test func longNotesShowTheLinesAroundTheCaret() {
        var state = Self.sample
        state.form.focus = .notes
        state.form.lead.notes =
            (1...8).map { "note line \($0)" }.joined(separator: "\n")
            + " which goes on and on well past the edge of the field"
        state.form.caret = state.form.lead.notes.count
        let buffer = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let lines = buffer.lines
        #expect(lines[7].contains("note line 6") && lines[8].contains("note line 7") && lines[9].contains("…"))
        #expect(lines[9].hasSuffix("the edge of the field  "))
        #expect(lines[8].contains("(8 lines)"))
        #expect(buffer.cursor?.row == 9)
        // The caret moved to the start: the first lines show, the cursor is on line one.
        state.form.caret = 0
        let top = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(top.lines[7].contains("note line 1") && top.cursor == CursorPosition(column: 17, row: 7))
    }

    @Test func theStatusLineSaysDemoAndWarnsOfPlainHTTP() {
        var state = Self.sample
        state.isDemo = true
        state.settings.endpoint = "http://crm.example.in/paramantra/api/data/new/format/json"
        let line = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
        #expect(line.contains("LeadConsole · DEMO") && line.contains("⚠ plain http to crm.example.in"))
        state.settings.endpoint = "http://127.0.0.1:8080/paramantra/api/data/new/format/json"
        #expect(
            !MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0].contains(
                "⚠"))
    }

    @Test func stateLabelsSayWhatHappened() {
        var lead = Self.lead(1, "A", "9876543210", .accepted, crm: "2882")
        #expect(StateLabel.of(lead, now: Self.now) == "accepted #2882")
        lead.state = .duplicate
        lead.crmID = "2879"
        #expect(StateLabel.of(lead, now: Self.now) == "duplicate #2879")
        lead.state = .rejected
        lead.lastError = "rejected by the CRM (HTTP 402): Invalid contact number\u{1B}[2J"
        // The state said once, with the status: not "rejected: rejected by the CRM (HTTP 402): …".
        #expect(StateLabel.of(lead, now: Self.now) == "rejected (402): Invalid contact number")
        lead.state = .held
        lead.hold = .credentials
        #expect(StateLabel.of(lead, now: Self.now) == "held: check credentials")
        lead.hold = .endpoint
        #expect(StateLabel.of(lead, now: Self.now) == "held: check endpoint URL")
        lead.state = .queued
        lead.nextAttemptAt = Self.now.addingTimeInterval(39.2)
        #expect(StateLabel.of(lead, now: Self.now) == "retry in 40s")
        lead.nextAttemptAt = Self.now.addingTimeInterval(600)
        #expect(StateLabel.of(lead, now: Self.now) == "retry in 10m")
        lead.attempts = 0
        #expect(StateLabel.of(lead, now: Self.now) == "queued")
        lead.state = .sending
        #expect(StateLabel.of(lead, now: Self.now) == "sending")
    }

    /// A held queue says what to fix: the credentials, or the endpoint URL.
    @Test func theStatusLineNamesWhatHoldsTheQueue() {
        var state = Self.sample
        state.delivery = .held(.endpoint)
        let endpoint = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
        #expect(endpoint.contains("HELD: check the endpoint URL in Settings (F4)"), "\(endpoint)")
        // In the warning colour, on every screen.
        state.settingsForm = SettingsForm(state.settings)
        for render in [MainView.render, HistoryScreenView.render, SettingsView.render] {
            let buffer = render(state, 120, 30, Theme(color: true), Self.now)
            guard let held = buffer.lines[0].range(of: "HELD") else {
                Issue.record("no HELD in \(buffer.lines[0])")
                continue
            }
            let column = buffer.lines[0].distance(from: buffer.lines[0].startIndex, to: held.lowerBound)
            #expect(buffer[column, 0].style.foreground == .yellow)
        }
        state.delivery = .held(.credentials)
        let credentials = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now)
            .lines[0]
        #expect(credentials.contains("HELD: credentials refused, fix them in Settings (F4)"), "\(credentials)")
        // Held for the settings with nothing missing: the server refused them (431), and the
        // line says so instead of "settings incomplete".
        state.delivery = .held(.settings)
        state.settings.apiKey = ""
        state.settings.appName = ""
        #expect(
            MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
                .contains("HELD: no API key, no app name — set it in Settings (F4)"))
        state.settings.apiKey = "key-0123456789"
        state.settings.appName = "EXPO"
        let refused = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
        #expect(refused.contains("HELD: the server refused the settings — fix them in Settings (F4)"), "\(refused)")
    }

    /// The longest messages we write, at the smallest size (60x18) and at 80x24: whole when
    /// they fit, else cut after a word with "… F7 more", and whole in the message log (F7).
    @Test(arguments: [(60, 18), (80, 24)])
    func noMessageIsCutMidWord(columns: Int, rows: Int) {
        let messages = [
            "Form cleared for the next customer · Ctrl-Y brings it back · Ctrl-N again resets the kept fields",
            "Pooja: waiting — HTTP 503 from the server: Simulated failure 503; next try in 35 s",
            "Not sent: Rep \"sm\" — Tab takes smithparkar, Ctrl-S again sends \"sm\"",
            "API key comes from PARAMANTRA_API_KEY: read-only here (change or unset the variable, then start again)"
        ]
        for message in messages {
            var state = Self.sample
            state.banners = [Banner(id: 1, kind: .warning, text: message)]
            let lines = MainView.render(state, columns: columns, rows: rows, theme: Theme(color: true), now: Self.now)
                .lines
            let shown = lines[rows - 2].trimmingCharacters(in: .whitespaces)
            if DisplayWidth.of(message) <= columns - 2 {
                #expect(shown == message)
                continue
            }
            #expect(shown.hasSuffix("… F7 more"), "\(shown)")
            let kept = String(shown.dropLast("… F7 more".count))
            // What is kept is the message's start, ending at the end of one of its words.
            #expect(message.hasPrefix(kept), "\(shown)")
            let next = message[message.index(message.startIndex, offsetBy: kept.count)...]
            #expect(next.first.map { $0 == " " || $0 == "," || $0 == ";" || $0 == ":" } ?? true, "\(shown)")
            // F7: the whole message, wrapped at words.
            state.overlay = .messages
            // The box's inside: between its two borders on each row.
            let log = MainView.render(state, columns: columns, rows: rows, theme: Theme(color: true), now: Self.now)
                .lines.map { line -> String in
                    guard let left = line.firstIndex(of: "│"), let right = line.lastIndex(of: "│"), left < right
                    else { return "" }
                    return line[line.index(after: left)..<right].trimmingCharacters(in: .whitespaces)
                }
            let start = log.firstIndex { $0.hasPrefix("• ") }!
            var text = String(log[start].dropFirst(2))
            var index = start + 1
            while index < log.count, !log[index].isEmpty, !log[index].hasPrefix("Any key") {
                text += " " + log[index]
                index += 1
            }
            #expect(text == message, "\(log.joined(separator: "\n"))")
        }
        #expect(Chrome.shortened("abc defgh", width: 20) == "abc defgh")
        #expect(Chrome.shortened("one two three four five six", width: 20) == "one two… F7 more")
    }

    /// From the first frame (the welcome closed with Esc, nothing saved yet), a console without
    /// a key, app name or endpoint says nothing can go, never "all sent".
    @Test func theStatusLineNeverSaysAllSentWhileNothingCanBeSent() {
        var state = Self.sample
        state.settings.apiKey = ""
        state.settings.appName = ""
        state.delivery = .idle
        let line = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now)
        #expect(line.lines[0].contains("NOT SENDING: no API key, no app name — Settings (F4)"), "\(line.lines[0])")
        #expect(!line.lines[0].contains("all sent"))
        let column = line.lines[0].distance(
            from: line.lines[0].startIndex, to: line.lines[0].range(of: "NOT SENDING")!.lowerBound)
        #expect(line[column, 0].style.foreground == .yellow)
        state.delivery = .waiting(queued: 2, nextAttempt: nil)
        let waiting = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
        #expect(waiting.contains("2 waiting · NOT SENDING: no API key, no app name"), "\(waiting)")
        #expect(!waiting.contains("sending,") && !waiting.contains(", sending"))
        state.settings.apiKey = "key-0123456789"
        state.settings.appName = "EXPO"
        state.delivery = .idle
        #expect(
            MainView.render(state, columns: 120, rows: 30, theme: Theme(color: true), now: Self.now).lines[0]
                .contains("outbox empty, all sent"))
    }
}

@Suite("Footers at every size")
struct FooterTests {
    init() { DisplayWidth.prepare() }

    /// At 60x18 the keys row uses shorter words; it is never cut in the middle of a word.
    @Test func theKeysRowFitsWithWholeWords() {
        let state = AppState(settings: Settings())
        for (columns, rows) in [(60, 18), (80, 24), (120, 40)] {
            let main = MainView.render(
                state, columns: columns, rows: rows, theme: Theme(color: false), now: Date(timeIntervalSince1970: 0))
            let keys = main.lines[rows - 1].trimmingCharacters(in: .whitespaces)
            #expect(!keys.contains("…") && keys.hasSuffix("F10 quit"), "\(columns)x\(rows): \(keys)")
            #expect(keys.contains("F1 help") && keys.contains("F5 retry"), "\(columns)x\(rows): \(keys)")
        }
        let footer = Footer(.dotted(FooterEntry("a long one", nil)), .dotted(FooterEntry("short", nil)))
        #expect(footer.line(width: 6).text == "short")
    }

    @Test func aWaitingLeadSaysWhyAndWhenOnTheMainScreen() {
        var state = AppState(settings: Settings())
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        let lead = StoredLead(
            id: 1, uuid: UUID(), createdAt: at, updatedAt: at, lead: Lead(firstName: "Pooja", phone: "9876543210"),
            phone: "9876543210", state: .queued, crmID: nil, attempts: 1, nextAttemptAt: at.addingTimeInterval(35),
            lastError: "temporary failure: HTTP 503 from the server: Service Unavailable", uncertain: false)
        _ = reduce(&state, .delivered(lead))
        let line = MainView.render(state, columns: 120, rows: 30, theme: Theme(color: false), now: at).lines[28]
        #expect(
            line.contains("Pooja: waiting — HTTP 503 from the server: Service Unavailable; next try in 35 s"), "\(line)"
        )
    }

    /// Every entry of a keys row is a button at every width, whatever words it shows: at 80
    /// columns the main screen says "^S send" and a click there still sends (the footer was once
    /// parsed back from its text, and "^S" was no key).
    @Test func everyFooterEntryIsAButtonAtEveryWidth() throws {
        let state = AppState(settings: Settings())
        for (columns, rows) in [(60, 18), (80, 24), (200, 60)] {
            let main = MainView.render(
                state, columns: columns, rows: rows, theme: Theme(color: false), now: Date(timeIntervalSince1970: 0))
            let keysRow = main.lines[rows - 1]
            let send = try #require(keysRow.range(of: "Ctrl-S send") ?? keysRow.range(of: "^S send"))
            let column = DisplayWidth.of(String(keysRow[..<send.lowerBound]))
            #expect(main.target(column: column + 1, row: rows - 1) == .key(.control("s")), "\(columns)x\(rows)")
            let quit = try #require(keysRow.range(of: "F10 quit"))
            let quitColumn = DisplayWidth.of(String(keysRow[..<quit.lowerBound]))
            #expect(main.target(column: quitColumn + 2, row: rows - 1) == .key(.function(10)), "\(columns)x\(rows)")
        }
    }
}
