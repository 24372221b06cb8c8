import Foundation
import GRDB

/// Pass two of a salvage: the leads and attempts chosen in pass one, read again from their
/// pages and written into the new database in id order, 2,000 to a transaction (a million leads
/// never sit in memory at once), unsynced: the file is synced once, whole, by `DatabaseDoctor`.
struct RebuildWriter {
    let fresh: LeadDatabase
    let salvage: OutboxSalvage
    let now: Date
    /// Lead ids written, in order.
    private(set) var saved: [Int64] = []
    private(set) var cut: [Int64] = []
    private(set) var toCheck: [Int64] = []
    private(set) var fromOldCopies: [Int64] = []
    private(set) var attemptsLost = 0
    private(set) var highestAttemptID: Int64 = 0
    /// Attempts each saved lead says it had.
    private var expected: [Int64: Int64] = [:]

    init(fresh: LeadDatabase, salvage: OutboxSalvage, now: Date) {
        self.fresh = fresh
        self.salvage = salvage
        self.now = now
    }

    static let batchSize = 2_000

    /// Copies the leads with the lead table's insert triggers off, then counts the search index
    /// and the tallies afresh in one pass each: a trigram index and five tallies kept row by row
    /// were four fifths of a rebuild's time. The triggers' SQL is read from the new database,
    /// which our own migrations made a moment ago (never from the damaged file).
    mutating func copyLeads() async throws {
        let triggers = try await fresh.write { db in
            let triggers = try Row.fetchAll(
                db,
                sql: """
                    SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'lead'
                    AND name LIKE '%\\_insert' ESCAPE '\\'
                    """
            ).map { ($0[0] as String, $0[1] as String) }
            for (name, _) in triggers { try db.execute(sql: "DROP TRIGGER \(name)") }
            return triggers
        }
        try await insertLeads()
        try await fresh.write { db in
            for (_, sql) in triggers { try db.execute(sql: sql) }
            try db.execute(
                sql: """
                    INSERT INTO lead_search(lead_search) VALUES ('rebuild');
                    UPDATE state_count SET n = (SELECT count(*) FROM lead WHERE lead.state = state_count.state);
                    """)
            try db.execute(sql: StatsSchema.refill)
        }
    }

    private mutating func insertLeads() async throws {
        let columns = OutboxRows.leadColumns
        let insert =
            "INSERT INTO lead (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        var uuids = Set<String>()
        var batch: [[DatabaseValue]] = []
        for id in salvage.leads.keys.sorted() {
            let pick = salvage.leads[id]!
            guard let values = salvage.values(of: pick) else { continue }
            var lead = SalvagedLead(id: id, values: values, oldCopy: pick.standing == .oldCopy, now: now)
            // Two leads with one uuid cannot both be kept by it (UNIQUE): the later gets a new one.
            let uuid = String.fromDatabaseValue(lead[.uuid]) ?? ""
            if !uuids.insert(uuid).inserted { lead[.uuid] = UUID.random().uuidString.databaseValue }
            saved.append(id)
            expected[id] = lead.attempts
            if lead.isCut { cut.append(id) }
            if lead.needsCheck { toCheck.append(id) }
            if pick.standing == .oldCopy { fromOldCopies.append(id) }
            batch.append(lead.row)
            if batch.count == Self.batchSize { try await flush(&batch, insert) }
        }
        try await flush(&batch, insert)
    }

    /// The attempts of the saved leads; a lead that had more attempts than were found gets a
    /// note saying its history was lost (and counts in `attemptsLost`).
    mutating func copyAttempts() async throws {
        let columns = OutboxRows.attemptColumns
        let insert =
            "INSERT INTO attempt (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        var found: [Int64: Int64] = [:]
        var batch: [[DatabaseValue]] = []
        for id in salvage.attempts.keys.sorted() {
            guard let values = salvage.values(of: salvage.attempts[id]!), values.count > 1,
                case .integer(let lead) = values[1], expected[lead] != nil
            else { continue }
            if values[3] == .text(OutboxRows.lostAttemptsOutcome) {
                // An earlier salvage's note: the loss it tells of is already accounted for.
                found[lead] = .max
            } else if found[lead] != .max {
                found[lead, default: 0] += 1
            }
            highestAttemptID = max(highestAttemptID, id)
            batch.append(SalvagedAttempt.row(id: id, values: values).row)
            if batch.count == Self.batchSize { try await flush(&batch, insert) }
        }
        for (lead, attempts) in expected.sorted(by: { $0.key < $1.key }) where (found[lead] ?? 0) < attempts {
            attemptsLost += 1
            let lost = attempts - (found[lead] ?? 0)
            let note: [DatabaseValue] = [
                .null, lead.databaseValue, now.timeIntervalSince1970.databaseValue,
                OutboxRows.lostAttemptsOutcome.databaseValue, .null,
                "the record of \(lost) attempt\(lost == 1 ? "" : "s") was lost with a damaged page (leadconsole doctor)"
                    .databaseValue, "".databaseValue, 0.databaseValue
            ]
            batch.append(note)
            if batch.count == Self.batchSize { try await flush(&batch, insert) }
        }
        try await flush(&batch, insert)
    }

    private func flush(_ batch: inout [[DatabaseValue]], _ sql: String) async throws {
        guard !batch.isEmpty else { return }
        let rows = batch
        batch = []
        try await fresh.write(durable: false) { db in
            let statement = try db.makeStatement(sql: sql)
            for row in rows { try statement.execute(arguments: StatementArguments(row)) }
        }
    }
}
