import ContactCards
import Foundation
import LeadOutbox
import ParamantraAPI

/// Everything that can happen: what the rep does, what effects report back, what the system says.
public enum Action: Sendable, Equatable {
    // The rep
    /// A field's new text; the caret goes to `caret` (the end when nil).
    /// `length`: the value's length in characters when the sender knows it without counting.
    case edit(LeadField, String, caret: Int? = nil, length: Int? = nil)
    case focus(LeadField)
    /// The caret moves in the focused field (of the form or of the settings screen).
    case moveCaret(Int)
    case submit
    /// Ctrl-N: the customer's fields cleared (the kept ones stay); on a form with nothing of a
    /// customer in it, the kept fields go back to the settings' defaults.
    case clearForm
    /// What a badge scanner typed, read whole: it fills the form, or waits for the next one.
    case scanned(String)
    /// Ctrl-Y: the form as it was before Ctrl-N cleared it.
    case restoreClearedForm
    /// F2 form, F3 history screen, F4 settings, F6 stats (also Alt-2/3/4/6); showing the settings opens
    /// their draft, showing the stats reads them.
    case show(AppState.Screen)
    /// Help or the quit question over the screen; nil closes it.
    case showOverlay(AppState.Overlay?)
    // The history screen (the full-screen history, F3)
    case browse(BrowseMove)
    /// The list's height changed (the terminal was resized).
    case historyScreenViewport(rows: Int)
    /// The search being typed after `/`: nil stops typing it.
    case editSearch(String?)
    /// The typed search applies (an empty one shows everything again).
    case applySearch
    /// The state filter goes to the next state (all → queued → … → all).
    case cycleFilter
    /// One state at once (the digit keys; nil: all states).
    case filter(LeadState?)
    case openDetail
    /// A row of the pane beside the form double-clicked: the history screen with that lead
    /// selected, its detail open (`openDetail`).
    case showLead(id: Int64, openDetail: Bool)
    /// A row of the pane beside the form clicked: it is selected there.
    case selectPaneRow(Int64?)
    case closeDetail
    case scrollDetail(Int)
    /// How far the open detail can scroll at this size (the console reports it).
    case detailViewport(maxScroll: Int)
    /// `r`: the selected held or rejected lead goes back to the queue as it is.
    case resendSelected
    /// `e`: the selected lead is copied into the form to fix and send again.
    case copySelectedToForm
    case retryNow
    /// Send a rejected or held lead again, as edited.
    case resend(id: Int64, lead: Lead)
    case saveSettings(Settings)
    /// The stats screen shows another period (and reads it).
    case showStats(StatsPeriod.Named)
    /// The settings screen (opened with `.show(.settings)`): edit, reveal the key, save, cancel.
    case editSetting(Settings.Key, String, caret: Int? = nil)
    case focusSetting(Settings.Key)
    case toggleRevealKey
    case submitSettings
    case closeSettings
    case dismissBanner(Int)
    /// Something the rep should know that is not an error (a paste cut to fit its field).
    case warn(String)
    /// A character typed into a field already at its limit: left out, and counted on one
    /// message line ("Notes is full …: 1,204 typed characters left out").
    case typedPastLimit(LeadField)

    // Effects reporting back
    /// What the history knows of the phone being typed (`Effect.lookUpCustomer`).
    case customerLookedUp(phone: String, ReturningCustomer?)
    /// The duplicate look-up of the lead saved under `token`.
    case lookedUp(token: Int, earlier: StoredLead?)
    /// The lead saved under `token` is on disk.
    case queued(token: Int, StoredLead)
    /// An edited lead went back to the queue; the form being typed is left alone.
    case resent(token: Int, StoredLead)
    /// The lead saved under `token` could not be written: it comes back to the form.
    case saveFailed(token: Int, String)
    /// The pane's page (`Effect.loadHistoryPane`).
    case historyPaneLoaded(HistoryPanePage)
    /// The values used before (`Effect.loadSuggestions`).
    case suggestionsLoaded([LeadField: [String]])
    case historyScreenLoaded([StoredLead], HistoryScreenPage, HistoryQuery)
    case detailLoaded(StoredLead, [DeliveryAttempt])
    /// A period's figures (`Effect.loadStats`).
    case statsLoaded(LeadStats)
    case delivered(StoredLead)
    case settingsSaved(Settings)
    case failed(String)

    // The system
    case started
    /// The lead being typed when the last console was ended by a signal, put back in the form,
    /// and the scans that were waiting behind it, back in line.
    case restoreDraft(Lead, scans: [ScannedContact] = [])
}

/// Work the store runs for the reducer; its results come back as actions.
public enum Effect: Sendable, Equatable {
    /// The returning-customer card for the phone being typed.
    case lookUpCustomer(PhoneNumber)
    /// Each carries the token of the save it belongs to (`AppState.saving`).
    case lookUpPhone(token: Int, PhoneNumber)
    case enqueue(token: Int, ValidLead)
    case resend(token: Int, id: Int64, ValidLead)
    /// The pane's newest leads, counts and hold.
    case loadHistoryPane(HistoryQuery)
    /// A page for the history screen.
    case loadHistoryScreen(HistoryQuery, HistoryScreenPage)
    /// One lead and its attempts, for the detail view.
    case loadDetail(Int64)
    /// A period's figures for the stats screen, as of when the effect runs.
    case loadStats(StatsPeriod.Named)
    /// These settings to the delivery loop, then held leads back to the queue, every queued
    /// lead due now, and the loop woken: carried, not read from the state when it runs.
    case releaseAndRetry(Settings)
    case saveSettings(Settings)
    /// Tell the deliverer there is work (a new lead, new credentials).
    case wakeDeliverer
    /// The values used before, for completion (once, at start).
    case loadSuggestions
    /// Refresh the rolling copy of the database in this folder (`backup_dir`).
    case backUp(into: String)
}
