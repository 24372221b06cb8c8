import CSV
import Foundation
import ParamantraAPI

/// Reads a spreadsheet's CSV a row at a time (CSV.swift: RFC 4180 quoting, commas and line
/// breaks inside quotes, a UTF-8 byte-order mark, CRLF), so memory stays flat whatever the
/// length of the file.
public final class CSVLeadFile {
    public let header: [String]
    private let reader: CSVReader
    private let stream: InputStream
    /// The number of the record last read; the header is row 1, as a spreadsheet counts.
    public private(set) var rowNumber = 1

    public init(url: URL) throws(ImportError) {
        guard let stream = InputStream(url: url), FileManager.default.isReadableFile(atPath: url.path) else {
            throw .unreadable("cannot read \(url.path): no such file, or no permission")
        }
        self.stream = stream
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw .unreadable("\(url.path) is not readable as CSV: \(error)")
        }
        guard let header = reader.headerRow, !RowReader.isBlank(header) else {
            throw .noHeader(
                "\(url.path) has no header row: the first line must name the columns (first name, phone, ...)")
        }
        self.header = header.map { TerminalText.clean($0) }
    }

    /// The next record, or nil at the end; throws when the file stops being valid CSV (the
    /// rows before it were read).
    public func next() throws(ImportError) -> [String]? {
        let row = reader.next()
        // On Linux a file stream says it has bytes until a read returns none, and CSV.swift
        // reports that last empty read as an error: at the end of the file it is the end.
        if let error = reader.error, !(row == nil && stream.streamStatus == .atEnd) {
            throw .unreadable("row \(rowNumber + 1): \(error)")
        }
        if row != nil { rowNumber += 1 }
        return row
    }
}

/// Writes rows as spreadsheets read them (CSV.swift's writer quotes what needs quoting). Text
/// that a spreadsheet would run as a formula (=, +, -, @, or a tab or CR first) is prefixed
/// with an apostrophe, the usual defence against formula injection.
public final class CSVOut {
    private let writer: CSVWriter

    public init(stream: OutputStream) throws {
        // CRLF between records, as RFC 4180 and spreadsheets have it.
        writer = try CSVWriter(stream: stream, newline: .crlf)
    }

    /// Writes a row; `neutralize` false keeps cells exactly (the rejected rows of an import are
    /// the user's own data, to fix and import again).
    public func write(_ row: [String], neutralize: Bool = true) throws {
        try writer.write(row: neutralize ? row.map(Self.neutralized) : row)
    }

    /// Ends the last row with a line break (the writer puts them between rows only).
    public func finish() {
        _ = writer.stream.write("\r\n", maxLength: 2)
    }

    public func close() {
        finish()
        writer.stream.close()
    }

    public static func neutralized(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }
}
