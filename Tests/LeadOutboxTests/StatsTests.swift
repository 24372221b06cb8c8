import Foundation
import GRDB
import ParamantraAPI
import TestSupport
import Testing

@testable import LeadOutbox

/// The stats of a period, read from the tallies the triggers keep, on a real SQLite file.
@Suite("stats from the tallies")
struct StatsTests {
    static let india = TimeZone(identifier: "Asia/Kolkata")!
    /// 2026-12-01 00:00 in India is 2026-11-30 18:30 UTC.
    static let indiaMidnight = Date(timeIntervalSince1970: 1_796_063_400)

    private static func lead(_ phone: String, channel: String = "Walk-in", rep: String = "smith", project: String = "")
        -> ValidLead
    {
        try! Lead(
            firstName: "Asha", lastName: "Rao", phone: phone, project: project, subject: "Walk-in", channel: channel,
            rep: rep
        ).validated().get()
    }

    @Test func aDayThatIsNotUTCsCountsItsOwnLeadsByLocalHour() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let midnight = Self.indiaMidnight
            // 23:59 the day before (India), 00:00, 00:14, 09:30 twice, 23:45; and 00:00 the next day.
            let times: [TimeInterval] = [-60, 0, 14 * 60, 9.5 * 3_600, 9.5 * 3_600 + 60, 23.75 * 3_600, 86_400]
            for (index, offset) in times.enumerated() {
                _ = try await database.enqueue(
                    Self.lead("98200123\(String(format: "%02d", index))"), now: midnight + offset)
            }
            let today = StatsPeriod.named(.today, now: midnight + 12 * 3_600, timeZone: Self.india)
            #expect(today.start == midnight && today.intervals.count == 24)
            #expect(today.zoneName == "Asia/Kolkata, UTC+05:30")
            let stats = try await database.stats(today)
            #expect(stats.total == 5)
            #expect(stats.timeline[0] == 2 && stats.timeline[9] == 2 && stats.timeline[23] == 1)
            #expect(stats.peak == 0)
            #expect(stats.count(.queued) == 5)
            let yesterday = try await database.stats(
                StatsPeriod.named(.yesterday, now: midnight + 12 * 3_600, timeZone: Self.india))
            #expect(yesterday.total == 1 && yesterday.timeline[23] == 1)
            // The same leads read in UTC: the day starts five and a half hours later.
            let utc = TimeZone(identifier: "UTC")!
            let utcToday = try await database.stats(
                StatsPeriod.named(.today, now: midnight + 12 * 3_600, timeZone: utc))
            #expect(utcToday.total == 4, "\(utcToday.timeline)")
        }
    }

    @Test func groupsStatesAndTheTimeToAnAnswer() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let t0 = Self.indiaMidnight + 10 * 3_600
            var ids: [Int64] = []
            for index in 0..<12 {
                let channel = index < 6 ? "Walk-in" : index < 10 ? "Expo" : "Web \(index)"
                let rep = index % 2 == 0 ? "smith" : "jones"
                let lead = try await database.enqueue(
                    Self.lead("98200100\(String(format: "%02d", index))", channel: channel, rep: rep, project: "Green"),
                    now: t0 + Double(index))
                ids.append(lead.id)
            }
            // Answers after 0.25 s (8 leads), 3 s (1), 12 s (1, rejected); one held; one queued.
            // Times read back as their bucket's upper bound: 0.3 s, 13 s.
            for (index, id) in ids.enumerated() {
                let created = t0 + Double(index)
                switch index {
                case 0..<8:
                    try await database.record(
                        report(.accepted(crmID: "\(index)")), for: id, policy: .standard, now: created + 0.25)
                case 8:
                    try await database.record(
                        report(.duplicate(crmID: "1")), for: id, policy: .standard, now: created + 3)
                case 9:
                    try await database.record(
                        report(.rejected(status: 402, message: "no")), for: id, policy: .standard, now: created + 12)
                case 10:
                    try await database.record(
                        report(.unauthorized(message: "Not authorized")), for: id, policy: .standard, now: created + 1)
                default: break
                }
            }
            let stats = try await database.stats(StatsPeriod.named(.today, now: t0, timeZone: Self.india))
            #expect(stats.total == 12)
            #expect(stats.count(.accepted) == 8 && stats.count(.duplicate) == 1 && stats.count(.rejected) == 1)
            // The lead saved after the refusal is held with it, not queued.
            #expect(stats.count(.held) == 2 && stats.count(.queued) == 0)
            #expect(stats.groups[.channel]?.map(\.name) == ["Walk-in", "Expo", "Web 10", "Web 11"])
            #expect(stats.groups[.channel]?.first?.byState[.accepted] == 6)
            #expect(stats.groups[.rep]?.map(\.total) == [6, 6])
            #expect(stats.top(.channel, limit: 3).map(\.name) == ["Walk-in", "Expo", "others"])
            #expect(stats.top(.channel, limit: 3).last?.total == 2)
            #expect(
                stats.settle
                    == SettleTimes(answered: 10, median: 0.3, p95: 13, withinFiveSeconds: 9))
            #expect(stats.waiting.held == [.credentials: 2] && stats.waiting.queued == 0)
            // A rejected lead sent again leaves the answered tally, and comes back at its new answer.
            _ = try await database.requeue(rejected: [ids[9]], now: t0 + 100)
            let resent = try await database.stats(StatsPeriod.named(.today, now: t0, timeZone: Self.india))
            #expect(resent.settle.answered == 9 && resent.count(.rejected) == 0 && resent.count(.queued) == 1)
        }
    }

    /// Whatever happens to the leads, the tallies equal a count over them (what the triggers
    /// promise), and a database from before the tallies gets them filled in.
    @Test func theTalliesAlwaysEqualACountOfTheLeads() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let t0 = Self.indiaMidnight
            var ids: [Int64] = []
            for index in 0..<40 {
                let lead = try await database.enqueue(
                    Self.lead("98200200\(String(format: "%02d", index))", channel: index % 3 == 0 ? "Expo" : "Walk-in"),
                    now: t0 + Double(index) * 700)
                ids.append(lead.id)
            }
            for (index, id) in ids.enumerated() where index % 4 != 3 {
                let outcome: DeliveryOutcome =
                    index % 4 == 0
                    ? .accepted(crmID: "1")
                    : index % 4 == 1 ? .rejected(status: 402, message: "x") : .temporary(reason: "503", retryAfter: nil)
                try await database.record(
                    report(outcome), for: id, policy: .standard, now: t0 + Double(index) * 700 + Double(index))
            }
            _ = try await database.requeue(rejected: nil, now: t0 + 50_000)
            _ = try await database.resend(id: ids[3], with: Self.lead("9820020003", channel: "Phone"), now: t0 + 60_000)
            let gone = [ids[0], ids[5]]
            try await database.write { db in
                try db.execute(sql: "DELETE FROM lead WHERE id IN (?, ?)", arguments: StatementArguments(gone))
            }
            try await Self.expectTalliesMatch(database)
        }
    }

    /// A month is read as its whole UTC days from the day tallies and the quarter-hours at either
    /// end: the groups and answer times equal a count of the leads saved in it, in India's days.
    @Test func aMonthFromDayTalliesAndItsEdgesEqualsACountOfItsLeads() async throws {
        try await TempFolder.with { folder in
            let database = try LeadDatabase(directory: folder.url)
            let now = Self.indiaMidnight + 20 * 3_600
            var inMonth: [String: Int] = [:]
            var answered = 0
            let month = StatsPeriod.named(.month, now: now, timeZone: Self.india)
            // Every 7 hours and 13 minutes for 40 days back: both edges of the month are cut
            // mid-UTC-day (the month starts at 18:30 UTC).
            var created = now - 40 * 86_400
            var index = 0
            while created < now {
                let channel = ["Walk-in", "Expo", "Web"][index % 3]
                let lead = try await database.enqueue(
                    Self.lead(String(9_820_000_000 + index), channel: channel), now: created)
                if index % 2 == 0 {
                    try await database.record(
                        report(.accepted(crmID: "1")), for: lead.id, policy: .standard, now: created + 1.5)
                }
                if created >= month.start && created < month.end {
                    inMonth[channel, default: 0] += 1
                    if index % 2 == 0 { answered += 1 }
                }
                created += 7 * 3_600 + 13 * 60
                index += 1
            }
            let stats = try await database.stats(month)
            #expect(stats.timeline.count == 30)
            #expect(stats.total == inMonth.values.reduce(0, +))
            #expect(
                Dictionary(uniqueKeysWithValues: (stats.groups[.channel] ?? []).map { ($0.name, $0.total) }) == inMonth)
            #expect(stats.settle.answered == answered && stats.settle.withinFiveSeconds == answered)
            #expect(stats.count(.accepted) == answered && stats.count(.queued) == stats.total - answered)
        }
    }

    /// A history kept before the tallies existed (schema v3) has them filled in on opening.
    @Test func anOlderDatabaseGetsItsTalliesFromItsLeads() async throws {
        try await TempFolder.with { folder in
            let file = folder.url.appendingPathComponent("leads.sqlite").path
            do {
                let old = try DatabaseQueue(path: file)
                try LeadDatabase.migrator.migrate(old, upTo: "v3: hold reasons")
                try await old.write { db in
                    for index in 0..<30 {
                        let state = ["queued", "accepted", "rejected", "duplicate", "held"][index % 5]
                        let created = Self.indiaMidnight.timeIntervalSince1970 + Double(index) * 1_000
                        try db.execute(
                            sql: """
                                INSERT INTO lead (uuid, created_at, updated_at, first_name, last_name, phone, phone_as_typed,
                                    email, project, notes, subject, channel, rep, alert_client, alert_rep, state, search_text)
                                VALUES (?, ?, ?, 'A', 'B', ?, ?, '', 'Green', '', 'Walk-in', ?, 'smith', 0, 0, ?, '')
                                """,
                            arguments: [
                                UUID().uuidString, created, created + Double(index), "98200300\(index)",
                                "98200300\(index)",
                                index % 2 == 0 ? "Expo" : "Walk-in", state
                            ])
                    }
                }
            }
            let database = try LeadDatabase(directory: folder.url)
            try await Self.expectTalliesMatch(database)
            let stats = try await database.stats(
                StatsPeriod.named(.today, now: Self.indiaMidnight, timeZone: Self.india))
            #expect(stats.total == 30 && stats.count(.accepted) == 6 && stats.settle.answered == 18)
        }
    }

    /// Each tally holds exactly what a count over the leads gives (rows at zero aside).
    static func expectTalliesMatch(_ database: LeadDatabase) async throws {
        for tally in StatsSchema.tallies {
            let order = tally.keys.indices.map { String($0 + 1) }.joined(separator: ", ")
            let aliased = tally.keys.map { "\($0.value("lead")) AS \($0.column)" }.joined(separator: ", ")
            let (table, columns) = (tally.table, tally.columns)
            let filter = tally.only.map { "WHERE " + $0("lead") } ?? ""
            // Rows as text: GRDB's Row is not Sendable.
            let (stored, counted) = try await database.read { db in
                (
                    try Row.fetchAll(
                        db, sql: "SELECT \(columns), n FROM \(table) WHERE n > 0 ORDER BY \(order)"
                    ).map(\.description),
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT \(aliased), count(*) AS n FROM lead \(filter)
                            GROUP BY \(order) ORDER BY \(order)
                            """
                    ).map(\.description)
                )
            }
            #expect(stored == counted, "\(tally.table)")
            #expect(!stored.isEmpty, "\(tally.table)")
        }
    }

    @Test func settleBucketsReadBackAsTheirUpperBounds() {
        #expect(SettleBuckets.upperBound(0) == 0.1 && SettleBuckets.upperBound(49) == 5)
        #expect(SettleBuckets.upperBound(100) == 11 && SettleBuckets.upperBound(209) == 120)
        #expect(SettleBuckets.upperBound(210) == 180 && SettleBuckets.upperBound(328) == 3 * 3_600)
        #expect(SettleBuckets.settle([]) == SettleTimes())
        // 95 fast and 5 slow: p95 is the 95th answer, still fast.
        #expect(SettleBuckets.settle([(2, 95), (150, 5)]).p95 == 0.3)
        #expect(SettleBuckets.settle([(2, 94), (150, 6)]).p95 == 61)
    }

    @Test func periodsOfSeveralDaysAreDrawnByLocalDay() {
        let now = Self.indiaMidnight + 3_600
        let week = StatsPeriod.named(.week, now: now, timeZone: Self.india)
        #expect(!week.byHour && week.intervals.count == 7)
        #expect(week.intervals.last?.start == Self.indiaMidnight && week.end == Self.indiaMidnight + 86_400)
        #expect(StatsPeriod.named(.month, now: now, timeZone: Self.india).intervals.count == 30)
        // A day the clocks go back (New York, 2026-11-01) has 25 hours.
        let newYork = TimeZone(identifier: "America/New_York")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newYork
        let fallBack = calendar.date(from: DateComponents(year: 2026, month: 11, day: 1, hour: 12))!
        #expect(StatsPeriod.named(.today, now: fallBack, timeZone: newYork).intervals.count == 25)
    }
}
