import Foundation
import LeadOutbox

/// The full-screen history: a window of at most `windowLimit` leads around the selection, paged
/// from the database by key as the selection nears either end. Moving costs the same with ten
/// leads or a million; only `pageSize` rows are read at a time.
public struct HistoryScreenState: Sendable, Equatable {
    public static let pageSize = 200
    /// Rows kept in memory; scrolling further drops the far end (it is read again if needed).
    public static let windowLimit = 1_000

    public var filter: LeadState?
    public var search = ""
    /// The search being typed after `/` (nil when not typing one).
    public var searchDraft: String?
    /// Newest first.
    public var rows: [StoredLead] = []
    /// Index in `rows` of the selected lead.
    public var selected = 0
    /// Index in `rows` of the first row drawn.
    public var top = 0
    /// How many rows the list shows (the console reports it when the size changes).
    public var visibleRows = 20
    /// Whether the database has leads beyond either end of the window.
    public var hasNewer = false
    public var hasOlder = false
    /// A page read in flight: no second one is asked for meanwhile.
    public var loading = false
    /// The lead opened with Enter, with its attempts.
    public var detail: LeadDetail?
    /// A lead to select when the page being read arrives (a click on the form's pane).
    public var selectOnLoad: Int64?

    public init() {}

    /// The filters in the order `f` steps through them; the digit keys 0-6 pick one directly.
    public static let filterOrder: [LeadState?] = [nil, .queued, .sending, .held, .rejected, .accepted, .duplicate]

    public var selectedLead: StoredLead? { rows.indices.contains(selected) ? rows[selected] : nil }

    func query(before: Int64? = nil, after: Int64? = nil, oldestFirst: Bool = false) -> HistoryQuery {
        HistoryQuery(
            state: filter, search: search.isEmpty ? nil : search, before: before, after: after,
            oldestFirst: oldestFirst, limit: Self.pageSize)
    }

    /// Keeps the selection on screen, moving the view as little as possible.
    mutating func scrollToSelection() {
        selected = max(0, min(selected, rows.count - 1))
        let height = max(1, visibleRows)
        if selected < top { top = selected }
        if selected >= top + height { top = selected - height + 1 }
        top = max(0, min(top, max(0, rows.count - height)))
    }
}

/// Where a page read for the history screen goes.
public enum HistoryScreenPage: Sendable, Equatable {
    /// A fresh window from the newest lead (or, `atOldest`, ending at the oldest).
    case replace(atOldest: Bool)
    /// Older leads after the window's last row.
    case older
    /// Newer leads before the window's first row.
    case newer
}

/// One lead opened in the history screen: every field and every attempt.
public struct LeadDetail: Sendable, Equatable {
    public var lead: StoredLead
    public var attempts: [DeliveryAttempt]
    /// The first line drawn (the detail scrolls with the arrows).
    public var scroll = 0
    /// The last first line that still fills the screen (reported by the console).
    public var maxScroll = Int.max

    public init(lead: StoredLead, attempts: [DeliveryAttempt], scroll: Int = 0) {
        self.lead = lead
        self.attempts = attempts
        self.scroll = scroll
    }
}

/// A move in the history list.
public enum BrowseMove: Sendable, Equatable {
    case up, down, pageUp, pageDown, home, end
    /// The row at this index of the window (a click).
    case to(Int)
}
