import Foundation
import LeadOutbox
import ParamantraAPI

/// The stats screen's part of the reducer: the period shown and its figures as they arrive.
func reduceStats(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .showStats(let period):
        state.stats.period = period
        state.stats.loading = true
        return [.loadStats(period)]

    case .statsLoaded(let figures):
        // A read for a period the rep has already left is dropped.
        guard figures.period.name == state.stats.period.title else { return [] }
        state.stats.figures = figures
        state.stats.loading = false
        return []

    default:
        return []
    }
}

/// The stats screen, while it is shown, reads its period again after each lead saved or
/// answered (as the history pane does): a read of the period's tally rows.
func refreshStats(_ state: AppState) -> [Effect] {
    state.screen == .stats ? [.loadStats(state.stats.period)] : []
}
