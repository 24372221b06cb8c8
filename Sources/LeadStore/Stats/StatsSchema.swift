/// The tables behind the stats screen and `leadconsole report` (migration v4): counts kept by
/// triggers as leads are written, so that a period's figures are read from a few thousand rows
/// instead of counted over a million leads.
///
/// Time is kept by the UTC quarter-hour a lead was saved in (`slot`): every time zone in use
/// is a whole number of quarter-hours from UTC, so local hours and days are unions of slots, in
/// any zone the rep is in when the report is read.
///
/// These texts are part of a shipped migration: never change them; add a migration instead.
enum StatsSchema {
    /// A quarter-hour: the resolution of every period.
    static let slotSeconds = 900

    /// The slot of a lead's `created_at` (the moment Ctrl-S saved it).
    static func slot(_ row: String) -> String { "CAST(\(row).created_at / 900 AS INTEGER)" }

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

    static var migration: String {
        let tally = { (row: String) in
            "\(slot(row)), \(row).state, \(row).channel, \(row).rep, \(row).project"
        }
        let tallyMatch = { (row: String) in
            "slot = \(slot(row)) AND state = \(row).state AND channel = \(row).channel AND rep = \(row).rep AND project = \(row).project"
        }
        return """
            -- Leads per quarter-hour, state, channel, rep and project.
            CREATE TABLE lead_tally (
                slot INTEGER NOT NULL, state TEXT NOT NULL, channel TEXT NOT NULL, rep TEXT NOT NULL,
                project TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (slot, state, channel, rep, project)
            ) WITHOUT ROWID;
            -- Answered leads per quarter-hour and time to the answer (see settleBucket).
            CREATE TABLE settle_tally (
                slot INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (slot, bucket)
            ) WITHOUT ROWID;

            INSERT INTO lead_tally (slot, state, channel, rep, project, n)
                SELECT \(tally("lead")), count(*) FROM lead GROUP BY 1, 2, 3, 4, 5;
            INSERT INTO settle_tally (slot, bucket, n)
                SELECT \(slot("lead")), \(settleBucket("lead")), count(*) FROM lead
                WHERE state IN \(answered) GROUP BY 1, 2;

            CREATE TRIGGER lead_tally_insert AFTER INSERT ON lead BEGIN
                INSERT INTO lead_tally (slot, state, channel, rep, project, n) VALUES (\(tally("new")), 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER lead_tally_update AFTER UPDATE OF state, channel, rep, project, created_at ON lead
            WHEN old.state IS NOT new.state OR old.channel IS NOT new.channel OR old.rep IS NOT new.rep
                OR old.project IS NOT new.project OR old.created_at IS NOT new.created_at BEGIN
                UPDATE lead_tally SET n = n - 1 WHERE \(tallyMatch("old"));
                INSERT INTO lead_tally (slot, state, channel, rep, project, n) VALUES (\(tally("new")), 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER lead_tally_delete AFTER DELETE ON lead BEGIN
                UPDATE lead_tally SET n = n - 1 WHERE \(tallyMatch("old"));
            END;

            CREATE TRIGGER settle_tally_insert AFTER INSERT ON lead WHEN new.state IN \(answered) BEGIN
                INSERT INTO settle_tally (slot, bucket, n) VALUES (\(slot("new")), \(settleBucket("new")), 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            -- Out of an answered state (a rejected lead sent again, an edit), then into one: the
            -- tally always holds each answered lead once, at its latest answer.
            CREATE TRIGGER settle_tally_update AFTER UPDATE OF state, updated_at, created_at ON lead
            WHEN old.state IN \(answered) OR new.state IN \(answered) BEGIN
                UPDATE settle_tally SET n = n - 1
                    WHERE old.state IN \(answered) AND slot = \(slot("old")) AND bucket = \(settleBucket("old"));
                INSERT INTO settle_tally (slot, bucket, n)
                    SELECT \(slot("new")), \(settleBucket("new")), 1 WHERE new.state IN \(answered)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER settle_tally_delete AFTER DELETE ON lead WHEN old.state IN \(answered) BEGIN
                UPDATE settle_tally SET n = n - 1 WHERE slot = \(slot("old")) AND bucket = \(settleBucket("old"));
            END;
            """
    }
}
