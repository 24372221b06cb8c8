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

/// One content line of a card, unfolded: `group.NAME;PARAM=A,B;BARE:value`.
public struct VCardProperty: Equatable, Sendable {
    public let name: String
    /// Parameter values by upper-case name; bare 2.1 parameters (`CELL`, `QUOTED-PRINTABLE`)
    /// are filed under TYPE or ENCODING as vCard 3.0 would write them.
    public let parameters: [String: [String]]
    /// The raw value, still escaped and encoded.
    public let rawValue: String

    public init?(line: String) {
        // The value starts after the first colon outside a quoted parameter value.
        var quoted = false
        var colon: String.Index?
        for index in line.indices {
            if line[index] == "\"" { quoted.toggle() }
            if line[index] == ":", !quoted {
                colon = index
                break
            }
        }
        guard let colon else { return nil }
        let head = line[..<colon].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard let first = head.first, !first.isEmpty else { return nil }
        name = String(first.split(separator: ".").last ?? Substring(first)).uppercased()
        var parameters: [String: [String]] = [:]
        for parameter in head.dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            let values: [String]
            let key: String
            if parts.count == 2 {
                key = parts[0].uppercased()
                values = parts[1].replacingOccurrences(of: "\"", with: "").split(separator: ",").map {
                    $0.trimmingSpace(newlines: false)
                }
            } else {
                let bare = parameter.uppercased()
                key = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT"].contains(bare) ? "ENCODING" : "TYPE"
                values = [parameter]
            }
            parameters[key, default: []] += values
        }
        self.parameters = parameters
        rawValue = String(line[line.index(after: colon)...])
    }

    public var types: [String] { (parameters["TYPE"] ?? []).map { $0.lowercased() } }

    public var isQuotedPrintable: Bool {
        (parameters["ENCODING"] ?? []).contains { $0.uppercased() == "QUOTED-PRINTABLE" }
    }

    /// The value decoded (quoted-printable in its charset, UTF-8 unless said) but still escaped.
    public var decoded: String {
        guard isQuotedPrintable else { return rawValue }
        let bytes = VCardProperty.quotedPrintable(rawValue)
        let charset = (parameters["CHARSET"]?.first ?? "UTF-8").uppercased()
        if charset == "UTF-8" || charset == "UTF8" {
            var check = SheetText.UTF8Check()
            check.feed(bytes)
            if check.isComplete { return String(decoding: bytes, as: UTF8.self) }
        }
        return String(decoding: SheetText.utf8(fromWindows1252: bytes), as: UTF8.self)
    }

    /// The components of a structured value (N: family;given;additional;prefix;suffix), unescaped.
    public var components: [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in decoded {
            if escaped {
                current.append(character == "n" || character == "N" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingSpace(newlines: false) }
    }

    /// The whole value unescaped (a `;` in it is text).
    public var text: String { components.joined(separator: ";").trimmingSpace(newlines: false) }

    static func quotedPrintable(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let byte = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return bytes
    }
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
