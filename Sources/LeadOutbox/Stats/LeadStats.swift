import Foundation

/// The figures of a period: what the stats screen draws and `leadconsole report` prints.
public struct LeadStats: Sendable, Equatable {
    public var period: StatsPeriod
    /// Leads saved in each hour or day of the period (`period.intervals`), in order.
    public var timeline: [Int]
    /// The same leads by state (for `report --format csv`); empty when not read.
    public var timelineByState: [[LeadState: Int]]
    /// Leads of the period by state, channel, rep and project, each group with its states.
    public var groups: [StatsDimension: [StatsGroup]]
    /// How long the CRM took to answer the period's leads.
    public var settle: SettleTimes
    /// What waits now, whenever it was saved (not only in the period).
    public var waiting: Waiting

    public var total: Int { timeline.reduce(0, +) }

    public init(
        period: StatsPeriod, timeline: [Int], timelineByState: [[LeadState: Int]] = [],
        groups: [StatsDimension: [StatsGroup]], settle: SettleTimes, waiting: Waiting
    ) {
        self.period = period
        self.timeline = timeline
        self.timelineByState = timelineByState
        self.groups = groups
        self.settle = settle
        self.waiting = waiting
    }

    /// A period without leads (no history yet).
    public static func empty(_ period: StatsPeriod) -> LeadStats {
        StatsTally.stats(period, sums: [], settle: [], waiting: Waiting())
    }

    /// The leads of one state in the period.
    public func count(_ state: LeadState) -> Int {
        groups[.state]?.first { $0.name == state.rawValue }?.total ?? 0
    }

    /// The largest groups of a dimension, the rest summed as "others" (a screen has room for
    /// `limit` bars).
    public func top(_ dimension: StatsDimension, limit: Int = 8) -> [StatsGroup] {
        let all = groups[dimension] ?? []
        guard all.count > limit else { return all }
        var others = StatsGroup(name: "others")
        for group in all.dropFirst(limit - 1) {
            for (state, n) in group.byState { others.byState[state, default: 0] += n }
        }
        others.total = all.dropFirst(limit - 1).reduce(0) { $0 + $1.total }
        return Array(all.prefix(limit - 1)) + [others]
    }

    /// The busiest hour or day: its index in the timeline (the first, on a tie).
    public var peak: Int? {
        guard let most = timeline.max(), most > 0 else { return nil }
        return timeline.firstIndex(of: most)
    }
}

/// What a report can be grouped by.
public enum StatsDimension: String, Sendable, CaseIterable, Equatable {
    case state, channel, rep, project
}

/// One channel, rep, project or state: its leads, and how many of them are in each state.
public struct StatsGroup: Sendable, Equatable {
    public var name: String
    public var total: Int
    public var byState: [LeadState: Int]

    public init(name: String, total: Int = 0, byState: [LeadState: Int] = [:]) {
        self.name = name
        self.total = total
        self.byState = byState
    }
}

/// Time from Ctrl-S to the CRM's answer, from the tally's buckets (`SettleBuckets`).
public struct SettleTimes: Sendable, Equatable {
    /// Leads of the period the CRM has answered (accepted, duplicate or rejected).
    public var answered: Int
    /// The bucket bound under which half (and 95%) of the answers came; nil without answers.
    public var median: TimeInterval?
    public var p95: TimeInterval?
    /// Answered within 5 seconds of Ctrl-S.
    public var withinFiveSeconds: Int

    public init(answered: Int = 0, median: TimeInterval? = nil, p95: TimeInterval? = nil, withinFiveSeconds: Int = 0) {
        self.answered = answered
        self.median = median
        self.p95 = p95
        self.withinFiveSeconds = withinFiveSeconds
    }
}

/// The outbox now: held leads by what holds them, queued ones and the next attempt.
public struct Waiting: Sendable, Equatable {
    public var held: [LeadHold: Int]
    public var queued: Int
    public var nextAttempt: Date?

    public init(held: [LeadHold: Int] = [:], queued: Int = 0, nextAttempt: Date? = nil) {
        self.held = held
        self.queued = queued
        self.nextAttempt = nextAttempt
    }

    public var isEmpty: Bool { queued == 0 && held.values.allSatisfy { $0 == 0 } }
}

/// The settle buckets of `StatsSchema.settleBucket`, read back as times.
enum SettleBuckets {
    /// The upper bound of a bucket, in seconds.
    static func upperBound(_ bucket: Int) -> TimeInterval {
        switch bucket {
        case ..<100: Double(bucket + 1) / 10
        case ..<210: Double(bucket - 90 + 1)
        case ..<328: Double(bucket - 208 + 1) * 60
        default: Double(bucket - 326 + 1) * 3_600
        }
    }

    /// Buckets wholly under five seconds: 0-49.
    static let underFiveSeconds = 50

    static func settle(_ counts: [(bucket: Int, n: Int)]) -> SettleTimes {
        let sorted = counts.filter { $0.n > 0 }.sorted { $0.bucket < $1.bucket }
        let answered = sorted.reduce(0) { $0 + $1.n }
        guard answered > 0 else { return SettleTimes() }
        func quantile(_ q: Double) -> TimeInterval {
            // The smallest bucket holding the answer of rank ceil(q * n).
            let rank = max(1, Int((q * Double(answered)).rounded(.up)))
            var seen = 0
            for (bucket, n) in sorted {
                seen += n
                if seen >= rank { return upperBound(bucket) }
            }
            return upperBound(sorted.last!.bucket)
        }
        let within = sorted.filter { $0.bucket < underFiveSeconds }.reduce(0) { $0 + $1.n }
        return SettleTimes(answered: answered, median: quantile(0.5), p95: quantile(0.95), withinFiveSeconds: within)
    }
}
