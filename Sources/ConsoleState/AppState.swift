import ContactCards
import Foundation
import LeadOutbox
import ParamantraAPI

/// Everything the console shows, in one value. Views draw it; only the reducer changes it.
public struct AppState: Sendable, Equatable {
    public var form: FormState
    public var historyPane = HistoryPane()
    public var settings: Settings
    public var delivery = DeliveryStatus.idle
    public var banners: [Banner] = []
    public var screen = Screen.main
    /// Help or the quit question, drawn over the screen; Esc closes it.
    public var overlay: Overlay?
    /// The full-screen history (F3): a window of the history paged from the database.
    public var historyScreen = HistoryScreenState()
    /// The stats screen (F6): a period's figures, read again as leads are saved and answered.
    public var stats = StatsState()
    /// The settings screen's draft while it is open (kept when the rep looks at another screen).
    public var settingsForm: SettingsForm?
    /// Running against the built-in sandbox: the status line says DEMO.
    public var isDemo = false
    /// Settings given by environment variables (key → variable name): read-only on screen.
    public var environmentSources: [Settings.Key: String] = [:]
    /// Ids handed to banners, so one can be dismissed.
    var nextBannerID = 1
    /// Leads saved with Ctrl-S whose write to disk has not finished, by token: each one exactly
    /// as the form held it at the key. The form itself is already the next lead's.
    public var saving: [Int: PendingSave] = [:]
    var nextSaveToken = 1
    /// The form as it was before the last Ctrl-N cleared it (Ctrl-Y brings it back).
    public var cleared: FormState?
    /// Values used before, for completing Subject, Channel, Rep and Project as they are typed.
    public var suggestions = Suggestions()
    /// Leads whose save failed while the rep was already typing the next one: each comes back
    /// in the form, with its error, when the form is free again (after the next Ctrl-S).
    public var unsaved: [FormState] = []
    /// Scans that came while the form held an unsent lead: each fills the next free form, in
    /// the order they were scanned (a queue of visitors at the stand).
    public var scans: [ScannedContact] = []

    public init(settings: Settings = Settings(), isDemo: Bool = false, environmentSources: [Settings.Key: String] = [:])
    {
        self.settings = settings
        self.form = FormState(settings: settings)
        self.isDemo = isDemo
        self.environmentSources = environmentSources
    }

    public enum Screen: Sendable, Equatable { case main, history, settings, stats }
    /// `messages`: the message log (F7), every recent message whole.
    public enum Overlay: Sendable, Equatable { case help, confirmQuit, messages }
}

/// The settings being edited: text as typed, checked only on save.
public struct SettingsForm: Sendable, Equatable {
    public static let fields: [Settings.Key] = [
        .endpoint, .apiKey, .appName, .defaultSubject, .defaultChannel, .defaultRep, .defaultProject,
        .alertClient, .alertRep, .keepProject, .phoneFormat, .scanFormat
    ]

    /// Settings with a fixed set of values: chosen with Space, Left or Right, never typed.
    public static func choices(_ key: Settings.Key) -> [String]? {
        if key.isFlag { return ["false", "true"] }
        if key == .phoneFormat { return PhoneNumber.WireFormat.allCases.map(\.rawValue) }
        return nil
    }

    /// The defaults a lead cannot be sent without (the vendor's required fields).
    public static let required: Set<Settings.Key> = [
        .endpoint, .apiKey, .appName, .defaultSubject, .defaultChannel, .defaultRep
    ]
    public var values: [Settings.Key: String]
    public var focus: Settings.Key = .apiKey
    /// Where typing goes in the focused value, in characters.
    public var caret: Int
    /// The key is shown masked unless the rep asks to see it (Ctrl-R).
    public var revealKey = false
    public var problems: [Settings.Key: String] = [:]
    /// What the screen asks of the rep (first start: what to fill in).
    public var notice: String?

    public init(_ settings: Settings, notice: String? = nil, readOnly: Set<Settings.Key> = []) {
        values = Dictionary(uniqueKeysWithValues: Settings.Key.allCases.map { ($0, settings[$0]) })
        caret = settings.apiKey.count
        self.notice = notice
        self.readOnly = readOnly
        focus(on: Self.editable(from: .apiKey, step: 0, readOnly: readOnly) ?? .apiKey)
    }

    /// Values the environment gives (`PARAMANTRA_*`): shown, never focused, never typed into.
    public let readOnly: Set<Settings.Key>

    /// The field a move of `step` from `key` lands on: `key` itself when `step` is 0, the next
    /// one the person can change otherwise; nil when none can be changed.
    public static func editable(from key: Settings.Key, step: Int, readOnly: Set<Settings.Key>) -> Settings.Key? {
        guard let start = fields.firstIndex(of: key) else { return nil }
        for offset in (step == 0 ? 0 : 1)...fields.count {
            let index = ((start + offset * (step < 0 ? -1 : 1)) % fields.count + fields.count) % fields.count
            if !readOnly.contains(fields[index]) { return fields[index] }
        }
        return nil
    }

    /// Puts the caret at the end of `key`'s value.
    public mutating func focus(on key: Settings.Key) {
        focus = key
        caret = values[key]?.count ?? 0
    }
}

/// A lead on its way to disk: what Ctrl-S saw, validated, and the form as it was (to give back
/// if the save fails or the phone needs a second look).
public struct PendingSave: Sendable, Equatable {
    public let valid: ValidLead
    public let form: FormState
}

/// The lead being typed.
/// A value used before, drawn dim after what is typed in the focused field (the caret at its
/// end): the one thing on the form that is not a value. The view draws it and Ctrl-S asks about
/// it from this same rule, so what the rep sees is what is sent.
public struct VisibleCompletion: Sendable, Equatable {
    public let field: LeadField
    public let typed: String
    public let completion: String
}

extension AppState {
    public var visibleCompletion: VisibleCompletion? {
        let field = form.focus
        let typed = form.lead[field]
        guard form.caret == typed.count, let completion = suggestions.completion(field, typed: typed) else {
            return nil
        }
        return VisibleCompletion(field: field, typed: typed, completion: completion)
    }
}

public struct FormState: Sendable, Equatable {
    /// Any change to the lead forgets the counted lengths; `.edit` then counts its own field again.
    public var lead: Lead { didSet { lengths = Lengths() } }
    public var focus: LeadField = .firstName
    /// Where typing goes in the focused field, in characters (0 = before the first).
    public var caret = 0
    /// Problems shown next to their field (set when a field is left or on submit).
    public var problems: [LeadField: FieldProblem] = [:]
    /// "Already sent on DATE as CRM #ID": shown under the phone; submitting again sends anyway.
    public var duplicateWarning: String?
    /// The phone the warning is about: a changed phone clears it.
    public var warnedPhone: String?
    /// What the history knows of the phone typed, looked up as soon as it holds ten valid digits
    /// (nil while it does not).
    public var customer: CustomerLookup?
    /// The form holds a copy of this rejected or held lead (`e` in the history): Ctrl-S sends
    /// that record again instead of queueing a new one.
    public var resending: Int64?
    /// The completion a Ctrl-S stopped at ("sm" showing "smithparkar"): a second Ctrl-S with
    /// the same field, text and completion sends what was typed.
    public var askedCompletion: VisibleCompletion?
    /// Filled from a waiting scan by the Ctrl-S that sent the lead before it: a second Ctrl-S
    /// while that save is still in flight is the same key pressed twice, not a look at this one.
    public var filledOnSend = false
    /// Typed characters left out of a full field since it filled, and the message counting them.
    public var leftOut: LeftOut?
    /// Fields' lengths in characters as last counted (or known without counting: typing at the
    /// end adds what it typed), so a key does not walk the field's text to learn where its end is.
    private var lengths = Lengths()

    /// A cache, not part of what the form holds: two forms with the same text are equal whether
    /// or not their lengths were counted.
    struct Lengths: Sendable, Equatable {
        private var known: [LeadField: Int] = [:]
        subscript(field: LeadField) -> Int? {
            get { known[field] }
            set { known[field] = newValue }
        }
        static func == (_: Lengths, _: Lengths) -> Bool { true }
    }

    public struct LeftOut: Sendable, Equatable {
        public let field: LeadField
        public var count: Int
        public let banner: Int
    }

    /// Whether quitting now would lose something the rep typed about a customer.
    public var hasCustomerText: Bool { Self.hasCustomerText(lead) }

    /// A lead with something of the customer's in it (a draft kept from a closed console).
    static func hasCustomerText(_ lead: Lead) -> Bool {
        [LeadField.firstName, .lastName, .phone, .email, .notes].contains {
            !lead[$0].trimmingSpace().isEmpty
        }
    }

    /// A new form: the per-customer fields empty, the rest from the settings' defaults.
    public init(settings: Settings) {
        lead = Lead(
            project: settings.defaultProject, subject: settings.defaultSubject, channel: settings.defaultChannel,
            rep: settings.defaultRep, alertClient: settings.alertClient, alertRep: settings.alertRep)
    }

    /// Puts the cursor at the end of `field`.
    mutating func focus(on field: LeadField) {
        focus = field
        caret = length(of: field)
        lengths[field] = caret
    }

    /// `field`'s length in characters: remembered when known, counted when not.
    public func length(of field: LeadField) -> Int {
        lengths[field] ?? lead[field].count
    }

    /// Whether `field` holds as many characters as it may.
    public func isFull(_ field: LeadField) -> Bool {
        if let length = lengths[field] { return length >= field.maxLength }
        // Fewer bytes than the limit is fewer characters too: no need to count.
        return lead[field].utf8.count >= field.maxLength && lead[field].count >= field.maxLength
    }

    /// Sets `field` to `value` whose length in characters is `length` when the caller knows it.
    mutating func set(_ field: LeadField, _ value: String, length: Int?) {
        lead[field] = value
        lengths[field] = length ?? value.count
    }

    /// The fields that stay for the next lead with these settings (the form marks them).
    public static func keptFields(_ settings: Settings) -> Set<LeadField> {
        settings.keepProject
            ? [.subject, .channel, .rep, .project, .alertClient, .alertRep] : [.subject, .channel, .rep]
    }

    /// After a submit (or Ctrl-N): the customer's fields empty; Subject, Channel and Rep kept as
    /// they were, and Project and the alerts too unless the settings say otherwise (then they go
    /// back to the defaults). A walk-in lead is name, Tab, phone, Ctrl-S.
    mutating func clearCustomer(settings: Settings? = nil) {
        for field in [LeadField.firstName, .lastName, .phone, .email, .notes] { lead[field] = "" }
        if let settings, !settings.keepProject {
            lead.project = settings.defaultProject
            lead.alertClient = settings.alertClient
            lead.alertRep = settings.alertRep
        }
        problems = [:]
        duplicateWarning = nil
        warnedPhone = nil
        customer = nil
        focus = .firstName
        caret = 0
        resending = nil
        askedCompletion = nil
        filledOnSend = false
    }
}

/// The history pane: the newest leads and the count per state. (Search and the state filter
/// belong to the history screen, `HistoryScreenState`.)
public struct HistoryPane: Sendable, Equatable {
    public var rows: [StoredLead] = []
    public var counts: [LeadState: Int] = [:]
    public var pageSize = 50
    /// False until the first page arrives (the console draws before the database is open).
    public var loaded = false
    /// The row clicked in the pane (a double-click opens it on the history screen).
    public var selectedID: Int64?

    public var query: HistoryQuery {
        HistoryQuery(limit: pageSize)
    }
}

/// The returning-customer look-up of the phone being typed.
public enum CustomerLookup: Sendable, Equatable {
    /// Asked; the answer has not come back yet.
    case asking(phone: String)
    /// The phone is not in the history: a new customer.
    case new(phone: String)
    /// Seen before: the card under the phone says how often and when.
    case returning(ReturningCustomer)

    public var phone: String {
        switch self {
        case .asking(let phone), .new(let phone): return phone
        case .returning(let customer): return customer.phone
        }
    }

    /// Whether the rep has had the answer on screen (a Ctrl-S then sends at once).
    public var isAnswered: Bool {
        if case .asking = self { return false }
        return true
    }
}

/// What the delivery line says.
public enum DeliveryStatus: Sendable, Equatable {
    case idle
    /// Leads wait for another attempt; the next is due at this time.
    case waiting(queued: Int, nextAttempt: Date?)
    /// Refused credentials stopped the queue.
    case held(LeadHold)
}

public struct Banner: Sendable, Equatable, Identifiable {
    public enum Kind: Sendable, Equatable { case info, success, warning, error }
    public let id: Int
    public let kind: Kind
    /// Clean of control characters.
    public internal(set) var text: String

    public init(id: Int, kind: Kind, text: String) {
        self.id = id
        self.kind = kind
        self.text = text
    }
}
