import ArgumentParser
import Foundation
import LeadOutbox
import LeadTransfer

/// `leadconsole export`: the outbox and history as CSV or JSON, a page at a time.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write the leads (every field, state, CRM id, attempts, last error) as CSV, JSON or an Excel workbook (xlsx).",
        discussion:
            "CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @) get a leading apostrophe. A file written with --output is readable by its owner only."
    )

    @Option(
        help: ArgumentHelp(
            "Only leads in this state.", valueName: LeadState.allCases.map(\.rawValue).joined(separator: "|")))
    var state: LeadState?
    @Option(
        help: ArgumentHelp(
            "Only leads created since then, in local time: \(DayExpression.help).", valueName: "when"))
    var since: String?
    @Option(help: "csv, json, or xlsx (an Excel workbook; needs -o).") var format: LeadExport.Format = .csv
    @Flag(
        help:
            "CSV for Excel on Windows: UTF-8 with a byte-order mark (without it Excel shows Devanagari and Tamil as mojibake)."
    )
    var excel = false
    @Option(
        name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"),
        completion: .file())
    var output: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        Logs.bootstrap(verbose: false, quiet: true)
        try await failing {
            let sinceDate = try since.map { text throws(CommandFailure) in
                guard let date = DayExpression.start(text) else {
                    throw CommandFailure(
                        message: "error: --since \(text): give \(DayExpression.help)", status: ExitStatus.usage)
                }
                return date
            }
            if excel, format != .csv {
                throw CommandFailure(
                    message: "error: --excel writes CSV: leave out --format \(format.rawValue)",
                    status: ExitStatus.usage)
            }
            if format == .xlsx, output == nil {
                throw CommandFailure(
                    message: "error: --format xlsx writes a workbook: give its file with -o FILE.xlsx",
                    status: ExitStatus.usage)
            }
            // Read-only: works while another process writes, and on read-only media.
            let database = try store.reader()
            if format == .xlsx, let output {
                // Created private first: the workbook holds customers' details.
                _ = FileManager.default.createFile(
                    atPath: output, contents: nil, attributes: [.posixPermissions: 0o600])
                let written: Int
                do {
                    written = try await LeadExport.writeWorkbook(
                        from: database, state: state, since: sinceDate, to: URL(fileURLWithPath: output))
                } catch {
                    throw CommandFailure(
                        message: "error: cannot write \(output): \(error)", status: ExitStatus.cannotCreate)
                }
                writeLine("exported \(written) leads to \(output)", toError: true)
                return
            }
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
                    from: database, state: state, since: sinceDate, format: format, byteOrderMark: excel,
                    forTerminal: output == nil && isatty(STDOUT_FILENO) == 1, to: stream)
            } catch let error as ExportWriteError {
                throw CommandFailure(message: "error: \(error)", status: ExitStatus.cannotCreate)
            }
            if output != nil { writeLine("exported \(written) leads to \(output!)", toError: true) }
        }
    }
}

extension LeadExport.Format: ExpressibleByArgument {}
