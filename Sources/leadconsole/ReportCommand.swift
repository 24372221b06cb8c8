import ArgumentParser
import Foundation
import LeadConsoleUI
import LeadOutbox
import LeadTransfer

/// `leadconsole report`: the stats screen's figures on standard output, as block-character
/// charts (text) or as numbers for a spreadsheet (json, csv). Read from the tallies, so a
/// month at a million leads costs what a day at ten does.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Leads by hour or day, state, channel, rep and project, the CRM's answer times and what waits.",
        discussion:
            "The period is in local time (TZ), named in the heading. Text is drawn with block characters at the terminal's width; json and csv give the numbers. An empty period says so and exits 0."
    )

    @Option(help: ArgumentHelp("From then: \(DayExpression.help); 30d for a month.", valueName: "when"))
    var since = "today"
    @Option(
        help: ArgumentHelp(
            "Up to then (a day is taken whole); by default the end of today.", valueName: "when"))
    var until: String?
    @Option(
        help: ArgumentHelp(
            "One grouping instead of all: \(StatsExport.Grouping.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "grouping"))
    var by: StatsExport.Grouping?
    @Option(help: "text (charts), json or csv.") var format: StatsExport.Format = .text
    @Option(help: ArgumentHelp("Width of the text charts (default: the terminal's, else 80).", valueName: "columns"))
    var width: Int?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        Logs.bootstrap(verbose: false, quiet: true)
        // Cells of the block characters and of names in any script, as the console counts them.
        DisplayWidth.prepare()
        try await failing {
            let period = try period(now: Date(), zone: .current)
            let stats = try await read(period)
            switch format {
            case .text:
                let columns = max(40, width ?? Self.terminalWidth())
                let lines: [String]
                switch by {
                case nil: lines = StatsChart.report(stats, width: columns)
                case .hour?, .day?:
                    lines = [StatsChart.heading(stats), ""] + StatsChart.timeline(stats, width: columns, height: 8)
                case let grouping?:
                    lines = StatsChart.section(stats, by: grouping.dimension!, width: columns)
                }
                writeLine(lines.joined(separator: "\n"))
            case .json:
                writeLine(String(decoding: try StatsExport.json(stats, by: by), as: UTF8.self))
            case .csv:
                let stream = OutputStream(toFileAtPath: "/dev/stdout", append: true)!
                stream.open()
                defer { stream.close() }
                let out = try CSVOut(stream: stream)
                for row in StatsExport.csvRows(stats, by: by ?? (period.byHour ? .hour : .day)) { try out.write(row) }
                out.finish()
            }
            if stats.total == 0, format != .text {
                writeLine("no leads saved \(period.name)", toError: true)
            }
        }
    }

    /// --since and --until as a period in the rep's zone (default: today, to its end).
    func period(now: Date, zone: TimeZone) throws(CommandFailure) -> StatsPeriod {
        let calendar = StatsPeriod.calendar(zone)
        guard let start = DayExpression.start(since, now: now, calendar: calendar) else {
            throw CommandFailure(
                message: "error: --since \(since): give \(DayExpression.help)", status: ExitStatus.usage)
        }
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let end: Date
        if let until {
            guard let date = DayExpression.end(until, now: now, calendar: calendar) else {
                throw CommandFailure(
                    message: "error: --until \(until): give \(DayExpression.help)", status: ExitStatus.usage)
            }
            end = date
        } else {
            end = tomorrow
        }
        guard start < end else {
            throw CommandFailure(
                message: "error: --since \(since) is not before --until \(until ?? "the end of today")",
                status: ExitStatus.usage)
        }
        let named = StatsPeriod.Named.allCases.first { $0.rawValue == since.lowercased() }
        let name: String
        if let until {
            name = "from \(since) to \(until)"
        } else if let named, named != .yesterday {
            name = named.title
        } else {
            name = "since \(since)"
        }
        var period = StatsPeriod(start: start, end: end, timeZone: zone, name: name)
        period.chosenUnit = by?.unit
        return period
    }

    /// The figures, from a read-only connection; a history not yet opened by this version (no
    /// tallies) is opened to be brought up to date first.
    private func read(_ period: StatsPeriod) async throws -> LeadStats {
        do {
            guard let database = try store.reader() else { return .empty(period) }
            return try await database.stats(period)
        } catch let error as StoreError where "\(error)".contains("no such table") {
            return try await store.database().stats(period)
        }
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return getenv("COLUMNS").flatMap { Int(String(cString: $0)) } ?? 80
    }
}

extension StatsExport.Format: ExpressibleByArgument {}
extension StatsExport.Grouping: ExpressibleByArgument {}
