import ConsoleState
import Foundation

/// The stats screen (F6): a period's leads by hour or day, by state, channel, rep and project,
/// the time the CRM took to answer, and what waits now with the key that deals with it. The
/// chart's lines come from `StatsChart` (the same as `leadconsole report`); this places them:
/// the timeline across the top, a line for the answer times and one per kind of wait, then bars
/// in three columns (states; channels and reps; projects), as many per panel as the height
/// allows (8 at most, the rest summed as "others").
public enum StatsView {
    static let footer: Footer = {
        let today = FooterEntry("1 today", .character("1"))
        let yesterday = FooterEntry("2 yesterday", .character("2"))
        let week = FooterEntry("3 7 days", .character("3"))
        let month = FooterEntry("4 30 days", .character("4"))
        let retry = FooterEntry("F5 retry", .function(5))
        let settings = FooterEntry("F4 settings", .function(4))
        let back = FooterEntry("Esc back", .escape)
        let help = FooterEntry("F1 help", .function(1))
        return Footer(
            .dotted(today, yesterday, week, month, FooterEntry("←→ period", .right), retry, settings, back, help),
            .dotted(today, yesterday, week, month, retry, back, help),
            .dotted(FooterEntry("1-4 period", nil), FooterEntry("←→", .right), retry, settings, back, help),
            .spaced(FooterEntry("1-4 period", nil), retry, back, help))
    }()

    public static func render(_ state: AppState, columns: Int, rows: Int, theme: Theme, now: Date) -> ScreenBuffer {
        Chrome.screen(state, columns: columns, rows: rows, theme: theme, now: now) { buffer in
            if let stats = state.stats.figures {
                draw(&buffer, stats, theme: theme)
            } else {
                buffer.write(" Stats · \(state.stats.period.title)", column: 0, row: 1, style: CellStyle(bold: true))
                buffer.write("Reading…", column: 1, row: 3, style: theme.dim)
            }
            return footer
        }
    }

    static func draw(_ buffer: inout ScreenBuffer, _ stats: LeadStats, theme: Theme) {
        let width = buffer.columns - 2
        buffer.write(
            " Stats · " + StatsChart.heading(stats), column: 0, row: 1, style: CellStyle(bold: true),
            maxWidth: buffer.columns)
        // The bars below want their rows (at most 19: channels and reps, eight each, with
        // titles); the timeline takes what is left between the heading and the banner row, 3-30.
        let area = buffer.rows - 5
        let waiting = StatsChart.waiting(stats, keys: true, width: width)
        let lines = (stats.total > 0 ? 1 : 0) + waiting.count
        let bars = { (dimension: StatsDimension) in stats.groups[dimension]?.count ?? 0 }
        let panels = stats.total == 0 ? 0 : max(7, 3 + bars(.channel) + bars(.rep), 1 + bars(.project))
        let chartHeight = max(3, min(30, area - 2 - lines - 1 - panels))
        var row = 3
        for line in StatsChart.timeline(stats, width: width, height: chartHeight) {
            buffer.write(line, column: 1, row: row, style: theme.label, maxWidth: width)
            row += 1
        }
        // One line each: the CRM's answer times, what waits and the key for it.
        if stats.total > 0 {
            buffer.write(
                StatsChart.settle(stats, width: width), column: 1, row: row, style: theme.label, maxWidth: width)
            row += 1
        }
        for line in waiting {
            let style = stats.waiting.isEmpty ? theme.label : stats.waiting.held.isEmpty ? theme.warning : theme.problem
            buffer.write(line, column: 1, row: row, style: style, maxWidth: width)
            row += 1
        }
        guard stats.total > 0 else { return }
        row += 1
        // Three columns of bars: states; channels and reps; projects.
        let bottom = buffer.rows - 3
        let height = bottom - row + 1
        let gap = 3
        let panelWidth = (width - gap * 2) / 3
        let layout: [[StatsDimension]] = [[.state], [.channel, .rep], [.project]]
        for (index, dimensions) in layout.enumerated() {
            var y = row
            let x = 1 + index * (panelWidth + gap)
            // Each panel: its title, its bars, a blank line before the next; the rows a short
            // list does not need go to the longer one before anything is summed as "others".
            let rows = Self.barRows(
                dimensions.map { stats.groups[$0]?.count ?? 0 }, height: height - dimensions.count * 2 + 1)
            for (dimension, limit) in zip(dimensions, rows) {
                guard y <= bottom else { break }
                let groups =
                    dimension == .state ? stats.groups[.state] ?? [] : stats.top(dimension, limit: max(1, limit))
                buffer.write(
                    StatsChart.title(dimension), column: x, row: y, style: CellStyle(bold: true), maxWidth: panelWidth)
                y += 1
                for (group, line) in zip(groups, StatsChart.bars(groups, total: stats.total, width: panelWidth))
                where y <= bottom {
                    let style =
                        dimension == .state
                        ? LeadState(rawValue: group.name).map(theme.state) ?? theme.label : theme.label
                    buffer.write(line, column: x, row: y, style: style, maxWidth: panelWidth)
                    y += 1
                }
                y += 1
            }
        }
    }

    /// How many bar rows each of a panel's lists gets out of `height`: the shortest first, each
    /// as many as it has up to an even share of what is left, so a list of two leaves the rest
    /// of the column to the list beside it. Pure, for tests.
    static func barRows(_ counts: [Int], height: Int) -> [Int] {
        var rows = [Int](repeating: 0, count: counts.count)
        var left = max(counts.count, height)
        var waiting = counts.indices.sorted { counts[$0] < counts[$1] }
        while let index = waiting.first {
            waiting.removeFirst()
            let share = left / (waiting.count + 1)
            rows[index] = max(1, min(counts[index], share))
            left -= rows[index]
        }
        return rows
    }
}
