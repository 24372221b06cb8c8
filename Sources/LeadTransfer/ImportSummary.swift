import Foundation
import LeadStore

/// What became of an import, for the last lines and the exit status.
public struct ImportSummary: Sendable, Equatable {
    public var rows = 0
    public var invalid = 0
    public var blank = 0
    /// Valid rows already in the outbox from an earlier import (or twice in this file).
    public var alreadyImported = 0
    /// The ids of those rows: an import answers for every row of its file, not only the new ones.
    public var earlierIDs: [Int64] = []
    public var queued = 0
    /// The ids this run queued: the summary counts these and `earlierIDs`, whatever else the
    /// outbox holds or another import queues meanwhile.
    public var queuedIDs: [Int64] = []
    /// States of the leads this run queued.
    public var states: [LeadState: Int] = [:]
    /// States, now, of the rows that an earlier import had queued.
    public var earlierStates: [LeadState: Int] = [:]
    /// Why the outbox is held, when it is.
    public var hold: LeadHold?
    /// Where the invalid rows and the rows the CRM rejected were written, to fix and import again.
    public var rejectedFile: String?
    public var crmRejectedFile: String?
    /// Where Ctrl-C stopped the reading ("row 40213"); nil when the file was read to its end.
    public var stoppedAt: String?

    public init() {}

    private func count(_ state: LeadState) -> Int { states[state, default: 0] + earlierStates[state, default: 0] }

    public var stillQueued: Int { count(.queued) + count(.sending) }

    /// 0 only when every valid row of the file is in the CRM, this run's and earlier runs' alike.
    public var exitStatus: Int32 {
        if count(.held) > 0 { return ExitStatus.of(hold ?? .credentials) }
        if stillQueued > 0 { return ExitStatus.temporary }
        if count(.rejected) > 0 { return ExitStatus.rejected }
        return ExitStatus.delivered
    }

    public var lines: [String] {
        var lines = [
            "rows read: \(rows) (\(blank) blank)", "invalid, not queued: \(invalid)",
            "already imported before, not queued again: \(alreadyImported)", "queued now: \(queued)"
        ]
        let heldWhy = hold.map { " (\($0.fix))" } ?? ""
        lines.append(
            "accepted: \(count(.accepted)), duplicates: \(count(.duplicate)), "
                + "rejected by the CRM: \(count(.rejected)), held\(heldWhy): \(count(.held)), still queued: \(stillQueued)"
                + (alreadyImported > 0 ? " (every row of the file, earlier imports included)" : ""))
        // What to run next, one line per group that is not in the CRM yet.
        if invalid > 0 {
            let file = rejectedFile ?? "FILE.rejected.csv"
            lines.append(
                "next, invalid rows: fix them in \(file) (its problem column says what), then: leadconsole import \(Self.quoted(file))"
            )
        }
        if count(.rejected) > 0 {
            if let crmRejectedFile {
                lines.append(
                    "next, rejected by the CRM: fix them in \(crmRejectedFile) (its problem column has the CRM's reason), then: leadconsole import \(Self.quoted(crmRejectedFile)); or send them again unchanged: leadconsole retry --rejected"
                )
            } else {
                lines.append(
                    "next, rejected by the CRM: send them again unchanged with leadconsole retry --rejected (or fix one in the console: F3, e)"
                )
            }
        }
        if count(.held) > 0 {
            let hold = hold ?? .credentials
            lines.append("next, held: they go out once \(hold.until): \(hold.command), then leadconsole retry")
        }
        if stillQueued > 0 {
            lines.append(
                "next, still queued: leadconsole retry (or they go out with the next import or console start)")
        }
        return lines
    }

    /// A path as a shell reads it back (quoted when it has spaces or quotes).
    static func quoted(_ path: String) -> String {
        path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+,:@".contains($0) }
            ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Progress while delivering: a bar on a terminal, a plain line elsewhere.
public enum ImportProgress {
    public static func bar(done: Int, total: Int, failures: Int, elapsed: Double, width: Int = 30) -> String {
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(max(0, total - done)) / rate : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done)/\(total)  \(Int(rate.rounded()))/s  ETA \(Int(eta.rounded()))s  failures \(failures)"
    }

    public static func line(done: Int, total: Int, failures: Int, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        return "delivered \(done)/\(total), \(Int(rate.rounded())) leads/s, failures \(failures)"
    }
}
