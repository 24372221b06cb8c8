/// Every field of the Paramantra lead form, with its wire name and the limits we check.
public enum LeadField: String, Sendable, CaseIterable, Codable, Hashable {
    case firstName, lastName, phone, email, project, notes, subject, channel, rep, alertClient, alertRep

    /// The form name on the wire (`l_name`, not the table's typo `I_name`).
    public var wireName: String {
        switch self {
        case .firstName: return "f_name"
        case .lastName: return "l_name"
        case .email: return "email"
        case .phone: return "phonefax"
        case .subject: return "subject"
        case .channel: return "channel_id"
        case .notes: return "notes"
        case .rep: return "rep_id"
        case .project: return "proje_1"
        case .alertClient: return "alert_client"
        case .alertRep: return "alert_rep"
        }
    }

    /// The label a person reads, in messages and on the form.
    public var label: String {
        switch self {
        case .firstName: return "First name"
        case .lastName: return "Last name"
        case .email: return "Email"
        case .phone: return "Phone"
        case .subject: return "Subject"
        case .channel: return "Channel"
        case .notes: return "Notes"
        case .rep: return "Rep"
        case .project: return "Project"
        case .alertClient: return "Alert customer"
        case .alertRep: return "Alert rep"
        }
    }

    /// Required by the vendor's table: phonefax, subject, channel_id, rep_id.
    public var isRequired: Bool {
        switch self {
        case .phone, .subject, .channel, .rep: return true
        default: return false
        }
    }

    /// Generous limits in characters: long enough for any real value, short enough that a paste
    /// accident (a whole document in a name) is caught at the field instead of at the server.
    public var maxLength: Int {
        switch self {
        case .firstName, .lastName: return 100
        case .email: return 254  // RFC 5321 path limit
        case .phone: return 32
        case .subject, .project: return 200
        case .channel, .rep: return 100
        case .notes: return 5000
        case .alertClient, .alertRep: return 1
        }
    }

    /// Notes may hold several lines; every other text field is one line.
    public var isMultiline: Bool { self == .notes }
}
