/// The tables behind the stats screen and `leadconsole report` (migration v4): counts kept by
/// triggers as leads are written, so that a period's figures are summed from a few thousand rows
/// instead of counted over a million leads.
///
/// Time is kept by the UTC quarter-hour a lead was saved in (`slot`): every time zone in use is
/// a whole number of quarter-hours from UTC, so local hours and days are unions of slots, in any
/// zone the rep is in when the report is read. The same counts are kept by UTC day as well
/// (`day`): a month is read as its whole days plus the quarter-hours at either end.
///
/// | table | key | read for |
/// | --- | --- | --- |
/// | `slot_tally` | slot, state | the leads per hour or day (six rows a quarter-hour at most) |
/// | `lead_tally`, `lead_tally_day` | slot or day, state, channel, rep, project | the bars by group |
/// | `settle_tally`, `settle_tally_day` | slot or day, answer-time bucket | the answer times |
///
/// These texts are part of a shipped migration once released: never change them then; add a
/// migration instead.
enum StatsSchema {
    /// A quarter-hour: the resolution of every period.
    static let slotSeconds = 900
    /// Quarter-hours in a UTC day.
    static let slotsPerDay = 96

    /// The slot of a lead's `created_at` (the moment Ctrl-S saved it).
    static func slot(_ row: String) -> String { "CAST(\(row).created_at / 900 AS INTEGER)" }
    static func day(_ row: String) -> String { "CAST(\(row).created_at / 86400 AS INTEGER)" }

    /// The answered leads: the CRM said yes, already had it, or refused it.
    static let answered = "('accepted', 'duplicate', 'rejected')"

    /// Time from Ctrl-S to the CRM's answer (`updated_at` is written with the outcome), as a
    /// bucket: tenths of a second under 10 s (0-99), seconds under 2 min (100-209), minutes
    /// under 2 h (210-327), then hours (328 on). `SettleBuckets` reads them back.
    static func settleBucket(_ row: String) -> String {
        let d = "MAX(\(row).updated_at - \(row).created_at, 0)"
        return """
            (CASE WHEN \(d) < 10 THEN CAST(\(d) * 10 AS INTEGER)
                  WHEN \(d) < 120 THEN 90 + CAST(\(d) AS INTEGER)
                  WHEN \(d) < 7200 THEN 208 + CAST(\(d) / 60 AS INTEGER)
                  ELSE 326 + MIN(CAST(\(d) / 3600 AS INTEGER), 100000) END)
            """
    }

    /// A count table: its name, its key columns and each key's value for a lead row (`new`,
    /// `old` or `lead`).
    struct Tally {
        var table: String
        var keys: [(column: String, value: (String) -> String)]
        /// Counts only the rows this holds for (nil: every lead).
        var only: ((String) -> String)?

        func values(_ row: String) -> String { keys.map { $0.value(row) }.joined(separator: ", ") }
        func match(_ row: String) -> String {
            keys.map { "\($0.column) = \($0.value(row))" }.joined(separator: " AND ")
        }
        var columns: String { keys.map(\.column).joined(separator: ", ") }
        /// Whether an update moves the lead to another count (or in or out of the table).
        var changed: String {
            (keys.map { "\($0.value("old")) IS NOT \($0.value("new"))" }
                + (only.map { ["(\($0("old"))) IS NOT (\($0("new")))"] } ?? []))
                .joined(separator: " OR ")
        }
    }

    static var tallies: [Tally] {
        let field = { (name: String) in (column: name, value: { (row: String) in "\(row).\(name)" }) }
        let groups = [field("state"), field("channel"), field("rep"), field("project")]
        let settled = { (row: String) in "\(row).state IN \(answered)" }
        let bucket = (column: "bucket", value: settleBucket)
        return [
            Tally(table: "slot_tally", keys: [("slot", slot), field("state")]),
            Tally(table: "lead_tally", keys: [("slot", slot)] + groups),
            Tally(table: "lead_tally_day", keys: [("day", day)] + groups),
            Tally(table: "settle_tally", keys: [("slot", slot), bucket], only: settled),
            Tally(table: "settle_tally_day", keys: [("day", day), bucket], only: settled)
        ]
    }

    /// A tally counted afresh over the leads (the migration's first fill).
    static func fill(_ tally: Tally) -> String {
        """
        INSERT INTO \(tally.table) (\(tally.columns), n)
            SELECT \(tally.values("lead")), count(*) FROM lead\(tally.only.map { " WHERE " + $0("lead") } ?? "")
            GROUP BY \(tally.keys.indices.map { String($0 + 1) }.joined(separator: ", "));
        """
    }

    /// Every tally emptied and counted afresh: after a bulk load made with the triggers off
    /// (`doctor`'s rebuild).
    static var refill: String {
        tallies.map { "DELETE FROM \($0.table);\n" + fill($0) }.joined(separator: "\n")
    }

    static var migration: String {
        var sql = ""
        for tally in tallies {
            let keys = tally.keys.map {
                "\($0.column) \($0.column == "slot" || $0.column == "day" || $0.column == "bucket" ? "INTEGER" : "TEXT") NOT NULL"
            }
            let whenNew = tally.only.map { " WHERE " + $0("new") } ?? ""
            let whenOld = tally.only.map { " AND " + $0("old") } ?? ""
            sql += """
                CREATE TABLE \(tally.table) (
                    \(keys.joined(separator: ", ")), n INTEGER NOT NULL,
                    PRIMARY KEY (\(tally.columns))
                ) WITHOUT ROWID;
                \(fill(tally))
                CREATE TRIGGER \(tally.table)_insert AFTER INSERT ON lead BEGIN
                    INSERT INTO \(tally.table) (\(tally.columns), n) SELECT \(tally.values("new")), 1\(whenNew.isEmpty ? " WHERE true" : whenNew)
                        ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                -- A change to what the key is made of: out of the old row's count, into the new's.
                CREATE TRIGGER \(tally.table)_update
                AFTER UPDATE OF state, channel, rep, project, created_at, updated_at ON lead
                WHEN \(tally.changed) BEGIN
                    UPDATE \(tally.table) SET n = n - 1 WHERE \(tally.match("old"))\(whenOld);
                    INSERT INTO \(tally.table) (\(tally.columns), n) SELECT \(tally.values("new")), 1\(whenNew.isEmpty ? " WHERE true" : whenNew)
                        ON CONFLICT DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER \(tally.table)_delete AFTER DELETE ON lead BEGIN
                    UPDATE \(tally.table) SET n = n - 1 WHERE \(tally.match("old"))\(whenOld);
                END;

                """
        }
        return sql
    }
}
