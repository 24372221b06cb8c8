import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The workbook's table of text (cells of type `s` hold an index into it), streamed from its
/// XML. Rich text is its runs joined; phonetic guides (`rPh`) are left out. A string over the
/// cell limit is kept as a mark, reported when a cell uses it; the whole table is capped.
final class SharedStrings: NSObject, XMLParserDelegate {
    static let totalBytes = 64 * 1024 * 1024
    private(set) var strings: [String] = []
    /// Indexes of strings over `SheetLimits.fieldBytes`.
    private(set) var oversized: Set<Int> = []
    private(set) var failure: ImportError?
    private var inItem = false
    private var inPhonetic = false
    private var inText = false
    private var text = ""
    private var textBytes = 0
    private var total = 0

    static func read(_ stream: InputStream) throws(ImportError) -> SharedStrings {
        let table = SharedStrings()
        let parser = XMLParser(stream: stream)
        parser.delegate = table
        let parsed = parser.parse()
        if let failure = table.failure { throw failure }
        guard parsed else {
            throw .malformed(
                "the workbook's shared text is not valid XML (\(parser.parserError.map { "\($0)" } ?? "unknown error"))"
            )
        }
        return table
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch WorkbookParts.local(elementName) {
        case "si":
            inItem = true
            text = ""
            textBytes = 0
        case "rPh": inPhonetic = true
        case "t": inText = inItem && !inPhonetic
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inText else { return }
        textBytes += string.utf8.count
        total += string.utf8.count
        if total > Self.totalBytes {
            failure = .tooLarge(
                "the workbook's shared text is over \(SheetLimits.size(Self.totalBytes)); the file is damaged or not a sign-up sheet"
            )
            parser.abortParsing()
        }
        if textBytes <= SheetLimits.fieldBytes { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch WorkbookParts.local(elementName) {
        case "si":
            if textBytes > SheetLimits.fieldBytes {
                oversized.insert(strings.count)
                strings.append("")
            } else {
                strings.append(text)
            }
            inItem = false
        case "rPh": inPhonetic = false
        case "t": inText = false
        default: break
        }
    }
}
