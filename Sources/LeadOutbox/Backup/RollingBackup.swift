import Foundation

/// The console's second copy of the database in `backup_dir` (a USB stick): refreshed after each
/// lead is queued, at most once per `interval` (a burst of leads costs one copy, made when the
/// interval is up, so the last lead of a burst is copied too), and once more at quit.
public actor RollingBackup {
    private let database: LeadDatabase
    private let interval: Duration
    private var last: ContinuousClock.Instant?
    /// A copy is already waiting for the interval: later requests ride on it.
    private var waiting = false

    public init(database: LeadDatabase, interval: Duration = .seconds(10)) {
        self.database = database
        self.interval = interval
    }

    /// Copies now, or when the interval since the last copy is up.
    public func request(into folder: String) async throws {
        if waiting { return }
        if let last, ContinuousClock.now - last < interval {
            waiting = true
            defer { waiting = false }
            try await Task.sleep(until: last + interval, clock: .continuous)
        }
        try await copy(into: folder)
    }

    /// The last copy, at quit: whatever the interval.
    public func flush(into folder: String) async throws {
        try await copy(into: folder)
    }

    private func copy(into folder: String) async throws {
        last = .now
        _ = try await DatabaseBackup.write(
            from: database, to: URL(fileURLWithPath: folder).appendingPathComponent("leads.sqlite"))
    }
}
