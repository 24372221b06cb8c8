import Foundation
import LeadOutbox

/// What became of an import, for the last lines and the exit status.
public struct ImportSummary: Sendable {
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
    /// Rows whose `lead_id` named a lead the CRM did not have yet: that lead was corrected and
    /// goes again (counted in `queued` too).
    public var corrected = 0
    /// Rows whose `lead_id` named a lead the CRM already has: not sent again.
    public var alreadyInCRM = 0
    /// Rows whose `lead_id` is not in this history (another machine's file): new leads.
    public var fromElsewhere = 0
    /// Rows whose phone the CRM already holds: recorded as visits, not sent (`--again` sends them).
    public var visits = 0
    /// New rows with the phone of a lead the CRM rejected: where, and that lead's id.
    public var rejectedSamePhone: [(place: String, id: Int64)] = []
    /// What the lead a `rejectedSamePhone` id names is ("François Dubois, 9830010000"), when looked up.
    public var rejectedNames: [Int64: String] = [:]
    /// The options that read the file (`--map`, defaults), for the command that imports a fixed
    /// file again: it is printed ready to run.
    public var rerunOptions: [String] = []

    public init() {}

    /// Counts what the outbox did with one row (`ImportOutcome`).
    public mutating func count(_ outcome: ImportOutcome, place: String) {
        switch outcome {
        case .queued(let id, let rejected):
            queued += 1
            queuedIDs.append(id)
            if let rejected { rejectedSamePhone.append((place, rejected)) }
        case .fromElsewhere(let id):
            queued += 1
            fromElsewhere += 1
            queuedIDs.append(id)
        case .corrected(let id):
            queued += 1
            corrected += 1
            queuedIDs.append(id)
        case .sameAsEarlier(let id):
            alreadyImported += 1
            earlierIDs.append(id)
        case .alreadyInCRM(let id):
            alreadyInCRM += 1
            earlierIDs.append(id)
        case .visit(let id):
            visits += 1
            earlierIDs.append(id)
        }
    }

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
        if corrected > 0 {
            lines.append(
                "corrected by their lead_id, sent again as the same leads (the old values are in their history): \(corrected)"
            )
        }
        if alreadyInCRM > 0 { lines.append("in the CRM already by their lead_id, not sent again: \(alreadyInCRM)") }
        if fromElsewhere > 0 {
            lines.append("lead_id not in this history (another machine's file), queued as new leads: \(fromElsewhere)")
        }
        if visits > 0 {
            lines.append(
                "already in the CRM (its phone), recorded as visits, not sent: \(visits) (leadconsole import --again sends them)"
            )
        }
        let heldWhy = hold.map { " (\($0.fix))" } ?? ""
        let earlier = alreadyImported + alreadyInCRM + visits > 0
        lines.append(
            "accepted: \(count(.accepted)), duplicates: \(count(.duplicate)), "
                + "rejected by the CRM: \(count(.rejected)), held\(heldWhy): \(count(.held)), still queued: \(stillQueued)"
                + (earlier ? " (every row of the file, earlier imports included)" : ""))
        // A new row with the phone of a rejected lead: if it is that lead fixed, both would go.
        for (place, id) in rejectedSamePhone.prefix(5) {
            let who = rejectedNames[id].map { " (\($0))" } ?? ""
            lines.append(
                "note, \(place): lead \(id)\(who) has this phone and was rejected by the CRM; if this row corrects it, fix lead \(id) instead (its row in the crm-rejected file, which carries its lead_id, or F3, e in the console), or leadconsole retry --rejected sends both"
            )
        }
        if rejectedSamePhone.count > 5 {
            lines.append("note: \(rejectedSamePhone.count - 5) more new rows have the phone of a rejected lead")
        }
        let rerun = rerunOptions.isEmpty ? "" : " " + rerunOptions.map(Self.quoted).joined(separator: " ")
        // What to run next, one line per group that is not in the CRM yet.
        if invalid > 0 {
            let file = rejectedFile ?? "FILE.rejected.csv"
            lines.append(
                "next, invalid rows: fix them in \(file) (its problem column says what), then: leadconsole import \(Self.quoted(file))\(rerun)"
            )
        }
        if count(.rejected) > 0 {
            if let crmRejectedFile {
                lines.append(
                    "next, rejected by the CRM: fix them in \(crmRejectedFile) (its problem column has the CRM's reason; keep its lead_id column), then: leadconsole import \(Self.quoted(crmRejectedFile))\(rerun); or send them again unchanged: leadconsole retry --rejected"
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
