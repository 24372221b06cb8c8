import Foundation

/// Turns a worksheet's XML into rows of text as `XMLEvents` reads it, on the reading thread:
/// cells placed by their reference (sheets skip empty cells and rows), shared text looked up,
/// numbers as digits, dates as dates. Limits are checked as characters arrive, so a hostile
/// cell stops the parse at once.
///
/// Unchecked Sendable: it is made on the importer's thread, then used by the parser's thread
/// alone; rows cross back only through `RowQueue`.
final class SheetRowParser: XMLEventHandler, @unchecked Sendable {
    private let shared: SharedStrings
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let queue: RowQueue
    private let sheet: FileHandle
    private let sheetName: String
    private(set) var failure: ImportError?

    private var rowNumber = 0
    private var cells: [Int: String] = [:]
    private var rowBytes = 0
    private var column = -1
    private var type = ""
    private var style = 0
    private var inCell = false
    private var inValue = false
    private var inInline = false
    private var inPhonetic = false
    private var value = ""
    private var valueBytes = 0

    init(
        sheet: FileHandle, sheetName: String, shared: SharedStrings, dateStyles: [Bool], date1904: Bool,
        queue: RowQueue
    ) {
        self.sheet = sheet
        self.sheetName = sheetName
        self.shared = shared
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.queue = queue
    }

    /// Parses the whole sheet (on the calling thread), then tells the queue how it ended.
    func run() {
        do {
            try XMLEvents.parse(sheet, into: self)
            queue.finish(failure)
        } catch {
            queue.finish(
                failure ?? .malformed("sheet \"\(sheetName)\": not valid XML after row \(rowNumber) (\(error))"))
        }
    }

    private func cellName() -> String {
        "row \(rowNumber), cell \(CellValue.columnName(column))\(rowNumber)"
    }

    /// Records the failure; false stops the parse.
    private func fail(_ error: ImportError) -> Bool {
        failure = error
        return false
    }

    func start(_ name: Substring, _ attributes: [String: String]) -> Bool {
        switch WorkbookParts.local(name) {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            rowBytes = 0
            column = -1
        case "c":
            inCell = true
            column = attributes["r"].flatMap(CellValue.column(ofReference:)) ?? column + 1
            type = attributes["t"] ?? ""
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            valueBytes = 0
            if column >= SheetLimits.columns { return fail(SheetLimits.tooManyColumns("row \(rowNumber)")) }
        case "v": inValue = inCell
        case "is": inInline = inCell
        case "rPh": inPhonetic = true
        case "t": inValue = inInline && !inPhonetic
        default: break
        }
        return true
    }

    func text(_ string: String) -> Bool {
        guard inValue, failure == nil else { return true }
        valueBytes += string.utf8.count
        guard valueBytes <= SheetLimits.fieldBytes else { return fail(SheetLimits.fieldTooLarge(cellName())) }
        value += string
        return true
    }

    func end(_ name: Substring) -> Bool {
        guard failure == nil else { return false }
        switch WorkbookParts.local(name) {
        case "v", "t": inValue = false
        case "is": inInline = false
        case "rPh": inPhonetic = false
        case "c":
            inCell = false
            let text: String
            switch type {
            case "s":
                guard let index = Int(value), index >= 0, index < shared.strings.count else {
                    return fail(.malformed("\(cellName()): refers to shared text \(value), which the workbook lacks"))
                }
                if shared.oversized.contains(index) { return fail(SheetLimits.fieldTooLarge(cellName())) }
                text = shared.strings[index]
            case "inlineStr", "str", "e", "d": text = value
            case "b": text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
            default:
                text =
                    style < dateStyles.count && dateStyles[style]
                    ? CellValue.date(value, date1904: date1904) : CellValue.number(value)
            }
            guard !text.isEmpty else { return true }
            rowBytes += text.utf8.count
            if rowBytes > SheetLimits.rowBytes { return fail(SheetLimits.rowTooLarge("row \(rowNumber)")) }
            cells[column] = text
        case "row":
            let width = (cells.keys.max() ?? -1) + 1
            var row = [String](repeating: "", count: width)
            for (index, text) in cells { row[index] = text }
            return queue.put((rowNumber, row))
        default: break
        }
        return true
    }
}
