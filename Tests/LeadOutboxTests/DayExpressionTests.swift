import Foundation
import LeadOutbox
import Testing

/// `--since` as people say it, in the rep's time zone (India here: the day starts at 18:30 UTC).
@Suite("day expressions")
struct DayExpressionTests {
    static var india: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        return calendar
    }

    @Test func wordsAndCountsStartAtLocalMidnight() throws {
        let calendar = Self.india
        let now = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 1)))
        let midnight = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 30)))
        #expect(midnight.formatted(.iso8601) == "2026-11-29T18:30:00Z")
        #expect(DayExpression.start("today", now: now, calendar: calendar) == midnight)
        #expect(DayExpression.start("Yesterday", now: now, calendar: calendar) == midnight - 86_400)
        #expect(DayExpression.start("7d", now: now, calendar: calendar) == midnight - 6 * 86_400)
        #expect(DayExpression.start("1d", now: now, calendar: calendar) == midnight)
        #expect(DayExpression.start("24h", now: now, calendar: calendar) == now - 86_400)
        #expect(DayExpression.start("2026-11-28", now: now, calendar: calendar) == midnight - 2 * 86_400)
        #expect(
            DayExpression.start("2026-11-28T10:00:00Z", now: now, calendar: calendar)
                == Date(timeIntervalSince1970: 1_795_860_000))
        for bad in ["last week", "0d", "2026-02-30", "2026-11", "-3d", ""] {
            #expect(DayExpression.start(bad, now: now, calendar: calendar) == nil, "\(bad)")
        }
    }

    /// `--until` a day takes that whole day; an instant or a count ends where it says.
    @Test func untilADayIsToItsEnd() throws {
        let calendar = Self.india
        let now = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 1)))
        let midnight = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 30)))
        #expect(DayExpression.end("today", now: now, calendar: calendar) == midnight + 86_400)
        #expect(DayExpression.end("yesterday", now: now, calendar: calendar) == midnight)
        #expect(DayExpression.end("2026-11-28", now: now, calendar: calendar) == midnight - 86_400)
        #expect(DayExpression.end("24h", now: now, calendar: calendar) == now - 86_400)
        #expect(
            DayExpression.end("2026-11-28T10:00:00Z", now: now, calendar: calendar)
                == Date(timeIntervalSince1970: 1_795_860_000))
        #expect(DayExpression.end("soon", now: now, calendar: calendar) == nil)
    }
}
