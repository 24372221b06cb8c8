import Foundation
import LeadStore
import ParamantraAPI
import Testing
@testable import LeadConsoleUI

@Suite("Main view")
struct MainViewTests {
    init() { DisplayWidth.prepare() }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func lead(_ id: Int64, _ first: String, _ phone: String, _ state: LeadState, crm: String? = nil) -> StoredLead {
        StoredLead(id: id, uuid: UUID(), createdAt: now, updatedAt: now,
                   lead: Lead(firstName: first, phone: phone, subject: "s", channel: "c", rep: "r"), phone: phone, state: state,
                   crmID: crm, attempts: 1, nextAttemptAt: nil, lastError: nil, uncertain: false)
    }

    static var sample: AppState {
        var settings = Settings()
        settings.defaultSubject = "Walk-in at Expo"
        settings.defaultChannel = "Walk-in"
        settings.defaultRep = "smithparkar"
        var state = AppState(settings: settings)
        state.form.lead.firstName = "José"
        state.form.lead.lastName = "नमस्ते"
        state.form.lead.phone = "12345"
        state.form.focus = .email
        state.form.problems[.phone] = FieldProblem(.phone, "Phone must have ten digits after the country code (found 5)")
        state.history.rows = [lead(3, "山田", "9876543212", .queued), lead(2, "Ravi", "9876543211", .rejected),
                              lead(1, "Asha", "9876543210", .accepted, crm: "2882")]
        state.history.counts = [.accepted: 1, .queued: 1, .rejected: 1]
        state.delivery = .waiting(queued: 1, nextAttempt: now.addingTimeInterval(27))
        state.banners = [Banner(id: 1, kind: .error, text: "Ravi: rejected: rejected by the CRM (HTTP 402): unknown channel")]
        return state
    }

    @Test func theMainScreenAt80x24() {
        let buffer = MainView.render(Self.sample, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(buffer.lines == [
            " LeadConsole — 1 waiting, next try in 27 s                                      ",
            "                                            │ History                           ",
            "  First name     José                       │ 1 accepted · 1 queued · 1 rejected",
            "  Last name      नमस्ते                       │ queued    9876543212 山田         ",
            " *Phone          12345                      │ rejected  9876543211 Ravi         ",
            "                 ↳ Phone must have ten      │ accepted  9876543210 Asha #2882   ",
            "                 digits after the country   │                                   ",
            "                 code (found 5)             │                                   ",
            "  Email                                     │                                   ",
            "  Project                                   │                                   ",
            "  Notes                                     │                                   ",
            " *Subject        Walk-in at Expo            │                                   ",
            " *Channel        Walk-in                    │                                   ",
            " *Rep            smithparkar                │                                   ",
            "  Alert customer [ ] no                     │                                   ",
            "  Alert rep      [ ] no                     │                                   ",
            "                                            │                                   ",
            "                                            │                                   ",
            "                                            │                                   ",
            "                                            │                                   ",
            "                                            │                                   ",
            "                                            │                                   ",
            " Ravi: rejected: rejected by the CRM (HTTP 402): unknown channel                ",
            " Ctrl-S send · Tab move · Space toggle · F2 settings · F5 retry · Ctrl-Q quit   "
        ])
    }

    @Test func stylesCarryMeaningAndNoColorKeepsTheWords() {
        let colored = MainView.render(Self.sample, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let plain = MainView.render(Self.sample, columns: 80, rows: 24, theme: Theme(color: false), now: Self.now)
        #expect(colored.lines == plain.lines)
        // "rejected" in the history is red and bold with colour, bold only without.
        #expect(colored[46, 4].style == CellStyle(foreground: .red, bold: true))
        #expect(plain[46, 4].style == CellStyle(foreground: .normal, bold: true))
        #expect(colored[46, 5].style.foreground == .green)
        // The focused field is drawn reversed; required fields are marked.
        #expect(colored[17, 8].style.reverse)
        #expect(colored[1, 4].character == "*" && colored[1, 2].character == " ")
        for row in 0..<24 {
            for column in 0..<80 { #expect(plain[column, row].style.foreground == .normal) }
        }
    }

    @Test("too small a terminal asks to be enlarged", arguments: [(59, 24), (80, 17), (20, 5)])
    func tooSmall(columns: Int, rows: Int) {
        let lines = MainView.render(Self.sample, columns: columns, rows: rows, theme: Theme(color: true), now: Self.now).lines
        let text = lines.joined(separator: "\n")
        #expect(text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ").contains("enlarge the terminal"))
        #expect(!text.contains("History"))
    }

    @Test func aLargerTerminalShowsMoreOfTheHistory() {
        var state = Self.sample
        state.history.rows = (0..<500).map { Self.lead(Int64(1000 - $0), "Lead\($0)", String(9_000_000_000 + $0), .accepted, crm: "\($0)") }
        let small = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now).lines
        let large = MainView.render(state, columns: 120, rows: 40, theme: Theme(color: true), now: Self.now).lines
        #expect(small.filter { $0.contains("accepted  9") }.count == 19)
        #expect(large.filter { $0.contains("accepted  9") }.count == 35)
        #expect(large.contains { $0.contains("Lead34 #34") } && !large.contains { $0.contains("Lead35 ") })
    }

    @Test func outsideTextIsCleanedAndLongValuesShowTheirEnd() {
        var state = Self.sample
        state.form.focus = .notes
        state.form.lead.notes = "first line\nsecond line is the one being typed right now, quite long indeed"
        state.history.rows = [Self.lead(9, "\u{1B}[2JEvil\u{1B}]0;title\u{07}", "9876543219", .rejected)]
        let lines = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now).lines
        #expect(lines.contains { $0.contains("rejected  9876543219 Evil") })
        #expect(lines.contains { $0.contains("…") && $0.contains("quite long indeed") })
        #expect(lines.allSatisfy { !$0.contains("\u{1B}") })
    }
}
