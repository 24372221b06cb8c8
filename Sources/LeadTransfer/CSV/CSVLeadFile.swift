import CSV
import Foundation
import ParamantraAPI

/// Reads a spreadsheet's CSV a row at a time (CSV.swift: RFC 4180 quoting, commas and line
/// breaks inside quotes, a UTF-8 byte-order mark, CRLF), so memory stays flat whatever the
/// length of the file.
public final class CSVLeadFile: LeadSheet {
    public let header: [String]
    private let reader: CSVReader
    private let stream: InputStream
    /// The number of the record last read, as a spreadsheet counts (the first line is row 1).
    public private(set) var rowNumber = 1
    /// The header's row: 1, or lower down when a title or notes sit above it (`HeaderChoice`).
    public let headerRowNumber: Int
    /// Rows read after the header while looking for it, handed out first.
    /// The rows read while the header was looked for (and a fault met there), handed out first.
    private var ahead = HeaderChoice.RowsAhead()
    /// How the file is written (found from its bytes unless given).
    public let encoding: SheetText.Encoding
    public let delimiter: Unicode.Scalar
    /// Whether the encoding was guessed as Windows-1252 (the bytes are not UTF-8): said to the rep.
    public let guessedWindows1252: Bool
    /// Whether the file starts with a byte-order mark.
    public let hadByteOrderMark: Bool

    /// Its rejected rows are written as it is: its delimiter, its encoding (Windows-1252 as
    /// UTF-8 with a mark), a mark where it had one.
    public var fixFormat: CSVOut.Format {
        CSVOut.Format(delimiter: delimiter, encoding: encoding, byteOrderMark: hadByteOrderMark)
    }

    public var reading: [String] {
        let separators: [Unicode.Scalar: String] = [";": "semicolons", "\t": "tabs", "|": "pipes"]
        var how: [String] = []
        if encoding != .utf8 {
            how.append(
                guessedWindows1252 ? "Windows-1252 (its bytes are not UTF-8; --encoding to choose)" : encoding.rawValue)
        }
        if let name = separators[delimiter] { how.append("columns separated by \(name)") }
        if headerRowNumber > 1 { how.append("header: row \(headerRowNumber)") }
        return how
    }
    /// The copy read instead of the file, when it needs one (0600, removed with this reader).
    private let converted: PrivateTemporaryFile?

    public init(
        url: URL, delimiter: Unicode.Scalar? = nil, encoding: SheetText.Encoding? = nil, headerRow: Int? = nil,
        stop: @Sendable () -> Bool = { false }
    ) throws(ImportError) {
        guard FileManager.default.isReadableFile(atPath: url.path), let handle = try? FileHandle(forReadingFrom: url)
        else {
            throw .unreadable("cannot read \(url.path): no such file, or no permission")
        }
        let prefix = [UInt8]((try? handle.read(upToCount: 64 * 1024)) ?? Data())
        let marked = SheetText.byteOrderMark(prefix)
        hadByteOrderMark = marked != nil
        let separator = delimiter ?? SheetText.delimiter(ofHeader: SheetText.firstLine(SheetText.decodedPrefix(prefix)))
        // Every byte scanned before any is parsed: limits, NULs, and the encoding (a megabyte at a time).
        let markLength = marked == nil ? 0 : (marked == .utf8 ? 3 : 2)
        var scan = SheetScan(encoding: encoding ?? marked, delimiter: separator, offset: markLength)
        scan.feed(prefix.dropFirst(markLength))
        while !scan.failed, let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if stop() {
                try? handle.close()
                throw LeadSheets.stopped(url.path)
            }
            scan.feed(chunk)
        }
        scan.finish()
        try? handle.close()
        if let (fault, place) = scan.fault {
            let (utf16, order) = SheetText.looksLikeUTF16(prefix)
            throw SheetScan.message(
                fault, at: place, path: url.path, encoding: scan.isWindows1252 ? .windows1252 : scan.encoding,
                utf16Hint: marked == nil && utf16 ? order : nil)
        }
        self.encoding = scan.isWindows1252 ? .windows1252 : scan.encoding
        guessedWindows1252 = encoding == nil && self.encoding == .windows1252
        var source = url
        if self.encoding == .windows1252 || !scan.endsWithNewline {
            // A private copy (mkstemp, 0600): UTF-8 for a Windows-1252 file (the CSV reader reads
            // UTF-8 and UTF-16 only), and ending in a line break (at the end of a file without
            // one, CSV.swift reports a read error and drops the last row).
            let copy = try PrivateTemporaryFile(suffix: ".csv")
            do {
                try Self.copy(url, to: copy.handle, fromWindows1252: self.encoding == .windows1252, stop: stop)
                if !scan.endsWithNewline {
                    let newline: [UInt8] =
                        switch self.encoding {
                        case .utf16LE: [0x0A, 0x00]
                        case .utf16BE: [0x00, 0x0A]
                        default: [0x0A]
                        }
                    try copy.handle.write(contentsOf: newline)
                }
            } catch let error as ImportError {
                throw error
            } catch {
                throw .unreadable("cannot copy \(url.path) for reading: \(error)")
            }
            converted = copy
            source = copy.url
        } else {
            converted = nil
        }
        self.delimiter = separator
        guard let stream = InputStream(url: source) else { throw .unreadable("cannot read \(url.path)") }
        self.stream = stream
        do {
            switch self.encoding {
            case .utf16LE, .utf16BE:
                reader = try CSVReader(
                    stream: stream, codecType: UTF16.self, endian: self.encoding == .utf16LE ? .little : .big,
                    hasHeaderRow: false, delimiter: self.delimiter)
            default:
                reader = try CSVReader(stream: stream, hasHeaderRow: false, delimiter: self.delimiter)
            }
        } catch {
            throw .unreadable("\(url.path) is not readable as CSV: \(error)")
        }
        // The first rows, until the header is surely among them (`HeaderChoice`).
        var number = 0
        let (csv, input) = (reader, stream)
        let found = try HeaderChoice.find(
            wanted: headerRow, path: url.path,
            noHeader: "\(url.path) has no header row: the first line must name the columns (first name, phone, ...)"
        ) { () throws(ImportError) -> HeaderChoice.Row? in
            guard var cells = try CSVLeadFile.record(csv, input, number: number + 1) else { return nil }
            number += 1
            // A UTF-16 file's byte-order mark arrives as U+FEFF at the start of the first cell.
            if number == 1, let cell = cells.first, cell.hasPrefix("\u{FEFF}") { cells[0] = String(cell.dropFirst()) }
            return HeaderChoice.Row(number: number, cells: cells)
        }
        header = found.header.cells.map { TerminalText.clean($0) }
        headerRowNumber = found.header.number
        rowNumber = headerRowNumber
        ahead = HeaderChoice.RowsAhead(found)
    }

    /// One record, or nil at the end; throws when the file stops being valid CSV.
    private static func record(_ reader: CSVReader, _ stream: InputStream, number: Int) throws(ImportError)
        -> [String]?
    {
        let row = reader.next()
        // On Linux a file stream says it has bytes until a read returns none, and CSV.swift
        // reports that last empty read as an error: at the end of the file it is the end.
        if let error = reader.error, !(row == nil && stream.streamStatus == .atEnd) {
            throw .malformed("row \(number): not valid CSV (\(error))")
        }
        return row
    }

    /// Streams a file into a private copy a megabyte at a time, from Windows-1252 to UTF-8 if asked.
    static func copy(
        _ source: URL, to output: FileHandle, fromWindows1252: Bool, stop: () -> Bool = { false }
    ) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            if stop() { throw LeadSheets.stopped(source.path) }
            try output.write(contentsOf: fromWindows1252 ? Data(SheetText.utf8(fromWindows1252: chunk)) : chunk)
        }
    }

    /// The next record, or nil at the end; throws when the file stops being valid CSV (the
    /// rows before it were read).
    public func next() throws(ImportError) -> [String]? {
        if let row = try ahead.next() {
            rowNumber = row.number
            return row.cells
        }
        let row = try Self.record(reader, stream, number: rowNumber + 1)
        if row != nil { rowNumber += 1 }
        return row
    }
}

/// Writes rows as spreadsheets read them (CSV.swift's writer quotes what needs quoting). Text
/// that a spreadsheet would run as a formula (=, +, -, @, or a tab or CR first) is prefixed
/// with an apostrophe, the usual defence against formula injection.
public final class CSVOut {
    /// How the file is written: the files a person fixes are written the way their sheet was.
    public struct Format: Sendable, Equatable {
        public var delimiter: Unicode.Scalar
        /// UTF-8 or UTF-16 (Windows-1252 sheets are written as UTF-8 with a byte-order mark,
        /// which Excel opens as it should and which keeps every character).
        public var encoding: SheetText.Encoding
        public var byteOrderMark: Bool

        public init(delimiter: Unicode.Scalar = ",", encoding: SheetText.Encoding = .utf8, byteOrderMark: Bool = false)
        {
            self.delimiter = delimiter
            self.encoding = encoding == .windows1252 ? .utf8 : encoding
            self.byteOrderMark = byteOrderMark || encoding != .utf8
        }

        /// UTF-8, comma-separated, no mark: our exports and reports.
        public static let plain = Format()
        /// Comma-separated UTF-8 with a mark: what Excel opens right (a workbook's or contacts' rows).
        public static let excel = Format(byteOrderMark: true)

        var newline: [UInt8] {
            switch encoding {
            case .utf16LE: [0x0D, 0x00, 0x0A, 0x00]
            case .utf16BE: [0x00, 0x0D, 0x00, 0x0A]
            default: [0x0D, 0x0A]
            }
        }

        var mark: [UInt8] {
            switch encoding {
            case .utf16LE: [0xFF, 0xFE]
            case .utf16BE: [0xFE, 0xFF]
            default: [0xEF, 0xBB, 0xBF]
            }
        }
    }

    private let writer: CSVWriter
    private let format: Format

    public init(stream: OutputStream, format: Format = .plain) throws {
        self.format = format
        if stream.streamStatus == .notOpen { stream.open() }
        if format.byteOrderMark {
            let mark = format.mark
            guard stream.write(mark, maxLength: mark.count) == mark.count else { throw CSVError.cannotWriteStream }
        }
        // CRLF between records, as RFC 4180 and spreadsheets have it.
        let delimiter = String(Character(format.delimiter))
        switch format.encoding {
        case .utf16LE, .utf16BE:
            writer = try CSVWriter(
                stream: stream, codecType: UTF16.self, endian: format.encoding == .utf16LE ? .little : .big,
                delimiter: delimiter, newline: .crlf)
        default:
            writer = try CSVWriter(stream: stream, delimiter: delimiter, newline: .crlf)
        }
    }

    /// Writes a row; `neutralize` false keeps cells exactly (the rejected rows of an import are
    /// the user's own data, to fix and import again).
    public func write(_ row: [String], neutralize: Bool = true) throws {
        try writer.write(row: neutralize ? row.map(Self.neutralized) : row)
    }

    /// Ends the last row with a line break (the writer puts them between rows only).
    public func finish() {
        let newline = format.newline
        _ = writer.stream.write(newline, maxLength: newline.count)
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
