/// SQLite's record format, read from bytes (docs/salvage.md, "Records"): a header of varints
/// (its own length, then one serial type per column), then the values one after another.
/// Written for `doctor`, which reads rows from pages SQLite itself refuses to open.
enum SQLiteRecord {
    /// One column's value as the file holds it. A value cut by a lost overflow page keeps what
    /// survives (`cut`); a value stored wholly on a lost page is `lost`.
    enum Value: Equatable, Sendable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
        case cut(String)
        case lost

        var isLost: Bool {
            switch self {
            case .cut, .lost: return true
            default: return false
            }
        }
    }

    /// Reads a varint (1-9 bytes, big-endian, 7 bits a byte, the ninth byte whole) at `offset`,
    /// advancing it; nil when the bytes end first.
    static func varint(_ bytes: [UInt8], _ offset: inout Int, end: Int? = nil) -> Int64? {
        let limit = min(end ?? bytes.count, bytes.count)
        var value: UInt64 = 0
        for i in 0..<9 {
            guard offset < limit else { return nil }
            let byte = bytes[offset]
            offset += 1
            if i == 8 {
                value = (value << 8) | UInt64(byte)
                return Int64(bitPattern: value)
            }
            value = (value << 7) | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return Int64(bitPattern: value) }
        }
        return nil
    }

    /// Bytes a serial type's value takes in the body; nil for the two reserved types (10, 11)
    /// and negative ones, which no sound record holds.
    static func contentSize(_ serialType: Int64) -> Int? {
        switch serialType {
        case 0, 8, 9: return 0
        case 1: return 1
        case 2: return 2
        case 3: return 3
        case 4: return 4
        case 5: return 6
        case 6, 7: return 8
        case 10, 11: return nil
        default:
            guard serialType >= 12, serialType < Int64(Int32.max) else { return nil }
            return Int((serialType - 12) / 2)
        }
    }

    /// The serial types of a record's header, and where its body starts; nil when the header
    /// is not a well-formed one (a length past the payload, a reserved type, no columns).
    static func header(_ payload: [UInt8], payloadSize: Int) -> (types: [Int64], bodyStart: Int)? {
        var offset = 0
        guard let size = varint(payload, &offset), size >= 2, size <= payloadSize, Int(size) <= payload.count else {
            return nil
        }
        var types: [Int64] = []
        var body = 0
        while offset < Int(size) {
            guard let type = varint(payload, &offset, end: Int(size)), let length = contentSize(type) else {
                return nil
            }
            types.append(type)
            body += length
        }
        guard offset == Int(size), !types.isEmpty, Int(size) + body == payloadSize else { return nil }
        return (types, Int(size))
    }

    /// The record's values. `payload` holds the bytes read so far; those at `intactUpTo` and
    /// after were on lost pages (pass `payload.count` when all were read). nil when the header
    /// itself is not whole or not well formed.
    static func values(_ payload: [UInt8], payloadSize: Int, intactUpTo: Int) -> [Value]? {
        guard let (types, bodyStart) = header(payload, payloadSize: payloadSize), bodyStart <= intactUpTo else {
            return nil
        }
        let intact = min(intactUpTo, payload.count)
        var values: [Value] = []
        values.reserveCapacity(types.count)
        var offset = bodyStart
        for type in types {
            let length = contentSize(type)!
            defer { offset += length }
            if offset + length <= intact {
                values.append(value(type, payload, offset, length))
                continue
            }
            // Past the surviving bytes: text keeps its readable beginning; anything else is lost.
            if type >= 13, type % 2 == 1, offset < intact {
                values.append(.cut(String(decoding: wholeCharacters(payload[offset..<intact]), as: UTF8.self)))
            } else {
                values.append(.lost)
            }
        }
        return values
    }

    /// `bytes` without a character cut short at its end (a cut text ends on a whole character).
    static func wholeCharacters(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.endIndex
        // Back over continuation bytes (at most three) to the byte that began the last character.
        while start > bytes.startIndex, bytes.endIndex - start < 4, bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        guard start > bytes.startIndex else { return bytes }
        let lead = bytes[start - 1]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return bytes.endIndex - (start - 1) < length ? bytes[..<(start - 1)] : bytes
    }

    private static func value(_ type: Int64, _ bytes: [UInt8], _ offset: Int, _ length: Int) -> Value {
        switch type {
        case 0: return .null
        case 8: return .integer(0)
        case 9: return .integer(1)
        case 7: return .real(Double(bitPattern: UInt64(bitPattern: bigEndian(bytes, offset, 8))))
        case 1...6:
            // Two's complement of `length` bytes, sign-extended.
            let raw = bigEndian(bytes, offset, length)
            let shift = 64 - 8 * length
            return .integer((raw << shift) >> shift)
        default:
            let slice = Array(bytes[offset..<offset + length])
            if type % 2 == 0 { return .blob(slice) }
            return .text(String(decoding: slice, as: UTF8.self))
        }
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int, _ length: Int) -> Int64 {
        var value: UInt64 = 0
        for i in 0..<length { value = (value << 8) | UInt64(bytes[offset + i]) }
        return Int64(bitPattern: value)
    }

    /// Where the first text value within the first `intact` bytes stops being what our text
    /// columns always hold (valid UTF-8, no NUL): the payload offset of the first bad byte, or
    /// nil when every text reads well. Bytes that do not were read from an overwritten page.
    static func firstImplausibleByte(_ payload: [UInt8], payloadSize: Int, intactUpTo: Int) -> Int? {
        guard let (types, bodyStart) = header(payload, payloadSize: payloadSize) else { return nil }
        let intact = min(intactUpTo, payload.count)
        var offset = bodyStart
        for type in types {
            let length = contentSize(type)!
            defer { offset += length }
            guard type >= 13, type % 2 == 1, offset < intact else { continue }
            if let bad = firstBadByte(payload[offset..<min(offset + length, intact)]) { return bad }
        }
        return nil
    }

    /// The index of the first byte that is NUL or breaks UTF-8: a byte that cannot start a
    /// character, or the first byte that does not continue the one before (so a character
    /// split across two pages is blamed on the page that broke it). A sequence cut by the
    /// slice's end is not counted: the rest may be on the next page.
    static func firstBadByte(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == 0 { return i }
            let length: Int
            switch byte {
            case 0x01...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            for k in 1..<length {
                guard i + k < bytes.endIndex else { return nil }
                if bytes[i + k] & 0xC0 != 0x80 { return i + k }
            }
            if length > 1, String(validating: bytes[i..<i + length], as: UTF8.self) == nil { return i }
            i += length
        }
        return nil
    }
}
