import Foundation
import ParamantraAPI
import ZIPFoundation

/// An Excel workbook (.xlsx) read as a sign-up sheet: its first sheet, or the one named. The
/// package is opened with ZIPFoundation; the sheet's XML is unpacked to a private scratch file a
/// chunk at a time and read as a stream (`XMLEvents`) on a thread of its own, rows handed over
/// through a bounded queue: a 100,000-row sheet never sits in memory.
public final class WorkbookFile: LeadSheet {
    public let header: [String]
    public private(set) var rowNumber: Int
    public let reading: [String]
    public let sheetName: String
    /// Rows read after the header while looking for it, handed out first.
    /// The rows read while the header was looked for (and a fault met there), handed out first.
    private var ahead = HeaderChoice.RowsAhead()
    private let queue: RowQueue
    private let scratch: PrivateTemporaryFile
    /// The most a sheet's XML may unpack to (a ZIP bomb stops here).
    static let sheetBytes: UInt64 = 2 * 1024 * 1024 * 1024

    public init(
        url: URL, sheet wanted: String? = nil, headerRow: Int? = nil,
        stop: @escaping @Sendable () -> Bool = { false }
    ) throws(ImportError) {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw .unreadable("cannot open \(url.path) as an Excel workbook (.xlsx): \(error)")
        }
        func data(_ path: String) throws(ImportError) -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= 16 * 1024 * 1024 else {
                throw .tooLarge("\(url.path): the workbook's \(path) is over 16 MB; the file is damaged")
            }
            var data = Data()
            do { _ = try archive.extract(entry) { data.append($0) } } catch {
                throw .malformed("\(url.path): cannot unpack \(path): \(error)")
            }
            return data
        }
        let workbookPath = WorkbookParts.workbookPath(packageRelationships: try data("_rels/.rels"))
        guard let workbook = try data(workbookPath) else {
            throw .unreadable("\(url.path) is a ZIP file but not an Excel workbook (it has no \(workbookPath))")
        }
        let relationshipsPath =
            (workbookPath as NSString).deletingLastPathComponent + "/_rels/"
            + (workbookPath as NSString).lastPathComponent + ".rels"
        let (sheets, date1904) = WorkbookParts.sheets(
            workbook: workbook, relationships: try data(relationshipsPath) ?? Data(), workbookPath: workbookPath)
        let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
        guard let first = sheets.first else { throw .unreadable("\(url.path): the workbook has no sheets") }
        let chosen: WorkbookParts.Sheet
        if let wanted {
            guard
                let named = sheets.first(where: { $0.name == wanted })
                    ?? sheets.first(where: { $0.name.lowercased() == wanted.lowercased() })
            else {
                throw .badMapping("--sheet \(wanted): \(url.path) has no such sheet (it has: \(names))")
            }
            chosen = named
        } else {
            chosen = first
        }
        sheetName = chosen.name
        let dateStyles = WorkbookParts.dateStyles(styles: try data("xl/styles.xml"))

        // The shared text and the sheet go through scratch files: parsed as streams.
        let shared: SharedStrings
        if let entry = archive["xl/sharedStrings.xml"] {
            let text = try Self.unpack(entry, of: archive, url: url, stop: stop)
            guard let handle = try? FileHandle(forReadingFrom: text.url) else {
                throw .unreadable("cannot read \(text.url.path)")
            }
            defer { try? handle.close() }
            shared = try SharedStrings.read(handle, stop: { stop() ? LeadSheets.stopped(url.path) : nil })
        } else {
            shared = SharedStrings()
        }
        guard let entry = archive[chosen.path] else {
            throw .unreadable("\(url.path): the sheet \"\(chosen.name)\" is missing its \(chosen.path)")
        }
        scratch = try Self.unpack(entry, of: archive, url: url, stop: stop)
        guard let sheetHandle = try? FileHandle(forReadingFrom: scratch.url) else {
            throw .unreadable("cannot read \(scratch.url.path)")
        }
        let queue = RowQueue()
        self.queue = queue
        let rows = SheetRowParser(
            sheet: sheetHandle, sheetName: chosen.name, shared: shared, dateStyles: dateStyles, date1904: date1904,
            queue: queue)
        let thread = Thread { rows.run() }
        thread.name = "leadconsole xlsx"
        thread.start()

        // The header: among the first rows with anything in them, the one naming the most known
        // columns (a title or notes above it are skipped), or the row given (`HeaderChoice`).
        let found: HeaderChoice.Found
        do {
            found = try HeaderChoice.find(
                wanted: headerRow, path: url.path,
                noHeader: "\(url.path): the sheet \"\(chosen.name)\" is empty (no header row naming the columns)"
            ) { () throws(ImportError) -> HeaderChoice.Row? in
                try queue.take().map { HeaderChoice.Row(number: $0.number, cells: $0.cells) }
            }
        } catch {
            queue.cancel()
            throw error
        }
        header = found.header.cells.map { TerminalText.clean($0) }
        rowNumber = found.header.number
        ahead = HeaderChoice.RowsAhead(found)
        let firstFilled = found.firstFilled
        reading =
            [
                sheets.count > 1
                    ? "sheet \"\(TerminalText.clean(chosen.name))\" of \(names) (--sheet to choose)"
                    : "sheet \"\(TerminalText.clean(chosen.name))\""
            ] + (rowNumber != firstFilled ? ["header: row \(rowNumber)"] : [])
    }

    deinit {
        queue.cancel()
    }

    /// Unpacks one part into a private scratch file, a chunk at a time, up to `sheetBytes`.
    private static func unpack(_ entry: Entry, of archive: Archive, url: URL, stop: () -> Bool) throws(ImportError)
        -> PrivateTemporaryFile
    {
        let file = try PrivateTemporaryFile(suffix: ".xml")
        var written: UInt64 = 0
        do {
            _ = try archive.extract(entry) { chunk in
                if stop() { throw LeadSheets.stopped(url.path) }
                written += UInt64(chunk.count)
                guard written <= sheetBytes else { throw ImportError.tooLarge("") }
                try file.handle.write(contentsOf: chunk)
            }
        } catch ImportError.stopped(let message) {
            throw .stopped(message)
        } catch ImportError.tooLarge {
            throw .tooLarge("\(url.path): \(entry.path) unpacks to more than 2 GB; the file is damaged or hostile")
        } catch {
            throw .malformed("\(url.path): cannot unpack \(entry.path): \(error)")
        }
        return file
    }

    public func next() throws(ImportError) -> [String]? {
        if let row = try ahead.next() {
            rowNumber = row.number
            return row.cells
        }
        guard let row = try queue.take() else { return nil }
        rowNumber = row.number
        return row.cells
    }
}
