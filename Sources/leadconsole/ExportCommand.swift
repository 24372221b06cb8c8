import ArgumentParser
import Foundation
import LeadStore
import LeadTransfer

/// `leadconsole export`: the outbox and history as CSV or JSON, a page at a time.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the leads (every field, state, CRM id, attempts, last error) as CSV or JSON.",
        discussion:
            "CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @) get a leading apostrophe. A file written with --output is readable by its owner only."
    )

    @Option(
        help: ArgumentHelp(
            "Only leads in this state.", valueName: LeadState.allCases.map(\.rawValue).joined(separator: "|")))
    var state: LeadState?
    @Option(
        help: ArgumentHelp(
            "Only leads created on or after this day (YYYY-MM-DD, local time) or instant (ISO 8601).", valueName: "date"
        ))
    var since: String?
    @Option(help: "csv or json.") var format: LeadExport.Format = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var output: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        Logs.bootstrap(verbose: false, quiet: true)
        try await failing {
            let sinceDate = try since.map { text throws(CommandFailure) in
                guard let date = Self.parseDate(text) else {
                    throw CommandFailure(
                        message: "error: --since \(text): give a day (2026-11-01) or an ISO 8601 instant",
                        status: ExitStatus.usage)
                }
                return date
            }
            // Read-only: works while another process writes, and on read-only media.
            let database = try store.reader()
            let stream: OutputStream
            if let output {
                _ = FileManager.default.createFile(
                    atPath: output, contents: nil, attributes: [.posixPermissions: 0o600])
                guard let file = OutputStream(toFileAtPath: output, append: false) else {
                    throw CommandFailure(message: "error: cannot write \(output)", status: ExitStatus.cannotCreate)
                }
                stream = file
            } else {
                stream = OutputStream(toFileAtPath: "/dev/stdout", append: true)!
            }
            stream.open()
            defer { stream.close() }
            let written: Int
            do {
                written = try await LeadExport.write(
                    from: database, state: state, since: sinceDate, format: format, to: stream)
            } catch let error as ExportWriteError {
                throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
            }
            if output != nil { writeLine("exported \(written) leads to \(output!)", toError: true) }
        }
    }

    static func parseDate(_ text: String) -> Date? {
        if let instant = try? Date(text, strategy: .iso8601) { return instant }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return Calendar.current.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}

extension LeadExport.Format: ExpressibleByArgument {}
