import Foundation
import LeadStore
import ParamantraAPI

/// One lead as `leadconsole export` writes it: every field, the state, the CRM id, attempts and
/// the last error. Text from outside is cleaned of control sequences.
public enum LeadExport {
    public static let columns = ["id", "created_at", "updated_at", "state", "crm_id", "attempts", "last_error", "uncertain",
                                 "first_name", "last_name", "phone", "email", "project", "notes", "subject", "channel", "rep",
                                 "alert_customer", "alert_rep"]

    public static func values(_ stored: StoredLead) -> [String] {
        let lead = stored.lead
        let iso = Date.ISO8601FormatStyle()
        return [String(stored.id), stored.createdAt.formatted(iso), stored.updatedAt.formatted(iso), stored.state.rawValue,
                TerminalText.clean(stored.crmID ?? ""), String(stored.attempts), TerminalText.clean(stored.lastError ?? ""),
                stored.uncertain ? "yes" : "no", lead.firstName, lead.lastName, stored.phone, lead.email, lead.project,
                TerminalText.clean(lead.notes, keepNewlines: true), lead.subject, lead.channel, lead.rep,
                lead.alertClient ? "yes" : "no", lead.alertRep ? "yes" : "no"]
    }

    /// The same lead as one JSON object (keys in `columns` order is not promised by JSON).
    public static func json(_ stored: StoredLead) throws -> Data {
        var object: [String: Any] = [:]
        for (key, value) in zip(columns, values(stored)) { object[key] = value }
        object["id"] = stored.id
        object["attempts"] = stored.attempts
        object["uncertain"] = stored.uncertain
        object["alert_customer"] = stored.lead.alertClient
        object["alert_rep"] = stored.lead.alertRep
        object["crm_id"] = stored.crmID.map { TerminalText.clean($0) } ?? NSNull()
        object["last_error"] = stored.lastError.map { TerminalText.clean($0) } ?? NSNull()
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
