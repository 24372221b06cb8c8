import Foundation
import ZIPFoundation

/// Writes rows as an Excel workbook (.xlsx) of one sheet, a row at a time: the sheet's XML goes
/// to a private scratch file as rows come, and ZIPFoundation packs it with the few parts Excel,
/// LibreOffice and Google Sheets need. Cells are inline text (never formulas: nothing to
/// neutralise), the header row bold-free and plain, so memory stays flat for any export.
public final class WorkbookWriter {
    private let url: URL
    private let sheetName: String
    private let scratch: PrivateTemporaryFile
    private var rowNumber = 0
    private var buffer = Data()

    /// `url` is written when `finish` packs the workbook (0600 when it is made here).
    public init(url: URL, sheetName: String = "Leads") throws(ImportError) {
        self.url = url
        self.sheetName = sheetName
        scratch = try PrivateTemporaryFile(suffix: ".xml")
        buffer.append(
            contentsOf: Array(
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                    .utf8))
    }

    /// Text as XML character data: the markup characters escaped, and the control characters
    /// XML 1.0 cannot hold dropped (a tab and a line break stay).
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public func write(_ cells: [String]) throws {
        rowNumber += 1
        var row = "<row r=\"\(rowNumber)\">"
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            let reference = CellValue.columnName(index) + String(rowNumber)
            row +=
                "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escaped(cell))</t></is></c>"
        }
        buffer.append(contentsOf: Array((row + "</row>").utf8))
        if buffer.count > 1 << 20 { try flush() }
    }

    private func flush() throws {
        try scratch.handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Packs the workbook into `url`.
    public func finish() throws {
        buffer.append(contentsOf: Array("</sheetData></worksheet>".utf8))
        try flush()
        // An empty ZIP (its end record alone) written into the file as it is, 0600 from the
        // start; ZIPFoundation's .create would make a new file with the umask's mode (0644).
        let emptyZip = Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        if FileManager.default.fileExists(atPath: url.path) {
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: emptyZip)
            try handle.close()
        } else {
            FileManager.default.createFile(atPath: url.path, contents: emptyZip, attributes: [.posixPermissions: 0o600])
        }
        let archive = try Archive(url: url, accessMode: .update)
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
            ),
            (
                "_rels/.rels",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
            (
                "xl/workbook.xml",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""#
                    + Self.escaped(sheetName) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            )
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: scratch.url, compressionMethod: .deflate)
    }
}
