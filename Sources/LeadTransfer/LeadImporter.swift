import Foundation
import LeadOutbox
import ParamantraAPI

/// The first half of an import: read the file a row at a time, check every row with the same
/// rules as the form, write the bad ones to FILE.rejected.csv with the reason, and queue the good
/// ones in transactions of `batchSize` (a crash or Ctrl-C leaves a clean prefix queued).
public struct LeadImporter {
    public struct Problem: Sendable, Equatable {
        /// Where the record is ("row 12", "card 3 (line 40)").
        public let place: String
        public let field: String
        public let message: String
    }

    public var batchSize = 1_000
    public let reader: RowReader
    /// Queue rows whose phone the CRM already holds instead of recording them as visits (`--again`).
    public var again = false

    public init(reader: RowReader, again: Bool = false) {
        self.reader = reader
        self.again = again
    }

    /// Reads every row. With `database` nil (a dry run) nothing is queued and no file is written.
    /// `problem` is told of each bad row; `stop` is asked every 256 records (Ctrl-C): the rows
    /// read until then are queued, and `stoppedAt` says where the reading ended.
    public func run(
        file: any LeadSheet, database: LeadDatabase?, rejectedFile: URL?, problem: (Problem) -> Void,
        stop: () -> Bool = { false }
    ) async throws -> ImportSummary {
        var summary = ImportSummary()
        var batch: [ImportedRow] = []
        var rejected: CSVOut?
        defer { rejected?.close() }
        let columns = FixColumns(sheetHeader: file.header)
        func flush() async throws {
            guard let database, !batch.isEmpty else { return }
            let outcomes = try await database.importRows(batch, again: again)
            for (row, outcome) in zip(batch, outcomes) { summary.count(outcome, place: row.place) }
            batch.removeAll(keepingCapacity: true)
        }
        var records = 0
        while let row = try file.next() {
            records += 1
            if records % 256 == 0, stop() {
                summary.stoppedAt = file.place
                break
            }
            if RowReader.isBlank(row) {
                summary.blank += 1
                continue
            }
            summary.rows += 1
            let (lead, found) = reader.read(row)
            var result = lead.validated()
            if !found.isEmpty {
                // The reader's problem replaces what the form's rules say of the same field.
                var problems = found
                if case .failure(let failure) = result {
                    problems += failure.errors.filter { error in !found.contains { $0.field == error.field } }
                }
                result = .failure(Lead.ValidationFailure(problems: problems))
            }
            switch result {
            case .failure(let failure):
                summary.invalid += 1
                for error in failure.errors {
                    problem(Problem(place: file.place, field: error.field.label, message: error.message))
                }
                if let rejectedFile, database != nil {
                    if rejected == nil {
                        rejected = try Self.openFixFile(rejectedFile, columns: columns, format: file.fixFormat)
                    }
                    try rejected?.write(
                        columns.row(row, problem: failure.errors.map(\.message).joined(separator: "; "), leadID: nil),
                        neutralize: false)
                }
            case .success(let valid):
                // A dry run keeps nothing: memory stays flat whatever the file's length.
                guard database != nil else { continue }
                batch.append(ImportedRow(lead: valid, uuid: reader.leadID(row), place: file.place))
                if batch.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        return summary
    }

    /// Writes the rows of `file` that became the rejected `leads` to `url`, as they were, with
    /// the CRM's reason and the lead's `lead_id`: fixed, the file imports again and corrects
    /// those same leads. A row is matched by its own `lead_id`, else by who it is (names,
    /// phone, email). Returns how many.
    public func writeCRMRejected(file: any LeadSheet, leads: [StoredLead], to url: URL) throws -> Int {
        var byID = Dictionary(leads.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        var byIdentity = Dictionary(
            leads.map { (LeadIdentity.key($0), $0.uuid) }, uniquingKeysWith: { first, _ in first })
        let columns = FixColumns(sheetHeader: file.header)
        var out: CSVOut?
        defer { out?.close() }
        var written = 0
        while let row = try file.next(), !byID.isEmpty {
            guard !RowReader.isBlank(row), case .success(let valid) = reader.read(row).lead.validated() else {
                continue
            }
            let key = LeadIdentity.key(valid)
            guard let id = reader.leadID(row).flatMap({ byID[$0] == nil ? nil : $0 }) ?? byIdentity[key],
                let lead = byID[id]
            else { continue }
            // Each lead once: a row repeated in the sheet is one lead.
            byID[id] = nil
            byIdentity[LeadIdentity.key(lead)] = nil
            if out == nil { out = try Self.openFixFile(url, columns: columns, format: file.fixFormat) }
            try out?.write(columns.row(row, problem: lead.rejection, leadID: lead.uuid), neutralize: false)
            written += 1
        }
        return written
    }

    static func openFixFile(_ url: URL, columns: FixColumns, format: CSVOut.Format) throws -> CSVOut {
        // Created private: rejected rows are customers' details.
        _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let stream = OutputStream(url: url, append: false) else {
            throw ImportError.unreadable("cannot write \(url.path)")
        }
        let out = try CSVOut(stream: stream, format: format)
        try out.write(columns.header, neutralize: false)
        return out
    }
}
