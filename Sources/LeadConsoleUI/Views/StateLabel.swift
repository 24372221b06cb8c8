import ConsoleState
import Foundation
import ParamantraAPI

/// The words for a lead's state, as the history shows them: `queued`, `sending`,
/// `accepted #2882`, `duplicate #2879`, `rejected: reason`, `held: check credentials`,
/// `retry in 40s`. Every state has words, so colour is never the only signal.
public enum StateLabel {
    public static func of(_ lead: StoredLead, now: Date) -> String {
        switch lead.state {
        case .accepted: return "accepted" + (lead.crmID.map { " #" + TerminalText.clean($0) } ?? "")
        case .duplicate: return "duplicate" + (lead.crmID.map { " #" + TerminalText.clean($0) } ?? "")
        case .rejected:
            // One word for the state, then the status and the CRM's reason:
            // "rejected (402): Invalid mobile number", not "rejected: rejected by the CRM (HTTP 402): …".
            return lead.rejection
        case .held:
            switch lead.hold ?? .credentials {
            case .credentials: return "held: check credentials"
            case .endpoint: return "held: check endpoint URL"
            case .settings:
                return "held: "
                    + (lead.lastError.map { String(TerminalText.clean($0).prefix { $0 != ":" }) } ?? "settings")
                    + " — F4"
            }
        case .sending: return "sending"
        case .queued:
            guard lead.attempts > 0, let next = lead.nextAttemptAt else { return "queued" }
            let seconds = Int(next.timeIntervalSince(now).rounded(.up))
            if seconds <= 0 { return "retrying" }
            return "retry in " + (seconds < 100 ? "\(seconds)s" : "\((seconds + 59) / 60)m")
        }
    }

}

/// Local wall-clock text without a formatter per call (views run every frame): "14:05" for
/// today, "11-28" for an older day.
enum Clock {
    static func short(_ date: Date, now: Date) -> String {
        let (parts, today) = local(date, now)
        if parts.tm_year == today.tm_year && parts.tm_yday == today.tm_yday {
            return two(parts.tm_hour) + ":" + two(parts.tm_min)
        }
        return two(parts.tm_mon + 1) + "-" + two(parts.tm_mday)
    }

    /// "today 14:05", "27 Nov", "27 Nov 2025" (local time): a day as a person says it.
    static func day(_ date: Date, now: Date) -> String {
        let (parts, today) = local(date, now)
        if parts.tm_year == today.tm_year && parts.tm_yday == today.tm_yday {
            return "today " + two(parts.tm_hour) + ":" + two(parts.tm_min)
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = "\(parts.tm_mday) " + months[Int(parts.tm_mon)]
        return parts.tm_year == today.tm_year ? day : day + " \(parts.tm_year + 1900)"
    }

    /// `date` and `now` broken down in local time.
    private static func local(_ date: Date, _ now: Date) -> (date: tm, now: tm) {
        var time = time_t(date.timeIntervalSince1970)
        var current = time_t(now.timeIntervalSince1970)
        var parts = tm()
        var today = tm()
        localtime_r(&time, &parts)
        localtime_r(&current, &today)
        return (parts, today)
    }

    /// "2026-11-28 14:05:02" (local time) for the detail view.
    static func full(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-" + two(parts.tm_mon + 1) + "-" + two(parts.tm_mday) + " "
            + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec)
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
