import Foundation
import ParamantraAPI

/// One content line of a card, unfolded: `group.NAME;PARAM=A,B;BARE:value`.
public struct VCardProperty: Equatable, Sendable {
    public let name: String
    /// Parameter values by upper-case name; bare 2.1 parameters (`CELL`, `QUOTED-PRINTABLE`)
    /// are filed under TYPE or ENCODING as vCard 3.0 would write them.
    public let parameters: [String: [String]]
    /// The raw value, still escaped and encoded.
    public let rawValue: String

    public init?(line: String) {
        // The value starts after the first colon outside a quoted parameter value.
        var quoted = false
        var colon: String.Index?
        for index in line.indices {
            if line[index] == "\"" { quoted.toggle() }
            if line[index] == ":", !quoted {
                colon = index
                break
            }
        }
        guard let colon else { return nil }
        let head = line[..<colon].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard let first = head.first, !first.isEmpty else { return nil }
        name = String(first.split(separator: ".").last ?? Substring(first)).uppercased()
        var parameters: [String: [String]] = [:]
        for parameter in head.dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            let values: [String]
            let key: String
            if parts.count == 2 {
                key = parts[0].uppercased()
                values = parts[1].replacingOccurrences(of: "\"", with: "").split(separator: ",").map {
                    $0.trimmingSpace(newlines: false)
                }
            } else {
                let bare = parameter.uppercased()
                key = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT"].contains(bare) ? "ENCODING" : "TYPE"
                values = [parameter]
            }
            parameters[key, default: []] += values
        }
        self.parameters = parameters
        rawValue = String(line[line.index(after: colon)...])
    }

    public var types: [String] { (parameters["TYPE"] ?? []).map { $0.lowercased() } }

    public var isQuotedPrintable: Bool {
        (parameters["ENCODING"] ?? []).contains { $0.uppercased() == "QUOTED-PRINTABLE" }
    }

    /// The value decoded (quoted-printable in its charset, UTF-8 unless said) but still escaped.
    public var decoded: String {
        guard isQuotedPrintable else { return rawValue }
        let bytes = VCardProperty.quotedPrintable(rawValue)
        let charset = (parameters["CHARSET"]?.first ?? "UTF-8").uppercased()
        if charset == "UTF-8" || charset == "UTF8" {
            var check = TextBytes.UTF8Check()
            check.feed(bytes)
            if check.isComplete { return String(decoding: bytes, as: UTF8.self) }
        }
        return String(decoding: TextBytes.utf8(fromWindows1252: bytes), as: UTF8.self)
    }

    /// The components of a structured value (N: family;given;additional;prefix;suffix), unescaped.
    public var components: [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in decoded {
            if escaped {
                current.append(character == "n" || character == "N" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingSpace(newlines: false) }
    }

    /// The whole value unescaped (a `;` in it is text).
    public var text: String { components.joined(separator: ";").trimmingSpace(newlines: false) }

    static func quotedPrintable(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let byte = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return bytes
    }
}

extension VCardProperty {
    /// Names of the properties a lead uses; the rest (PHOTO runs to hundreds of kilobytes) are
    /// skipped by readers.
    public static let used: Set<String> = ["BEGIN", "END", "N", "FN", "TEL", "EMAIL", "ORG", "TITLE", "URL", "NOTE"]

    /// A content line's property name, upper-case, without its group.
    public static func name(of line: String) -> String {
        let head = line.prefix { $0 != ":" && $0 != ";" }
        return String(head.split(separator: ".").last ?? head).uppercased()
    }

    /// The folding rule (RFC 6350 3.2, and vCard 2.1's quoted-printable soft breaks): `next`
    /// continues `line` when it starts with a space or a tab, or when `line` is quoted-printable
    /// and ends in `=`. Returns the two joined, or nil when `next` starts a line of its own.
    public static func unfold(_ line: String, _ next: String, quotedPrintable: Bool) -> String? {
        if let first = next.first, first == " " || first == "\t" { return line + next.dropFirst() }
        if quotedPrintable, line.hasSuffix("=") { return String(line.dropLast()) + next }
        return nil
    }

    /// Whether a content line's value is quoted-printable (its soft breaks fold the next line in).
    public static func isQuotedPrintable(_ line: String) -> Bool {
        line.uppercased().contains("QUOTED-PRINTABLE")
    }
}
