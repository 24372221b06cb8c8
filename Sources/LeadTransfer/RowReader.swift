import ContactCards
import Foundation
import ParamantraAPI

/// One CSV row turned into a lead: the mapped columns, then the defaults for what the file
/// leaves empty. Pure, so every rule is a table test.
public struct RowReader: Sendable {
    public let map: ColumnMap
    /// Subject, channel, rep and project for rows that do not say (settings or --subject ...).
    public let defaults: Lead

    public init(map: ColumnMap, defaults: Lead) {
        self.map = map
        self.defaults = defaults
    }

    /// The lead a row makes, and problems the form's rules cannot see (a phone the spreadsheet
    /// turned into a number in scientific notation): any of them makes the row invalid.
    public func read(_ row: [String]) -> (lead: Lead, problems: [FieldProblem]) {
        var lead = Lead(
            project: defaults.project, subject: defaults.subject, channel: defaults.channel, rep: defaults.rep,
            alertClient: defaults.alertClient, alertRep: defaults.alertRep)
        var problems: [FieldProblem] = []
        var nameNotes: [String] = []
        var extraNotes: [String] = []
        // In column order, so notes gathered from several columns read as the sheet does.
        for (index, target) in map.targets.sorted(by: { $0.key < $1.key }) where index < row.count {
            let value = row[index].trimmingSpace()
            guard !value.isEmpty else { continue }
            switch target {
            case .field(.firstName), .field(.lastName):
                let (name, notes) = PersonName.strip(TerminalText.clean(value))
                if case .field(let field) = target { lead[field] = name }
                nameNotes += notes
            case .field(.notes) where map.labelledNotes.contains(index):
                // A further column read as notes: its values keep their heading.
                extraNotes.append(
                    "\(map.header[index]): " + TerminalText.clean(value, keepNewlines: true, keepTabs: false))
            case .field(let field):
                if field == .phone, let problem = Self.scientificPhone(value) { problems.append(problem) }
                // Outside text: escape sequences and control characters go; notes keep lines.
                lead[field] = TerminalText.clean(value, keepNewlines: field.isMultiline, keepTabs: false)
            case .fullName:
                let parts = PersonName.split(TerminalText.clean(value))
                if lead.firstName.isEmpty { lead.firstName = parts.first }
                if lead.lastName.isEmpty { lead.lastName = parts.last }
                nameNotes += parts.notes
            }
        }
        let notes = [lead.notes] + extraNotes + nameNotes
        lead.notes = notes.filter { !$0.isEmpty }.joined(separator: "\n")
        return (lead, problems)
    }

    public func lead(from row: [String]) -> Lead { read(row).lead }

    /// A phone the spreadsheet stored as a number and wrote in scientific notation
    /// (9.82001E+09): its digits are gone, only the sheet's author can bring them back.
    static func scientificPhone(_ value: String) -> FieldProblem? {
        // d[.d+]E[+]dd, checked by hand: a Regex built per row cost more than the rest of the row.
        let bytes = Array(value.utf8)
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else {
            return nil
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let mantissa = bytes[..<e]
        var exponent = bytes[(e + 1)...]
        if exponent.first == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
        guard let first = mantissa.first, isDigit(first), (1...2).contains(exponent.count), exponent.allSatisfy(isDigit)
        else { return nil }
        let fraction = mantissa.dropFirst()
        guard
            fraction.isEmpty
                || (fraction.count >= 2 && (fraction.first == UInt8(ascii: ".") || fraction.first == UInt8(ascii: ","))
                    && fraction.dropFirst().allSatisfy(isDigit))
        else { return nil }
        return FieldProblem(
            .phone,
            "the spreadsheet turned this number into \(value): format the column as text (or as a number with 0 decimals) and export again"
        )
    }

    /// Whether a row holds nothing at all (spreadsheets end with blank lines).
    public static func isBlank(_ row: [String]) -> Bool {
        row.allSatisfy { $0.trimmingSpace().isEmpty }
    }

    /// The lead a row of one of our files is (its `lead_id` cell), if it names one.
    public func leadID(_ row: [String]) -> UUID? {
        guard let index = map.identityColumn, index < row.count else { return nil }
        return UUID(uuidString: row[index].trimmingSpace())
    }
}
