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

    public func lead(from row: [String]) -> Lead {
        var lead = Lead(
            project: defaults.project, subject: defaults.subject, channel: defaults.channel, rep: defaults.rep,
            alertClient: defaults.alertClient, alertRep: defaults.alertRep)
        for (index, target) in map.targets where index < row.count {
            let value = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            switch target {
            case .field(let field):
                // Outside text: escape sequences and control characters go; notes keep lines.
                lead[field] = TerminalText.clean(value, keepNewlines: field.isMultiline, keepTabs: false)
            case .fullName:
                let clean = TerminalText.clean(value)
                let parts = clean.split(separator: " ", maxSplits: 1).map(String.init)
                if lead.firstName.isEmpty { lead.firstName = parts.first ?? "" }
                if lead.lastName.isEmpty, parts.count > 1 {
                    lead.lastName = parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return lead
    }

    /// Whether a row holds nothing at all (spreadsheets end with blank lines).
    public static func isBlank(_ row: [String]) -> Bool {
        row.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// The row's identity in the outbox: its content, so the same lead imported again (from this
    /// file or another) is recognised and not queued twice.
    public static func importKey(_ valid: ValidLead) -> String {
        let lead = valid.lead
        return [
            "csv1", lead.firstName, lead.lastName, valid.phone.tenDigits, lead.email.lowercased(), lead.project,
            lead.notes,
            lead.subject, lead.channel, lead.rep
        ].joined(separator: "\u{1F}")
    }
}
