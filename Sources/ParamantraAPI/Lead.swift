import Foundation

/// One walk-in customer as the rep typed them. Values are kept exactly as given (UTF-8, any
/// script, emoji); `cleaned()` removes what must never travel or reach a screen.
public struct Lead: Sendable, Hashable, Codable {
    public var firstName: String
    public var lastName: String
    public var phone: String
    public var email: String
    public var project: String
    public var notes: String
    public var subject: String
    public var channel: String
    public var rep: String
    public var alertClient: Bool
    public var alertRep: Bool

    public init(
        firstName: String = "", lastName: String = "", phone: String = "", email: String = "",
        project: String = "", notes: String = "", subject: String = "", channel: String = "",
        rep: String = "", alertClient: Bool = false, alertRep: Bool = false
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.project = project
        self.notes = notes
        self.subject = subject
        self.channel = channel
        self.rep = rep
        self.alertClient = alertClient
        self.alertRep = alertRep
    }

    /// The text of a field (alerts as "0"/"1").
    public subscript(field: LeadField) -> String {
        get {
            switch field {
            case .firstName: return firstName
            case .lastName: return lastName
            case .phone: return phone
            case .email: return email
            case .project: return project
            case .notes: return notes
            case .subject: return subject
            case .channel: return channel
            case .rep: return rep
            case .alertClient: return alertClient ? "1" : "0"
            case .alertRep: return alertRep ? "1" : "0"
            }
        }
        set {
            switch field {
            case .firstName: firstName = newValue
            case .lastName: lastName = newValue
            case .phone: phone = newValue
            case .email: email = newValue
            case .project: project = newValue
            case .notes: notes = newValue
            case .subject: subject = newValue
            case .channel: channel = newValue
            case .rep: rep = newValue
            case .alertClient: alertClient = newValue == "1"
            case .alertRep: alertRep = newValue == "1"
            }
        }
    }

    /// One-line fields lose escape sequences and control characters (a newline becomes a space)
    /// and surrounding whitespace; notes keep their lines and tabs. Nothing else changes: no
    /// Unicode normalisation, so "José" and "नमस्ते" are sent byte for byte as typed.
    public func cleaned() -> Lead {
        var copy = self
        for field in LeadField.allCases where field != .alertClient && field != .alertRep {
            let raw = self[field]
            let text = TerminalText.clean(raw, keepNewlines: field.isMultiline, keepTabs: field.isMultiline)
            copy[field] =
                field.isMultiline
                ? text.trimmingSpace()
                : text.trimmingSpace(newlines: false)
        }
        return copy
    }
}
