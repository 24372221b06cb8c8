import ParamantraAPI

/// How an expo's badges print a visitor when they are not a vCard or a MECARD: fields in a
/// fixed order with one delimiter between them, e.g. `name|company|phone|email` (the setting
/// `scan_format`). The delimiter is the first character of the setting that is not part of a
/// field's name; `skip` stands for a field the lead has no use for (a badge number).
public struct ScanFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, CaseIterable {
        /// The whole name, split as import splits a Name column ("Kumar, Rahul", "Dr. Anil Mehta").
        case name
        case firstName = "first_name"
        case lastName = "last_name"
        case phone, email, company, title, notes, skip
    }

    public let fields: [Field]
    public let delimiter: Character

    /// What the setting says, as typed (`config show` prints it back).
    public var description: String { fields.map(\.rawValue).joined(separator: String(delimiter)) }

    /// Reads a setting such as `name|company|phone|email` or `first_name;last_name;phone`; the
    /// message says what is wrong.
    public init(_ text: String) throws(Problem) {
        let spec = text.trimmingSpace()
        guard
            let delimiter = spec.first(where: {
                !($0.isLetter || $0 == "_")
            })
        else {
            throw .noDelimiter
        }
        guard !delimiter.isWhitespace, !delimiter.isLetter else { throw .noDelimiter }
        let names = spec.split(separator: delimiter, omittingEmptySubsequences: false).map {
            $0.trimmingSpace().lowercased()
        }
        var fields: [Field] = []
        for name in names {
            guard let field = Field(rawValue: name) else { throw .unknownField(name) }
            if field != .skip, fields.contains(field) { throw .repeated(name) }
            fields.append(field)
        }
        guard fields.contains(.phone) || fields.contains(.email) else { throw .noContact }
        guard fields.contains(.name) || fields.contains(.firstName) || fields.contains(.lastName) else {
            throw .noName
        }
        if fields.contains(.name), fields.contains(.firstName) || fields.contains(.lastName) { throw .twoNames }
        self.fields = fields
        self.delimiter = delimiter
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case noDelimiter
        case unknownField(String)
        case repeated(String)
        case noContact
        case noName
        case twoNames

        public var description: String {
            let known = Field.allCases.map(\.rawValue).joined(separator: ", ")
            switch self {
            case .noDelimiter:
                return "the badge's fields in order with their delimiter between them, e.g. name|company|phone|email"
            case .unknownField(let name):
                return "fields named from \(known) (\"\(name)\" is not one)"
            case .repeated(let name): return "each field once (\"\(name)\" is there twice)"
            case .noContact: return "fields that include phone or email"
            case .noName: return "fields that include name, or first_name and last_name"
            case .twoNames: return "either name or first_name/last_name, not both"
            }
        }
    }

    /// A badge's text as a contact when it has this format's fields (a delimiter at the end is
    /// allowed); nil when it does not look like one of these badges.
    public func read(_ text: String) -> ScannedContact? {
        var values = text.split(separator: delimiter, omittingEmptySubsequences: false).map {
            $0.trimmingSpace()
        }
        if values.count == fields.count + 1, values.last == "" { values.removeLast() }
        guard values.count == fields.count else { return nil }
        var contact = ScannedContact(kind: .badge)
        for (field, value) in zip(fields, values) where !value.isEmpty {
            switch field {
            case .name: contact.takeName(value)
            case .firstName: contact.firstName = value
            case .lastName: contact.lastName = value
            case .phone: contact.phone = value
            case .email: contact.email = value
            case .company: contact.notes.append("Company: \(value)")
            case .title: contact.notes.append("Job title: \(value)")
            case .notes: contact.notes.append(value)
            case .skip: continue
            }
        }
        // A phone that is not a number stays as printed: the form shows the problem at Phone.
        return contact
    }
}
