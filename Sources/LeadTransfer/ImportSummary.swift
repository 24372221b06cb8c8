import Foundation
import LeadStore

/// What became of an import, for the last lines and the exit status.
public struct ImportSummary: Sendable, Equatable {
    public var rows = 0
    public var invalid = 0
    public var blank = 0
    /// Valid rows already in the outbox from an earlier import (or twice in this file).
    public var alreadyImported = 0
    public var queued = 0
    /// States of the leads this run queued.
    public var states: [LeadState: Int] = [:]

    public init() {}

    public var stillQueued: Int { states[.queued, default: 0] + states[.sending, default: 0] }

    /// 0 only when every valid row this run queued reached the CRM.
    public var exitStatus: Int32 {
        if states[.held, default: 0] > 0 { return 77 }
        if stillQueued > 0 { return 75 }
        if states[.rejected, default: 0] > 0 { return 1 }
        return 0
    }

    public var lines: [String] {
        var lines = ["rows read: \(rows) (\(blank) blank)", "invalid, not queued: \(invalid)",
                     "already imported before, not queued again: \(alreadyImported)", "queued now: \(queued)"]
        lines.append("accepted: \(states[.accepted, default: 0]), duplicates: \(states[.duplicate, default: 0]), "
                     + "rejected by the CRM: \(states[.rejected, default: 0]), held (credentials): \(states[.held, default: 0]), "
                     + "still queued: \(stillQueued)")
        if stillQueued > 0 { lines.append("still queued leads go out with the next leadconsole retry, import or console start") }
        return lines
    }
}

/// Progress while delivering: a bar on a terminal, a plain line elsewhere.
public enum ImportProgress {
    public static func bar(done: Int, total: Int, failures: Int, elapsed: Double, width: Int = 30) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done)/\(total)  \(Int(rate.rounded()))/s  ETA \(Int(eta.rounded()))s  failures \(failures)"
    }

    public static func line(done: Int, total: Int, failures: Int, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        return "delivered \(done)/\(total), \(Int(rate.rounded())) leads/s, failures \(failures)"
    }
}
