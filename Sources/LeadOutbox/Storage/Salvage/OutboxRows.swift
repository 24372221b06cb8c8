import Foundation

/// What the rows of our own tables look like, for every schema version we have written
/// (`LeadDatabase.migrator`): a salvage tells a lead from an attempt by the row's shape, never
/// by the schema a damaged file claims (docs/salvage.md, "Our rows").
enum OutboxRows {
    /// The lead table's columns in the order v1-v3 wrote them. A row written before v2 or v3
    /// stops after `search_text` or `import_key` (SQLite adds a column without rewriting rows).
    static let leadColumns = [
        "id", "uuid", "created_at", "updated_at", "first_name", "last_name", "phone", "phone_as_typed", "email",
        "project", "notes", "subject", "channel", "rep", "alert_client", "alert_rep", "state", "crm_id", "attempts",
        "next_attempt_at", "last_error", "uncertain", "search_text", "import_key", "hold"
    ]
    static let attemptColumns = ["id", "lead_id", "at", "outcome", "http_status", "message", "raw_body", "elapsed_ms"]
    /// Columns a lead cannot be sent without: when one is lost, a person must look at the lead.
    static let sendingColumns: Set<String> = ["phone", "subject", "channel", "rep", "state"]
    /// Outcome words an attempt row holds (`OutcomeLabel`), a correction's note (`edited`), and
    /// the note a salvage writes.
    static let outcomes: Set<String> = [
        "accepted", "duplicate", "unauthorized", "endpoint", "settings", "rejected", "temporary", "uncertain",
        OutcomeLabel.edited, lostAttemptsOutcome
    ]
    static let lostAttemptsOutcome = "lost"
    static let states = Set(LeadState.allCases.map(\.rawValue))
    static let holds = Set(LeadHold.allCases.map(\.rawValue))

    enum Kind: Equatable {
        case lead
        case attempt(leadID: Int64)
        /// A row of sqlite_sequence: the highest id AUTOINCREMENT gave a table.
        case sequence(table: String, highest: Int64)
        /// A row of lead_gap (v5): lead ids known not to be in the table, and why.
        case gap(first: Int64, last: Int64, reason: String)
        /// A row of state_count: how many leads were in a state.
        case stateCount(state: String, count: Int64)
        /// An entry of the phone index: a lead's phone, found even where its row is lost.
        case phoneEntry(leadID: Int64, phone: String)
    }

    /// What `row` is, by its shape; nil when it is none of ours.
    static func kind(of row: PageScan.Row) -> Kind? {
        let v = row.values
        guard let rowID = row.rowID else {
            // Index entries (WITHOUT ROWID tables and indexes): state_count (state, n), and
            // lead_by_phone (phone, id, rowid).
            if v.count == 2, case .text(let state) = v[0], states.contains(state), case .integer(let n) = v[1] {
                return .stateCount(state: state, count: n)
            }
            if v.count == 3, case .text(let phone) = v[0], phone.count == 10, phone.allSatisfy(\.isASCII),
                phone.allSatisfy(\.isNumber), case .integer(let id) = v[1], case .integer(let rowID) = v[2],
                id == rowID, id > 0
            {
                return .phoneEntry(leadID: id, phone: phone)
            }
            return nil
        }
        if (23...25).contains(v.count), isLead(v), rowID > 0 { return .lead }
        if v.count == 8, rowID > 0, v[0] == .null, case .integer(let lead) = v[1], lead > 0, isNumber(v[2]),
            case .text(let outcome) = v[3], outcomes.contains(outcome), isOptionalInteger(v[4]), isText(v[5]),
            isText(v[6]), isInteger(v[7])
        {
            return .attempt(leadID: lead)
        }
        if v.count == 2, case .text(let name) = v[0], ["lead", "attempt", "lead_gap"].contains(name),
            case .integer(let seq) = v[1], seq >= 0
        {
            return .sequence(table: name, highest: seq)
        }
        if v.count == 5, v[0] == .null, case .integer(let first) = v[1], case .integer(let last) = v[2],
            first >= 1, last >= first, isNumber(v[3]), case .text(let reason) = v[4], LeadGap.reasons.contains(reason)
        {
            return .gap(first: first, last: last, reason: reason)
        }
        return nil
    }

    /// A lead row: each column of its type, or lost (only from a cut onwards).
    private static func isLead(_ v: [SQLiteRecord.Value]) -> Bool {
        guard v[0] == .null, case .text(let uuid) = v[1], uuid.utf8.count == 36, UUID(uuidString: uuid) != nil,
            isNumber(v[2])
        else { return false }
        let checks: [(SQLiteRecord.Value) -> Bool] = [
            isNumber,  // updated_at
            isText, isText, isText, isText, isText, isText, isText, isText, isText, isText,  // first_name ... rep
            isInteger, isInteger,  // alert_client, alert_rep
            { isOneOf($0, states) },  // state
            { $0 == .null || isText($0) || isInteger($0) },  // crm_id
            isInteger,  // attempts
            { $0 == .null || isNumber($0) },  // next_attempt_at
            { $0 == .null || isText($0) },  // last_error
            isInteger,  // uncertain
            isText,  // search_text
            { $0 == .null || isText($0) },  // import_key
            { $0 == .null || isOneOf($0, holds) }  // hold
        ]
        for (i, check) in zip(3..<v.count, checks) where !(v[i] == .lost || check(v[i])) { return false }
        return true
    }

    private static func isText(_ v: SQLiteRecord.Value) -> Bool {
        switch v {
        case .text, .cut, .lost: return true
        default: return false
        }
    }

    private static func isInteger(_ v: SQLiteRecord.Value) -> Bool {
        if case .integer = v { return true }
        return v == .lost
    }

    private static func isOptionalInteger(_ v: SQLiteRecord.Value) -> Bool { v == .null || isInteger(v) }

    /// REAL columns: SQLite stores a whole-number REAL as an integer on disk.
    private static func isNumber(_ v: SQLiteRecord.Value) -> Bool {
        switch v {
        case .integer, .real, .lost: return true
        default: return false
        }
    }

    private static func isOneOf(_ v: SQLiteRecord.Value, _ words: Set<String>) -> Bool {
        if case .text(let word) = v { return words.contains(word) }
        return v == .lost
    }
}
