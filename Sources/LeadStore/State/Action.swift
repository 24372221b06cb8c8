import Foundation
import ParamantraAPI

/// Everything that can happen: what the rep does, what effects report back, what the system says.
public enum Action: Sendable, Equatable {
    // The rep
    case edit(LeadField, String)
    case focus(LeadField)
    case submit
    case filterHistory(LeadState?)
    case searchHistory(String)
    case retryNow
    /// Send a rejected or held lead again, as edited.
    case resend(id: Int64, lead: Lead)
    case saveSettings(Settings)
    /// The settings screen: open with the current settings, edit, reveal the key, save, cancel.
    case openSettings
    case editSetting(Settings.Key, String)
    case focusSetting(Settings.Key)
    case toggleRevealKey
    case submitSettings
    case closeSettings
    case dismissBanner(Int)

    // Effects reporting back
    case lookedUp(phone: String, earlier: StoredLead?)
    case queued(StoredLead)
    /// An edited lead went back to the queue; the form being typed is left alone.
    case resent(StoredLead)
    case historyLoaded(rows: [StoredLead], counts: [LeadState: Int], nextDue: Date?, held: Bool)
    case delivered(StoredLead)
    case settingsSaved(Settings)
    case failed(String)

    // The system
    case started
}

/// Work the store runs for the reducer; its results come back as actions.
public enum Effect: Sendable, Equatable {
    case lookUpPhone(PhoneNumber)
    case enqueue(ValidLead)
    case resend(id: Int64, ValidLead)
    case loadHistory(HistoryQuery)
    /// Held leads back to the queue, every queued lead due now.
    case releaseAndRetry
    case saveSettings(Settings)
    /// Tell the deliverer there is work (a new lead, new credentials).
    case wakeDeliverer
}
