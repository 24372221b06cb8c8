import Foundation
import ParamantraAPI

/// One contact of a vCard file, as a lead needs it, and the pure rules that read a card's
/// properties (vCard 2.1, 3.0 and 4.0 as phones export them).
public struct VCardContact: Equatable, Sendable {
    public var firstName = ""
    public var lastName = ""
    public var fullName = ""
    public var phone = ""
    public var email = ""
    public var notes: [String] = []

    /// The columns a contact fills, named so the importer's common names map them.
    public static let header = ["First name", "Last name", "Name", "Phone", "Email", "Notes"]

    public var row: [String] {
        [firstName, lastName, fullName, phone, email, notes.joined(separator: "\n")]
    }

    public init() {}
}

extension VCardContact {
    /// A card's properties as a lead: the name from N (FN when N is empty), a mobile number
    /// first (then one marked preferred, then the first), the other numbers, emails, the
    /// organisation, title and note into the notes with their labels.
    public init(properties: [VCardProperty]) {
        self.init()
        var phones: [(number: String, types: [String])] = []
        var emails: [String] = []
        var extra: [String] = []
        for property in properties {
            switch property.name {
            case "N":
                let parts = property.components
                lastName = parts.first ?? ""
                firstName = [parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : ""]
                    .filter { !$0.isEmpty }.joined(separator: " ")
                if parts.count > 3, !parts[3].isEmpty { extra.append("Title: \(parts[3])") }
            case "FN": fullName = property.text
            case "TEL":
                var number = property.text
                if number.lowercased().hasPrefix("tel:") { number = String(number.dropFirst(4)) }
                if !number.isEmpty { phones.append((number, property.types)) }
            case "EMAIL": if !property.text.isEmpty { emails.append(property.text) }
            case "ORG":
                let org = property.components.filter { !$0.isEmpty }.joined(separator: ", ")
                if !org.isEmpty { extra.append("Company: \(org)") }
            case "TITLE": if !property.text.isEmpty { extra.append("Job title: \(property.text)") }
            case "URL": if !property.text.isEmpty { extra.append("Website: \(property.text)") }
            case "NOTE": if !property.text.isEmpty { extra.append(property.text) }
            default: continue
            }
        }
        if !firstName.isEmpty || !lastName.isEmpty { fullName = "" }
        let mobile = phones.firstIndex { $0.types.contains("cell") || $0.types.contains("mobile") }
        let preferred = phones.firstIndex { $0.types.contains("pref") }
        if let chosen = mobile ?? preferred ?? (phones.isEmpty ? nil : 0) {
            phone = phones[chosen].number
            for (index, other) in phones.enumerated() where index != chosen {
                let label = other.types.filter { !["voice", "pref", "internet", "x-internet"].contains($0) }.first
                notes.append(
                    "\(label.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? "Other") phone: \(other.number)")
            }
        }
        email = emails.first ?? ""
        notes += emails.dropFirst().map { "Other email: \($0)" }
        notes += extra
    }
}
