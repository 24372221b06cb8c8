import Foundation
import GRDB
import ParamantraAPI

/// One valid row of an imported sheet, as the outbox weighs it.
public struct ImportedRow: Sendable {
    public let lead: ValidLead
    /// The `lead_id` column of a file we wrote (a rejected file, an export): the lead it is.
    public let uuid: UUID?
    /// Where the row is, for the attempt history of a lead it corrects ("expo.csv, row 12").
    public let place: String

    public init(lead: ValidLead, uuid: UUID? = nil, place: String = "") {
        self.lead = lead
        self.uuid = uuid
        self.place = place
    }
}

/// What became of one imported row.
public enum ImportOutcome: Sendable, Equatable {
    /// A new lead, queued (or held with the outbox). `rejectedSamePhone`: a lead the CRM
    /// rejected has this phone; if the row corrects it, both would reach the CRM.
    case queued(Int64, rejectedSamePhone: Int64?)
    /// The same person (names, phone, email) is already in the history: nothing new.
    case sameAsEarlier(Int64)
    /// Its `lead_id` names a lead the CRM does not have yet (rejected, held, queued): that lead
    /// takes the row's values and goes again; the old ones stay in its attempt history.
    case corrected(Int64)
    /// Its `lead_id` names a lead the CRM already has (accepted, duplicate): not sent again.
    case alreadyInCRM(Int64)
    /// Its `lead_id` is not in this history (the file came from another machine): a new lead
    /// that keeps that id.
    case fromElsewhere(Int64)
    /// The CRM already holds this phone (an accepted or duplicate lead): recorded as a visit,
    /// `duplicate`, and not sent; the CRM would only answer duplicate.
    case visit(Int64)

    public var id: Int64 {
        switch self {
        case .queued(let id, _), .sameAsEarlier(let id), .corrected(let id), .alreadyInCRM(let id),
            .fromElsewhere(let id), .visit(let id):
            return id
        }
    }
}

/// Who a lead is, for "already imported": the names, the phone's ten digits and the email,
/// case and spacing folded. Options (`--map`, `--subject`, the encoding) change none of these,
/// so the same rows imported any way are found again.
public enum LeadIdentity {
    public static func key(firstName: String, lastName: String, phone: String, email: String) -> String {
        [fold(firstName), fold(lastName), phone, fold(email)].joined(separator: "\u{1F}")
    }

    public static func key(_ valid: ValidLead) -> String {
        key(
            firstName: valid.lead.firstName, lastName: valid.lead.lastName, phone: valid.phone.tenDigits,
            email: valid.lead.email)
    }

    public static func key(_ stored: StoredLead) -> String {
        key(
            firstName: stored.lead.firstName, lastName: stored.lead.lastName, phone: stored.phone,
            email: stored.lead.email)
    }

    static func fold(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

extension LeadDatabase {
    /// Weighs imported rows in one transaction (`ImportOutcome`, in the rows' order); `again`
    /// queues rows whose phone the CRM already holds instead of recording them as visits.
    /// Every look-up is on the phone or uuid index: the cost of a row does not grow with the
    /// history.
    public func importRows(_ rows: [ImportedRow], again: Bool = false, now: Date = Date()) async throws
        -> [ImportOutcome]
    {
        try await writeNotingIssued { db in
            let held = try Self.outboxHold(db)
            var outcomes: [ImportOutcome] = []
            outcomes.reserveCapacity(rows.count)
            for row in rows {
                outcomes.append(try Self.weigh(db, row, again: again, held: held, now: now))
            }
            return outcomes
        }
    }

    private static func weigh(
        _ db: Database, _ row: ImportedRow, again: Bool, held: (hold: LeadHold, reason: String?)?, now: Date
    ) throws -> ImportOutcome {
        if let uuid = row.uuid,
            let stored = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(StoredLead.columns) FROM lead WHERE uuid = ?"),
                arguments: [uuid.uuidString]
            ).map(StoredLead.init(row:))
        {
            switch stored.state {
            case .accepted, .duplicate: return .alreadyInCRM(stored.id)
            // Being sent this moment: changed now, the answer would be recorded against values
            // that were not sent. Imported again later, the row finds it settled.
            case .sending: return .sameAsEarlier(stored.id)
            case .rejected, .held, .queued:
                if Self.sameValues(stored, row.lead) { return .sameAsEarlier(stored.id) }
                try correct(db, stored, with: row.lead, source: row.place, held: held, now: now)
                return .corrected(stored.id)
            }
        }
        // Every lead with this phone, oldest first (`lead_by_phone`): a returning customer has a few.
        let samePhone = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, state, first_name, last_name, email, crm_id FROM lead WHERE phone = ? ORDER BY id"),
            arguments: [row.lead.phone.tenDigits])
        let key = LeadIdentity.key(row.lead)
        for other in samePhone
        where LeadIdentity.key(
            firstName: other["first_name"], lastName: other["last_name"], phone: row.lead.phone.tenDigits,
            email: other["email"]) == key
        {
            return .sameAsEarlier(other["id"])
        }
        // The values a lead had before a correction: that lead, not a new one.
        if let corrected = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT lead_id FROM lead_former WHERE identity = ?"), arguments: [key])
        {
            return .sameAsEarlier(corrected)
        }
        let known = samePhone.last { ["accepted", "duplicate"].contains($0["state"] as String) }
        if !again, let known {
            let crmID: String? = known["crm_id"]
            let id: Int64 = known["id"]
            try insert(
                db, row.lead, uuid: row.uuid ?? UUID.random(), now: now, state: .duplicate,
                message: "duplicate, not sent: "
                    + (crmID.map { "CRM #\($0) has this phone" }
                        ?? "the CRM has this phone (lead \(id))"),
                crmID: crmID)
            return .visit(db.lastInsertedRowID)
        }
        try insert(db, row.lead, uuid: row.uuid ?? UUID.random(), now: now, held: held)
        let id = db.lastInsertedRowID
        if row.uuid != nil { return .fromElsewhere(id) }
        let rejected: Int64? = samePhone.last { ($0["state"] as String) == "rejected" }?["id"]
        return .queued(id, rejectedSamePhone: rejected)
    }

    /// Whether a row says nothing new about a stored lead: every field the CRM gets is equal.
    static func sameValues(_ stored: StoredLead, _ valid: ValidLead) -> Bool {
        let (old, new) = (stored.lead, valid.lead)
        return stored.phone == valid.phone.tenDigits && old.firstName == new.firstName
            && old.lastName == new.lastName && old.email == new.email && old.project == new.project
            && old.notes == new.notes && old.subject == new.subject && old.channel == new.channel
            && old.rep == new.rep
    }

    /// Gives a lead the CRM does not have yet its corrected values and queues it again (held
    /// with the outbox when it is held); what changed is written to its attempt history, so the
    /// values it had are not lost. The same lead, the same uuid: the CRM gets it once.
    static func correct(
        _ db: Database, _ stored: StoredLead, with valid: ValidLead, source: String,
        held: (hold: LeadHold, reason: String?)?, now: Date
    ) throws {
        let lead = valid.lead
        let t = now.timeIntervalSince1970
        try db.execute(
            sql: """
                UPDATE lead SET first_name = ?, last_name = ?, phone = ?, phone_as_typed = ?, email = ?, project = ?, notes = ?,
                    subject = ?, channel = ?, rep = ?, alert_client = ?, alert_rep = ?, search_text = ?,
                    state = ?, hold = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                lead.firstName, lead.lastName, valid.phone.tenDigits, lead.phone, lead.email, lead.project, lead.notes,
                lead.subject, lead.channel, lead.rep, lead.alertClient, lead.alertRep, StoredLead.searchText(valid),
                held == nil ? LeadState.queued.rawValue : LeadState.held.rawValue, held?.hold.rawValue,
                held?.reason ?? stored.lastError, t, t, stored.id
            ])
        try noteEdit(db, stored, valid, source: source, now: now)
    }

    /// An `edited` entry in the lead's attempt history: each changed field, old → new; and who
    /// the lead was (`lead_former`), when that changed.
    static func noteEdit(_ db: Database, _ stored: StoredLead, _ valid: ValidLead, source: String, now: Date) throws {
        let (old, new) = (stored.lead, valid.lead)
        var changes: [String] = []
        func compare(_ label: String, _ before: String, _ after: String) {
            if before != after { changes.append("\(label) \"\(before)\" → \"\(after)\"") }
        }
        compare("phone", stored.phone, valid.phone.tenDigits)
        compare("first name", old.firstName, new.firstName)
        compare("last name", old.lastName, new.lastName)
        compare("email", old.email, new.email)
        compare("project", old.project, new.project)
        compare("notes", old.notes, new.notes)
        compare("subject", old.subject, new.subject)
        compare("channel", old.channel, new.channel)
        compare("rep", old.rep, new.rep)
        guard !changes.isEmpty else { return }
        let (before, after) = (LeadIdentity.key(stored), LeadIdentity.key(valid))
        if before != after {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO lead_former (identity, lead_id) VALUES (?, ?)")
                .execute(arguments: [before, stored.id])
        }
        try db.cachedStatement(
            sql:
                "INSERT INTO attempt (lead_id, at, outcome, http_status, message, raw_body, elapsed_ms) VALUES (?, ?, ?, NULL, ?, '', 0)"
        ).execute(arguments: [
            stored.id, now.timeIntervalSince1970, OutcomeLabel.edited,
            "corrected" + (source.isEmpty ? "" : " (\(source))") + ": " + changes.joined(separator: "; ")
        ])
    }
}
