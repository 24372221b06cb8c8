import ConsoleState
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import LeadConsoleUI

@Suite("History screen and overlays")
struct HistoryScreenViewTests {
    init() { DisplayWidth.prepare() }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func lead(_ id: Int64, _ state: LeadState = .accepted, first: String? = nil) -> StoredLead {
        StoredLead(
            id: id, uuid: UUID(), createdAt: now, updatedAt: now,
            lead: Lead(
                firstName: first ?? "Lead\(id)", phone: String(9_000_000_000 + id), email: "l\(id)@example.in",
                notes: "line one\nline two", subject: "Expo", channel: "Walk-in", rep: "smith"),
            phone: String(9_000_000_000 + id), state: state, crmID: state == .accepted ? "\(2000 + id)" : nil,
            attempts: 1,
            nextAttemptAt: nil,
            lastError: state == .rejected ? "rejected by the CRM (HTTP 402): Invalid contact number" : nil,
            uncertain: false)
    }

    /// The screen open on 200 leads at 80x24, the 6th selected.
    static var browsing: AppState {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .show(.history))
        _ = reduce(&state, .historyScreenViewport(rows: HistoryScreenView.listHeight(rows: 24)))
        _ = reduce(
            &state,
            .historyScreenLoaded(
                (1...200).reversed().map { lead($0) }, .replace(atOldest: false), HistoryQuery(limit: 200)))
        for _ in 0..<5 { _ = reduce(&state, .browse(.down)) }
        state.historyPane.counts = [.accepted: 100_000]
        return state
    }

    @Test func theSelectedLeadsWholeReasonIsShownWhenItsColumnCutsIt() {
        var state = Self.browsing
        var rejected = Self.lead(195, .rejected)
        rejected.lastError = "rejected by the CRM (HTTP 402): Invalid contact number: the number is on the DND registry"
        _ = reduce(&state, .delivered(rejected))
        state.banners = []
        let lines = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
            .lines
        #expect(lines[8].contains("Lead195") && lines[8].contains("rejected (402): Invalid") && lines[8].contains("…"))
        #expect(
            lines[22].hasPrefix(" ↳ #195 rejected (402): Invalid contact number: the number is on the DND"),
            "\(lines[22])")
        // Digits pick a state at once (0 all … 6 duplicate); f still steps through them.
        #expect(KeyMap.handle(.character("4"), state).actions == [.filter(.rejected)])
        #expect(KeyMap.handle(.character("0"), state).actions == [.filter(nil)])
        var filtered = state
        #expect(
            reduce(&filtered, .filter(.rejected)) == [
                .loadHistoryScreen(HistoryQuery(state: .rejected, limit: 200), .replace(atOldest: false))
            ])
        #expect(reduce(&filtered, .filter(.rejected)).isEmpty)  // already so: nothing to read
    }

    @Test func theListShowsOnlyWhatFitsWithTheSelectionMarked() {
        let buffer = HistoryScreenView.render(
            Self.browsing, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let lines = buffer.lines
        #expect(lines[1].hasPrefix(" History · all states · 100000 leads"))
        #expect(lines[2].hasPrefix(" time  name") && lines[2].contains("phone       state"))
        #expect(
            lines[3].contains("Lead200") && lines[21].contains("Lead182") && !lines.contains { $0.contains("Lead181") })
        #expect(lines[21].hasSuffix("↓"))
        // The selected row (Lead195) is reversed from edge to edge of the list.
        #expect(lines[8].contains("Lead195") && buffer[1, 8].style.reverse && buffer[40, 8].style.reverse)
        #expect(!buffer[1, 9].style.reverse)
        #expect(lines[23].contains("Enter details · / search · f or 0-6 filter"))
    }

    @Test func searchIsTypedOnTheBottomLine() {
        var state = Self.browsing
        _ = reduce(&state, .editSearch("asha"))
        let buffer = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(buffer.lines[22].contains("Search name, phone or email (Enter applies, Esc cancels): asha"))
        #expect(buffer.cursor?.row == 22)
        _ = reduce(&state, .applySearch)
        _ = reduce(
            &state, .historyScreenLoaded([], .replace(atOldest: false), HistoryQuery(search: "asha", limit: 200)))
        let lines = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
            .lines
        #expect(lines[1].contains("matching “asha”") && lines[3].contains("No lead matches"))
    }

    @Test func theDetailShowsEveryFieldAndEachAttemptWithTheAnswerCleaned() {
        var state = Self.browsing
        let hostile = "{\"message\":\"\u{1B}]0;pwned\u{07}\u{1B}[2JInvalid contact number\",\"status\":\"failed\"}"
        let attempts = [
            DeliveryAttempt(
                leadID: 7, at: Self.now, outcome: "temporary", httpStatus: 503, message: "server busy (HTTP 503)",
                rawBody: "<html>busy</html>", elapsedMilliseconds: 12),
            DeliveryAttempt(
                leadID: 7, at: Self.now.addingTimeInterval(30), outcome: "rejected", httpStatus: 402,
                message: "rejected by the CRM (HTTP 402): Invalid contact number", rawBody: hostile,
                elapsedMilliseconds: 9),
            DeliveryAttempt(
                leadID: 7, at: Self.now.addingTimeInterval(60), outcome: "edited", httpStatus: nil,
                message: "corrected (in the console): phone \"9000000001\" → \"9000000007\"", rawBody: "",
                elapsedMilliseconds: 0)
        ]
        _ = reduce(&state, .detailLoaded(Self.lead(7, .rejected, first: "山田🎉"), attempts))
        let text = HistoryScreenView.render(state, columns: 80, rows: 40, theme: Theme(color: true), now: Self.now)
            .lines
            .joined(separator: "\n")
        for expected in [
            "Lead #7", "State             rejected (402): Invalid contact number", "First name        山田🎉",
            "Phone             9000000007",
            "Notes             line one", "                  line two", "Attempts (3)", "temporary  HTTP 503  12 ms",
            "answer: <html>busy</html>",
            "rejected  HTTP 402  9 ms", "Invalid contact number\",\"status\":\"failed\"}"
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}"))
        // A correction was never sent: no answer, no time taken.
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let edit = try! #require(lines.firstIndex { $0.hasSuffix("edited") })
        #expect(lines[edit + 1] == "corrected (in the console): phone \"9000000001\" → \"9000000007\"", "\(text)")
        #expect(!text.contains("edited  no answer"))
        // At 80x24 it does not fit: it scrolls, and says so.
        let small = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(small.lines[21].hasSuffix("↓"))
        let detail = try! #require(state.historyScreen.detail)
        #expect(HistoryScreenView.detailMaxScroll(detail, columns: 80, rows: 24, now: Self.now) > 0)
        #expect(HistoryScreenView.detailMaxScroll(detail, columns: 80, rows: 60, now: Self.now) == 0)
    }

    @Test func helpListsEveryKeyAndFitsAt80x24() {
        var state = Self.browsing
        state.overlay = .help
        let buffer = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let text = buffer.lines.joined(separator: "\n")
        for key in [
            "F1", "F2", "F3", "F4", "F5", "F6", "F10", "Alt-2", "Ctrl-Q", "Ctrl-C", "Ctrl-S", "Shift-Tab", "Ctrl-A",
            "Ctrl-E",
            "Ctrl-U", "Ctrl-K",
            "Ctrl-W", "PgUp", "Home", "Esc", "Ctrl-R", "Any key closes"
        ] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(buffer.cursor == nil)
    }

    @Test func theQuitQuestionIsDrawnOverTheForm() {
        var state = AppState(settings: Settings())
        state.form.lead.firstName = "Asha"
        state.overlay = .confirmQuit
        let text = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: false), now: Self.now).lines
            .joined(separator: "\n")
        #expect(
            text.contains("The form holds a lead that is not sent yet.")
                && text.contains("y = quit · any other key = stay"))
    }
}
