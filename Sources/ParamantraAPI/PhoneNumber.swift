import Foundation

/// Indian phone numbers as the Paramantra contract reads them (docs/api-contract.md).
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Ten digits, without country code or trunk prefix.
    public let tenDigits: String

    /// Which form goes on the wire: ten digits (default, as the vendor's table says "tendigit"),
    /// or 91 followed by the ten digits (as the vendor's own curl sample sends).
    public enum WireFormat: String, Sendable, Codable, CaseIterable {
        case tenDigits = "ten-digits"
        case countryCode = "91-ten-digits"
    }

    public enum Problem: Sendable, Equatable, Error, CustomStringConvertible {
        case empty
        case invalidCharacters(String)
        case wrongLength(digits: Int)
        case foreignCountryCode

        public var description: String {
            switch self {
            case .empty: return "Phone is required"
            case .invalidCharacters(let bad):
                return "Phone may hold only digits, spaces, + - ( ) . (found \"\(bad)\")"
            case .wrongLength(let n):
                return "Phone must have ten digits after the country code (found \(n))"
            case .foreignCountryCode:
                return "Only Indian numbers (+91) are accepted"
            }
        }
    }

    /// A mobile number starts 6-9; ten-digit landlines with an STD code are accepted but flagged.
    public var isMobile: Bool { tenDigits.first.map { "6789".contains($0) } ?? false }

    public func wire(_ format: WireFormat) -> String {
        format == .tenDigits ? tenDigits : "91" + tenDigits
    }

    public var description: String { tenDigits }

    public init(tenDigits: String) { self.tenDigits = tenDigits }

    /// Keep digits; drop a leading +91/0091; drop 91 only when 12 digits remain and 0 only when
    /// 11 remain; the rest must be ten digits. A ten-digit number starting 91 is never stripped.
    public static func parse(_ input: String) -> Result<PhoneNumber, Problem> {
        let trimmed = input.trimmingSpace()
        if trimmed.isEmpty { return .failure(.empty) }
        let allowedPunctuation: Set<Character> = [" ", "-", "(", ")", ".", "+", "\u{00A0}"]
        var digits = ""
        var bad = ""
        for (index, ch) in trimmed.enumerated() {
            if let ascii = ch.asciiValue, ascii >= 48, ascii <= 57 {
                digits.append(ch)
            } else if ch == "+" && index != 0 {
                bad.append(ch)
            } else if !allowedPunctuation.contains(ch) {
                bad.append(ch)
            }
        }
        if !bad.isEmpty { return .failure(.invalidCharacters(String(bad.prefix(10)))) }
        if trimmed.hasPrefix("+") {
            // "+" must be followed by the country code: only +91 is a number this CRM takes.
            guard digits.hasPrefix("91") else { return .failure(.foreignCountryCode) }
            digits.removeFirst(2)
        } else if digits.hasPrefix("0091") {
            digits.removeFirst(4)
        } else if digits.count == 13 && digits.hasPrefix("091") {
            digits.removeFirst(3)
        } else if digits.count == 12 && digits.hasPrefix("91") {
            digits.removeFirst(2)
        }
        // A trunk 0 before a ten-digit number (also after a country code: "+91 0...").
        if digits.count == 11 && digits.hasPrefix("0") {
            digits.removeFirst(1)
        }
        guard digits.count == 10 else { return .failure(.wrongLength(digits: digits.count)) }
        return .success(PhoneNumber(tenDigits: digits))
    }
}
