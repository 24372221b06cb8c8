import Foundation
import LeadOutbox

/// `leadconsole report --format json|csv`: a period's figures as numbers for a spreadsheet or a
/// script. Times are local with their offset (2026-12-01T09:00:00+05:30), as in `export`.
public enum StatsExport {
    public enum Format: String, CaseIterable, Sendable { case text, json, csv }

    /// What a report is grouped by: the hours or days of the period, or a dimension.
    public enum Grouping: String, CaseIterable, Sendable {
        case hour, day, channel, rep, project, state

        public var dimension: StatsDimension? { StatsDimension(rawValue: rawValue) }
        public var unit: StatsPeriod.Unit? { StatsPeriod.Unit(rawValue: rawValue) }
    }

    /// Every figure (`by` nil) or one grouping's rows, as one JSON object.
    public static func json(_ stats: LeadStats, by grouping: Grouping?) throws -> Data {
        let period = stats.period
        var object: [String: Any] = [
            "period": [
                "name": period.name, "start": iso(period.start, period.timeZone),
                "end": iso(period.end, period.timeZone),
                "time_zone": period.timeZone.identifier, "unit": period.unit.rawValue
            ],
            "leads": stats.total
        ]
        if let grouping {
            object["by"] = grouping.rawValue
            object["groups"] = rows(stats, by: grouping).map { row in
                ["name": row.name, "leads": row.total, "states": states(row.byState)] as [String: Any]
            }
        } else {
            object["timeline"] = rows(stats, by: period.byHour ? .hour : .day).map { row in
                ["start": row.name, "leads": row.total, "states": states(row.byState)] as [String: Any]
            }
            for dimension in StatsDimension.allCases {
                object["by_\(dimension.rawValue)"] = (stats.groups[dimension] ?? []).map { group in
                    ["name": group.name, "leads": group.total, "states": states(group.byState)] as [String: Any]
                }
            }
            let settle = stats.settle
            object["answer_time"] = [
                "answered": settle.answered, "median_seconds": settle.median.map { $0 as Any } ?? NSNull(),
                "p95_seconds": settle.p95.map { $0 as Any } ?? NSNull(), "within_5_seconds": settle.withinFiveSeconds
            ]
            object["waiting"] = [
                "held": Dictionary(uniqueKeysWithValues: stats.waiting.held.map { ($0.key.rawValue, $0.value) }),
                "queued": stats.waiting.queued,
                "next_attempt": stats.waiting.nextAttempt.map { iso($0, period.timeZone) as Any } ?? NSNull()
            ]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// One grouping as CSV rows: its name (or the hour's or day's start), the leads, then the
    /// leads in each state; the header first.
    public static func csvRows(_ stats: LeadStats, by grouping: Grouping) -> [[String]] {
        let header = [grouping.unit == nil ? grouping.rawValue : "start", "leads"] + LeadState.allCases.map(\.rawValue)
        return [header]
            + rows(stats, by: grouping).map { row in
                [row.name, String(row.total)] + LeadState.allCases.map { String(row.byState[$0] ?? 0) }
            }
    }

    /// The rows of a grouping: every hour or day of the period (named by its local start), or
    /// every group of a dimension, largest first.
    static func rows(_ stats: LeadStats, by grouping: Grouping) -> [StatsGroup] {
        if let dimension = grouping.dimension { return stats.groups[dimension] ?? [] }
        let zone = stats.period.timeZone
        return stats.period.intervals.enumerated().map { index, interval in
            StatsGroup(
                name: iso(interval.start, zone), total: stats.timeline[index],
                byState: stats.timelineByState.indices.contains(index) ? stats.timelineByState[index] : [:])
        }
    }

    private static func states(_ byState: [LeadState: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: LeadState.allCases.map { ($0.rawValue, byState[$0] ?? 0) })
    }

    static func iso(_ date: Date, _ zone: TimeZone) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: zone))
    }
}
