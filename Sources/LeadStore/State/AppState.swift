import Foundation
import ParamantraAPI

/// Everything the console shows, in one value. Views draw it; only the reducer changes it.
public struct AppState: Sendable, Equatable {
    public var form: FormState
    public var history = HistoryState()
    public var settings: Settings
    public var delivery = DeliveryStatus.idle
    public var banners: [Banner] = []
    public var screen = Screen.main
    /// The settings screen's draft while it is open.
    public var settingsForm: SettingsForm?
    /// Ids handed to banners, so one can be dismissed.
    var nextBannerID = 1

    public init(settings: Settings = Settings()) {
        self.settings = settings
        self.form = FormState(settings: settings)
    }

    public enum Screen: Sendable, Equatable { case main, settings }
}

/// The settings being edited: text as typed, checked only on save.
public struct SettingsForm: Sendable, Equatable {
    public static let fields: [Settings.Key] = [
        .endpoint, .apiKey, .appName, .defaultSubject, .defaultChannel, .defaultRep, .defaultProject,
        .alertClient, .alertRep, .phoneFormat,
    ]
    public var values: [Settings.Key: String]
    public var focus: Settings.Key = .apiKey
    /// The key is shown masked unless the rep asks to see it (F3).
    public var revealKey = false
    public var problems: [Settings.Key: String] = [:]

    public init(_ settings: Settings) {
        values = Dictionary(uniqueKeysWithValues: Settings.Key.allCases.map { ($0, settings[$0]) })
    }
}

/// The lead being typed.
public struct FormState: Sendable, Equatable {
    public var lead: Lead
    public var focus: LeadField = .firstName
    /// Problems shown next to their field (set when a field is left or on submit).
    public var problems: [LeadField: FieldProblem] = [:]
    /// "Already sent on DATE as CRM #ID": shown under the phone; submitting again sends anyway.
    public var duplicateWarning: String?
    /// The phone the warning is about: a changed phone clears it.
    public var warnedPhone: String?
    /// Waiting for the duplicate look-up or the write to disk.
    public var isSaving = false

    /// A new form: the per-customer fields empty, the rest from the settings' defaults.
    public init(settings: Settings) {
        lead = Lead(project: settings.defaultProject, subject: settings.defaultSubject, channel: settings.defaultChannel,
                    rep: settings.defaultRep, alertClient: settings.alertClient, alertRep: settings.alertRep)
    }

    /// After a submit: the customer's fields empty, subject, channel, rep, project and alerts kept
    /// as they were (a walk-in lead is name, Tab, phone, Ctrl-S).
    mutating func clearCustomer() {
        for field in [LeadField.firstName, .lastName, .phone, .email, .notes] { lead[field] = "" }
        problems = [:]
        duplicateWarning = nil
        warnedPhone = nil
        focus = .firstName
        isSaving = false
    }
}

/// The history pane: one page of leads, newest first, and the count per state.
public struct HistoryState: Sendable, Equatable {
    public var filter: LeadState?
    public var search = ""
    public var rows: [StoredLead] = []
    public var counts: [LeadState: Int] = [:]
    public var pageSize = 50

    public var query: HistoryQuery {
        HistoryQuery(state: filter, search: search.isEmpty ? nil : search, limit: pageSize)
    }
}

/// What the delivery line says.
public enum DeliveryStatus: Sendable, Equatable {
    case idle
    /// Leads wait for another attempt; the next is due at this time.
    case waiting(queued: Int, nextAttempt: Date?)
    /// Refused credentials stopped the queue.
    case held(message: String)
}

public struct Banner: Sendable, Equatable, Identifiable {
    public enum Kind: Sendable, Equatable { case info, success, warning, error }
    public let id: Int
    public let kind: Kind
    /// Clean of control characters.
    public let text: String

    public init(id: Int, kind: Kind, text: String) {
        self.id = id
        self.kind = kind
        self.text = text
    }
}
