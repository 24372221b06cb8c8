import ContactCards
import Foundation

/// A phone's contacts export (.vcf) read as a sheet: one row per card, in the columns of
/// `VCardContact.header`. Streamed a line at a time: folded lines (a space or tab first, or a
/// quoted-printable line ending in `=`) are joined; lines of properties a lead has no use for
/// (PHOTO runs to hundreds of kilobytes) are skipped without being kept.
public final class VCardFile: LeadSheet {
    public let header = VCardContact.header
    public private(set) var rowNumber = 0
    public let reading: [String]
    private let handle: FileHandle
    private let encoding: SheetText.Encoding
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var atEnd = false
    private var lineNumber = 0
    private var cardLine = 0
    /// A logical line read ahead (the next physical line decides whether it continues).
    private var pending: String?
    private var pendingKept = true

    public var place: String { "card \(rowNumber) (line \(cardLine))" }

    public init(url: URL, encoding: SheetText.Encoding? = nil) throws(ImportError) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw .unreadable("cannot read \(url.path): no such file, or no permission")
        }
        self.handle = handle
        let prefix = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        try? handle.seek(toOffset: 0)
        let chosen = encoding ?? SheetText.byteOrderMark(prefix) ?? .utf8
        guard chosen == .utf8 || chosen == .windows1252 else {
            throw .undecodable(
                "\(url.path): a vCard file in \(chosen.rawValue) is not read here; export the contacts as UTF-8 (or --encoding windows-1252)"
            )
        }
        self.encoding = chosen
        if SheetText.byteOrderMark(prefix) == .utf8 { bufferStart = 3 }
        reading = []
    }

    deinit { try? handle.close() }

    /// The next physical line as bytes (CR LF or LF), nil at the end; bounded by the row limit.
    private func physicalLine() throws(ImportError) -> [UInt8]? {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: 0x0A) {
                var line = Array(buffer[bufferStart..<newline])
                bufferStart = newline + 1
                if line.last == 0x0D { line.removeLast() }
                lineNumber += 1
                return line
            }
            if buffer.count - bufferStart > SheetLimits.rowBytes {
                throw SheetLimits.rowTooLarge("line \(lineNumber + 1)")
            }
            if atEnd {
                guard bufferStart < buffer.count else { return nil }
                let line = Array(buffer[bufferStart...])
                bufferStart = buffer.count
                lineNumber += 1
                return line
            }
            buffer.removeFirst(bufferStart)
            bufferStart = 0
            guard let chunk = try? handle.read(upToCount: 256 * 1024), !chunk.isEmpty else {
                atEnd = true
                continue
            }
            buffer += chunk
        }
    }

    private func text(_ bytes: [UInt8]) throws(ImportError) -> String {
        if bytes.contains(0) {
            throw .undecodable("line \(lineNumber): a NUL byte; the file is damaged or not a vCard export")
        }
        if encoding == .utf8 {
            var check = TextBytes.UTF8Check()
            check.feed(bytes)
            if check.isComplete { return String(decoding: bytes, as: UTF8.self) }
        }
        return String(decoding: TextBytes.utf8(fromWindows1252: bytes), as: UTF8.self)
    }

    /// The next logical line: unfolded, or nil at the end.
    private func logicalLine() throws(ImportError) -> String? {
        var line: String
        if let pending {
            line = pending
            self.pending = nil
        } else {
            guard let bytes = try physicalLine() else { return nil }
            line = try text(bytes)
        }
        let keep = VCardProperty.used.contains(VCardProperty.name(of: line))
        if !keep { line = "" }
        let quotedPrintable = VCardProperty.isQuotedPrintable(line)
        while let bytes = try physicalLine() {
            let next = try text(bytes)
            guard let joined = VCardProperty.unfold(line, next, quotedPrintable: quotedPrintable) else {
                pending = next
                break
            }
            // A skipped property's continuation lines are read and dropped, never kept.
            if keep { line = joined }
            if keep, line.utf8.count > SheetLimits.fieldBytes {
                throw SheetLimits.fieldTooLarge("card \(rowNumber + 1) (line \(lineNumber))")
            }
        }
        return line
    }

    public func next() throws(ImportError) -> [String]? {
        var properties: [VCardProperty] = []
        var inCard = false
        while let line = try logicalLine() {
            guard !line.isEmpty else { continue }
            let upper = line.uppercased()
            if upper.hasPrefix("BEGIN:VCARD") {
                inCard = true
                cardLine = lineNumber - (pending == nil ? 0 : 1)
                properties = []
            } else if upper.hasPrefix("END:VCARD") {
                guard inCard else { continue }
                rowNumber += 1
                return VCardContact(properties: properties).row
            } else if inCard, let property = VCardProperty(line: line) {
                properties.append(property)
                if properties.count > SheetLimits.columns {
                    throw SheetLimits.tooManyColumns("card \(rowNumber + 1) (line \(cardLine))")
                }
            }
        }
        if inCard {
            throw .malformed("card \(rowNumber + 1) (line \(cardLine)): the file ends before its END:VCARD")
        }
        return nil
    }
}
