/// Bytes as text, for cards as phones and old exports write them: a UTF-8 check that takes its
/// bytes in chunks, and Windows-1252 (what Excel and old Outlook write) to UTF-8.
public enum TextBytes {
    /// Whether bytes fed in chunks are valid UTF-8 (a sequence may straddle two chunks).
    public struct UTF8Check {
        public private(set) var pending = 0
        public private(set) var valid = true

        public init() {}

        public mutating func feed(_ bytes: some Sequence<UInt8>) {
            for byte in bytes where valid { feed(byte: byte) }
        }

        @inline(__always)
        public mutating func feed(byte: UInt8) {
            guard valid else { return }
            if pending > 0 {
                guard byte & 0xC0 == 0x80 else {
                    valid = false
                    return
                }
                pending -= 1
            } else if byte < 0x80 {
                return
            } else if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                pending = 1
            } else if byte & 0xF0 == 0xE0 {
                pending = 2
            } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                pending = 3
            } else {
                valid = false
            }
        }

        public var isComplete: Bool { valid && pending == 0 }
    }

    /// Windows-1252 to Unicode: Latin-1 but for 0x80-0x9F (€, curly quotes, dashes, …).
    static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD,
        0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0xFFFD, 0x017E, 0x0178
    ]

    /// The UTF-8 of each byte from 0x80 up, made once: a conversion copies bytes, it does not
    /// build a String per byte.
    static let windows1252UTF8: [[UInt8]] = (0x80...0xFF).map { byte in
        let scalar = byte <= 0x9F ? windows1252High[byte - 0x80] : UInt32(byte)
        return Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    /// Windows-1252 bytes as UTF-8 bytes.
    public static func utf8(fromWindows1252 bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if byte < 0x80 { out.append(byte) } else { out += windows1252UTF8[Int(byte - 0x80)] }
        }
        return out
    }

}
