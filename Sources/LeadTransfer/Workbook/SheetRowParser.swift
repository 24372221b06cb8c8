import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Turns a worksheet's XML into rows of text as the parser reads it, on the parser's thread:
/// cells placed by their reference (sheets skip empty cells and rows), shared text looked up,
/// numbers as digits, dates as dates. Limits are checked as characters arrive, so a hostile
/// cell stops the parse at once.
///
/// Unchecked Sendable: it is made on the importer's thread, then used by the parser's thread
/// alone; rows cross back only through `RowQueue`.
final class SheetRowParser: NSObject, XMLParserDelegate, @unchecked Sendable {
    private let shared: SharedStrings
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let queue: RowQueue
    private let stream: InputStream
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
        stream: InputStream, sheetName: String, shared: SharedStrings, dateStyles: [Bool], date1904: Bool,
        queue: RowQueue
    ) {
        self.stream = stream
        self.sheetName = sheetName
        self.shared = shared
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.queue = queue
    }

    /// Parses the whole sheet (on the calling thread), then tells the queue how it ended.
    func run() {
        let parser = XMLParser(stream: stream)
        parser.delegate = self
        let parsed = parser.parse()
        if let failure {
            queue.finish(failure)
        } else if !parsed, let error = parser.parserError, !queue.isCancelled {
            queue.finish(.malformed("sheet \"\(sheetName)\": not valid XML after row \(rowNumber) (\(error))"))
        } else {
            queue.finish()
        }
    }

    private func cellName() -> String {
        var letters = ""
        var index = column + 1
        while index > 0 {
            let remainder = (index - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            index = (index - 1) / 26
        }
        return "row \(rowNumber), cell \(letters)\(rowNumber)"
    }

    private func fail(_ parser: XMLParser, _ error: ImportError) {
        failure = error
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch WorkbookParts.local(elementName) {
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
            if column >= SheetLimits.columns { fail(parser, SheetLimits.tooManyColumns("row \(rowNumber)")) }
        case "v": inValue = inCell
        case "is": inInline = inCell
        case "rPh": inPhonetic = true
        case "t": inValue = inInline && !inPhonetic
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inValue, failure == nil else { return }
        valueBytes += string.utf8.count
        guard valueBytes <= SheetLimits.fieldBytes else { return fail(parser, SheetLimits.fieldTooLarge(cellName())) }
        value += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil else { return }
        switch WorkbookParts.local(elementName) {
        case "v", "t": inValue = false
        case "is": inInline = false
        case "rPh": inPhonetic = false
        case "c":
            inCell = false
            let text: String
            switch type {
            case "s":
                guard let index = Int(value), index >= 0, index < shared.strings.count else {
                    return fail(
                        parser, .malformed("\(cellName()): refers to shared text \(value), which the workbook lacks"))
                }
                if shared.oversized.contains(index) { return fail(parser, SheetLimits.fieldTooLarge(cellName())) }
                text = shared.strings[index]
            case "inlineStr", "str", "e", "d": text = value
            case "b": text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
            default:
                text =
                    style < dateStyles.count && dateStyles[style]
                    ? CellValue.date(value, date1904: date1904) : CellValue.number(value)
            }
            guard !text.isEmpty else { return }
            rowBytes += text.utf8.count
            if rowBytes > SheetLimits.rowBytes { return fail(parser, SheetLimits.rowTooLarge("row \(rowNumber)")) }
            cells[column] = text
        case "row":
            let width = (cells.keys.max() ?? -1) + 1
            var row = [String](repeating: "", count: width)
            for (index, text) in cells { row[index] = text }
            if !queue.put((rowNumber, row)) { parser.abortParsing() }
        default: break
        }
    }
}
