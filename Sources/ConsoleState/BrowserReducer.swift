import Foundation
import LeadOutbox
import ParamantraAPI

/// The history screen's part of the reducer: moving through a window of the history, asking for
/// the next page before the selection reaches an edge, search, filter, detail, resend and copy.
func reduceBrowser(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .browserViewport(let rows):
        state.browser.visibleRows = max(1, rows)
        state.browser.scrollToSelection()
        return []

    case .browse(let move):
        return browse(&state.browser, move)

    case .browserLoaded(let rows, let page, let query):
        // A page asked for under another filter or search is stale.
        guard query.state == state.browser.filter, query.search == state.browser.query().search else { return [] }
        state.browser.load(rows, page)
        if let id = state.browser.selectOnLoad {
            state.browser.selectOnLoad = nil
            if let index = state.browser.rows.firstIndex(where: { $0.id == id }) {
                state.browser.selected = index
                state.browser.scrollToSelection()
            }
        }
        return []

    case .selectPaneRow(let id):
        state.recent.selectedID = id
        return []

    case .showLead(let id, let open):
        // The pane shows the newest leads: the first page of the unfiltered history holds them.
        state.overlay = nil
        state.screen = .browser
        state.browser.filter = nil
        state.browser.search = ""
        state.browser.searchDraft = nil
        state.browser.detail = nil
        state.browser.loading = true
        state.browser.selectOnLoad = id
        return [.loadBrowser(state.browser.query(), .replace(atOldest: false))] + (open ? [.loadDetail(id)] : [])

    case .editSearch(let draft):
        state.browser.searchDraft = draft.map { TerminalText.clean($0) }
        return []

    case .applySearch:
        state.browser.search = (state.browser.searchDraft ?? state.browser.search).trimmingSpace(newlines: false)
        state.browser.searchDraft = nil
        return reload(&state.browser)

    case .cycleFilter:
        let order = BrowserState.filterOrder
        let index = order.firstIndex(of: state.browser.filter) ?? 0
        state.browser.filter = order[(index + 1) % order.count]
        return reload(&state.browser)

    case .filter(let filter):
        guard state.browser.filter != filter else { return [] }
        state.browser.filter = filter
        return reload(&state.browser)

    case .openDetail:
        guard let lead = state.browser.selectedLead else { return [] }
        return [.loadDetail(lead.id)]

    case .detailLoaded(let lead, let attempts):
        guard state.screen == .browser else { return [] }
        state.browser.detail = LeadDetail(lead: lead, attempts: attempts)
        return []

    case .closeDetail:
        state.browser.detail = nil
        return []

    case .scrollDetail(let delta):
        guard let detail = state.browser.detail else { return [] }
        state.browser.detail?.scroll = max(0, min(detail.scroll + delta, detail.maxScroll))
        return []

    case .detailViewport(let maxScroll):
        guard let detail = state.browser.detail else { return [] }
        state.browser.detail?.maxScroll = max(0, maxScroll)
        state.browser.detail?.scroll = min(detail.scroll, max(0, maxScroll))
        return []

    case .resendSelected:
        guard let lead = state.browser.detail?.lead ?? state.browser.selectedLead else { return [] }
        guard lead.state == .rejected || lead.state == .held else {
            addBanner(
                &state, .warning,
                "Lead #\(lead.id) is \(lead.state.rawValue): only held or rejected leads are sent again with r")
            return []
        }
        return reduce(&state, .resend(id: lead.id, lead: lead.lead))

    case .copySelectedToForm:
        guard let stored = state.browser.detail?.lead ?? state.browser.selectedLead else { return [] }
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
        state.browser.detail = nil
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

private func reload(_ browser: inout BrowserState) -> [Effect] {
    browser.loading = true
    browser.detail = nil
    return [.loadBrowser(browser.query(), .replace(atOldest: false))]
}

private func browse(_ browser: inout BrowserState, _ move: BrowseMove) -> [Effect] {
    let height = max(1, browser.visibleRows)
    switch move {
    case .up: browser.selected -= 1
    case .down: browser.selected += 1
    case .pageUp:
        browser.selected -= height
        browser.top -= height
    case .pageDown:
        browser.selected += height
        browser.top += height
    case .home:
        if browser.hasNewer {
            browser.loading = true
            return [.loadBrowser(browser.query(), .replace(atOldest: false))]
        }
        browser.selected = 0
    case .end:
        if browser.hasOlder {
            browser.loading = true
            return [.loadBrowser(browser.query(oldestFirst: true), .replace(atOldest: true))]
        }
        browser.selected = browser.rows.count - 1
    case .to(let index):
        guard browser.rows.indices.contains(index) else { return [] }
        browser.selected = index
    }
    browser.top = max(0, browser.top)
    browser.scrollToSelection()
    // The next page is asked for while two screens of rows are still ahead, so holding a key
    // down rarely meets the edge.
    guard !browser.loading, let first = browser.rows.first, let last = browser.rows.last else { return [] }
    if browser.hasOlder, browser.rows.count - 1 - browser.selected < height * 2 {
        browser.loading = true
        return [.loadBrowser(browser.query(before: last.id), .older)]
    }
    if browser.hasNewer, browser.selected < height * 2 {
        browser.loading = true
        return [.loadBrowser(browser.query(after: first.id), .newer)]
    }
    return []
}

extension BrowserState {
    /// Puts a page into the window and trims the far end past `windowLimit`.
    mutating func load(_ page: [StoredLead], _ kind: BrowserPage) {
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
