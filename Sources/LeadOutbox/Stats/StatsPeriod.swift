import Foundation

/// The leads a stats view or report covers: those saved from `start` (included) to `end`
/// (excluded), in the rep's time zone, drawn by hour (a day or less) or by day.
public struct StatsPeriod: Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var timeZone: TimeZone
    /// What the rep calls it ("today", "the last 7 days", "2026-11-01 to 2026-11-30").
    public var name: String

    public init(start: Date, end: Date, timeZone: TimeZone, name: String) {
        self.start = start
        self.end = max(start, end)
        self.timeZone = timeZone
        self.name = name
    }

    /// The periods the stats screen steps through (its keys 1-4).
    public enum Named: String, Sendable, CaseIterable, Equatable {
        case today, yesterday
        case week = "7d"
        case month = "30d"

        public var title: String {
            switch self {
            case .today: "today"
            case .yesterday: "yesterday"
            case .week: "the last 7 days"
            case .month: "the last 30 days"
            }
        }
    }

    /// A named period as of `now`: today runs to the end of the day (the chart shows the hours
    /// still to come), the 7 and 30 days end with today.
    public static func named(_ named: Named, now: Date, timeZone: TimeZone) -> StatsPeriod {
        let calendar = Self.calendar(timeZone)
        let today = calendar.startOfDay(for: now)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
        let start: Date
        var end = tomorrow
        switch named {
        case .today: start = today
        case .yesterday:
            start = calendar.date(byAdding: .day, value: -1, to: today)!
            end = today
        case .week: start = calendar.date(byAdding: .day, value: -6, to: today)!
        case .month: start = calendar.date(byAdding: .day, value: -29, to: today)!
        }
        return StatsPeriod(start: start, end: end, timeZone: timeZone, name: named.title)
    }

    /// Drawn by hour or by day: by hour for a day or less unless said otherwise.
    public enum Unit: String, Sendable, Equatable { case hour, day }
    /// The unit asked for (`report --by hour`); nil: by the period's length.
    public var chosenUnit: Unit?

    public var unit: Unit { chosenUnit ?? (end.timeIntervalSince(start) <= 25 * 3_600 ? .hour : .day) }
    public var byHour: Bool { unit == .hour }

    /// The hours or days the period is drawn in, as half-open intervals in local time (a day of
    /// 23 or 25 hours when the clocks change).
    public var intervals: [DateInterval] {
        let calendar = Self.calendar(timeZone)
        var result: [DateInterval] = []
        var cursor = start
        // Days start at local midnight; a period that starts mid-day has a short first day.
        let unit: Calendar.Component = byHour ? .hour : .day
        while cursor < end, result.count < 100_000 {
            let next: Date
            if byHour {
                next = calendar.dateInterval(of: .hour, for: cursor)?.end ?? cursor.addingTimeInterval(3_600)
            } else {
                next = calendar.date(byAdding: unit, value: 1, to: calendar.startOfDay(for: cursor)) ?? end
            }
            result.append(DateInterval(start: cursor, end: min(max(next, cursor + 1), end)))
            cursor = min(max(next, cursor + 1), end)
        }
        return result
    }

    /// The quarter-hour slots the period covers: [first, last).
    var slots: (first: Int64, last: Int64) {
        let size = Double(StatsSchema.slotSeconds)
        return (
            Int64((start.timeIntervalSince1970 / size).rounded(.down)),
            Int64((end.timeIntervalSince1970 / size).rounded(.up))
        )
    }

    /// The Gregorian calendar in `timeZone`: the one the periods, the charts and the report use.
    public static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The zone as the heading names it: "Asia/Kolkata, UTC+05:30".
    public var zoneName: String {
        let seconds = timeZone.secondsFromGMT(for: start)
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return "\(timeZone.identifier), UTC\(sign)" + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
