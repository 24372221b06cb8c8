import Foundation
import LeadOutbox
import ParamantraAPI
import Testing

@testable import ConsoleState

/// The stats screen's rules: F6 reads the period, a period key reads another, answers and saves
/// read it again while the screen shows, and a late read for a period left behind is dropped.
@Suite("stats screen rules")
struct StatsReducerTests {
    static func figures(_ named: StatsPeriod.Named) -> LeadStats {
        LeadStats(
            period: .named(
                named, now: Date(timeIntervalSince1970: 1_796_063_400), timeZone: TimeZone(identifier: "UTC")!),
            timeline: [1], groups: [:], settle: SettleTimes(), waiting: Waiting())
    }

    @Test func showingThePeriodsAndReadingThemAgain() {
        var state = AppState(settings: ReducerTests.settings)
        #expect(reduce(&state, .show(.stats)) == [.loadStats(.today)])
        #expect(state.screen == .stats && state.stats.loading)
        #expect(reduce(&state, .statsLoaded(Self.figures(.today))).isEmpty)
        #expect(state.stats.figures == Self.figures(.today) && !state.stats.loading)
        #expect(reduce(&state, .showStats(.week)) == [.loadStats(.week)])
        // The figures of today stay on screen until the week's arrive; a late today is dropped.
        #expect(state.stats.figures == Self.figures(.today))
        _ = reduce(&state, .statsLoaded(Self.figures(.today)))
        #expect(state.stats.loading)
        _ = reduce(&state, .statsLoaded(Self.figures(.week)))
        #expect(state.stats.figures == Self.figures(.week) && !state.stats.loading)
    }

    @Test func anAnswerOrASaveReadsTheStatsAgainOnlyWhileTheyShow() throws {
        var state = AppState(settings: ReducerTests.settings)
        let lead = StoredLead(
            id: 1, uuid: UUID(), createdAt: Date(), updatedAt: Date(),
            lead: Lead(firstName: "Asha", phone: "9876543210", subject: "s", channel: "c", rep: "r"),
            phone: "9876543210",
            state: .accepted, crmID: "7", attempts: 1, nextAttemptAt: nil, lastError: nil, uncertain: false)
        #expect(!reduce(&state, .delivered(lead)).contains(.loadStats(.today)))
        _ = reduce(&state, .show(.stats))
        _ = reduce(&state, .showStats(.month))
        #expect(reduce(&state, .delivered(lead)).contains(.loadStats(.month)))
        let valid = try Lead(firstName: "Asha", phone: "9876543210", subject: "s", channel: "c", rep: "r").validated()
            .get()
        state.saving[5] = PendingSave(valid: valid, form: state.form)
        #expect(reduce(&state, .queued(token: 5, lead)).contains(.loadStats(.month)))
    }
}
