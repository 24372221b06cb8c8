import Foundation
import ParamantraAPI

/// A file of leads read a record at a time, whatever its kind: a CSV or text export, an Excel
/// workbook's sheet, a phone's vCard contacts. The importer sees a header and rows of text.
public protocol LeadSheet: AnyObject {
    /// The column names, cleaned of control characters.
    var header: [String] { get }
    /// The record last read, as the file's own numbering has it (a spreadsheet's row number).
    var rowNumber: Int { get }
    /// Where the record last read is, in the words the rep finds it by ("row 12", "card 3, line 40").
    var place: String { get }
    /// How the file was read, when it is not the plain case (said on the first line).
    var reading: [String] { get }
    /// How the files a person fixes (its rejected rows) are written: the way it was.
    var fixFormat: CSVOut.Format { get }
    /// The next record, or nil at the end; throws when the file stops being readable (the
    /// records before it were read).
    func next() throws(ImportError) -> [String]?
}

extension LeadSheet {
    public var place: String { "row \(rowNumber)" }
    /// A workbook's or contacts' rows: comma-separated UTF-8 with a mark, as Excel opens it.
    public var fixFormat: CSVOut.Format { .excel }
}

/// Opens a file by what its bytes are, not by its name: a ZIP holding `xl/workbook.xml` is an
/// Excel workbook, a file starting with BEGIN:VCARD is contacts, anything else is read as
/// delimited text. The formats nobody can read here are named with the way out.
public enum LeadSheets {
    public struct Options: Sendable {
        public var delimiter: Unicode.Scalar?
        public var encoding: SheetText.Encoding?
        public var sheet: String?
        /// The header's row as the sheet numbers it (`--header-row`); nil: found (`HeaderChoice`).
        public var headerRow: Int?
        /// Asked as the file is read (a megabyte, a part, a few hundred rows at a time): true
        /// stops the reading with `ImportError.stopped` (Ctrl-C).
        public var stop: @Sendable () -> Bool
        public init(
            delimiter: Unicode.Scalar? = nil, encoding: SheetText.Encoding? = nil, sheet: String? = nil,
            headerRow: Int? = nil, stop: @escaping @Sendable () -> Bool = { false }
        ) {
            self.headerRow = headerRow
            self.delimiter = delimiter
            self.encoding = encoding
            self.sheet = sheet
            self.stop = stop
        }
    }

    public enum Kind: Equatable, Sendable {
        case text, workbook, contacts
    }

    public static func open(_ url: URL, options: Options = Options()) throws(ImportError) -> any LeadSheet {
        switch try kind(of: url) {
        case .workbook:
            return try WorkbookFile(url: url, sheet: options.sheet, headerRow: options.headerRow, stop: options.stop)
        case .contacts: return try VCardFile(url: url, encoding: options.encoding)
        case .text:
            if options.sheet != nil {
                throw .badMapping("--sheet: \(url.path) is not an Excel workbook (.xlsx): it has no sheets")
            }
            return try CSVLeadFile(
                url: url, delimiter: options.delimiter, encoding: options.encoding, headerRow: options.headerRow,
                stop: options.stop)
        }
    }

    /// The kind of file from its first bytes.
    /// Ctrl-C while `path` was read.
    static func stopped(_ path: String) -> ImportError {
        .stopped("stopped by Ctrl-C while \(path) was read")
    }

    public static func kind(of url: URL) throws(ImportError) -> Kind {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw .unreadable("cannot read \(url.path): no such file, or no permission")
        }
        defer { try? handle.close() }
        let prefix = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let text = String(decoding: prefix, as: UTF8.self)
            if text.contains("mimetypeapplication/vnd.oasis.opendocument") {
                throw .unreadable(
                    "\(url.path) is an OpenDocument spreadsheet (LibreOffice .ods): save it as .xlsx or CSV and import that"
                )
            }
            return .workbook
        }
        if prefix.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .unreadable(
                "\(url.path) is an Excel 97-2003 workbook (.xls): open it in Excel or LibreOffice, save as .xlsx or CSV, and import that"
            )
        }
        let start = SheetText.decodedPrefix(prefix).trimmingSpace()
        if start.uppercased().hasPrefix("BEGIN:VCARD") { return .contacts }
        return .text
    }
}
