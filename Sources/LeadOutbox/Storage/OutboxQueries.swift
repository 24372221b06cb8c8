import Foundation
import GRDB
import ParamantraAPI

/// The outbox: a lead is committed before its first attempt and stays until the CRM has it.
extension LeadDatabase {
    /// Commits a new lead, due at once. When this returns, the lead is on disk (synchronous=FULL).
    public func enqueue(_ valid: ValidLead, now: Date = Date()) async throws -> StoredLead {
        let uuid = UUID.random()
        return try await writeNotingIssued { db in
            try Self.insert(db, valid, uuid: uuid, now: now, held: try Self.outboxHold(db))
            return try Self.fetchLead(db, id: db.lastInsertedRowID)
        }
    }

    /// Commits many leads in one transaction (an import): all of them or none. Returns their ids.
    public func enqueue(batch: [ValidLead], now: Date = Date()) async throws -> [Int64] {
        try await writeNotingIssued { db in
            var ids: [Int64] = []
            ids.reserveCapacity(batch.count)
            let held = try Self.outboxHold(db)
            for valid in batch {
                try Self.insert(db, valid, uuid: UUID.random(), now: now, held: held)
                ids.append(db.lastInsertedRowID)
            }
            return ids
        }
    }

    /// How many of these leads are in each state (ids read in chunks: SQLite caps the number of
    /// parameters of one statement).
    public func states(ids: [Int64]) async throws -> [LeadState: Int] {
        let found = try await read(ids: ids) { db, chunk, list in
            try Row.fetchAll(
                db, sql: "SELECT state, COUNT(*) AS n FROM lead WHERE id IN (\(list)) GROUP BY state",
                arguments: StatementArguments(chunk)
            ).map { (LeadState(rawValue: $0["state"]) ?? .queued, $0["n"] as Int) }
        }
        var counts: [LeadState: Int] = [:]
        for (state, n) in found { counts[state, default: 0] += n }
        return counts
    }

    /// Runs `body` on `ids` 500 at a time (SQLite caps a statement's parameters), each chunk in
    /// its own read with its `?, ?, ...` list, and joins what the chunks found.
    func read<T: Sendable>(
        ids: [Int64], _ body: @Sendable @escaping (Database, _ chunk: [Int64], _ list: String) throws -> [T]
    ) async throws -> [T] {
        var found: [T] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let list = chunk.map { _ in "?" }.joined(separator: ",")
            found += try await read { db in try body(db, chunk, list) }
        }
        return found
    }

    /// `held`: what holds the outbox now (`outboxHold`); the lead is held with it at once.
    /// `state` other than queued (an import's visit, `duplicate`) comes with its `message` and
    /// the CRM's id, and is never sent.
    static func insert(
        _ db: Database, _ valid: ValidLead, uuid: UUID, now: Date, held: (hold: LeadHold, reason: String?)? = nil,
        state: LeadState? = nil, message: String? = nil, crmID: String? = nil
    ) throws {
        let lead = valid.lead
        let t = now.timeIntervalSince1970
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO lead (uuid, created_at, updated_at, first_name, last_name, phone, phone_as_typed, email, project,
                                  notes, subject, channel, rep, alert_client, alert_rep, state, next_attempt_at, search_text,
                                  hold, last_error, crm_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let state = state ?? (held == nil ? .queued : .held)
        try statement.execute(arguments: [
            uuid.uuidString, t, t, lead.firstName, lead.lastName, valid.phone.tenDigits, lead.phone,
            lead.email, lead.project, lead.notes, lead.subject, lead.channel, lead.rep,
            lead.alertClient, lead.alertRep, state.rawValue, state == .queued || state == .held ? t : nil,
            StoredLead.searchText(valid), state == .held ? held?.hold.rawValue : nil,
            state == .held ? held?.reason : message, crmID
        ])
    }

    /// What holds the outbox, if anything: the hold and answer of the newest held lead. A lead
    /// saved meanwhile would fail the same way (the credentials or the endpoint are known bad),
    /// so it is held with the same words at once instead of showing "queued" with no attempt
    /// coming. One step on `lead_by_state`.
    static func outboxHold(_ db: Database) throws -> (hold: LeadHold, reason: String?)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT hold, last_error FROM lead WHERE state = 'held' ORDER BY id DESC LIMIT 1"))
        else { return nil }
        return (LeadHold(rawValue: row["hold"] ?? "") ?? .credentials, row["last_error"])
    }

    /// The newest earlier lead with the same phone, for "already sent on DATE as CRM #ID".
    public func previousLead(phone: PhoneNumber) async throws -> StoredLead? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(StoredLead.columns) FROM lead WHERE phone = ? ORDER BY id DESC LIMIT 1",
                arguments: [phone.tenDigits]
            ).map(StoredLead.init(row:))
        }
    }

    /// What the history knows of a phone: how many leads it has, the newest, and the names it was
    /// saved under. Three look-ups on the phone index (`lead_by_phone`): the same cost with ten
    /// leads or a million.
    public func customer(phone: PhoneNumber) async throws -> ReturningCustomer? {
        try await read { db in
            let visits =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM lead WHERE phone = ?", arguments: [phone.tenDigits])
                ?? 0
            guard visits > 0,
                let last = try Row.fetchOne(
                    db, sql: "SELECT \(StoredLead.columns) FROM lead WHERE phone = ? ORDER BY id DESC LIMIT 1",
                    arguments: [phone.tenDigits]
                ).map(StoredLead.init(row:))
            else { return nil }
            // The names of its newest twenty leads, each once: a bounded read on the phone index.
            var names: [String] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT first_name, last_name FROM lead WHERE phone = ? ORDER BY id DESC LIMIT 20",
                arguments: [phone.tenDigits])
            {
                let name = [row["first_name"] as String, row["last_name"] as String].filter { !$0.isEmpty }
                    .joined(separator: " ")
                if !name.isEmpty, !names.contains(name) { names.append(name) }
                if names.count == 3 { break }
            }
            return ReturningCustomer(phone: phone.tenDigits, visits: visits, last: last, names: names)
        }
    }

    public func lead(id: Int64) async throws -> StoredLead {
        try await read { db in try Self.fetchLead(db, id: id) }
    }

    public func attempts(leadID: Int64) async throws -> [DeliveryAttempt] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempt WHERE lead_id = ? ORDER BY id", arguments: [leadID]).map {
                row in
                DeliveryAttempt(
                    leadID: row["lead_id"], at: Date(timeIntervalSince1970: row["at"]), outcome: row["outcome"],
                    httpStatus: row["http_status"], message: row["message"], rawBody: row["raw_body"],
                    elapsedMilliseconds: row["elapsed_ms"])
            }
        }
    }

    /// Takes the oldest due lead and marks it `sending`, in one transaction.
    public func claimNextDue(now: Date = Date(), durable: Bool = true) async throws -> StoredLead? {
        try await write(durable: durable) { db in try Self.claim(db, now: now) }
    }

    static func claim(_ db: Database, now: Date) throws -> StoredLead? {
        // Cached statements: the delivery path runs these for every lead (preparing them each
        // time was a tenth of an import's CPU).
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT \(StoredLead.columns) FROM lead
                        WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT 1
                        """), arguments: [now.timeIntervalSince1970])
        else { return nil }
        var lead = StoredLead(row: row)
        try db.cachedStatement(sql: "UPDATE lead SET state = 'sending', updated_at = ? WHERE id = ?")
            .execute(arguments: [now.timeIntervalSince1970, lead.id])
        lead.state = .sending
        lead.updatedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970)
        return lead
    }

    /// Gives a claimed lead back to the queue without counting an attempt.
    public func requeue(id: Int64) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE lead SET state = 'queued' WHERE id = ? AND state = 'sending'", arguments: [id])
        }
    }

    /// When the next queued lead falls due; nil when none is queued.
    public func nextDueDate() async throws -> Date? {
        try await read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM lead WHERE state = 'queued'")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Records one attempt and moves the lead on: delivered, rejected, held, or back in the queue
    /// with its next attempt after the policy's backoff.
    @discardableResult
    public func record(
        _ report: DeliveryReport, for id: Int64, policy: RetryPolicy, now: Date = Date(),
        durable: Bool = true
    ) async throws -> StoredLead {
        try await write(durable: durable) { db in
            try Self.record(db, report, for: try Self.fetchLead(db, id: id), policy: policy, now: now)
        }
    }

    /// Records several claimed leads' attempts in one transaction (a group commit), and claims a
    /// next due lead for each that asks, unless one of them is now held. Results in job order.
    public func record(
        batch jobs: [(report: DeliveryReport, lead: StoredLead, claimNext: Bool)], policy: RetryPolicy,
        now: Date = Date(), durable: Bool = true
    ) async throws -> [(recorded: StoredLead, next: StoredLead?)] {
        try await write(durable: durable) { db in
            let recorded = try jobs.map { try Self.record(db, $0.report, for: $0.lead, policy: policy, now: now) }
            let held = recorded.contains { $0.state == .held }
            return try zip(jobs, recorded).map { job, lead in
                (lead, job.claimNext && !held ? try Self.claim(db, now: now) : nil)
            }
        }
    }

    /// Writes what an attempt's outcome makes of the lead (`LeadTransition`, the state machine)
    /// and the attempt itself. `lead` is the lead as it stands in the database; the lead returned
    /// is as it stands after.
    static func record(_ db: Database, _ report: DeliveryReport, for lead: StoredLead, policy: RetryPolicy, now: Date)
        throws -> StoredLead
    {
        let next = LeadTransition.after(report, of: lead, policy: policy, now: now)
        let t = now.timeIntervalSince1970
        try db.cachedStatement(
            sql: """
                UPDATE lead SET state = ?, crm_id = ?, attempts = ?, next_attempt_at = ?, last_error = ?, uncertain = ?, updated_at = ?,
                    hold = ?
                WHERE id = ?
                """
        ).execute(arguments: [
            next.state.rawValue, next.crmID, next.attempts, next.nextAttemptAt?.timeIntervalSince1970, next.lastError,
            next.uncertain, t, next.hold?.rawValue, lead.id
        ])
        if let hold = next.hold {
            // Every lead waiting behind it would be answered the same: held with the same words,
            // so no screen shows "queued" for a lead no attempt will come for.
            try db.cachedStatement(
                sql: "UPDATE lead SET state = 'held', hold = ?, last_error = ?, updated_at = ? WHERE state = 'queued'"
            ).execute(arguments: [hold.rawValue, next.lastError, t])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO attempt (lead_id, at, outcome, http_status, message, raw_body, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            lead.id, t, OutcomeLabel.of(report.outcome), report.httpStatus, report.outcome.description,
            report.rawBody, Int(report.elapsed.seconds * 1000)
        ])
        return next
    }

    /// A lead found `sending` at start-up was in flight when a process died: it goes back to the
    /// queue, marked uncertain (a later duplicate answer means the first attempt got through).
    /// Only the process holding the delivery lock may call this.
    @discardableResult
    public func recoverInterrupted(now: Date = Date()) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE lead SET state = 'queued', uncertain = 1, next_attempt_at = ?, updated_at = ?,
                        last_error = 'interrupted mid-request; the CRM may have it already'
                    WHERE state = 'sending'
                    """, arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Puts held leads back in the queue and makes every queued lead due now ("retry now", or the
    /// credentials changed). Returns how many leads are now due.
    @discardableResult
    public func releaseAndRetryNow(now: Date = Date()) async throws -> Int {
        try await write { db in
            try db.execute(
                sql:
                    "UPDATE lead SET state = 'queued', hold = NULL, next_attempt_at = ?, updated_at = ? WHERE state = 'held'",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            try db.execute(
                sql: "UPDATE lead SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at > ?",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lead WHERE state = 'queued'") ?? 0
        }
    }

    /// Held leads go back to the queue, due now (new credentials, or a person sending again);
    /// queued leads keep their backoff. Returns how many were released.
    @discardableResult
    public func releaseHeld(now: Date = Date()) async throws -> Int {
        try await write { db in
            try db.execute(
                sql:
                    "UPDATE lead SET state = 'queued', hold = NULL, next_attempt_at = ?, updated_at = ? WHERE state = 'held'",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Rejected leads back to the queue as they are, due now: all of them, or those of `ids`.
    /// With `ids`, held and queued ones among them are made due too. Returns the ids now queued;
    /// ids that are delivered, sending or unknown are left alone (the caller names them).
    public func requeue(rejected ids: [Int64]?, now: Date = Date()) async throws -> [Int64] {
        try await write { db in
            let t = now.timeIntervalSince1970
            guard let ids else {
                let found = try Int64.fetchAll(db, sql: "SELECT id FROM lead WHERE state = 'rejected' ORDER BY id")
                try db.execute(
                    sql:
                        "UPDATE lead SET state = 'queued', hold = NULL, next_attempt_at = ?, updated_at = ? WHERE state = 'rejected'",
                    arguments: [t, t])
                return found
            }
            var queued: [Int64] = []
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE lead SET state = 'queued', hold = NULL, next_attempt_at = ?, updated_at = ?
                        WHERE id = ? AND state IN ('rejected', 'held', 'queued')
                        """, arguments: [t, t, id])
                if db.changesCount > 0 { queued.append(id) }
            }
            return queued
        }
    }

    /// Every queued lead is held because nothing can be sent (`reason`: what is missing): the
    /// history says so instead of "queued" forever. Returns the newest lead it held (nil when
    /// none was queued): enough for a screen to refresh, however many there were.
    @discardableResult
    public func holdQueued(forMissingSettings reason: String, now: Date = Date()) async throws -> StoredLead? {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE lead SET state = 'held', hold = 'settings', last_error = ?, updated_at = ? WHERE state = 'queued'
                    """, arguments: [reason, now.timeIntervalSince1970])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(StoredLead.columns) FROM lead WHERE state = 'held' ORDER BY id DESC LIMIT 1")
            )
            .map(StoredLead.init(row:))
        }
    }

    /// The lead whose answer holds the outbox: the newest attempt answered with a hold, when
    /// its lead is still held (leads held behind it carry its words but had no attempt), else
    /// the newest held lead; nil when none is held.
    public func newestHeld() async throws -> StoredLead? {
        try await read { db in
            if let id = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.lead_id FROM attempt a JOIN lead l ON l.id = a.lead_id
                        WHERE a.outcome IN ('unauthorized', 'endpoint', 'settings') AND l.state = 'held'
                        ORDER BY a.id DESC LIMIT 1
                        """))
            {
                return try Self.fetchLead(db, id: id)
            }
            return try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(StoredLead.columns) FROM lead WHERE state = 'held' ORDER BY id DESC LIMIT 1")
            ).map(StoredLead.init(row:))
        }
    }

    /// Whether any lead waits for the credentials to change.
    public func hasHeldLeads() async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM lead WHERE state = 'held')"))
                ?? false
        }
    }

    /// Why the queue is held: the hold of the newest held lead (the latest answer is the one that
    /// tells what is wrong now); nil when nothing is held. One index step, however long the history.
    public func currentHold() async throws -> LeadHold? {
        try await read { db in
            guard
                let raw = try String?.fetchOne(
                    db.cachedStatement(
                        sql:
                            "SELECT IFNULL(hold, 'credentials') FROM lead WHERE state = 'held' ORDER BY id DESC LIMIT 1"
                    )) ?? nil
            else { return nil }
            return LeadHold(rawValue: raw) ?? .credentials
        }
    }

    /// Replaces the fields of a rejected or held lead and queues it again.
    public func resend(id: Int64, with valid: ValidLead, now: Date = Date()) async throws -> StoredLead {
        try await write { db in
            let lead = valid.lead
            // What it was goes into its attempt history: the values the CRM refused stay readable.
            if let before = try? Self.fetchLead(db, id: id), [.rejected, .held, .queued].contains(before.state) {
                try Self.noteEdit(db, before, valid, source: "in the console", now: now)
            }
            try db.execute(
                sql: """
                    UPDATE lead SET first_name = ?, last_name = ?, phone = ?, phone_as_typed = ?, email = ?, project = ?, notes = ?,
                        subject = ?, channel = ?, rep = ?, alert_client = ?, alert_rep = ?, search_text = ?,
                        state = 'queued', hold = NULL, next_attempt_at = ?, updated_at = ?
                    WHERE id = ? AND state IN ('rejected', 'held', 'queued')
                    """,
                arguments: [
                    lead.firstName, lead.lastName, valid.phone.tenDigits, lead.phone, lead.email, lead.project,
                    lead.notes,
                    lead.subject, lead.channel, lead.rep, lead.alertClient, lead.alertRep, StoredLead.searchText(valid),
                    now.timeIntervalSince1970, now.timeIntervalSince1970, id
                ])
            return try Self.fetchLead(db, id: id)
        }
    }

    static func fetchLead(_ db: Database, id: Int64) throws -> StoredLead {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(StoredLead.columns) FROM lead WHERE id = ?"), arguments: [id])
        else {
            throw StoreError.notFound(id)
        }
        return StoredLead(row: row)
    }
}
