import ParamantraAPI

/// A visitor as a scanned card gives them to the lead form: the name split as import splits it,
/// the phone normalised as a typed one is, the email, and the rest (other numbers, company,
/// title, website, address) as lines for Notes.
public struct ScannedContact: Sendable, Equatable, Codable {
    /// What was scanned, in the message line's words ("Scanned: Rahul Kumar (vCard)").
    public enum Kind: String, Sendable, Equatable, Codable {
        case vCard = "vCard"
        case meCard = "MECARD"
        case bizCard = "BIZCARD"
        case telLink = "tel: link"
        case phoneNumber = "phone number"
        case badge = "badge"
    }

    public var kind: Kind
    public var firstName = ""
    public var lastName = ""
    public var phone = ""
    public var email = ""
    public var notes: [String] = []

    public init(kind: Kind) { self.kind = kind }

    /// A whole name from one value, split as import splits a Name column (titles to the notes).
    mutating func takeName(_ whole: String) {
        let parts = PersonName.split(whole)
        firstName = parts.first
        lastName = parts.last
        notes += parts.notes
    }

    /// The first email is the lead's; any other goes to the notes.
    mutating func addEmail(_ value: String) {
        if email.isEmpty { email = value } else { notes.append("Other email: \(value)") }
    }

    /// The name for the message line, else the phone, else the email.
    public var label: String {
        let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? (phone.isEmpty ? email : phone) : name
    }

    /// Notes as the form's Notes field holds them: one line each.
    public var notesText: String { notes.joined(separator: "\n") }

    var isEmpty: Bool { firstName.isEmpty && lastName.isEmpty && phone.isEmpty && email.isEmpty }

    /// The phone as the form keeps a typed one once it is valid: ten digits (`+91 98200-11111`
    /// is 9820011111); a number that is not one stays as printed, for the form to point at.
    mutating func normalisePhone() {
        phone = phone.trimmingSpace()
        if case .success(let number) = PhoneNumber.parse(phone) { phone = number.tenDigits }
    }
}
