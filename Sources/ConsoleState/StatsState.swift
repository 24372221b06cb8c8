import LeadOutbox

/// The stats screen (F6): the period it shows and the figures last read for it.
public struct StatsState: Sendable, Equatable {
    public var period = StatsPeriod.Named.today
    /// The figures of `period`; kept while a new read is in flight, so the screen never blanks.
    public var figures: LeadStats?
    public var loading = false

    public init() {}
}
