import Foundation
import LeadStore
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

    public init(reader: RowReader) {
        self.reader = reader
    }

    /// Reads every row. With `database` nil (a dry run) nothing is queued and no file is written.
    /// `problem` is told of each bad row; `stop` is asked every 256 records (Ctrl-C): the rows
    /// read until then are queued, and `stoppedAt` says where the reading ended.
    public func run(
        file: any LeadSheet, database: LeadDatabase?, rejectedFile: URL?, problem: (Problem) -> Void,
        stop: () -> Bool = { false }
    ) async throws -> ImportSummary {
        var summary = ImportSummary()
        var batch: [(lead: ValidLead, key: String)] = []
        var rejected: CSVOut?
        defer { rejected?.close() }
        func flush() async throws {
            guard let database, !batch.isEmpty else { return }
            let (queued, existing) = try await database.enqueue(imported: batch)
            summary.queued += queued.count
            summary.alreadyImported += batch.count - queued.count
            summary.queuedIDs += queued
            summary.earlierIDs += existing
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
                        rejected = try Self.openRejected(rejectedFile, header: file.header)
                    }
                    try rejected?.write(
                        Self.withReason(
                            row, header: file.header, failure.errors.map(\.message).joined(separator: "; ")),
                        neutralize: false)
                }
            case .success(let valid):
                // A dry run keeps nothing: memory stays flat whatever the file's length.
                guard database != nil else { continue }
                batch.append((valid, RowReader.importKey(valid)))
                if batch.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        return summary
    }

    /// Writes the rows of `file` whose leads the CRM rejected (`reasons` by import key) to `url`,
    /// as they were, with the CRM's reason: fixed, the file imports again. Returns how many.
    public func writeCRMRejected(file: any LeadSheet, reasons: [String: String], to url: URL) throws -> Int {
        var out: CSVOut?
        defer { out?.close() }
        var written = 0
        while let row = try file.next() {
            guard !RowReader.isBlank(row), case .success(let valid) = reader.read(row).lead.validated(),
                let reason = reasons[RowReader.importKey(valid)]
            else { continue }
            if out == nil { out = try Self.openRejected(url, header: file.header) }
            try out?.write(Self.withReason(row, header: file.header, reason), neutralize: false)
            written += 1
        }
        return written
    }

    static func openRejected(_ url: URL, header: [String]) throws -> CSVOut {
        // Created private: rejected rows are customers' details.
        _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let stream = OutputStream(url: url, append: false) else {
            throw ImportError.unreadable("cannot write \(url.path)")
        }
        let out = try CSVOut(stream: stream)
        try out.write(hasProblemColumn(header) ? header : header + ["problem"], neutralize: false)
        return out
    }

    /// Whether the sheet is one of our rejected files (its last column says why).
    static func hasProblemColumn(_ header: [String]) -> Bool {
        header.last.map { ColumnMap.normalize($0) == "problem" } ?? false
    }

    /// A row with its reason in the problem column: appended, or replacing the old reason when
    /// a rejected file is imported again (a second "problem" column would pile up).
    static func withReason(_ row: [String], header: [String], _ reason: String) -> [String] {
        guard hasProblemColumn(header) else { return row + [reason] }
        var row = Array(row.prefix(header.count - 1))
        while row.count < header.count - 1 { row.append("") }
        return row + [reason]
    }
}
