import Foundation
import LeadOutbox
import ParamantraAPI

/// The history screen's part of the reducer: moving through a window of the history, asking for
/// the next page before the selection reaches an edge, search, filter, detail, resend and copy.
func reduceHistoryScreen(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .historyScreenViewport(let rows):
        state.historyScreen.visibleRows = max(1, rows)
        state.historyScreen.scrollToSelection()
        return []

    case .browse(let move):
        return browse(&state.historyScreen, move)

    case .historyScreenLoaded(let rows, let page, let query):
        // A page asked for under another filter or search is stale.
        guard query.state == state.historyScreen.filter, query.search == state.historyScreen.query().search else {
            return []
        }
        state.historyScreen.load(rows, page)
        if let id = state.historyScreen.selectOnLoad {
            state.historyScreen.selectOnLoad = nil
            if let index = state.historyScreen.rows.firstIndex(where: { $0.id == id }) {
                state.historyScreen.selected = index
                state.historyScreen.scrollToSelection()
            }
        }
        return []

    case .selectPaneRow(let id):
        state.historyPane.selectedID = id
        return []

    case .showLead(let id, let open):
        // The pane shows the newest leads: the first page of the unfiltered history holds them.
        state.overlay = nil
        state.screen = .history
        state.historyScreen.filter = nil
        state.historyScreen.search = ""
        state.historyScreen.searchDraft = nil
        state.historyScreen.detail = nil
        state.historyScreen.loading = true
        state.historyScreen.selectOnLoad = id
        return [.loadHistoryScreen(state.historyScreen.query(), .replace(atOldest: false))]
            + (open ? [.loadDetail(id)] : [])

    case .editSearch(let draft):
        state.historyScreen.searchDraft = draft.map { TerminalText.clean($0) }
        return []

    case .applySearch:
        state.historyScreen.search = (state.historyScreen.searchDraft ?? state.historyScreen.search).trimmingSpace(
            newlines: false)
        state.historyScreen.searchDraft = nil
        return reload(&state.historyScreen)

    case .cycleFilter:
        let order = HistoryScreenState.filterOrder
        let index = order.firstIndex(of: state.historyScreen.filter) ?? 0
        state.historyScreen.filter = order[(index + 1) % order.count]
        return reload(&state.historyScreen)

    case .filter(let filter):
        guard state.historyScreen.filter != filter else { return [] }
        state.historyScreen.filter = filter
        return reload(&state.historyScreen)

    case .openDetail:
        guard let lead = state.historyScreen.selectedLead else { return [] }
        return [.loadDetail(lead.id)]

    case .detailLoaded(let lead, let attempts):
        guard state.screen == .history else { return [] }
        state.historyScreen.detail = LeadDetail(lead: lead, attempts: attempts)
        return []

    case .closeDetail:
        state.historyScreen.detail = nil
        return []

    case .scrollDetail(let delta):
        guard let detail = state.historyScreen.detail else { return [] }
        state.historyScreen.detail?.scroll = max(0, min(detail.scroll + delta, detail.maxScroll))
        return []

    case .detailViewport(let maxScroll):
        guard let detail = state.historyScreen.detail else { return [] }
        state.historyScreen.detail?.maxScroll = max(0, maxScroll)
        state.historyScreen.detail?.scroll = min(detail.scroll, max(0, maxScroll))
        return []

    case .resendSelected:
        guard let lead = state.historyScreen.detail?.lead ?? state.historyScreen.selectedLead else { return [] }
        guard lead.state == .rejected || lead.state == .held else {
            addBanner(
                &state, .warning,
                "Lead #\(lead.id) is \(lead.state.rawValue): only held or rejected leads are sent again with r")
            return []
        }
        return reduce(&state, .resend(id: lead.id, lead: lead.lead))

    case .copySelectedToForm:
        guard let stored = state.historyScreen.detail?.lead ?? state.historyScreen.selectedLead else { return [] }
        var form = state.form
        form.lead = stored.lead
        form.problems = [:]
        form.duplicateWarning = nil
        form.warnedPhone = nil
        // A rejected or held lead is fixed in place; any other is a new lead with the same details.
        form.resending = stored.state == .rejected || stored.state == .held ? stored.id : nil
        form.focus = .firstName
        form.caret = stored.lead.firstName.count
        state.form = form
        state.screen = .main
        state.historyScreen.detail = nil
        addBanner(
            &state, .info,
            form.resending != nil
                ? "Lead #\(stored.id) is in the form: fix it and press Ctrl-S to send it again"
                : "Lead #\(stored.id) copied into the form as a new lead")
        return []

    default:
        return []
    }
}

private func reload(_ historyScreen: inout HistoryScreenState) -> [Effect] {
    historyScreen.loading = true
    historyScreen.detail = nil
    return [.loadHistoryScreen(historyScreen.query(), .replace(atOldest: false))]
}

private func browse(_ historyScreen: inout HistoryScreenState, _ move: BrowseMove) -> [Effect] {
    let height = max(1, historyScreen.visibleRows)
    switch move {
    case .up: historyScreen.selected -= 1
    case .down: historyScreen.selected += 1
    case .pageUp:
        historyScreen.selected -= height
        historyScreen.top -= height
    case .pageDown:
        historyScreen.selected += height
        historyScreen.top += height
    case .home:
        if historyScreen.hasNewer {
            historyScreen.loading = true
            return [.loadHistoryScreen(historyScreen.query(), .replace(atOldest: false))]
        }
        historyScreen.selected = 0
    case .end:
        if historyScreen.hasOlder {
            historyScreen.loading = true
            return [.loadHistoryScreen(historyScreen.query(oldestFirst: true), .replace(atOldest: true))]
        }
        historyScreen.selected = historyScreen.rows.count - 1
    case .to(let index):
        guard historyScreen.rows.indices.contains(index) else { return [] }
        historyScreen.selected = index
    }
    historyScreen.top = max(0, historyScreen.top)
    historyScreen.scrollToSelection()
    // The next page is asked for while two screens of rows are still ahead, so holding a key
    // down rarely meets the edge.
    guard !historyScreen.loading, let first = historyScreen.rows.first, let last = historyScreen.rows.last else {
        return []
    }
    if historyScreen.hasOlder, historyScreen.rows.count - 1 - historyScreen.selected < height * 2 {
        historyScreen.loading = true
        return [.loadHistoryScreen(historyScreen.query(before: last.id), .older)]
    }
    if historyScreen.hasNewer, historyScreen.selected < height * 2 {
        historyScreen.loading = true
        return [.loadHistoryScreen(historyScreen.query(after: first.id), .newer)]
    }
    return []
}

extension HistoryScreenState {
    /// Puts a page into the window and trims the far end past `windowLimit`.
    mutating func load(_ page: [StoredLead], _ kind: HistoryScreenPage) {
        loading = false
        let full = page.count == Self.pageSize
        switch kind {
        case .replace(let atOldest):
            rows = page
            hasNewer = atOldest && full
            hasOlder = !atOldest && full
            selected = atOldest ? page.count - 1 : 0
            top = atOldest ? max(0, page.count - visibleRows) : 0
        case .older:
            rows.append(contentsOf: page)
            hasOlder = full
            if rows.count > Self.windowLimit {
                let drop = rows.count - Self.windowLimit
                rows.removeFirst(drop)
                selected -= drop
                top -= drop
                hasNewer = true
            }
        case .newer:
            rows.insert(contentsOf: page, at: 0)
            selected += page.count
            top += page.count
            hasNewer = full
            if rows.count > Self.windowLimit {
                rows.removeLast(rows.count - Self.windowLimit)
                hasOlder = true
            }
        }
        scrollToSelection()
    }

    /// A lead that changed (delivered, resent) is shown as it is now, where it is in the window.
    mutating func replace(_ lead: StoredLead) {
        if let index = rows.firstIndex(where: { $0.id == lead.id }) { rows[index] = lead }
        if detail?.lead.id == lead.id { detail?.lead = lead }
    }
}
