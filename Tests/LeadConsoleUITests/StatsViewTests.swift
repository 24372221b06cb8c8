import ConsoleState
import Foundation
import LeadOutbox
import Testing

@testable import LeadConsoleUI

/// The stats screen (F6) as it draws, against golden screens at the smallest usual terminal and
/// a large one (`UPDATE_GOLDEN=1 swift test --filter StatsViewTests` writes them again; the diff
/// is then read like code).
@Suite("stats screen")
struct StatsViewTests {
    static let india = TimeZone(identifier: "Asia/Kolkata")!
    init() { DisplayWidth.prepare() }

    /// 2026-12-01 15:00 in India (a Tuesday).
    static let now = Date(timeIntervalSince1970: 1_796_063_400 + 15 * 3_600)

    static func group(_ name: String, _ byState: [LeadState: Int]) -> StatsGroup {
        StatsGroup(name: name, total: byState.values.reduce(0, +), byState: byState)
    }

    /// A day at an expo: a morning rush, a lunch lull, an afternoon peak.
    static var figures: LeadStats {
        let period = StatsPeriod.named(.today, now: now, timeZone: india)
        var timeline = [Int](repeating: 0, count: 24)
        for (hour, n) in [9: 4, 10: 11, 11: 14, 12: 6, 13: 2, 14: 17, 15: 5] { timeline[hour] = n }
        let states: [StatsGroup] = LeadState.allCases.map { state in
            let n = [LeadState.queued: 3, .sending: 0, .held: 2, .rejected: 4, .accepted: 45, .duplicate: 5][state] ?? 0
            return group(state.rawValue, n == 0 ? [:] : [state: n])
        }
        let channels = [
            group("Walk-in", [.accepted: 30, .rejected: 2]), group("Expo stand", [.accepted: 12, .duplicate: 3]),
            group("Referral", [.accepted: 3, .queued: 2]), group("Web", [.duplicate: 2, .held: 2]),
            group("Newspaper", [.rejected: 2]), group("Radio", [.queued: 1])
        ]
        let reps = [
            group("smith", [.accepted: 25, .rejected: 4]),
            group("jones", [.accepted: 20, .duplicate: 5, .queued: 3, .held: 2])
        ]
        // Eleven projects and leads without one: the screen has room for eight bars at most.
        let projects =
            zip(1...11, [12, 9, 8, 6, 5, 4, 3, 2, 1, 1, 1]).map { group("Tower \($0)", [.accepted: $1]) }
            + [group("", [.queued: 3, .held: 2, .duplicate: 2])]
        return LeadStats(
            period: period, timeline: timeline,
            groups: [.state: states, .channel: channels, .rep: reps, .project: projects],
            settle: SettleTimes(answered: 54, median: 0.4, p95: 13, withinFiveSeconds: 50),
            waiting: Waiting(held: [.credentials: 2], queued: 3, nextAttempt: now + 95))
    }

    static func screen(_ figures: LeadStats?, columns: Int, rows: Int) -> String {
        var state = AppState(settings: StatsViewTests.sendingSettings)
        state.screen = .stats
        state.stats.figures = figures
        return StatsView.render(state, columns: columns, rows: rows, theme: Theme(color: false), now: now)
            .lines.joined(separator: "\n")
    }

    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == golden, "\(name) differs; drawn:\n\(text)", sourceLocation: sourceLocation)
    }

    @Test func atEightyByTwentyFourEverythingFits() throws {
        let text = Self.screen(Self.figures, columns: 80, rows: 24)
        try Self.expectGolden(text, "stats-80x24.txt")
        // The zone in the heading, the peak named, the keys that deal with what waits.
        #expect(text.contains("Asia/Kolkata, UTC+05:30") && text.contains("peak 14:00–15:00 · 17 leads"))
        #expect(text.contains("F4 settings") && text.contains("F5 retry now"))
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) == 80 })
    }

    @Test func atTwoHundredBySixtyItUsesTheRoom() throws {
        let text = Self.screen(Self.figures, columns: 200, rows: 60)
        try Self.expectGolden(text, "stats-200x60.txt")
        // Room for every project and every channel: none summed as "others".
        #expect(text.contains("Tower 11") && text.contains("(none)") && !text.contains("others"))
        #expect(text.contains("Radio"))
    }

    /// The lists fill the rows the screen has before anything is summed as "others", at every
    /// size from 80x24: no empty row stays below a list that was cut.
    @Test(arguments: [(80, 24), (100, 30), (120, 36)])
    func theListsFillTheScreenTheyHave(columns: Int, rows: Int) {
        let text = Self.screen(Self.figures, columns: columns, rows: rows)
        // Two reps leave the middle column's rows to the channels: six of them, so at 80x24
        // four and "others", from 100x30 every one.
        #expect(text.contains("Referral") && text.contains("Web"), "\(text)")
        if rows >= 30 { #expect(text.contains("Radio") && text.contains("Newspaper"), "\(text)") }
        // The project list ends at the last row above the footer's banner line.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lastProject = lines.lastIndex { $0.contains("Tower") || $0.contains("(none)") } ?? 0
        #expect(lastProject >= min(rows - 4, 14 + 12), "\(text)")
        #expect(StatsView.barRows([2, 6], height: 10) == [2, 6])
        #expect(StatsView.barRows([2, 12], height: 10) == [2, 8])
        #expect(StatsView.barRows([12, 12], height: 10) == [5, 5])
        #expect(StatsView.barRows([12], height: 3) == [3])
    }

    @Test func anEmptyPeriodSaysSoAndStillShowsWhatWaits() {
        var empty = Self.figures
        empty.timeline = [Int](repeating: 0, count: 24)
        empty.groups = [:]
        empty.settle = SettleTimes()
        let text = Self.screen(empty, columns: 80, rows: 24)
        #expect(text.contains("No leads saved today.") && text.contains("Waiting: 3 queued, next try 15:01"))
        #expect(!text.contains("By channel") && !text.contains("CRM answers"))
    }
}

@Suite("stats keys")
struct StatsKeyTests {
    @Test func periodKeysArrowsAndTheWayBack() {
        var state = AppState(settings: StatsViewTests.sendingSettings)
        #expect(KeyMap.handle(.function(6), state).actions == [.show(.stats)])
        #expect(KeyMap.handle(.alt("6"), state).actions == [.show(.stats)])
        state.screen = .stats
        #expect(KeyMap.handle(.character("3"), state).actions == [.showStats(.week)])
        #expect(KeyMap.handle(.character("4"), state).actions == [.showStats(.month)])
        #expect(KeyMap.handle(.left, state).actions == [.showStats(.month)])
        #expect(KeyMap.handle(.right, state).actions == [.showStats(.yesterday)])
        #expect(KeyMap.handle(.function(5), state).actions == [.retryNow])
        #expect(KeyMap.handle(.escape, state).actions == [.show(.main)])
        #expect(KeyMap.handle(.character("x"), state).actions.isEmpty)
        // The footer's period entries are buttons: a click on "2 yesterday" presses 2.
        state.stats.figures = nil
        let screen = StatsView.render(
            state, columns: 120, rows: 30, theme: Theme(color: false), now: Date(timeIntervalSince1970: 0))
        let keysRow = screen.lines[29]
        let column = DisplayWidth.of(String(keysRow.prefix(upTo: keysRow.range(of: "2 yesterday")!.lowerBound)))
        #expect(screen.target(column: column + 1, row: 29) == .key(.character("2")))
    }
}

@Suite("stats charts as text")
struct StatsChartTests {
    init() { DisplayWidth.prepare() }

    /// A week by hour in 80 columns: 168 hours, drawn three to a bar; nothing runs off the edge
    /// and the peak names its day.
    @Test func moreHoursThanColumnsAreDrawnAFewToABar() {
        var period = StatsPeriod.named(.week, now: StatsViewTests.now, timeZone: StatsViewTests.india)
        period.chosenUnit = .hour
        var timeline = [Int](repeating: 1, count: 168)
        timeline[100] = 40
        let stats = LeadStats(
            period: period, timeline: timeline, groups: [:], settle: SettleTimes(), waiting: Waiting())
        let lines = StatsChart.timeline(stats, width: 80, height: 6)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 }, "\(lines)")
        // Hour 100 of the week starting Wed 25 Nov is Sun 29 Nov 04:00; its bar is 03:00-06:00.
        #expect(lines.last == "peak Sun 29 Nov 03:00–06:00 · 42 leads", "\(lines.last ?? "")")
    }

    /// A channel or rep typed or imported with a terminal sequence in it never reaches the
    /// screen as one, with leads or without.
    @Test func groupNamesAreCleanedOfControlSequences() {
        let hostile = StatsGroup(name: "Expo\u{1B}]0;owned\u{7}\u{1B}[31m", total: 3, byState: [.accepted: 3])
        let empty = StatsGroup(name: "Web\u{1B}[2J")
        for lines in [StatsChart.bars([hostile], total: 3, width: 60), StatsChart.bars([empty], total: 0, width: 60)] {
            #expect(lines.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\u{7}") }, "\(lines)")
        }
    }

    @Test func theReportStacksEverySectionAtItsWidth() {
        let lines = StatsChart.report(StatsViewTests.figures, width: 60)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 60 })
        for title in ["By state", "By channel", "By rep", "By project"] { #expect(lines.contains(title)) }
        #expect(lines.contains { $0.hasPrefix("Waiting: 3 queued") && $0.hasSuffix("leadconsole retry") })
        // A command is wrapped, never cut.
        let held = lines.firstIndex { $0.hasPrefix("Waiting: 2 held") }
        #expect(held.map { lines[$0 + 1].hasSuffix("leadconsole config set-key") } == true, "\(lines)")
    }
}

extension StatsViewTests {
    /// Settings a console can send with: the status line says what the outbox does.
    static var sendingSettings: Settings {
        var settings = Settings()
        settings.apiKey = "key-0123456789"
        settings.appName = "EXPO"
        return settings
    }
}
