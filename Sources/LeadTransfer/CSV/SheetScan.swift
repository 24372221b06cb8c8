/// One pass over a delimited text file's bytes before any of it is parsed: where a record
/// breaks the limits (a cell over 64 KB, a row over 1 MB, more than 1,000 columns), where a NUL
/// byte is, and whether the bytes are text in the encoding read. CSV parsers build every cell
/// whole (a 20 MB cell took 36 s and 225 MB to reject); this counts and keeps nothing, so a
/// hostile file is refused in the time it takes to read up to its fault. Fed in chunks; pure.
public struct SheetScan {
    public enum Fault: Equatable, Sendable {
        case field, row, columns, nul
        /// Not valid UTF-8 (or a byte Windows-1252 leaves undefined, or UTF-16 that does not pair).
        case undecodable
    }

    /// Where a fault is: the record (as a spreadsheet numbers rows), the line and the byte offset.
    public struct Place: Equatable, Sendable {
        public let row: Int
        public let line: Int
        public let offset: Int
        public var description: String { "row \(row) (line \(line), byte \(offset))" }
    }

    public let encoding: SheetText.Encoding
    private let delimiter: UInt16
    /// Whether a byte that is not UTF-8 is a fault (the encoding was given) or a sign of
    /// Windows-1252 (found from the bytes).
    private let strictUTF8: Bool
    public private(set) var fault: (Fault, Place)?
    /// The first byte that is not UTF-8 when the encoding is still open: the file is Windows-1252.
    public private(set) var notUTF8: Place?

    private var utf8 = SheetText.UTF8Check()
    private var quoted = false
    private var fieldBytes = 0
    private var rowBytes = 0
    private var columns = 1
    private var row = 1
    private var line = 1
    private var offset = 0
    private var oddByte: UInt8?
    private var highSurrogate = false
    /// Where the UTF-8 sequence being read started (a bad sequence is reported there).
    private var sequenceStart: Place?
    /// The first byte Windows-1252 leaves undefined: a fault once the file turns out not UTF-8.
    private var undefinedIn1252: Place?

    /// `encoding` nil: UTF-8 if every byte is, else Windows-1252. `offset`: the bytes already
    /// read (a byte-order mark), so offsets are the file's own.
    public init(encoding: SheetText.Encoding?, delimiter: Unicode.Scalar, offset: Int = 0) {
        self.offset = offset
        self.encoding = encoding ?? .utf8
        strictUTF8 = encoding == .utf8
        self.delimiter = UInt16(delimiter.value)
    }

    public var failed: Bool { fault != nil }

    /// Whether UTF-8 was ruled out (for an encoding found from the bytes: read as Windows-1252).
    public var isWindows1252: Bool { encoding == .windows1252 || notUTF8 != nil }

    private var place: Place { Place(row: row, line: line, offset: offset) }

    private mutating func fail(_ kind: Fault) { if fault == nil { fault = (kind, place) } }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        guard fault == nil else { return }
        switch encoding {
        case .utf16LE, .utf16BE:
            var iterator = bytes.makeIterator()
            while fault == nil {
                let first: UInt8
                if let pending = oddByte {
                    first = pending
                    oddByte = nil
                } else {
                    guard let next = iterator.next() else { return }
                    first = next
                }
                guard let second = iterator.next() else {
                    oddByte = first
                    return
                }
                let unit =
                    encoding == .utf16LE ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
                // Surrogates must pair: a high one, then a low one.
                let isHigh = (0xD800...0xDBFF).contains(unit)
                let isLow = (0xDC00...0xDFFF).contains(unit)
                if isLow != highSurrogate { return fail(.undecodable) }
                highSurrogate = isHigh
                step(unit, width: 2)
            }
        case .utf8, .windows1252:
            for byte in bytes {
                if encoding == .utf8, notUTF8 == nil {
                    let within = utf8.pending > 0
                    if byte >= 0xC0, !within { sequenceStart = place }
                    utf8.feed(byte: byte)
                    if !utf8.valid {
                        let at = within ? (sequenceStart ?? place) : place
                        if strictUTF8 {
                            fault = (.undecodable, at)
                            return
                        }
                        notUTF8 = at
                    }
                }
                if byte >= 0x81, undefinedIn1252 == nil,
                    byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D
                {
                    undefinedIn1252 = place
                    if encoding == .windows1252 { return fail(.undecodable) }
                }
                step(UInt16(byte), width: 1)
                if fault != nil { return }
            }
        }
    }

    /// The end of the file: a sequence cut short is a fault too.
    public mutating func finish() {
        guard fault == nil else { return }
        if oddByte != nil || highSurrogate { return fail(.undecodable) }
        if encoding == .utf8, notUTF8 == nil, !utf8.isComplete {
            if strictUTF8 { return fail(.undecodable) } else { notUTF8 = sequenceStart ?? place }
        }
        if notUTF8 != nil, let undefinedIn1252 { fault = (.undecodable, undefinedIn1252) }
    }

    /// Whether the last character read is a line break (CSV.swift loses a last row without one).
    public private(set) var endsWithNewline = true

    private mutating func step(_ unit: UInt16, width: Int) {
        defer { offset += width }
        endsWithNewline = unit == 0x0A
        switch unit {
        case 0: return fail(.nul)
        case 0x22:  // a quote: "" inside quotes toggles twice, which is right
            quoted.toggle()
        case 0x0A:
            line += 1
            if !quoted {
                row += 1
                columns = 1
                fieldBytes = 0
                rowBytes = 0
                return
            }
        case delimiter where !quoted:
            columns += 1
            fieldBytes = 0
            if columns > SheetLimits.columns { return fail(.columns) }
            return
        default: break
        }
        fieldBytes += width
        rowBytes += width
        if fieldBytes > SheetLimits.fieldBytes { return fail(.field) }
        if rowBytes > SheetLimits.rowBytes { return fail(.row) }
    }

    /// The fault as the rep reads it, with the way out.
    public static func message(
        _ fault: Fault, at place: Place, path: String, encoding: SheetText.Encoding, utf16Hint: SheetText.Encoding?
    ) -> ImportError {
        let at = "\(path): \(place.description)"
        switch fault {
        case .field: return SheetLimits.fieldTooLarge(at)
        case .row: return SheetLimits.rowTooLarge(at)
        case .columns: return SheetLimits.tooManyColumns(at)
        case .nul:
            return .undecodable(
                "\(at): a NUL byte; "
                    + (utf16Hint.map {
                        "the file looks like UTF-16 without a byte-order mark: try --encoding \($0.rawValue)"
                    } ?? "the file is damaged or not a text sheet"))
        case .undecodable:
            let hint: String
            switch encoding {
            case .utf8: hint = "not UTF-8; if Excel on Windows wrote it, try --encoding windows-1252"
            case .windows1252: hint = "neither UTF-8 nor Windows-1252; give its encoding with --encoding"
            case .utf16LE, .utf16BE:
                hint = "not \(encoding.rawValue) (a cut or unpaired character); try --encoding utf-8"
            }
            return .undecodable("\(at): \(hint)")
        }
    }
}
