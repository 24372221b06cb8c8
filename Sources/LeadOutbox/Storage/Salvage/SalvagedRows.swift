import Foundation
import GRDB

/// A lead read from a damaged file, made a row of the new database: itself wherever its bytes
/// survived, with the rules for what did not (docs/salvage.md, "What comes back").
struct SalvagedLead {
    /// The row, in `OutboxRows.leadColumns` order.
    var row: [DatabaseValue]
    /// A field was cut short or lost with an overflow page.
    var isCut = false
    /// A field it cannot be sent without was lost: saved as rejected, for a person to check.
    var needsCheck = false
    /// Attempts the lead says it had (its `attempts` column).
    var attempts: Int64 = 0

    static let column = Dictionary(uniqueKeysWithValues: OutboxRows.leadColumns.enumerated().map { ($1, $0) })
    static let textColumns: Set<String> = [
        "uuid", "first_name", "last_name", "phone", "phone_as_typed", "email", "project", "notes", "subject",
        "channel", "rep", "search_text"
    ]
    /// Columns whose value is a word from a fixed set: a part of one is no value at all.
    static let wordColumns: Set<String> = ["state", "hold"]

    /// `oldCopy`: found only on an old copy of its page, so its state may be behind the truth.
    init(id: Int64, values: [SQLiteRecord.Value], oldCopy: Bool, now: Date) {
        let columns = OutboxRows.leadColumns
        row = [DatabaseValue](repeating: .null, count: columns.count)
        var damaged: [String] = []
        for (i, name) in columns.enumerated() {
            // A row written before v2 or v3 has no import_key or hold: NULL, as SQLite reads it.
            let value = i < values.count ? values[i] : .null
            switch value {
            case .cut(let part) where !Self.wordColumns.contains(name):
                row[i] = (part + "[…lost]").databaseValue
                damaged.append(name)
            case .cut, .lost:
                row[i] = Self.standIn(name, now: now)
                damaged.append(name)
            default:
                row[i] = Self.databaseValue(value)
            }
        }
        row[0] = id.databaseValue
        isCut = !damaged.isEmpty
        attempts = Int64.fromDatabaseValue(self[.attempts]) ?? 0
        var state = String.fromDatabaseValue(self[.state]).flatMap(LeadState.init(rawValue:))
        if damaged.contains(where: OutboxRows.sendingColumns.contains) {
            // Sent as it stands, it could reach the CRM with a lost subject or rep: a person
            // looks first. Its state may have been anything: a resend is answered as a duplicate.
            needsCheck = true
            state = .rejected
            self[.uncertain] = 1.databaseValue
            self[.hold] = .null
            self[.lastError] =
                "damaged in the file: \(damaged.joined(separator: ", ")) lost; check the lead, then send it again (leadconsole retry --id \(id))"
                .databaseValue
        } else {
            if state == .sending {
                state = .queued
                self[.uncertain] = 1.databaseValue
                self[.lastError] = "interrupted mid-request; the CRM may have it already".databaseValue
            }
            if oldCopy { self[.uncertain] = 1.databaseValue }
            if state == .queued, self[.nextAttemptAt].isNull {
                self[.nextAttemptAt] = now.timeIntervalSince1970.databaseValue
            }
            if state == .held, self[.hold].isNull {
                // As migration v3 decided it for a lead held before holds had reasons.
                let error = String.fromDatabaseValue(self[.lastError]) ?? ""
                self[.hold] = (error.contains("check the endpoint URL") ? "endpoint" : "credentials").databaseValue
            }
        }
        self[.state] = (state ?? .rejected).rawValue.databaseValue
        if !(state == .held) { self[.hold] = .null }
        if damaged.contains("search_text") || damaged.contains(where: Self.searched.contains) {
            self[.searchText] = Self.searchText(row).databaseValue
        }
    }

    enum Column: String {
        case uuid, state, hold, attempts, uncertain
        case lastError = "last_error"
        case nextAttemptAt = "next_attempt_at"
        case searchText = "search_text"
        case createdAt = "created_at"
    }

    subscript(_ column: Column) -> DatabaseValue {
        get { row[Self.column[column.rawValue]!] }
        set { row[Self.column[column.rawValue]!] = newValue }
    }

    /// The columns the search text is made of (`StoredLead.searchText`).
    static let searched = ["first_name", "last_name", "phone", "phone_as_typed", "email"]

    static func searchText(_ row: [DatabaseValue]) -> String {
        searched.compactMap { String.fromDatabaseValue(row[column[$0]!]) }.filter { !$0.isEmpty }
            .joined(separator: " ").lowercased()
    }

    /// What a lost column becomes: empty text, zero, or (a time) the salvage's own.
    static func standIn(_ name: String, now: Date) -> DatabaseValue {
        if textColumns.contains(name) { return "".databaseValue }
        switch name {
        case "created_at", "updated_at", "next_attempt_at": return now.timeIntervalSince1970.databaseValue
        case "alert_client", "alert_rep", "attempts": return 0.databaseValue
        case "uncertain": return 1.databaseValue
        default: return .null
        }
    }

    static func databaseValue(_ value: SQLiteRecord.Value) -> DatabaseValue {
        switch value {
        case .null, .lost: return .null
        case .integer(let n): return n.databaseValue
        case .real(let x): return x.databaseValue
        case .text(let s): return s.databaseValue
        case .cut(let s): return (s + "[…lost]").databaseValue
        case .blob(let b): return Data(b).databaseValue
        }
    }
}

/// An attempt read from a damaged file: a lost answer becomes empty, a cut one ends "[…lost]".
enum SalvagedAttempt {
    static func row(id: Int64, values: [SQLiteRecord.Value]) -> (row: [DatabaseValue], isCut: Bool) {
        var row: [DatabaseValue] = []
        var cut = false
        for (i, name) in OutboxRows.attemptColumns.enumerated() {
            let value = i < values.count ? values[i] : .lost
            if value.isLost { cut = true }
            if value == .lost {
                row.append(
                    ["message", "raw_body"].contains(name)
                        ? "".databaseValue : name == "http_status" ? .null : 0.databaseValue)
            } else {
                row.append(SalvagedLead.databaseValue(value))
            }
        }
        row[0] = id.databaseValue
        return (row, cut)
    }
}
