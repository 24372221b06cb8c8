import ArgumentParser
import Foundation
import LeadOutbox
import LeadTransfer
import ParamantraAPI
import Synchronization

/// `leadconsole import FILE.csv`: a sign-up sheet into the outbox, then to the CRM.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Queue the leads of a sign-up sheet (CSV, Excel .xlsx, vCard .vcf) and send them.",
        discussion:
            """
            Reads CSV and text sheets (the delimiter and encoding found from the bytes), Excel workbooks (.xlsx, the first sheet or --sheet) and phone contacts (.vcf), whatever their names end in.

            Columns are matched by their headings, case, spaces and punctuation ignored: \(ColumnMap.knownColumnsSentence). --map COLUMN=FIELD settles the rest; each column nothing reads is named with the --map that would keep it.

            Invalid rows go to FILE.rejected.csv and rows the CRM rejects to FILE.crm-rejected.csv, written as the sheet was (delimiter, encoding, headings) with a problem column and a lead_id column. Fixed, either file imports again with the command printed: a row with the lead_id of a lead the CRM has not taken corrects that lead and sends it again, once. Rows already imported (the same names, phone and email, whatever the options) are not queued twice; a row whose phone the CRM already holds is recorded as a visit and not sent (--again sends it).

            Exit status: 0 every valid row of the file is in the CRM (earlier imports of it included); 1 the CRM rejected some; 64 bad --map, --sheet, --delimiter or --encoding; 65 (--dry-run) invalid rows, no phone column, or a cell, row or column count past the limits; 66 the file cannot be read (missing, .xls, not text in its encoding); 73/74 the database cannot be used; 75 some are still queued; 77 credentials refused; 78 wrong endpoint URL (held).
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The sheet: CSV or text (any delimiter; UTF-8, UTF-16 or Windows-1252), an Excel workbook (.xlsx) or a phone's contacts (.vcf).",
            valueName: "file"),
        completion: .file(extensions: ["csv", "tsv", "txt", "xlsx", "vcf"]))
    var file: String
    @Option(
        name: .customLong("map"),
        help: ArgumentHelp("Read a column as a field: --map \"Cell No=phone\" (repeatable).", valueName: "COLUMN=FIELD")
    )
    var mappings: [String] = []
    @Option(help: "Subject for rows without one (else the settings' default).") var subject: String?
    @Option(help: "Channel for rows without one (else the settings' default).") var channel: String?
    @Option(help: "Rep for rows without one (else the settings' default).") var rep: String?
    @Option(help: "Project for rows without one (else the settings' default).") var project: String?
    @Flag(help: "Check every row and print the problems; queue nothing.") var dryRun = false
    @Option(
        help: ArgumentHelp("The column separator: , ; tab or | (default: found from the header).", valueName: "char"))
    var delimiter: String?
    @Option(
        help: ArgumentHelp(
            "utf-8, utf-16le, utf-16be or windows-1252 (default: found from the bytes).", valueName: "name"),
        completion: .list(SheetText.Encoding.allCases.map(\.rawValue)))
    var encoding: String?
    @Option(help: ArgumentHelp("The sheet of an Excel workbook to read (default: the first).", valueName: "name"))
    var sheet: String?
    @Option(
        help: ArgumentHelp(
            "The row that names the columns, as the sheet numbers it (default: found among the first 20 rows: the one naming the most known columns, so a title or notes above it are skipped).",
            valueName: "n"))
    var headerRow: Int?
    @Flag(
        help:
            "Send rows whose phone the CRM already holds (an accepted or duplicate lead) instead of recording them as visits."
    )
    var again = false
    @Option(help: "Attempts in flight at once.") var concurrency = 8
    @Option(
        help: ArgumentHelp(
            "Keep retrying leads that failed for a passing reason this long before leaving them queued.",
            valueName: "seconds"))
    var retryWindow = 30
    @OptionGroup var store: StoreOptions

    func run() async throws {
        Logs.bootstrap(verbose: false, quiet: true)
        try await failing {
            let settings = try store.settings().settings
            let overrides: [String: String]
            let separator: Unicode.Scalar?
            let textEncoding: SheetText.Encoding?
            do throws(ImportJob.UsageError) {
                overrides = try ImportJob.overrides(mappings)
                separator = try ImportJob.separator(delimiter)
                try ImportJob.checkHeaderRow(headerRow)
                textEncoding = try ImportJob.encoding(encoding)
            } catch {
                throw CommandFailure(message: "error: \(error)", status: ExitStatus.usage)
            }
            // Ctrl-C is heard from here on: while a pipe is awaited, a sheet unpacked or its rows read.
            let stopped = StopFlag.onInterrupt()
            let input: SheetInput
            do throws(ImportError) { input = try SheetInput(path: file, stop: { stopped.isSet }) } catch {
                throw Self.failure(error)
            }
            let url = input.url
            let map: ColumnMap
            let sheet: any LeadSheet
            do {
                sheet = try LeadSheets.open(
                    url,
                    options: .init(
                        delimiter: separator, encoding: textEncoding, sheet: self.sheet, headerRow: headerRow,
                        stop: { stopped.isSet }))
                map = try ColumnMap(header: sheet.header, overrides: overrides)
            } catch let error as ImportError {
                throw Self.failure(error)
            }
            if let missing = ImportJob.missingPhone(map, header: sheet.header, file: file) {
                throw CommandFailure(message: "error: " + missing, status: ExitStatus.invalidLead)
            }
            // How the file was read, when it is not plain comma-separated UTF-8.
            if !sheet.reading.isEmpty {
                writeLine("reading \(file): " + sheet.reading.joined(separator: ", "), toError: true)
            }
            writeLine(ImportJob.columnsLine(map, header: sheet.header), toError: true)
            let defaults = ImportJob.defaults(settings, project: project, subject: subject, channel: channel, rep: rep)
            let importer = LeadImporter(reader: RowReader(map: map, defaults: defaults), again: again)

            if dryRun {
                let summary = try await readAll(
                    importer, sheet, database: nil, rejected: nil, stopped: stopped, printEvery: true)
                if let place = summary.stoppedAt {
                    writeLine(
                        "stopped by Ctrl-C at \(place): \(summary.rows) rows read before it, \(summary.invalid) invalid; nothing queued (dry run)"
                    )
                    throw ExitCode(ExitStatus.interrupted)
                }
                writeLine(
                    "\(summary.rows) rows: \(summary.rows - summary.invalid) valid, \(summary.invalid) invalid, \(summary.blank) blank; nothing queued (dry run)"
                )
                if summary.invalid > 0 { throw ExitCode(ExitStatus.invalidLead) }
                return
            }

            let database = try store.database()
            // A pipe's rows have no folder of their own: the files for fixing go to this one.
            let besideURL = ImportJob.fixFileBase(
                sheet: file, hasFolder: input.hasFolder,
                folder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let fixFiles = try await ImportJob.fixFiles(beside: besideURL, database: database)
            for note in fixFiles.notes { writeLine(note, toError: true) }
            let (rejectedURL, crmRejectedURL) = (fixFiles.rejected, fixFiles.crmRejected)
            var summary = try await readAll(
                importer, sheet, database: database, rejected: rejectedURL, stopped: stopped, printEvery: false)
            // The fixed files keep the sheet's headings: importing one again needs the same --map.
            summary.rerunOptions = ImportJob.rerunOptions(
                mappings: mappings, subject: subject, channel: channel, rep: rep, project: project)
            if summary.invalid > 0 {
                summary.rejectedFile = rejectedURL.path
                try await FixFile.noteWritten(rejectedURL, database: database)
            }
            if let place = summary.stoppedAt {
                writeLine(
                    "stopped by Ctrl-C at \(place): queued \(summary.queued) leads from the rows before it; they stay in the outbox (leadconsole retry sends them), and importing the file again reads the rest without queuing any row twice"
                        + (summary.invalid > 0 ? "; \(summary.invalid) invalid rows are in \(rejectedURL.path)" : ""))
                throw ExitCode(ExitStatus.interrupted)
            }
            writeLine(
                "queued \(summary.queued) leads"
                    + (summary.invalid > 0 ? "; \(summary.invalid) invalid rows are in \(rejectedURL.path)" : ""),
                toError: true)
            let fileIDs = summary.queuedIDs + summary.earlierIDs

            if !stopped.isSet, let credentials = settings.credentials {
                let policy = ImportJob.retryPolicy
                if let session = try await DeliverySession.begin(
                    database: database, locations: store.locations, credentials: credentials,
                    phoneFormat: settings.phoneFormat, policy: policy, durableOutcomes: false, hearOthers: false)
                {
                    // Everything waiting goes out: this file's new rows, its rows queued or held
                    // by an earlier run, and any other queued lead.
                    let total = try await database.counts()[.queued, default: 0]
                    stopped.onSet { session.driver.signal.ring() }
                    try await deliver(session.driver, total: total, stopped: stopped)
                } else {
                    // A console (or another import) holds the outbox and sends these leads: the
                    // summary waits for it, so its counts are what the CRM answered.
                    writeLine(
                        "another leadconsole is delivering this outbox: waiting up to \(retryWindow) s for it to send this file's leads",
                        toError: true)
                    let signal = OutboxSignal(database: database.path)
                    stopped.onSet { signal.ring() }
                    try await ImportJob.waitForOtherDeliverer(
                        ids: fileIDs, database: database, signal: signal, patience: .seconds(retryWindow),
                        stop: { stopped.isSet }, progress: { writeLine($0, toError: true) })
                }
            } else if settings.credentials == nil, summary.queued > 0 {
                writeLine(
                    "no API key or app name: the leads stay queued (leadconsole config set-key, then leadconsole retry)",
                    toError: true)
            }
            try await ImportJob.complete(
                &summary, database: database, importer: importer, fileIDs: fileIDs, crmRejected: crmRejectedURL
            ) {
                try LeadSheets.open(
                    input.url,
                    options: .init(
                        delimiter: separator, encoding: textEncoding, sheet: self.sheet, headerRow: headerRow))
            }
            for line in summary.lines { writeLine(line) }
            if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
        }
    }

    private func readAll(
        _ importer: LeadImporter, _ sheet: any LeadSheet, database: LeadDatabase?, rejected: URL?, stopped: StopFlag,
        printEvery: Bool
    ) async throws -> ImportSummary {
        var shown = 0
        do {
            return try await importer.run(
                file: sheet, database: database, rejectedFile: rejected,
                problem: { problem in
                    // Every problem in a dry run; the first 20 otherwise (the rest are in the rejected file).
                    guard printEvery || shown < 20 else { return }
                    shown += 1
                    writeLine(
                        "\(problem.place), \(problem.field): \(TerminalText.clean(problem.message))",
                        toError: !printEvery)
                }, stop: { stopped.isSet })
        } catch let error as ImportError {
            throw CommandFailure(message: "error: \(error) (the rows before it were read)", status: error.exitStatus)
        }
    }

    /// An import stopped before any row was read: nothing is queued, and the message says so
    /// when it was Ctrl-C.
    private static func failure(_ error: ImportError) -> CommandFailure {
        CommandFailure(
            message: "error: \(error)" + (error.exitStatus == ExitStatus.interrupted ? "; nothing was queued" : ""),
            status: error.exitStatus)
    }

    /// Delivery with a progress bar on a terminal, a line every few seconds elsewhere.
    private func deliver(_ driver: DeliveryDriver, total: Int, stopped: StopFlag) async throws {
        let tally = ImportDelivery.Tally()
        let onTerminal = isatty(STDERR_FILENO) == 1
        let start = ContinuousClock.now
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: onTerminal ? .milliseconds(250) : .seconds(5))
                if Task.isCancelled { return }
                let elapsed = (ContinuousClock.now - start).seconds
                let (done, failures) = (await tally.settled, await tally.failures)
                let total = max(total, done)
                if onTerminal {
                    FileHandle.standardError.write(
                        Data(
                            ("\r" + ImportProgress.bar(done: done, total: total, failures: failures, elapsed: elapsed))
                                .utf8))
                } else {
                    writeLine(
                        ImportProgress.line(done: done, total: total, failures: failures, elapsed: elapsed),
                        toError: true)
                }
            }
        }
        defer { reporter.cancel() }
        try await ImportDelivery.run(
            driver: driver, concurrency: concurrency, patience: .seconds(retryWindow),
            tally: tally, stop: { stopped.isSet })
        let elapsed = (ContinuousClock.now - start).seconds
        // Leads queued meanwhile (a console beside the import) are delivered too: the total grows.
        let done = await tally.settled
        let line = ImportProgress.line(
            done: done, total: max(total, done), failures: await tally.failures, elapsed: elapsed)
        writeLine((onTerminal ? "\r\u{1B}[K" : "") + line, toError: true)
    }
}

/// Set by Ctrl-C (SIGINT) or SIGTERM: the import stops after the batch or attempts in hand;
/// what was queued stays queued.
final class StopFlag: @unchecked Sendable {
    private let value = Atomic<Bool>(false)
    /// Set once, before the flag is shared.
    private var watch: SignalWatch?
    /// Told when the flag is set: a wait in progress ends at once.
    private let listeners = Mutex<[@Sendable () -> Void]>([])

    var isSet: Bool { value.load(ordering: .acquiring) }
    private func set() {
        value.store(true, ordering: .releasing)
        for listener in listeners.withLock({ $0 }) { listener() }
    }

    /// `action` runs when the flag is set (at once, if it is set already).
    func onSet(_ action: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(action) }
        if isSet { action() }
    }

    static func onInterrupt() -> StopFlag {
        let flag = StopFlag()
        flag.watch = SignalWatch([SIGINT, SIGTERM]) { [weak flag] in flag?.set() }
        return flag
    }
}
