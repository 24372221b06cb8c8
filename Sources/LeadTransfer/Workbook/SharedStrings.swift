import Foundation

/// The workbook's table of text (cells of type `s` hold an index into it), streamed from its
/// XML. Rich text is its runs joined; phonetic guides (`rPh`) are left out. A string over the
/// cell limit is kept as a mark, reported when a cell uses it; the whole table is capped.
final class SharedStrings: XMLEventHandler {
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
    private var stop: () -> ImportError? = { nil }

    /// `stop` is asked every few thousand items; what it returns ends the reading.
    static func read(_ handle: FileHandle, stop: @escaping () -> ImportError? = { nil }) throws(ImportError)
        -> SharedStrings
    {
        let table = SharedStrings()
        table.stop = stop
        do { try XMLEvents.parse(handle, into: table) } catch {
            throw table.failure ?? .malformed("the workbook's shared text is not valid XML (\(error))")
        }
        if let failure = table.failure { throw failure }
        return table
    }

    func start(_ name: Substring, _ attributes: [String: String]) -> Bool {
        switch WorkbookParts.local(name) {
        case "si":
            if strings.count % 4096 == 0, let stopped = stop() {
                failure = stopped
                return false
            }
            inItem = true
            text = ""
            textBytes = 0
        case "rPh": inPhonetic = true
        case "t": inText = inItem && !inPhonetic
        default: break
        }
        return true
    }

    func text(_ string: String) -> Bool {
        guard inText else { return true }
        textBytes += string.utf8.count
        total += string.utf8.count
        if total > Self.totalBytes {
            failure = .tooLarge(
                "the workbook's shared text is over \(SheetLimits.size(Self.totalBytes)); the file is damaged or not a sign-up sheet"
            )
            return false
        }
        if textBytes <= SheetLimits.fieldBytes { text += string }
        return true
    }

    func end(_ name: Substring) -> Bool {
        switch WorkbookParts.local(name) {
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
        return true
    }
}
