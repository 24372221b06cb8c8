import ContactCards
import Foundation

/// How a spreadsheet's text file is written, found from its bytes: the encoding (a byte-order
/// mark, else UTF-8 when every byte sequence is valid, else Windows-1252, which Excel writes on
/// Windows) and the delimiter (comma, semicolon as Excel writes in many locales, tab, pipe:
/// whichever the header line has most of, outside quotes). Pure functions over bytes and text.
public enum SheetText {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case utf16LE = "utf-16le"
        case utf16BE = "utf-16be"
        case windows1252 = "windows-1252"

        /// Accepts the names people type (`--encoding cp1252`, `latin1`, `UTF8`).
        public init?(named name: String) {
            switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
            case "utf-8", "utf8": self = .utf8
            case "utf-16le", "utf16le", "utf-16", "utf16": self = .utf16LE
            case "utf-16be", "utf16be": self = .utf16BE
            case "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1": self = .windows1252
            default: return nil
            }
        }
    }

    /// The encoding a byte-order mark announces, if the bytes start with one.
    public static func byteOrderMark(_ prefix: [UInt8]) -> Encoding? {
        if prefix.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if prefix.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        return nil
    }

    /// Whether bytes fed in chunks are valid UTF-8 (`TextBytes`, shared with the vCard reader).
    public typealias UTF8Check = TextBytes.UTF8Check

    /// Windows-1252 bytes as UTF-8 bytes.
    public static func utf8(fromWindows1252 bytes: some Sequence<UInt8>) -> [UInt8] {
        TextBytes.utf8(fromWindows1252: bytes)
    }

    /// The delimiter of a header line: the most frequent of `, ; \t |` outside quotes (a comma
    /// when none appears).
    public static func delimiter(ofHeader line: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [:]
        var quoted = false
        for scalar in line.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted, [",", ";", "\t", "|"].contains(scalar) { counts[scalar, default: 0] += 1 }
        }
        var best: Unicode.Scalar = ","
        for candidate in [",", ";", "\t", "|"] as [Unicode.Scalar] where (counts[candidate] ?? 0) > (counts[best] ?? 0)
        {
            best = candidate
        }
        return best
    }

    /// The first line of `text` (up to a line break outside quotes).
    public static func firstLine(_ text: String) -> String {
        var quoted = false
        var end = text.endIndex
        for index in text.indices {
            let character = text[index]
            if character == "\"" { quoted.toggle() }
            if !quoted, character == "\n" || character == "\r\n" || character == "\r" {
                end = index
                break
            }
        }
        return String(text[..<end])
    }
}

extension SheetText {
    /// The first bytes of a file as text, by their byte-order mark (UTF-8 otherwise), to tell
    /// what kind of file it is.
    public static func decodedPrefix(_ prefix: [UInt8]) -> String {
        switch byteOrderMark(prefix) {
        case .utf16LE?, .utf16BE?:
            let little = byteOrderMark(prefix) == .utf16LE
            let body = Array(prefix.dropFirst(2))
            let units = stride(from: 0, to: body.count - 1, by: 2).map {
                little ? UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8 : UInt16(body[$0]) << 8 | UInt16(body[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        case .utf8?: return String(decoding: prefix.dropFirst(3), as: UTF8.self)
        default: return String(decoding: prefix, as: UTF8.self)
        }
    }

    /// Whether a file without a byte-order mark looks like UTF-16 (every other byte NUL, as
    /// ASCII text is in UTF-16): said when its NULs stop the import.
    public static func looksLikeUTF16(_ prefix: [UInt8]) -> (Bool, Encoding) {
        let pairs = prefix.count / 2
        guard pairs >= 4 else { return (false, .utf16LE) }
        let oddNULs = stride(from: 1, to: pairs * 2, by: 2).filter { prefix[$0] == 0 }.count
        let evenNULs = stride(from: 0, to: pairs * 2, by: 2).filter { prefix[$0] == 0 }.count
        if oddNULs * 2 >= pairs { return (true, .utf16LE) }
        if evenNULs * 2 >= pairs { return (true, .utf16BE) }
        return (false, .utf16LE)
    }
}
