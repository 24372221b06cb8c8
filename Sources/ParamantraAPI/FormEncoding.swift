/// `application/x-www-form-urlencoded` bodies, written by hand because Foundation's
/// `URLComponents` leaves `+`, `&` and `=` alone in query items (a `+` in a name would arrive
/// as a space) and no package on this image encodes forms for a client.
public enum FormEncoding {
    /// RFC 3986 unreserved characters pass; every other byte of the UTF-8 form is %XX. Spaces are
    /// %20, which every decoder reads as a space (a `+` is only a space to form decoders).
    public static func percentEncode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hex[Int(byte >> 4)] + hex[Int(byte & 0x0F)]
            }
        }
        return out
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    private static let hex = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
}
