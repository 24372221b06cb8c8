import Foundation
import GRDB

extension LeadDatabase {
    /// A period's figures from the tallies (`StatsSchema`): one read of the period's rows of
    /// `lead_tally` and `settle_tally` (a few per quarter-hour, however many leads), plus the
    /// outbox's waiting leads. Never a pass over the leads themselves.
    public func stats(_ period: StatsPeriod) async throws -> LeadStats {
        let (first, last) = period.slots
        let (rows, settle, waiting) = try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT slot, state, channel, rep, project, n FROM lead_tally
                    WHERE slot >= ? AND slot < ? AND n > 0
                    """, arguments: [first, last]
            ).map { row -> TallyRow in
                TallyRow(
                    slot: row[0], state: LeadState(rawValue: row[1]) ?? .queued, channel: row[2], rep: row[3],
                    project: row[4], n: row[5])
            }
            let settle = try Row.fetchAll(
                db,
                sql: "SELECT bucket, sum(n) FROM settle_tally WHERE slot >= ? AND slot < ? GROUP BY bucket",
                arguments: [first, last]
            ).map { (bucket: $0[0] as Int, n: $0[1] as Int) }
            return (rows, settle, try Self.waiting(db))
        }
        return StatsTally.stats(period, rows: rows, settle: settle, waiting: waiting)
    }

    /// The held leads by reason (few: held leads wait for a fix) and the queue.
    private static func waiting(_ db: Database) throws -> Waiting {
        var held: [LeadHold: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT hold, count(*) FROM lead WHERE state = 'held' GROUP BY hold") {
            held[LeadHold(rawValue: row[0] ?? "") ?? .credentials, default: 0] += row[1] as Int
        }
        let queued =
            try Int.fetchOne(db, sql: "SELECT n FROM state_count WHERE state = 'queued'") ?? 0
        let next = try Double.fetchOne(
            db, sql: "SELECT min(next_attempt_at) FROM lead WHERE state = 'queued'")
        return Waiting(held: held, queued: queued, nextAttempt: next.map { Date(timeIntervalSince1970: $0) })
    }
}

/// One row of `lead_tally`.
struct TallyRow: Sendable {
    var slot: Int64
    var state: LeadState
    var channel: String
    var rep: String
    var project: String
    var n: Int
}

/// The period's figures from its tally rows. Pure, for tests.
enum StatsTally {
    static func stats(
        _ period: StatsPeriod, rows: [TallyRow], settle: [(bucket: Int, n: Int)], waiting: Waiting
    ) -> LeadStats {
        let intervals = period.intervals
        var timeline = [Int](repeating: 0, count: intervals.count)
        var timelineByState = [[LeadState: Int]](repeating: [:], count: intervals.count)
        var groups: [StatsDimension: [String: StatsGroup]] = [:]
        // Each slot's interval, found once per slot (a period of 30 days has 2,880).
        var intervalOfSlot: [Int64: Int] = [:]
        for row in rows {
            let index: Int
            if let known = intervalOfSlot[row.slot] {
                index = known
            } else {
                let at = Date(timeIntervalSince1970: Double(row.slot) * Double(StatsSchema.slotSeconds))
                index = Self.interval(containing: at, in: intervals)
                intervalOfSlot[row.slot] = index
            }
            guard index >= 0 else { continue }
            timeline[index] += row.n
            timelineByState[index][row.state, default: 0] += row.n
            for (dimension, name) in [
                (StatsDimension.state, row.state.rawValue), (.channel, row.channel), (.rep, row.rep),
                (.project, row.project)
            ] {
                groups[dimension, default: [:]][name, default: StatsGroup(name: name)].total += row.n
                groups[dimension, default: [:]][name, default: StatsGroup(name: name)].byState[row.state, default: 0] +=
                    row.n
            }
        }
        // Largest first; a tie by name, so the order never flickers between draws.
        var ordered = groups.mapValues { $0.values.sorted { ($1.total, $0.name) < ($0.total, $1.name) } }
        // Every state is listed, in the order the history lists them, even at zero.
        ordered[.state] = LeadState.allCases.map { state in
            groups[.state]?[state.rawValue] ?? StatsGroup(name: state.rawValue)
        }
        for dimension in StatsDimension.allCases where ordered[dimension] == nil { ordered[dimension] = [] }
        return LeadStats(
            period: period, timeline: timeline, timelineByState: timelineByState, groups: ordered,
            settle: SettleBuckets.settle(settle),
            waiting: waiting)
    }

    /// The index of the interval holding `date`; -1 when none does (a slot that straddles the
    /// period's edge when it does not start on a quarter-hour).
    static func interval(containing date: Date, in intervals: [DateInterval]) -> Int {
        var low = 0
        var high = intervals.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if date < intervals[middle].start {
                high = middle - 1
            } else if date >= intervals[middle].end {
                low = middle + 1
            } else {
                return middle
            }
        }
        return -1
    }
}
