import Foundation
import ParamantraAPI

/// Receives what `XMLEvents` reads, in document order. Each call returns false to stop.
protocol XMLEventHandler: AnyObject {
    func start(_ name: Substring, _ attributes: [String: String]) -> Bool
    func end(_ name: Substring) -> Bool
    /// Character data, entities decoded; a long run arrives in pieces of at most 64 KB.
    func text(_ text: String) -> Bool
}

/// A streaming reader of the XML a workbook is made of: elements, attributes, text, the five
/// entities and character references, CDATA; comments and processing instructions skipped; a
/// DOCTYPE refused (no entity expansion: a "billion laughs" file cannot grow).
///
/// Written by hand, and why: every XML library on Linux Swift (XMLParser, and XMLCoder and
/// SWXMLHash on top of it) is FoundationXML, which links libxml2 and, through it, ICU and liblzma:
/// four more shared libraries loaded and bound at every start of the console, for a feature
/// only `import` uses (issue 16). SpreadsheetML needs none of what makes XML hard.
struct XMLEvents {
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let problem: String
        var description: String { "\(problem) at byte \(offset)" }
    }

    private var pending: [UInt8] = []
    private var offset = 0
    private var stopped = false
    static let maxMarkup = 64 * 1024
    static let textPiece = 64 * 1024

    /// Reads a whole stream a chunk at a time (a file of any size in flat memory).
    static func parse(_ handle: FileHandle, into handler: some XMLEventHandler) throws {
        var reader = XMLEvents()
        while !reader.stopped, let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
            try reader.feed(Array(chunk), handler)
        }
        try reader.finish(handler)
    }

    static func parse(_ data: Data, into handler: some XMLEventHandler) throws {
        var reader = XMLEvents()
        try reader.feed(Array(data), handler)
        try reader.finish(handler)
    }

    mutating func finish(_ handler: some XMLEventHandler) throws {
        guard !stopped else { return }
        if let first = pending.first, first == UInt8(ascii: "<") {
            throw Malformed(offset: offset, problem: "the file ends inside a tag")
        }
        try flushText(handler)
    }

    /// Consumes what it can of `bytes`; an incomplete tag waits for the next chunk.
    mutating func feed(_ bytes: [UInt8], _ handler: some XMLEventHandler) throws {
        pending += bytes
        var index = 0
        defer {
            pending.removeFirst(index)
            offset += index
        }
        while index < pending.count, !stopped {
            if pending[index] != UInt8(ascii: "<") {
                // Text up to the next tag, or all there is (sent in pieces when long).
                let end = pending[index...].firstIndex(of: UInt8(ascii: "<"))
                let stop = end ?? pending.count
                if end == nil && stop - index < Self.textPiece { return }
                let piece = Self.safeCut(pending, from: index, to: min(stop, index + Self.textPiece))
                try emitText(pending[index..<piece], handler)
                index = piece
                continue
            }
            guard let length = try markupLength(from: index) else {
                if pending.count - index > Self.maxMarkup {
                    throw Malformed(offset: offset + index, problem: "a tag longer than 64 KB")
                }
                return
            }
            try markup(pending[index..<(index + length)], handler)
            index += length
        }
    }

    private mutating func flushText(_ handler: some XMLEventHandler) throws {
        guard !pending.isEmpty else { return }
        try emitText(pending[...], handler)
        offset += pending.count
        pending.removeAll()
    }

    /// Where a long run of text may be cut: not inside a UTF-8 sequence, not inside an entity.
    static func safeCut(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        guard end < bytes.count else { return end }
        var cut = end
        while cut > start + 1, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        if let amp = bytes[max(start, cut - 12)..<cut].lastIndex(of: UInt8(ascii: "&")),
            !bytes[amp..<cut].contains(UInt8(ascii: ";")), amp > start
        {
            cut = amp
        }
        return cut
    }

    private mutating func emitText(_ bytes: ArraySlice<UInt8>, _ handler: some XMLEventHandler) throws {
        guard !bytes.isEmpty else { return }
        let text = try Self.decode(bytes, at: offset + bytes.startIndex)
        if !handler.text(text) { stopped = true }
    }

    private static func starts(_ bytes: ArraySlice<UInt8>, with prefix: String) -> Bool {
        bytes.starts(with: prefix.utf8)
    }

    /// The length of the markup at `start` (through its closing `>`), or nil when the bytes
    /// read so far end inside it.
    private func markupLength(from start: Int) throws -> Int? {
        let rest = pending[start...]
        func through(_ terminator: String) -> Int? {
            let pattern = Array(terminator.utf8)
            var index = start
            while index + pattern.count <= pending.count {
                if pending[index..<(index + pattern.count)].elementsEqual(pattern) {
                    return index + pattern.count - start
                }
                index += 1
            }
            return nil
        }
        // Too few bytes yet to tell a comment or CDATA from a declaration: wait for more.
        if rest.count < 9, Array("<![CDATA[".utf8).starts(with: rest) || Array("<!--".utf8).starts(with: rest) {
            return nil
        }
        if Self.starts(rest, with: "<!--") { return through("-->") }
        if Self.starts(rest, with: "<![CDATA[") { return through("]]>") }
        if Self.starts(rest, with: "<?") { return through("?>") }
        if Self.starts(rest, with: "<!") {
            throw Malformed(offset: offset + start, problem: "a DOCTYPE or declaration (not allowed in a workbook)")
        }
        // A tag: to the first > outside a quoted attribute value.
        var quote: UInt8?
        var index = start + 1
        while index < pending.count {
            let byte = pending[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index + 1 - start
            }
            index += 1
        }
        return nil
    }

    private mutating func markup(_ bytes: ArraySlice<UInt8>, _ handler: some XMLEventHandler) throws {
        let at = offset + (bytes.startIndex)
        if Self.starts(bytes, with: "<!--") || Self.starts(bytes, with: "<?") { return }
        if Self.starts(bytes, with: "<![CDATA[") {
            let inner = bytes.dropFirst(9).dropLast(3)
            if !handler.text(String(decoding: inner, as: UTF8.self)) { stopped = true }
            return
        }
        var body = bytes.dropFirst().dropLast()
        if body.first == UInt8(ascii: "/") {
            let name = try Self.decode(body.dropFirst(), at: at).trimmingSpace()
            guard !name.isEmpty else { throw Malformed(offset: at, problem: "an end tag without a name") }
            if !handler.end(Substring(name)) { stopped = true }
            return
        }
        let selfClosing = body.last == UInt8(ascii: "/")
        if selfClosing { body = body.dropLast() }
        let (name, attributes) = try Self.element(body, at: at)
        if !handler.start(Substring(name), attributes) {
            stopped = true
            return
        }
        if selfClosing, !handler.end(Substring(name)) { stopped = true }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// `name a="1" b='2'` → the name and the attributes, values decoded.
    private static func element(_ body: ArraySlice<UInt8>, at: Int) throws -> (String, [String: String]) {
        var index = body.startIndex
        while index < body.endIndex, !isSpace(body[index]) { index += 1 }
        let name = String(decoding: body[body.startIndex..<index], as: UTF8.self)
        guard !name.isEmpty else { throw Malformed(offset: at, problem: "a tag without a name") }
        var attributes: [String: String] = [:]
        while true {
            while index < body.endIndex, isSpace(body[index]) { index += 1 }
            guard index < body.endIndex else { break }
            let nameStart = index
            while index < body.endIndex, body[index] != UInt8(ascii: "="), !isSpace(body[index]) { index += 1 }
            let key = String(decoding: body[nameStart..<index], as: UTF8.self)
            while index < body.endIndex, isSpace(body[index]) { index += 1 }
            guard index < body.endIndex, body[index] == UInt8(ascii: "=") else {
                throw Malformed(offset: at, problem: "attribute \(key) of <\(name)> has no value")
            }
            index += 1
            while index < body.endIndex, isSpace(body[index]) { index += 1 }
            guard index < body.endIndex, body[index] == UInt8(ascii: "\"") || body[index] == UInt8(ascii: "'") else {
                throw Malformed(offset: at, problem: "attribute \(key) of <\(name)> is not quoted")
            }
            let quote = body[index]
            index += 1
            let valueStart = index
            while index < body.endIndex, body[index] != quote { index += 1 }
            guard index < body.endIndex else { throw Malformed(offset: at, problem: "an unclosed attribute value") }
            attributes[key] = try decode(body[valueStart..<index], at: at)
            index += 1
        }
        return (name, attributes)
    }

    /// UTF-8 text with its entities and character references decoded.
    static func decode(_ bytes: ArraySlice<UInt8>, at: Int) throws -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&") else {
                out.append(byte)
                index += 1
                continue
            }
            guard let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw Malformed(offset: at, problem: "an & that starts no entity")
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            let scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
            }
            guard let scalar else { throw Malformed(offset: at, problem: "an unknown entity &\(entity);") }
            out += Array(String(Character(scalar)).utf8)
            index = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
