import Foundation
import LeadOutbox
import ParamantraAPI

/// The import's steps around reading and sending, each one rule of the workflow: where this run's
/// files for fixing go, how an import waits while another process delivers its leads, and what
/// the summary says once the CRM has answered. The `import` command calls them in order and
/// prints what they return.
extension ImportJob {
    /// Where this run writes its files for fixing (`….rejected.csv`, `….crm-rejected.csv`).
    public struct FixFiles: Sendable {
        public let rejected: URL
        public let crmRejected: URL
        /// A line for each file a person changed since an import wrote it: it is kept as it is,
        /// and this run writes a name of its own (`-2`).
        public let notes: [String]
    }

    /// Stale files would mislead: each run writes what is true now, so earlier ones are removed.
    /// But a file a person has changed since we wrote it (rows corrected in Excel) is never
    /// replaced: this run's rows go to a name of their own, said in `notes`.
    public static func fixFiles(beside base: URL, database: LeadDatabase) async throws -> FixFiles {
        let stem = base.deletingPathExtension()
        let rejected = try await FixFile.place(stem.appendingPathExtension("rejected.csv"), database: database)
        let crmRejected = try await FixFile.place(stem.appendingPathExtension("crm-rejected.csv"), database: database)
        var notes: [String] = []
        for place in [rejected, crmRejected] {
            try? FileManager.default.removeItem(at: place.url)
            if let kept = place.keptEdited {
                notes.append(
                    "note: \(kept.path) was changed since this import wrote it; it is kept as it is, and this run writes \(place.url.lastPathComponent) instead"
                )
            }
        }
        return FixFiles(rejected: rejected.url, crmRejected: crmRejected.url, notes: notes)
    }

    /// Waits, up to `patience`, until none of `ids` is queued or being sent (another process
    /// delivers them), with a progress line every 5 s. Woken by that process's writes to the
    /// outbox (its answers), by `stop` ringing the signal (Ctrl-C), or when a line is due; where
    /// writes cannot be heard, it reads again every second.
    public static func waitForOtherDeliverer(
        ids: [Int64], database: LeadDatabase, signal: OutboxSignal, patience: Duration,
        stop: @Sendable () -> Bool, progress: (String) -> Void
    ) async throws {
        let start = ContinuousClock.now
        let deadline = start + patience
        var lastLine = start
        while !stop(), ContinuousClock.now < deadline {
            try await database.awaitWritesInProgress()
            let states = try await database.states(ids: ids)
            let waiting = states[.queued, default: 0] + states[.sending, default: 0]
            if waiting == 0 { return }
            if ContinuousClock.now - lastLine >= .seconds(5) {
                lastLine = ContinuousClock.now
                progress(
                    ImportProgress.line(
                        done: ids.count - waiting, total: ids.count, failures: states[.rejected, default: 0],
                        elapsed: (ContinuousClock.now - start).seconds))
            }
            let limit = min(deadline, lastLine + .seconds(5)) - ContinuousClock.now
            await signal.wait(upTo: limit)
        }
    }

    /// After delivery: what became of this run's leads and the file's earlier ones, the hold that
    /// stops the queue, the names of leads whose phone the CRM refused before, and the rows the
    /// CRM refused written back as they were in the file (`reopen` reads it again), with its
    /// reason and their lead_id, so that fixed and imported again they correct those same leads.
    public static func complete(
        _ summary: inout ImportSummary, database: LeadDatabase, importer: LeadImporter, fileIDs: [Int64],
        crmRejected: URL, reopen: () throws -> any LeadSheet
    ) async throws {
        summary.states = try await database.states(ids: summary.queuedIDs)
        summary.earlierStates = try await database.states(ids: summary.earlierIDs)
        summary.hold = try await database.currentHold()
        for id in Set(summary.rejectedSamePhone.prefix(5).map(\.id)) {
            if let lead = try? await database.lead(id: id) {
                summary.rejectedNames[id] = TerminalText.clean(
                    [lead.lead.firstName, lead.lead.lastName, lead.phone].filter { !$0.isEmpty }.joined(separator: " "))
            }
        }
        let refused = try await database.rejectedLeads(ids: fileIDs)
        if !refused.isEmpty, try importer.writeCRMRejected(file: reopen(), leads: refused, to: crmRejected) > 0 {
            summary.crmRejectedFile = crmRejected.path
            try await FixFile.noteWritten(crmRejected, database: database)
        }
    }
}
