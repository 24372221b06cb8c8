import Foundation
import GRDB

/// Lead ids known not to be in the lead table, kept in `lead_gap` (migration v5) so that a later
/// `doctor` counts them as accounted for, not as missing. Every other id from 1 to the highest
/// given is a lead: that is what lets `doctor` prove nothing is missing.
public enum LeadGap {
    /// Ids an import skipped before v5 (a row already there still used up an id), or missing
    /// for a reason an older version did not record: found when v5 first opened the file.
    public static let unused = "unused"
    /// Leads `doctor` could not find in a damaged file (reported then, exit 65).
    public static let lost = "lost"
    /// Leads given up on purpose: `doctor --accept-loss`, or ids past a restored backup's.
    public static let accepted = "accepted"
    static let reasons: Set<String> = [unused, lost, accepted]
}

/// The queries of `lead_gap`.
enum LeadGaps {
    /// Ids from 1 to the highest given that are neither a lead nor a recorded gap, as ranges.
    /// Reads every lead id once (a window over the primary key): for `doctor` and migration v5,
    /// never on a screen.
    static func unexplained(_ db: Database) throws -> [ClosedRange<Int64>] {
        let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'lead'") ?? 0
        guard highest > 0 else { return [] }
        var holes: [ClosedRange<Int64>] = []
        let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM lead") ?? (highest + 1)
        if first > 1 { holes.append(1...min(first - 1, highest)) }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id + 1, next - 1 FROM (SELECT id, lead(id, 1, ? + 1) OVER (ORDER BY id) AS next FROM lead)
                WHERE next > id + 1
                """, arguments: [highest])
        while let row = try rows.next() { holes.append((row[0] as Int64)...(row[1] as Int64)) }
        return IDRanges.subtract(holes, try recorded(db).map(\.range))
    }

    /// The gaps recorded, in id order.
    static func recorded(_ db: Database) throws -> [(range: ClosedRange<Int64>, reason: String)] {
        guard try db.tableExists("lead_gap") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT first_id, last_id, reason FROM lead_gap ORDER BY first_id").map {
            (($0[0] as Int64)...($0[1] as Int64), $0[2] as String)
        }
    }

    static func note(_ db: Database, _ range: ClosedRange<Int64>, reason: String, at: Date) throws {
        try db.execute(
            sql: "INSERT INTO lead_gap (first_id, last_id, noted_at, reason) VALUES (?, ?, ?, ?)",
            arguments: [range.lowerBound, range.upperBound, at.timeIntervalSince1970, reason])
    }

    /// Makes AUTOINCREMENT give ids after `highest` (a rebuilt or restored database must never
    /// give a lost lead's id to a new one).
    static func raiseSequence(_ db: Database, table: String, to highest: Int64) throws {
        try db.execute(
            sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", arguments: [highest, table])
        if db.changesCount == 0, highest > 0 {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, highest])
        }
    }
}

/// Sorted, non-overlapping id ranges: what `doctor` prints ("31-44, 187") and records.
public enum IDRanges {
    /// Runs of consecutive ids, from ids in any order.
    public static func of<S: Sequence>(_ ids: S) -> [ClosedRange<Int64>] where S.Element == Int64 {
        var runs: [ClosedRange<Int64>] = []
        for id in ids.sorted() {
            if let last = runs.last, last.upperBound + 1 >= id {
                runs[runs.count - 1] = last.lowerBound...max(last.upperBound, id)
            } else {
                runs.append(id...id)
            }
        }
        return runs
    }

    /// The ids of `ranges` that none of `removed` holds.
    static func subtract(_ ranges: [ClosedRange<Int64>], _ removed: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        let cuts = merge(removed)
        var result: [ClosedRange<Int64>] = []
        for range in merge(ranges) {
            var low = range.lowerBound
            for cut in cuts where cut.upperBound >= low && cut.lowerBound <= range.upperBound {
                if cut.lowerBound > low { result.append(low...(cut.lowerBound - 1)) }
                low = max(low, cut.upperBound + 1)
            }
            if low <= range.upperBound { result.append(low...range.upperBound) }
        }
        return result
    }

    /// The same ids as sorted ranges that neither overlap nor touch.
    static func merge(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var merged: [ClosedRange<Int64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, last.upperBound + 1 >= range.lowerBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    public static func count(_ ranges: [ClosedRange<Int64>]) -> Int64 {
        ranges.reduce(0) { $0 + $1.upperBound - $1.lowerBound + 1 }
    }

    /// "31-44, 187".
    public static func text(_ ranges: [ClosedRange<Int64>]) -> String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }
}
