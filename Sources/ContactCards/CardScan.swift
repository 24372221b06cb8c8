import ParamantraAPI

/// What a 2D scanner types when it reads a badge or a visitor's phone: a vCard, a MECARD, a
/// BIZCARD, a `tel:` link, a bare phone number, or a badge in the expo's own format
/// (`ScanFormat`). Pure: where a scan starts, whether it has ended, and what it says.
/// The vCard is read by the same property and contact rules as a vCard file's import.
public enum CardScan {
    /// The words a scan starts with (compared without case), and the kind each announces.
    public static let markers: [(text: String, kind: ScannedContact.Kind)] = [
        ("BEGIN:VCARD", .vCard), ("MECARD:", .meCard), ("BIZCARD:", .bizCard), ("tel:", .telLink)
    ]

    /// The kind of scan `text` starts with, nil when it starts with no marker.
    public static func marker(of text: some StringProtocol) -> ScannedContact.Kind? {
        markers.first {
            text.count >= $0.text.count && text.prefix($0.text.count).uppercased() == $0.text.uppercased()
        }?
        .kind
    }

    /// Whether `text` is the beginning of a marker (so more keys may still make it a scan).
    public static func mayStartMarker(_ text: some StringProtocol) -> Bool {
        let upper = text.uppercased()
        return markers.contains { $0.text.uppercased().hasPrefix(upper) }
    }

    /// Characters a phone number is printed with; a run of them may be a scanned number.
    public static func isPhoneCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isNumber || " +-().".contains(character))
    }

    /// A bare phone number as a scanner types one: phone characters only, 7 to 15 digits.
    public static func isBarePhone(_ text: some StringProtocol) -> Bool {
        let digits = text.filter(\.isNumber).count
        return (7...15).contains(digits) && text.allSatisfy(isPhoneCharacter)
    }

    /// Whether the scan `text` has reached its own end: a vCard's END:VCARD line, a MECARD's or
    /// BIZCARD's `;;`. A `tel:` link, a number and a badge end at the scanner's Enter or quiet.
    public static func isComplete(_ text: String) -> Bool {
        switch marker(of: text) {
        case .vCard?:
            let last = text.split(whereSeparator: \.isNewline).last.map { $0.trimmingSpace() } ?? ""
            return last.uppercased() == "END:VCARD"
        case .meCard?, .bizCard?:
            return fields(of: text).terminated
        default:
            return false
        }
    }

    /// What a scan says, or why it cannot be read (the form is left as it was).
    public static func read(_ text: String, format: ScanFormat?) -> Result<ScannedContact, Problem> {
        let trimmed = text.trimmingSpace()
        var contact: ScannedContact
        switch marker(of: trimmed) {
        case .vCard?:
            switch vCard(trimmed) {
            case .success(let card): contact = card
            case .failure(let problem): return .failure(problem)
            }
        case .meCard?: contact = meCard(trimmed)
        case .bizCard?: contact = bizCard(trimmed)
        case .telLink?:
            contact = ScannedContact(kind: .telLink)
            var number = trimmed.dropFirst(4)
            if number.hasPrefix("//") { number = number.dropFirst(2) }
            // Parameters after the number (`;ext=12`, `;phone-context=…`) are not part of it.
            contact.phone = String(number.prefix { $0 != ";" })
        default:
            if isBarePhone(trimmed) {
                contact = ScannedContact(kind: .phoneNumber)
                contact.phone = trimmed
            } else if let format, let badge = format.read(trimmed) {
                contact = badge
            } else {
                return .failure(.notACard)
            }
        }
        contact.normalisePhone()
        guard !contact.isEmpty else { return .failure(.nothingInIt(contact.kind)) }
        return .success(contact)
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notACard
        case cutShort(ScannedContact.Kind)
        case nothingInIt(ScannedContact.Kind)

        public var description: String {
            switch self {
            case .notACard: return "not a vCard, MECARD, BIZCARD, tel: link, phone number or badge this console reads"
            case .cutShort(let kind): return "the \(kind.rawValue) ended before its END:VCARD (the scan was cut short)"
            case .nothingInIt(let kind): return "the \(kind.rawValue) holds no name, phone or email"
            }
        }
    }

    /// The first card of a vCard's text, by the import's rules (unfolding, properties, contact).
    static func vCard(_ text: String) -> Result<ScannedContact, Problem> {
        var logical: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) {
            if let last = logical.last,
                let joined = VCardProperty.unfold(last, line, quotedPrintable: VCardProperty.isQuotedPrintable(last))
            {
                logical[logical.count - 1] = joined
            } else {
                logical.append(line)
            }
        }
        var properties: [VCardProperty] = []
        var ended = false
        for line in logical.dropFirst() {
            if line.trimmingSpace().uppercased() == "END:VCARD" {
                ended = true
                break
            }
            if VCardProperty.used.contains(VCardProperty.name(of: line)), let property = VCardProperty(line: line) {
                properties.append(property)
            }
        }
        guard ended else { return .failure(.cutShort(.vCard)) }
        let card = VCardContact(properties: properties)
        var contact = ScannedContact(kind: .vCard)
        contact.firstName = card.firstName
        contact.lastName = card.lastName
        if !card.fullName.isEmpty { contact.takeName(card.fullName) }
        contact.phone = card.phone
        contact.email = card.email
        contact.notes += card.notes
        return .success(contact)
    }

    /// The `KEY:value` fields of a MECARD or BIZCARD after its marker, unescaped (`\;` `\:`
    /// `\,` `\\`), and whether the `;;` that ends one was read.
    static func fields(of text: String) -> (fields: [(key: String, value: String)], terminated: Bool) {
        let body = text.drop { $0 != ":" }.dropFirst()
        var fields: [(String, String)] = []
        var current = ""
        var escaped = false
        var emptyField = false
        func keep(_ field: String) {
            let parts = field.split(separator: ":", maxSplits: 1).map(String.init)
            fields.append((parts[0].uppercased(), parts.count > 1 ? parts[1].trimmingSpace() : ""))
        }
        for character in body {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                if current.isEmpty {
                    emptyField = true
                    break
                }
                keep(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        // A scan cut short before its `;;` still gives what it has.
        if !emptyField, !current.isEmpty { keep(current) }
        return (fields, emptyField)
    }

    /// `MECARD:N:Kumar,Rahul;TEL:+919820011111;EMAIL:r@x.in;;` (N is family name, given name).
    static func meCard(_ text: String) -> ScannedContact {
        var contact = ScannedContact(kind: .meCard)
        var phones: [String] = []
        for (key, value) in fields(of: text).fields where !value.isEmpty {
            switch key {
            case "N":
                let halves = value.split(separator: ",", maxSplits: 1).map { $0.trimmingSpace() }
                if halves.count == 2 {
                    contact.lastName = halves[0]
                    contact.firstName = halves[1]
                } else {
                    contact.takeName(value)
                }
            case "TEL": phones.append(value)
            case "EMAIL": contact.addEmail(value)
            case "ORG": contact.notes.append("Company: \(value)")
            case "TITLE": contact.notes.append("Job title: \(value)")
            case "URL": contact.notes.append("Website: \(value)")
            case "ADR": contact.notes.append("Address: \(value)")
            case "NOTE": contact.notes.append(value)
            default: continue
            }
        }
        choosePhone(phones, into: &contact)
        return contact
    }

    /// `BIZCARD:N:Rahul;X:Kumar;T:Manager;C:Acme;B:+912240001111;M:+919820011111;E:r@x.in;;`
    /// (ZXing's reading: N first name, X last name, T title, C company, A address, B phone,
    /// M mobile, F fax, E email).
    static func bizCard(_ text: String) -> ScannedContact {
        var contact = ScannedContact(kind: .bizCard)
        var mobile: String?
        var others: [(label: String, number: String)] = []
        for (key, value) in fields(of: text).fields where !value.isEmpty {
            switch key {
            case "N": contact.firstName = value
            case "X": contact.lastName = value
            case "T": contact.notes.append("Job title: \(value)")
            case "C": contact.notes.append("Company: \(value)")
            case "A": contact.notes.append("Address: \(value)")
            case "M": if mobile == nil { mobile = value } else { others.append(("Mobile", value)) }
            case "B": others.append(("Work", value))
            case "F": others.append(("Fax", value))
            case "E": contact.addEmail(value)
            default: continue
            }
        }
        if let mobile {
            contact.phone = mobile
        } else if let index = others.firstIndex(where: { $0.label != "Fax" }) {
            contact.phone = others.remove(at: index).number
        }
        contact.notes += others.map { "\($0.label) phone: \($0.number)" }
        return contact
    }

    /// The first mobile number (an Indian mobile starts 6-9), else the first; the others to notes.
    static func choosePhone(_ phones: [String], into contact: inout ScannedContact) {
        let mobile = phones.firstIndex {
            if case .success(let number) = PhoneNumber.parse($0) { return number.isMobile }
            return false
        }
        guard let chosen = mobile ?? (phones.isEmpty ? nil : 0) else { return }
        contact.phone = phones[chosen]
        for (index, other) in phones.enumerated() where index != chosen {
            contact.notes.append("Other phone: \(other)")
        }
    }
}
