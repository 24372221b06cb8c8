import ConsoleState
import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import LeadConsoleUI

/// The mouse, as htop and mc use it: the frame says what each cell stands for, and a click
/// means what it shows.
@Suite("Mouse")
struct MouseTests {
    init() { DisplayWidth.prepare() }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func click(_ buffer: ScreenBuffer, _ state: AppState, column: Int, row: Int, double: Bool = false)
        -> [Action]
    {
        let event = MouseEvent(double ? .doubleClick : .click, column: column, row: row)
        return KeyMap.pointer(event, on: buffer.target(column: column, row: row), state).actions
    }

    static func lead(_ id: Int64) -> StoredLead {
        let phone = String(9_000_000_000 + id)
        let lead = Lead(firstName: "Lead\(id)", phone: phone, subject: "s", channel: "c", rep: "r")
        return StoredLead(
            id: id, uuid: UUID(), createdAt: now, updatedAt: now, lead: lead, phone: phone, state: .accepted,
            crmID: "\(id)", attempts: 1, nextAttemptAt: nil, lastError: nil, uncertain: false)
    }

    @Test func aClickOnAFieldFocusesItAndOnAFooterKeyPressesIt() {
        var settings = Settings()
        settings.defaultChannel = "Walk-in"
        let state = AppState(settings: settings)
        let buffer = MainView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let email = buffer.lines.firstIndex { $0.contains("Email") }!
        #expect(Self.click(buffer, state, column: 30, row: email) == [.focus(.email)])
        #expect(Self.click(buffer, state, column: 3, row: email) == [.focus(.email)])  // the label too
        // The footer: "Ctrl-S send · F5 retry · F3 history · …": each entry is a button.
        let footer = buffer.lines[23]
        let f3 = footer.distance(from: footer.startIndex, to: footer.range(of: "F3 history")!.lowerBound)
        #expect(Self.click(buffer, state, column: f3 + 3, row: 23) == [.show(.history)])
        // Nothing at a blank cell, and the wheel does nothing on the form.
        #expect(Self.click(buffer, state, column: 70, row: 20).isEmpty)
        #expect(KeyMap.pointer(MouseEvent(.wheelDown, column: 5, row: 5), on: nil, state).actions.isEmpty)
    }

    @Test func inTheHistoryScreenAClickSelectsADoubleClickOpensAndTheWheelScrolls() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .show(.history))
        _ = reduce(&state, .historyScreenViewport(rows: HistoryScreenView.listHeight(rows: 24)))
        let leads: [StoredLead] = (1...50).reversed().map { (id: Int) -> StoredLead in Self.lead(Int64(id)) }
        _ = reduce(&state, .historyScreenLoaded(leads, .replace(atOldest: false), HistoryQuery(limit: 200)))
        let buffer = HistoryScreenView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        #expect(buffer.lines[6].contains("Lead47"))
        #expect(Self.click(buffer, state, column: 20, row: 6) == [.browse(.to(3))])
        #expect(Self.click(buffer, state, column: 20, row: 6, double: true) == [.browse(.to(3)), .openDetail])
        _ = reduce(&state, .browse(.to(3)))
        #expect(state.historyScreen.selectedLead?.id == 47)
        let wheel = KeyMap.pointer(MouseEvent(.wheelDown, column: 20, row: 6), on: nil, state).actions
        #expect(wheel == [.browse(.down), .browse(.down), .browse(.down)])
        // A click while help is open closes it, nothing else.
        state.overlay = .help
        #expect(Self.click(buffer, state, column: 20, row: 6) == [.showOverlay(nil)])
    }

    /// The pane beside the form: a click selects a row there (drawn selected), a double-click
    /// opens that lead on the history screen with its detail, selected when its page arrives.
    @Test func thePaneBesideTheFormIsClickable() {
        var state = AppState(settings: Settings())
        state.historyPane.rows = (1...5).reversed().map { Self.lead(Int64($0)) }
        state.historyPane.loaded = true
        var buffer = MainView.render(state, columns: 120, rows: 40, theme: Theme(color: true), now: Self.now)
        let row = buffer.lines.firstIndex { $0.contains("Lead3") }!
        let line = buffer.lines[row]
        let column = line.distance(from: line.startIndex, to: line.range(of: "Lead3")!.lowerBound)
        #expect(Self.click(buffer, state, column: column, row: row) == [.selectPaneRow(3)])
        _ = reduce(&state, .selectPaneRow(3))
        buffer = MainView.render(state, columns: 120, rows: 40, theme: Theme(color: true), now: Self.now)
        #expect(buffer[column, row].style != CellStyle(), "drawn selected")
        let double = Self.click(buffer, state, column: column, row: row, double: true)
        #expect(double == [.showLead(id: 3, openDetail: true)])
        let effects = reduce(&state, .showLead(id: 3, openDetail: true))
        #expect(state.screen == .history && effects.contains(.loadDetail(3)))
        let page: [StoredLead] = (1...5).reversed().map { Self.lead(Int64($0)) }
        _ = reduce(&state, .historyScreenLoaded(page, .replace(atOldest: false), HistoryQuery(limit: 200)))
        #expect(state.historyScreen.selectedLead?.id == 3)
    }

    @Test func settingsRowsAreClickable() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .show(.settings))
        let buffer = SettingsView.render(state, columns: 80, rows: 24, theme: Theme(color: true), now: Self.now)
        let row = buffer.lines.firstIndex { $0.contains("Phone on wire") }!
        #expect(Self.click(buffer, state, column: 40, row: row) == [.focusSetting(.phoneFormat)])
    }
}

@Suite("Mouse reports")
struct MouseReportTests {
    @Test func sgrReportsAreReadWholeAndNeverLeakAsText() {
        func step(_ text: String) -> MouseReport.Step { MouseReport.step(Array(text.unicodeScalars)) }
        #expect(step("0;31") == .needMore)
        #expect(step("0;31;5M") == .done(MouseEvent(.click, column: 30, row: 4)))
        #expect(step("0;31;5m") == .done(nil))  // the release
        #expect(step("64;1;1M") == .done(MouseEvent(.wheelUp, column: 0, row: 0)))
        #expect(step("65;10;2M") == .done(MouseEvent(.wheelDown, column: 9, row: 1)))
        #expect(step("2;10;2M") == .done(nil))  // the right button: no use
        #expect(step("0;31x") == .invalid)
        // Through the escape decoder too (a terminfo entry that does not announce SGR reports).
        #expect(
            EscapeSequence.step(Array("[<0;31;5M".unicodeScalars))
                == .key(.mouse(MouseEvent(.click, column: 30, row: 4))))
        #expect(EscapeSequence.step(Array("[<0;31;5m".unicodeScalars)) == .ignored)
        #expect(EscapeSequence.step(Array("[<0;3".unicodeScalars)) == .needMore)
    }
}
