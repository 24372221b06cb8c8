import ConsoleState
import Foundation
import ParamantraAPI

/// The stats drawn as text with block characters: the stats screen (F6) places these lines on
/// its screen buffer, `leadconsole report` prints them. Pure: the figures and a width in, lines
/// out; every line fits the width (in cells), and nothing depends on colour.
public enum StatsChart {
    /// Eighths of a cell, bottom up and left to right.
    static let rising: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let growing: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// "Today (Mon 30 Nov) · 42 leads · Asia/Kolkata, UTC+05:30".
    public static func heading(_ stats: LeadStats) -> String {
        let period = stats.period
        let days = period.intervals.count
        let range =
            period.byHour
            ? day(period.start, period.timeZone)
            : day(period.start, period.timeZone) + " – " + day(period.end - 1, period.timeZone)
        let total = stats.total
        return "\(capitalized(period.name)) (\(range)) · \(total) lead\(total == 1 ? "" : "s")"
            + (period.byHour || days <= 1 ? "" : " in \(days) days") + " · \(period.zoneName)"
    }

    /// Leads per hour or day as vertical bars, `height` rows tall, with the count of the highest
    /// bar on its left, the hours or days under the bars, and the peak named on the last line.
    /// More hours or days than columns (a week by hour in 80 columns) are drawn a few to a bar.
    public static func timeline(_ stats: LeadStats, width: Int, height: Int) -> [String] {
        let counts = stats.timeline
        guard stats.peak != nil, !counts.isEmpty else {
            return ["No leads saved \(stats.period.name)."]
        }
        let per = max(
            1, Int((Double(counts.count) / Double(max(1, width - String(stats.total).count - 2))).rounded(.up)))
        let bars = stride(from: 0, to: counts.count, by: per).map {
            counts[$0..<min(counts.count, $0 + per)].reduce(0, +)
        }
        let most = bars.max() ?? 0
        let peak = bars.firstIndex(of: most) ?? 0
        let axis = String(most).count + 2  // "12 ┤"
        let room = max(bars.count, width - axis)
        // Cells per bar: a gap between bars when there is room for one.
        let cell = max(1, room / bars.count)
        let bar = cell >= 3 ? cell - 1 : cell
        let rows = max(1, height)
        var lines: [String] = []
        for row in 0..<rows {
            // Eighths of the chart's height at this row's bottom.
            let floor = (rows - 1 - row) * 8
            var line = ""
            for count in bars {
                var eighths = count == 0 ? 0 : max(1, Int((Double(count) * Double(rows * 8) / Double(most)).rounded()))
                eighths = min(eighths, rows * 8)
                let part = eighths - floor
                let glyph: Character = part <= 0 ? " " : part >= 8 ? "█" : rising[part - 1]
                line += String(repeating: glyph, count: bar) + String(repeating: " ", count: cell - bar)
            }
            let label = row == 0 ? String(most) : row == rows - 1 ? "0" : ""
            let axisText =
                String(repeating: " ", count: axis - 2 - label.count) + label
                + (row == 0 || row == rows - 1 ? " ┤" : " │")
            lines.append(trimmed(axisText + line, width))
        }
        lines.append(trimmed(String(repeating: " ", count: axis) + labels(stats, cell: cell, per: per), width))
        let last = min(counts.count, (peak + 1) * per) - 1
        lines.append(
            trimmed(
                "peak " + name(from: peak * per, to: last, stats) + " · \(most) lead" + (most == 1 ? "" : "s"), width))
        return lines
    }

    /// The hours (00 03 06 …) or days (24 25 …) under the bars, as many as fit without touching;
    /// each bar of `per` hours or days is labelled by its first.
    static func labels(_ stats: LeadStats, cell: Int, per: Int) -> String {
        let intervals = stats.period.intervals
        let calendar = calendar(stats.period.timeZone)
        let texts = stride(from: 0, to: intervals.count, by: per).map { index in
            let parts = calendar.dateComponents([.hour, .day], from: intervals[index].start)
            return two(stats.period.byHour ? parts.hour ?? 0 : parts.day ?? 1)
        }
        // Every k-th label, so that each has its two digits and a space.
        let every = [1, 2, 3, 4, 6, 7, 12].first { $0 * cell >= 3 } ?? max(1, 3 / max(1, cell) + 1)
        var line = ""
        for (index, text) in texts.enumerated() where index % every == 0 {
            let column = index * cell
            if line.count < column { line += String(repeating: " ", count: column - line.count) }
            if line.count == column { line += text }
        }
        return line
    }

    /// "11:00–12:00", "Tue 24 Nov", or for several: "Tue 24 Nov 06:00–09:00", "Tue 24 – Thu 26 Nov".
    static func name(from first: Int, to last: Int, _ stats: LeadStats) -> String {
        let intervals = stats.period.intervals
        let zone = stats.period.timeZone
        let (start, end) = (intervals[first].start, intervals[last].end)
        if stats.period.byHour {
            let hours = time(start, zone) + "–" + time(end, zone)
            return stats.period.intervals.count > 25 ? day(start, zone) + " " + hours : hours
        }
        return first == last ? day(start, zone) : day(start, zone) + " – " + day(intervals[last].start, zone)
    }

    /// Horizontal bars, one per group: its name, the bar, the count and its share of `total`.
    public static func bars(_ groups: [StatsGroup], total: Int, width: Int) -> [String] {
        // Names from outside (typed, imported) are cleaned of control sequences for the screen.
        let names = groups.map { TerminalText.clean($0.name).isEmpty ? "(none)" : TerminalText.clean($0.name) }
        guard let most = groups.map(\.total).max(), most > 0 else {
            return names.map { trimmed(pad($0, 10) + " 0", width) }
        }
        let numbers = groups.map { "\($0.total)" + (total > 0 ? " (\(percent($0.total, of: total)))" : "") }
        let numberWidth = numbers.map(\.count).max() ?? 1
        // Names whole where they fit beside a bar of four cells (32 steps), else cut.
        let nameWidth = min(max(names.map(DisplayWidth.of).max() ?? 4, 4), max(4, width - numberWidth - 6))
        let barWidth = max(1, width - nameWidth - numberWidth - 2)
        return zip(zip(groups, names), numbers).map { pair, number in
            let (group, name) = pair
            let eighths =
                group.total == 0
                ? 0 : max(1, Int((Double(group.total) * Double(barWidth * 8) / Double(most)).rounded()))
            let full = eighths / 8
            let bar = String(repeating: "█", count: full) + (eighths % 8 == 0 ? "" : String(growing[eighths % 8 - 1]))
            return trimmed(pad(name, nameWidth) + " " + pad(bar, barWidth) + " " + number, width)
        }
    }

    /// Time from Ctrl-S to the CRM's answer, on one line: the median, the 95th percentile and
    /// the share answered within 5 s.
    public static func settle(_ stats: LeadStats, width: Int) -> String {
        let settle = stats.settle
        guard settle.answered > 0, let median = settle.median, let p95 = settle.p95 else {
            return trimmed("CRM answers: none yet for these leads.", width)
        }
        return trimmed(
            "CRM answers: \(settle.answered) · median \(seconds(median)) · 95% within \(seconds(p95))"
                + " · \(percent(settle.withinFiveSeconds, of: settle.answered)) within 5 s", width)
    }

    /// What waits now and why, each with what deals with it: console keys (`keys`) or commands.
    public static func waiting(_ stats: LeadStats, keys: Bool, width: Int) -> [String] {
        let waiting = stats.waiting
        guard !waiting.isEmpty else { return [trimmed("Waiting: nothing; every lead has the CRM's answer.", width)] }
        var lines: [String] = []
        for hold in LeadHold.allCases {
            guard let n = waiting.held[hold], n > 0 else { continue }
            lines.append("Waiting: \(n) held, \(hold.fix) — " + (keys ? "F4 settings" : hold.command))
        }
        if waiting.queued > 0 {
            let next = waiting.nextAttempt.map { "next try \(time($0, stats.period.timeZone))" } ?? "sending"
            lines.append(
                "Waiting: \(waiting.queued) queued, \(next) — " + (keys ? "F5 retry now" : "leadconsole retry"))
        }
        guard !keys else { return lines.map { trimmed($0, width) } }
        return lines.flatMap { line in
            Chrome.wrap(line, width: width - 2).enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
        }
    }

    /// The whole report as `leadconsole report` prints it: sections one under another.
    public static func report(_ stats: LeadStats, width: Int, height: Int = 8) -> [String] {
        var lines = [trimmed(heading(stats), width), ""]
        lines += timeline(stats, width: width, height: height)
        if stats.total > 0 { lines += ["", settle(stats, width: width)] }
        lines += [""] + waiting(stats, keys: false, width: width)
        guard stats.total > 0 else { return lines }
        for dimension in StatsDimension.allCases {
            lines += ["", title(dimension)]
            let groups = dimension == .state ? stats.groups[.state] ?? [] : stats.top(dimension)
            lines += bars(groups, total: stats.total, width: width)
        }
        return lines
    }

    /// One section of the report (`report --by`).
    public static func section(_ stats: LeadStats, by dimension: StatsDimension, width: Int) -> [String] {
        [trimmed(heading(stats), width), "", title(dimension)]
            + bars(stats.groups[dimension] ?? [], total: stats.total, width: width)
    }

    public static func title(_ dimension: StatsDimension) -> String {
        switch dimension {
        case .state: "By state"
        case .channel: "By channel"
        case .rep: "By rep"
        case .project: "By project"
        }
    }

    // MARK: - Words and numbers

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "0%" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }

    /// "0.3 s", "13 s", "4 min", "3 h".
    static func seconds(_ value: TimeInterval) -> String {
        if value < 10 { return String(format: "%.1f s", value) }
        if value < 120 { return "\(Int(value)) s" }
        if value < 7_200 { return "\(Int(value / 60)) min" }
        return "\(Int(value / 3_600)) h"
    }

    static func calendar(_ zone: TimeZone) -> Calendar { StatsPeriod.calendar(zone) }

    static func time(_ date: Date, _ zone: TimeZone) -> String {
        let parts = calendar(zone).dateComponents([.hour, .minute], from: date)
        return two(parts.hour ?? 0) + ":" + two(parts.minute ?? 0)
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mon 30 Nov" (English, as every other word on screen).
    static func day(_ date: Date, _ zone: TimeZone) -> String {
        let parts = calendar(zone).dateComponents([.weekday, .day, .month], from: date)
        return weekdays[(parts.weekday ?? 1) - 1] + " \(parts.day ?? 1) " + months[(parts.month ?? 1) - 1]
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// `text` cut to `width` cells.
    static func trimmed(_ text: String, _ width: Int) -> String {
        String(DisplayWidth.prefix(text, fitting: width).text)
    }

    /// `text` filled with spaces (or cut) to `width` cells.
    static func pad(_ text: String, _ width: Int) -> String {
        let cut = trimmed(text, width)
        return cut + String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
    }
}
