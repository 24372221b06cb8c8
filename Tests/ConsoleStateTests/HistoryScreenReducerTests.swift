import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import ConsoleState

/// The history screen's reducer: paging a window by key as the selection moves, search, filter,
/// detail, resend and edit-and-resend.
@Suite("Reducer: history screen")
struct HistoryScreenReducerTests {
    static let when = Date(timeIntervalSince1970: 1_795_000_000)

    /// Leads `ids` newest first (ids descending), as a page comes from the database.
    static func page(_ ids: ClosedRange<Int64>, state: LeadState = .accepted) -> [StoredLead] {
        ids.reversed().map { id in
            StoredLead(
                id: id, uuid: UUID(), createdAt: when, updatedAt: when,
                lead: Lead(
                    firstName: "Lead\(id)", phone: "98765\(String(format: "%05d", id))", subject: "s", channel: "c",
                    rep: "r"),
                phone: "98765\(String(format: "%05d", id))", state: state, crmID: state == .accepted ? "\(id)" : nil,
                attempts: 1,
                nextAttemptAt: nil, lastError: state == .rejected ? "rejected by the CRM (HTTP 402): bad channel" : nil,
                uncertain: false)
        }
    }

    /// A history screen open on the newest page of a history of 100,000 leads.
    func opened() -> AppState {
        var state = AppState(settings: Settings())
        let effects = reduce(&state, .show(.history))
        #expect(
            effects == [.loadHistoryScreen(HistoryQuery(limit: HistoryScreenState.pageSize), .replace(atOldest: false))]
        )
        _ = reduce(&state, .historyScreenViewport(rows: 20))
        _ = reduce(
            &state,
            .historyScreenLoaded(Self.page(99_801...100_000), .replace(atOldest: false), HistoryQuery(limit: 200)))
        return state
    }

    @Test func openingShowsTheNewestPage() {
        let state = opened()
        #expect(state.screen == .history)
        #expect(state.historyScreen.rows.count == 200 && state.historyScreen.rows.first?.id == 100_000)
        #expect(
            state.historyScreen.selected == 0 && state.historyScreen.top == 0 && state.historyScreen.hasOlder
                && !state.historyScreen.hasNewer)
    }

    @Test func movingDownScrollsAndAsksForTheNextPageBeforeTheEdge() {
        var state = opened()
        for _ in 0..<25 { #expect(reduce(&state, .browse(.down)) == []) }
        // The selection stays on the last visible row.
        #expect(state.historyScreen.selected == 25 && state.historyScreen.top == 6)
        // Page down to within two screens of the window's end: the next page is asked for once.
        var asked: [Effect] = []
        for _ in 0..<8 { asked += reduce(&state, .browse(.pageDown)) }
        #expect(asked == [.loadHistoryScreen(HistoryQuery(before: 99_801, limit: 200), .older)])
        _ = reduce(
            &state, .historyScreenLoaded(Self.page(99_601...99_800), .older, HistoryQuery(before: 99_801, limit: 200)))
        #expect(
            state.historyScreen.rows.count == 400 && state.historyScreen.rows.last?.id == 99_601
                && !state.historyScreen.loading)
        #expect(state.historyScreen.selectedLead?.id == 100_000 - Int64(state.historyScreen.selected))
    }

    @Test func theWindowStaysBoundedAndScrollingBackReadsNewerPages() {
        var state = opened()
        var oldest: Int64 = 99_801
        // Far down: pages keep coming, the window never passes its limit, and the top is dropped.
        for _ in 0..<60 {
            for effect in reduce(&state, .browse(.pageDown)) {
                guard case .loadHistoryScreen(let query, .older) = effect, let before = query.before else { continue }
                _ = reduce(&state, .historyScreenLoaded(Self.page((before - 200)...(before - 1)), .older, query))
                oldest = before - 200
            }
        }
        #expect(state.historyScreen.rows.count <= HistoryScreenState.windowLimit)
        #expect(state.historyScreen.hasNewer && state.historyScreen.rows.last?.id == oldest)
        let selectedID = state.historyScreen.selectedLead?.id
        // Back up: a newer page is asked for with `after`, and the selection stays on its lead.
        var newer: HistoryQuery?
        for _ in 0..<60 where newer == nil {
            for effect in reduce(&state, .browse(.pageUp)) {
                if case .loadHistoryScreen(let query, .newer) = effect { newer = query }
            }
        }
        let query = try! #require(newer)
        let first = state.historyScreen.rows.first!.id
        #expect(query.after == first)
        let before = state.historyScreen.selectedLead?.id
        _ = reduce(&state, .historyScreenLoaded(Self.page((first + 1)...(first + 200)), .newer, query))
        #expect(state.historyScreen.selectedLead?.id == before && state.historyScreen.rows.first?.id == first + 200)
        #expect(selectedID != nil)
    }

    @Test func endReadsTheOldestPageAndHomeTheNewest() {
        var state = opened()
        #expect(
            reduce(&state, .browse(.end)) == [
                .loadHistoryScreen(HistoryQuery(oldestFirst: true, limit: 200), .replace(atOldest: true))
            ])
        _ = reduce(
            &state,
            .historyScreenLoaded(
                Self.page(1...200), .replace(atOldest: true), HistoryQuery(oldestFirst: true, limit: 200)))
        #expect(
            state.historyScreen.selectedLead?.id == 1 && state.historyScreen.hasNewer && !state.historyScreen.hasOlder)
        #expect(state.historyScreen.top == 180)
        #expect(
            reduce(&state, .browse(.home)) == [.loadHistoryScreen(HistoryQuery(limit: 200), .replace(atOldest: false))])
    }

    @Test func searchAndFilterReloadAndAStalePageIsIgnored() {
        var state = opened()
        _ = reduce(&state, .editSearch(""))
        _ = reduce(&state, .editSearch("asha\u{1B}[2J"))
        #expect(state.historyScreen.searchDraft == "asha")  // typed text is cleaned like any outside text
        #expect(
            reduce(&state, .applySearch) == [
                .loadHistoryScreen(HistoryQuery(search: "asha", limit: 200), .replace(atOldest: false))
            ])
        #expect(state.historyScreen.searchDraft == nil && state.historyScreen.search == "asha")
        #expect(
            reduce(&state, .cycleFilter) == [
                .loadHistoryScreen(HistoryQuery(state: .queued, search: "asha", limit: 200), .replace(atOldest: false))
            ])
        // The page asked for before the filter changed arrives late: it is dropped.
        let rows = state.historyScreen.rows
        _ = reduce(
            &state,
            .historyScreenLoaded(Self.page(1...3), .replace(atOldest: false), HistoryQuery(search: "asha", limit: 200)))
        #expect(state.historyScreen.rows == rows)
        // Seven presses come back to every state.
        for _ in 0..<6 { _ = reduce(&state, .cycleFilter) }
        #expect(state.historyScreen.filter == nil)
    }

    @Test func detailOpensScrollsWithinItsLinesAndFollowsDeliveries() {
        var state = opened()
        #expect(reduce(&state, .openDetail) == [.loadDetail(100_000)])
        let lead = state.historyScreen.rows[0]
        _ = reduce(&state, .detailLoaded(lead, []))
        _ = reduce(&state, .detailViewport(maxScroll: 4))
        for _ in 0..<10 { _ = reduce(&state, .scrollDetail(1)) }
        #expect(state.historyScreen.detail?.scroll == 4)
        _ = reduce(&state, .scrollDetail(-1))
        #expect(state.historyScreen.detail?.scroll == 3)
        // A delivery of the open lead reloads its attempts.
        var delivered = lead
        delivered.state = .duplicate
        #expect(reduce(&state, .delivered(delivered)).contains(.loadDetail(100_000)))
        #expect(state.historyScreen.detail?.lead.state == .duplicate && state.historyScreen.rows[0].state == .duplicate)
        _ = reduce(&state, .closeDetail)
        #expect(state.historyScreen.detail == nil)
    }

    @Test func resendingWorksOnHeldAndRejectedLeadsOnly() throws {
        var state = opened()
        // An accepted lead is not sent again.
        #expect(reduce(&state, .resendSelected) == [])
        #expect(state.banners.last?.text.contains("only held or rejected") == true)
        let rejected = Self.page(5...5, state: .rejected)
        _ = reduce(&state, .historyScreenLoaded(rejected, .replace(atOldest: false), HistoryQuery(limit: 200)))
        let valid = try rejected[0].lead.validated().get()
        #expect(reduce(&state, .resendSelected) == [.resend(token: 0, id: 5, valid)])
    }

    @Test func editingARejectedLeadResendsThatRecordAndClearsTheForm() throws {
        var state = opened()
        let rejected = Self.page(5...5, state: .rejected)
        _ = reduce(&state, .historyScreenLoaded(rejected, .replace(atOldest: false), HistoryQuery(limit: 200)))
        #expect(reduce(&state, .copySelectedToForm) == [])
        #expect(state.screen == .main && state.form.resending == 5 && state.form.lead == rejected[0].lead)
        _ = reduce(&state, .edit(.channel, "Walk-in"))
        let valid = try state.form.lead.validated().get()
        // Ctrl-S sends the same record again: no duplicate look-up, no new lead.
        #expect(reduce(&state, .submit) == [.resend(token: 1, id: 5, valid)])
        // The form is free for the next lead at once.
        #expect(state.form.lead.firstName.isEmpty && state.form.resending == nil)
        var resent = rejected[0]
        resent.state = .queued
        _ = reduce(&state, .resent(token: 1, resent))
        #expect(state.saving.isEmpty && state.form.lead.firstName.isEmpty)
    }

    @Test func anAcceptedLeadCopiedIntoTheFormIsANewLead() {
        var state = opened()
        _ = reduce(&state, .browse(.down))
        _ = reduce(&state, .copySelectedToForm)
        #expect(state.form.resending == nil && state.form.lead.firstName == "Lead99999")
        // Sent as a new lead: the duplicate look-up runs and will warn that the phone was sent before.
        #expect(reduce(&state, .submit) == [.lookUpPhone(token: 1, PhoneNumber(tenDigits: "9876599999"))])
    }

    @Test func screensAndOverlays() {
        var state = AppState(settings: Settings())
        _ = reduce(&state, .showOverlay(.help))
        #expect(state.overlay == .help)
        _ = reduce(&state, .show(.settings))
        #expect(state.screen == .settings && state.overlay == nil && state.settingsForm != nil)
        // A draft survives a look at another screen.
        _ = reduce(&state, .editSetting(.defaultRep, "ravi"))
        _ = reduce(&state, .show(.main))
        _ = reduce(&state, .show(.settings))
        #expect(state.settingsForm?.values[.defaultRep] == "ravi")
    }

    @Test func environmentValuesAreReadOnlyOnTheSettingsScreen() {
        var state = AppState(settings: Settings(), environmentSources: [.apiKey: "PARAMANTRA_API_KEY"])
        _ = reduce(&state, .show(.settings))
        let before = state.settingsForm
        _ = reduce(&state, .editSetting(.apiKey, "typed-over"))
        #expect(state.settingsForm == before)
    }
}
