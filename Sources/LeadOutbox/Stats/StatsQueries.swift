import Foundation
import GRDB

extension LeadDatabase {
    /// A period's figures from the tallies (`StatsSchema`), summed by SQLite: the leads per
    /// hour or day and state from `slot_tally` (six rows a quarter-hour at most), the groups and
    /// the answer times from the day tallies for the period's whole UTC days and the quarter-hour
    /// tallies for the rest at either end. Never a pass over the leads themselves, and only the
    /// sums cross into Swift.
    public func stats(_ period: StatsPeriod) async throws -> LeadStats {
        let (first, last) = period.slots
        let bounds = period.intervals.map { interval in
            (Self.slot(interval.start, up: false), Self.slot(interval.end, up: true))
        }
        let ranges = StatsRanges(first: first, last: last)
        return try await read { db in
            var sums: [StatsSum] = []
            // Each hour or day of the period as a range of slots: one index seek each.
            for chunk in stride(from: 0, to: bounds.count, by: 300) {
                let part = bounds[chunk..<min(bounds.count, chunk + 300)]
                let values = part.indices.map { _ in "(?, ?, ?)" }.joined(separator: ", ")
                var arguments: [any DatabaseValueConvertible] = []
                for index in part.indices { arguments += [index, part[index].0, part[index].1] }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        WITH span(i, a, b) AS (VALUES \(values))
                        SELECT span.i, t.state, sum(t.n) FROM span JOIN slot_tally t ON t.slot >= span.a AND t.slot < span.b
                        GROUP BY span.i, t.state
                        """, arguments: StatementArguments(arguments))
                {
                    sums.append(StatsSum(interval: row[0], state: row[1], n: row[2]))
                }
            }
            let groupRows = try Row.fetchAll(
                db,
                sql:
                    "SELECT channel, rep, project, state, sum(n) FROM (\(ranges.union("channel, rep, project, state, n", "lead_tally"))) GROUP BY 1, 2, 3, 4",
                arguments: ranges.arguments)
            for row in groupRows {
                let (state, n): (String, Int) = (row[3], row[4])
                for (index, dimension) in [StatsDimension.channel, .rep, .project].enumerated() {
                    sums.append(StatsSum(dimension: dimension, name: row[index], state: state, n: n))
                }
            }
            let settle = try Row.fetchAll(
                db,
                sql: "SELECT bucket, sum(n) FROM (\(ranges.union("bucket, n", "settle_tally"))) GROUP BY bucket",
                arguments: ranges.arguments
            ).map { (bucket: $0[0] as Int, n: $0[1] as Int) }
            return StatsTally.stats(period, sums: sums, settle: settle, waiting: try Self.waiting(db))
        }
    }

    private static func slot(_ date: Date, up: Bool) -> Int64 {
        let value = date.timeIntervalSince1970 / Double(StatsSchema.slotSeconds)
        return Int64(up ? value.rounded(.up) : value.rounded(.down))
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

/// One sum read from the tallies: leads of a state in an hour or day of the period
/// (`dimension` nil, `interval` its index), or in a channel, rep or project (`name`).
struct StatsSum: Sendable {
    var dimension: StatsDimension?
    var name = ""
    var interval = -1
    var state: String
    var n: Int

    init(dimension: StatsDimension? = nil, name: String = "", interval: Int = -1, state: String, n: Int) {
        (self.dimension, self.name, self.interval, self.state, self.n) = (dimension, name, interval, state, n)
    }
}

/// A period's slots [first, last) as the day tallies read them: the whole UTC days inside, and
/// the quarter-hours before the first of them and after the last.
struct StatsRanges {
    var first: Int64
    var last: Int64

    private var days: (first: Int64, last: Int64)? {
        let perDay = Int64(StatsSchema.slotsPerDay)
        let (a, b) = ((first + perDay - 1) / perDay, last / perDay)
        return a < b ? (a, b) : nil
    }

    /// The rows of a tally and its day tally that make up the period, as one SELECT.
    func union(_ columns: String, _ table: String) -> String {
        guard days != nil else { return "SELECT \(columns) FROM \(table) WHERE slot >= ? AND slot < ?" }
        return """
            SELECT \(columns) FROM \(table) WHERE slot >= ? AND slot < ?
            UNION ALL SELECT \(columns) FROM \(table)_day WHERE day >= ? AND day < ?
            UNION ALL SELECT \(columns) FROM \(table) WHERE slot >= ? AND slot < ?
            """
    }

    var arguments: StatementArguments {
        guard let days else { return [first, last] }
        let perDay = Int64(StatsSchema.slotsPerDay)
        return [first, days.first * perDay, days.first, days.last, days.last * perDay, last]
    }
}

/// The period's figures from its sums. Pure, for tests.
enum StatsTally {
    static func stats(
        _ period: StatsPeriod, sums: [StatsSum], settle: [(bucket: Int, n: Int)], waiting: Waiting
    ) -> LeadStats {
        let count = period.intervals.count
        var timeline = [Int](repeating: 0, count: count)
        var timelineByState = [[LeadState: Int]](repeating: [:], count: count)
        var groups: [StatsDimension: [String: StatsGroup]] = [:]
        for sum in sums {
            let state = LeadState(rawValue: sum.state) ?? .queued
            let dimension: StatsDimension
            let name: String
            if let named = sum.dimension {
                (dimension, name) = (named, sum.name)
            } else {
                guard timeline.indices.contains(sum.interval) else { continue }
                timeline[sum.interval] += sum.n
                timelineByState[sum.interval][state, default: 0] += sum.n
                // The states of the period are the sum of its hours or days.
                (dimension, name) = (.state, state.rawValue)
            }
            groups[dimension, default: [:]][name, default: StatsGroup(name: name)].total += sum.n
            groups[dimension, default: [:]][name, default: StatsGroup(name: name)].byState[state, default: 0] += sum.n
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
            settle: SettleBuckets.settle(settle), waiting: waiting)
    }
}
