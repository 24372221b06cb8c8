import Foundation
import ParamantraAPI

/// A period's bounds as people say them on the command line, in the rep's local time:
/// `today`, `yesterday`, `7d` (the last seven days, today included), `24h`, a day
/// (`2026-11-28`), or an ISO 8601 instant. Pure: `now` and the calendar come in.
public enum DayExpression {
    public static let help = "today, yesterday, 7d (the last 7 days), 24h, a day (2026-11-28) or an ISO 8601 instant"

    /// The end of a period (`--until`), excluded: a day (today, yesterday, 2026-11-28) is taken
    /// whole, to the next midnight; anything else ends where `start` puts it.
    public static func end(_ text: String, now: Date = Date(), calendar: Calendar = .current) -> Date? {
        guard let start = start(text, now: now, calendar: calendar) else { return nil }
        let word = text.trimmingSpace(newlines: false).lowercased()
        let isDay = word == "today" || word == "yesterday" || (word.count == 10 && !word.contains("t"))
        return isDay ? calendar.date(byAdding: .day, value: 1, to: start) : start
    }

    public static func start(_ text: String, now: Date = Date(), calendar: Calendar = .current) -> Date? {
        let word = text.trimmingSpace(newlines: false).lowercased()
        let today = calendar.startOfDay(for: now)
        switch word {
        case "today": return today
        case "yesterday": return calendar.date(byAdding: .day, value: -1, to: today)
        default: break
        }
        if word.hasSuffix("d"), let days = Int(word.dropLast()), (1...36_500).contains(days) {
            return calendar.date(byAdding: .day, value: -(days - 1), to: today)
        }
        if word.hasSuffix("h"), let hours = Int(word.dropLast()), (1...876_000).contains(hours) {
            return now.addingTimeInterval(-Double(hours) * 3_600)
        }
        if let instant = try? Date(text, strategy: .iso8601) { return instant }
        let parts = word.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }
}
